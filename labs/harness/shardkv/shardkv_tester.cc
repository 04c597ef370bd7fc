// ShardKvTester (shardkv_tester.h): construction, the shard-master requests, the group
// controls and the end-of-test checks. Clerks and workloads: shardkv_tester_clerks.cc; what the
// servers persist: shardkv_tester_state.cc.
#include "labs/harness/shardkv/shardkv_tester.h"

#include <utility>

#include "deptran/config.h"
#include "labs/harness/core/pending_requests.h"
#include "rrr/base/logging.h"
#include "rrr/reactor/coroutine.h"

namespace janus {

namespace {

// Node ids: the shard master's servers are 0..2 (its client nodes, the tester's and the clerks',
// 1000 and up); group g's servers are kGroupIdStep * (g + 1) + i.
constexpr int kGroupIdStep = 10;

}  // namespace

ShardKvTester::ShardKvTester(int ngroups, bool unreliable, int64_t maxraftstate)
    : LabTester(kGroupSize, "shardkv test"), maxraftstate_(maxraftstate) {
  verify_msg(ngroups > 0 && ngroups * kGroupIdStep + kGroupIdStep < 1000,
             "ShardKvTester: 1..98 groups");
  StartCluster([](int i, Persister* p, const std::vector<std::string>& addrs) {
    auto config = std::make_shared<const Config>(Config::FromAddresses("shardmaster", addrs));
    return std::make_unique<ShardMasterNode>(config, i, p);
  });
  CreateTesterNode();
  // The groups share the shard master cluster's network; they are destroyed before it (the
  // destructor), so a non-owning pointer is enough.
  std::shared_ptr<harness::FaultyNetwork> net(&cluster().net(), [](harness::FaultyNetwork*) {});
  for (int g = 0; g < ngroups; g++) {
    harness::ClusterOptions options;
    options.name_prefix = "g" + std::to_string(Gid(g)) + "-";
    options.first_id = kGroupIdStep * (g + 1);
    options.network = net;
    groups_.push_back(std::make_unique<harness::Cluster<ShardKvNode>>(
        kGroupSize,
        [this, g](int i, Persister* p, const std::vector<std::string>& addrs) {
          return MakeGroupNode(g, i, p, addrs);
        },
        options));
  }
  admin_ = cluster().NewClientContext("admin");
  {
    rrr::NodeScope scope(admin_.get());
    admin_client_ = std::make_unique<ShardMasterClient>(cluster().addrs());
  }
  Note("start: shard master " + ListNodes({0, 1, 2}) + ", " + std::to_string(ngroups) +
       " groups of " + std::to_string(kGroupSize) + ", maxraftstate " +
       std::to_string(maxraftstate));
  if (unreliable) SetUnreliable(true);
}

ShardKvTester::~ShardKvTester() {
  // Unwind every coroutine that could touch the clerks, the history or the clusters.
  for (auto& ck : clerks_) ck->context->Cancel();
  if (admin_ != nullptr) admin_->Cancel();
  StopCoroutines();
  appenders_.clear();
  clerks_.clear();
  admin_client_.reset();
  groups_.clear();
  StopCluster();
}

std::unique_ptr<ShardKvNode> ShardKvTester::MakeGroupNode(int g, int i, Persister* persister,
                                                          const std::vector<std::string>& addrs) {
  const std::vector<std::string>& ctrl = cluster().addrs();
  std::vector<std::string> ctrl_names;
  for (size_t k = 0; k < ctrl.size(); k++) ctrl_names.push_back(NodeName(static_cast<int>(k)));
  return std::make_unique<ShardKvNode>(
      GroupTestConfig("shardkv", "ShardKvTester", ctrl_names, ctrl, Gid(g), addrs,
                      {{"maxraftstate", std::to_string(maxraftstate_)}}),
      static_cast<int>(ctrl.size()) + i, persister);
}

void ShardKvTester::Note(const std::string& what) {
  history_.AddEvent(what);
  LabTester::Note(what);
}

bool ShardKvTester::RunOn(rrr::NodeContext* ctx, const std::function<void()>& fn,
                          uint64_t limit_us) {
  auto done = std::make_shared<rrr::BoxEvent<bool>>();
  ctx->Run([&] {
    rrr::Coroutine::CreateRun([fn, done] {
      fn();
      done->Set(true);
    });
  });
  done->Wait(limit_us);
  return done->IsReady();
}

// ---- The shard master. ----

std::map<uint64_t, std::vector<std::string>> ShardKvTester::GroupServers(
    const std::vector<int>& gs) {
  std::map<uint64_t, std::vector<std::string>> out;
  for (int g : gs) out[Gid(g)] = group(g).addrs();
  return out;
}

std::string ShardKvTester::ListGroups(const std::vector<int>& gs) const {
  std::string s;
  for (int g : gs) s += (s.empty() ? "" : " ") + std::to_string(Gid(g));
  return s;
}

void ShardKvTester::JoinMany(const std::vector<int>& gs, const char* file, int line) {
  const auto servers = GroupServers(gs);
  // Shared with the request's coroutine, which may outlive this call if it times out.
  auto err = std::make_shared<SmErr>(SmErr::ErrInvalid);
  Note("join " + ListGroups(gs));
  if (!RunOn(admin_.get(), [this, servers, err] { *err = admin_client_->Join(servers); },
             kOpLimitUs)) {
    Fail("shard master: Join(" + ListGroups(gs) + ") did not return within 30 s", file, line);
  }
  if (*err != SmErr::OK) {
    Fail("shard master: Join(" + ListGroups(gs) + ") did not answer OK (these tests need a "
         "working shard master, labs/shardmaster)",
         file, line);
  }
}

void ShardKvTester::LeaveMany(const std::vector<int>& gs, const char* file, int line) {
  std::vector<uint64_t> gids;
  for (int g : gs) gids.push_back(Gid(g));
  auto err = std::make_shared<SmErr>(SmErr::ErrInvalid);
  Note("leave " + ListGroups(gs));
  if (!RunOn(admin_.get(), [this, gids, err] { *err = admin_client_->Leave(gids); },
             kOpLimitUs)) {
    Fail("shard master: Leave(" + ListGroups(gs) + ") did not return within 30 s", file, line);
  }
  if (*err != SmErr::OK) {
    Fail("shard master: Leave(" + ListGroups(gs) + ") did not answer OK (these tests need a "
         "working shard master, labs/shardmaster)",
         file, line);
  }
}

void ShardKvTester::Join(int g, const char* file, int line) { JoinMany({g}, file, line); }

void ShardKvTester::Leave(int g, const char* file, int line) { LeaveMany({g}, file, line); }

ShardConfig ShardKvTester::Query(int64_t num, const char* file, int line) {
  auto config = std::make_shared<ShardConfig>();
  if (!RunOn(admin_.get(), [this, num, config] { *config = admin_client_->Query(num); },
             kOpLimitUs)) {
    Fail("shard master: Query(" + std::to_string(num) + ") did not return within 30 s", file,
         line);
  }
  return *config;
}

// ---- Group servers. ----

void ShardKvTester::ShutdownGroup(int g) {
  for (int i = 0; i < kGroupSize; i++) group(g).Crash(i);
  Note("shut down group " + std::to_string(Gid(g)));
}

void ShardKvTester::StartGroup(int g) {
  for (int i = 0; i < kGroupSize; i++) {
    if (group(g).IsUp(i)) continue;
    group(g).Restart(i);
    group(g).Connect(i);
  }
  Note("start group " + std::to_string(Gid(g)));
}

void ShardKvTester::CrashServer(int g, int i) {
  group(g).Crash(i);
  Note("crash " + group(g).NodeName(i));
}

void ShardKvTester::RestartServer(int g, int i) {
  group(g).Restart(i);
  group(g).Connect(i);
  Note("restart " + group(g).NodeName(i));
}

void ShardKvTester::DisconnectServer(int g, int i) {
  group(g).Disconnect(i);
  Note("disconnect " + group(g).NodeName(i));
}

void ShardKvTester::ConnectServer(int g, int i) {
  group(g).Connect(i);
  Note("connect " + group(g).NodeName(i));
}

// ---- The end. ----

void ShardKvTester::EndChecks(const char* file, int line) {
  CheckLinearizable(file, line);
  CheckGroupsPendingDrain(file, line);
}

void ShardKvTester::CheckGroupsPendingDrain(const char* file, int line) {
  std::vector<const harness::ClusterBase*> groups;
  for (int g = 0; g < ngroups(); g++) groups.push_back(&group(g));
  CheckPendingDrainOf(groups,
                      "heal the whole network and wait for the groups' pending requests to be "
                      "answered",
                      file, line);
}

}  // namespace janus
