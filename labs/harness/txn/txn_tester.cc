// TxnTester (txn_tester.h): construction, the joins at the start, the fault controls and the
// end-of-test checks. Clerks and recorded calls: txn_tester_clerks.cc; placement helpers and
// the serializability check: txn_tester_keys.cc.
#include "labs/harness/txn/txn_tester.h"

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

TxnTester::TxnTester(const TxnTesterOptions& options)
    : LabTester(kGroupSize, "txn test"), options_(options) {
  verify_msg(options.ngroups > 0 && options.ngroups * kGroupIdStep + kGroupIdStep < 1000,
             "TxnTester: 1..98 groups");
  StartCluster([](int i, Persister* p, const std::vector<std::string>& addrs) {
    auto config = std::make_shared<const Config>(Config::FromAddresses("shardmaster", addrs));
    return std::make_unique<ShardMasterNode>(config, i, p);
  });
  CreateTesterNode();
  // The groups share the shard master cluster's network and are destroyed before it.
  std::shared_ptr<harness::FaultyNetwork> net(&cluster().net(), [](harness::FaultyNetwork*) {});
  for (int g = 0; g < options.ngroups; g++) {
    harness::ClusterOptions copts;
    copts.name_prefix = "g" + std::to_string(Gid(g)) + "-";
    copts.first_id = kGroupIdStep * (g + 1);
    copts.network = net;
    groups_.push_back(std::make_unique<harness::Cluster<TxnNode>>(
        kGroupSize,
        [this, g](int i, Persister* p, const std::vector<std::string>& addrs) {
          return MakeGroupNode(g, i, p, addrs);
        },
        copts));
  }
  admin_ = cluster().NewClientContext("admin");
  {
    rrr::NodeScope scope(admin_.get());
    admin_client_ = std::make_unique<ShardMasterClient>(cluster().addrs());
  }
  Note("start: shard master " + ListNodes({0, 1, 2}) + ", " + std::to_string(options.ngroups) +
       " groups of " + std::to_string(kGroupSize) + ", concurrency " + options.concurrency +
       ", maxraftstate " + std::to_string(options.maxraftstate));
  JoinAll();
  if (options.unreliable) SetUnreliable(true);
}

TxnTester::~TxnTester() {
  for (auto& ck : clerks_) {
    if (ck->context != nullptr) ck->context->Cancel();
  }
  if (admin_ != nullptr) admin_->Cancel();
  StopCoroutines();
  for (auto& ck : clerks_) {
    if (ck->client == nullptr) continue;
    rrr::NodeScope scope(ck->context.get());
    ck->client.reset();
  }
  clerks_.clear();
  admin_client_.reset();
  groups_.clear();
  StopCluster();
}

std::unique_ptr<TxnNode> TxnTester::MakeGroupNode(int g, int i, Persister* persister,
                                                  const std::vector<std::string>& addrs) {
  const std::vector<std::string>& ctrl = cluster().addrs();
  std::vector<std::string> ctrl_names;
  for (size_t k = 0; k < ctrl.size(); k++) ctrl_names.push_back(NodeName(static_cast<int>(k)));
  return std::make_unique<TxnNode>(
      GroupTestConfig("txn", "TxnTester", ctrl_names, ctrl, Gid(g), addrs,
                      {{"maxraftstate", std::to_string(options_.maxraftstate)},
                       {"concurrency", options_.concurrency}}),
      static_cast<int>(ctrl.size()) + i, persister);
}

void TxnTester::JoinAll() {
  std::map<uint64_t, std::vector<std::string>> servers;
  std::string names;
  for (int g = 0; g < ngroups(); g++) {
    servers[Gid(g)] = group(g).addrs();
    names += (names.empty() ? "" : " ") + std::to_string(Gid(g));
  }
  Note("join " + names);
  auto err = std::make_shared<SmErr>(SmErr::ErrInvalid);
  auto config = std::make_shared<ShardConfig>();
  auto done = std::make_shared<rrr::BoxEvent<bool>>();
  admin_->Run([&] {
    rrr::Coroutine::CreateRun([this, servers, err, config, done] {
      *err = admin_client_->Join(servers);
      if (*err == SmErr::OK) *config = admin_client_->Query(-1);
      done->Set(true);
    });
  });
  done->Wait(kOpLimitUs);
  if (!done->IsReady() || *err != SmErr::OK) {
    Fail("shard master: Join(" + names + ") did not answer OK within 30 s (these tests need a "
         "working shard master, labs/shardmaster)");
  }
  config_ = *config;
  Note("placement: " + DescribeShardConfig(config_));
}

// ---- Faults. ----

void TxnTester::ShutdownGroup(int g) {
  for (int i = 0; i < kGroupSize; i++) group(g).Crash(i);
  Note("shut down group " + std::to_string(Gid(g)));
}

void TxnTester::StartGroup(int g) {
  for (int i = 0; i < kGroupSize; i++) {
    if (group(g).IsUp(i)) continue;
    group(g).Restart(i);
    group(g).Connect(i);
  }
  Note("start group " + std::to_string(Gid(g)));
}

void TxnTester::CrashServer(int g, int i) {
  group(g).Crash(i);
  Note("crash " + group(g).NodeName(i));
}

void TxnTester::RestartServer(int g, int i) {
  group(g).Restart(i);
  group(g).Connect(i);
  Note("restart " + group(g).NodeName(i));
}

void TxnTester::DisconnectServer(int g, int i) {
  group(g).Disconnect(i);
  Note("disconnect " + group(g).NodeName(i));
}

void TxnTester::ConnectServer(int g, int i) {
  group(g).Connect(i);
  Note("connect " + group(g).NodeName(i));
}

void TxnTester::IsolateServers(const std::vector<std::pair<int, int>>& servers) {
  std::vector<std::vector<int>> parts;
  std::string names;
  for (const auto& s : servers) {
    parts.push_back({group(s.first).NodeId(s.second)});
    names += (names.empty() ? "" : " ") + group(s.first).NodeName(s.second);
  }
  // Only the isolated servers are named: every other node, clerks included, is in the unnamed
  // group.
  cluster().net().Partition(parts);
  Note("partition: isolate " + names);
}

void TxnTester::HealPartition() {
  cluster().net().Heal();
  Note("heal the partition");
}

void TxnTester::CrashClerk(TxnTestClerk* ck) {
  if (ck->crashed) return;
  ck->crashed = true;
  cluster().net().Disconnect(ck->context->id());
  ck->context->Cancel();
  {
    rrr::NodeScope scope(ck->context.get());
    ck->client.reset();
  }
  Note("crash clerk c" + std::to_string(ck->id) + " (its node is gone)");
}

uint64_t TxnTester::ClerkRpcs(const TxnTestClerk* ck) const {
  return const_cast<TxnTester*>(this)->cluster().net().Counters(ck->context->id()).rpcs_sent;
}

// ---- The end. ----

void TxnTester::EndChecks(const char* file, int line) {
  CheckSerializable(file, line);
  CheckGroupsPendingDrain(file, line);
}

void TxnTester::CheckGroupsPendingDrain(const char* file, int line) {
  std::vector<const harness::ClusterBase*> groups;
  for (int g = 0; g < ngroups(); g++) groups.push_back(&group(g));
  CheckPendingDrainOf(groups,
                      "heal the whole network and wait for the groups' pending requests to be "
                      "answered",
                      file, line);
}

}  // namespace janus
