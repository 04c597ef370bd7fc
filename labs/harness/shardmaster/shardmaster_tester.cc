#include "labs/harness/shardmaster/shardmaster_tester.h"

#include <algorithm>
#include <utility>

#include "labs/harness/core/graded_test.h"
#include "labs/harness/core/trace_event.h"
#include "rrr/base/logging.h"
#include "rrr/base/verify.h"
#include "rrr/reactor/coroutine.h"

namespace janus {

// ---- SmRequest. ----

SmRequest SmRequest::Join(std::map<uint64_t, std::vector<std::string>> servers) {
  SmRequest r;
  r.op = Op::kJoin;
  r.servers = std::move(servers);
  return r;
}

SmRequest SmRequest::Leave(std::vector<uint64_t> gids) {
  SmRequest r;
  r.op = Op::kLeave;
  r.gids = std::move(gids);
  return r;
}

SmRequest SmRequest::Move(int shard, uint64_t gid) {
  SmRequest r;
  r.op = Op::kMove;
  r.shard = shard;
  r.gid = gid;
  return r;
}

SmRequest SmRequest::Query(int64_t num) {
  SmRequest r;
  r.op = Op::kQuery;
  r.num = num;
  return r;
}

std::string SmRequest::Describe() const {
  std::string s;
  switch (op) {
    case Op::kJoin:
      s = "Join(";
      for (const auto& g : servers) {
        s += (s.size() > 5 ? " " : "") + std::to_string(g.first);
        if (g.second.size() != 3) s += " with " + std::to_string(g.second.size()) + " servers";
      }
      return s + ")";
    case Op::kLeave:
      s = "Leave(";
      for (size_t k = 0; k < gids.size(); k++) s += (k ? " " : "") + std::to_string(gids[k]);
      return s + ")";
    case Op::kMove:
      return "Move(" + std::to_string(shard) + " -> " + std::to_string(gid) + ")";
    case Op::kQuery:
      return "Query(" + std::to_string(num) + ")";
  }
  return "?";
}

// ---- The tester. ----

ShardMasterTester::ShardMasterTester(int n, bool unreliable) : LabTester(n, "sm test") {
  StartCluster([this](int i, Persister* p, const std::vector<std::string>& addrs) {
    return MakeNode(i, p, addrs);
  });
  CreateTesterNode();
  seen_[0] = InitialShardConfig();
  Note("start: " + std::to_string(n) + " shard-master servers");
  if (unreliable) SetUnreliable(true);
}

ShardMasterTester::~ShardMasterTester() {
  // Unwind every coroutine that could still touch the clerks or the cluster.
  for (auto& ck : clerks_) ck->context->Cancel();
  StopCoroutines();
  clerks_.clear();
  StopCluster();
}

std::unique_ptr<ShardMasterNode> ShardMasterTester::MakeNode(
    int i, Persister* persister, const std::vector<std::string>& addrs) {
  auto config = std::make_shared<const Config>(Config::FromAddresses("shardmaster", addrs));
  return std::make_unique<ShardMasterNode>(std::move(config), i, persister);
}

std::vector<std::string> ShardMasterTester::ServersOf(uint64_t gid) {
  std::vector<std::string> out;
  for (int k = 0; k < 3; k++) {
    out.push_back("g" + std::to_string(gid) + "-" + std::to_string(k) + ":7000");
  }
  return out;
}

ShardMasterTester::Groups ShardMasterTester::GroupsOf(const std::vector<uint64_t>& gids) {
  Groups out;
  for (uint64_t gid : gids) out[gid] = ServersOf(gid);
  return out;
}

// ---- Clerks and requests. ----

SmTestClerk* ShardMasterTester::MakeClerk() {
  std::vector<int> all;
  for (int i = 0; i < n(); i++) all.push_back(i);
  return MakeClerk(all);
}

SmTestClerk* ShardMasterTester::MakeClerk(const std::vector<int>& servers) {
  auto ck = std::make_unique<SmTestClerk>();
  ck->id = static_cast<int>(clerks_.size());
  ck->context = cluster().NewClientContext("c" + std::to_string(ck->id));
  {
    rrr::NodeScope scope(ck->context.get());
    ck->client = std::make_unique<ShardMasterClient>(cluster().addrs());
  }
  clerks_.push_back(std::move(ck));
  SmTestClerk* raw = clerks_.back().get();
  if (static_cast<int>(servers.size()) != n()) ConnectClerk(raw, servers);
  return raw;
}

void ShardMasterTester::ConnectClerk(SmTestClerk* ck, const std::vector<int>& servers) {
  for (int i = 0; i < n(); i++) {
    const bool up = std::find(servers.begin(), servers.end(), i) != servers.end();
    cluster().net().SetLink(ck->context->id(), cluster().NodeId(i), up);
    cluster().net().SetLink(cluster().NodeId(i), ck->context->id(), up);
  }
  Note("clerk c" + std::to_string(ck->id) + " reaches " + ListNodes(servers));
}

ShardMasterTester::Answer ShardMasterTester::DoOp(SmTestClerk* ck, const SmRequest& req) {
  const uint64_t known_at_start = known_latest_;
  const uint64_t start = Now();
  Answer a;
  switch (req.op) {
    case SmRequest::Op::kJoin:
      a.err = ck->client->Join(req.servers);
      break;
    case SmRequest::Op::kLeave:
      a.err = ck->client->Leave(req.gids);
      break;
    case SmRequest::Op::kMove:
      a.err = ck->client->Move(req.shard, req.gid);
      break;
    case SmRequest::Op::kQuery:
      a.config = ck->client->Query(req.num);
      a.err = SmErr::OK;
      break;
  }
  Log_debug("sm test: c%d %s answered %s after %.1f ms", ck->id, req.Describe().c_str(),
            SmErrName(a.err), static_cast<double>(Now() - start) / 1000);
  if (req.op == SmRequest::Op::kQuery) {
    CheckAnswer(req, a.config, known_at_start, "clerk c" + std::to_string(ck->id));
  } else if (a.err == SmErr::OK) {
    known_latest_ = std::max(known_latest_, known_at_start + 1);
  }
  // Any real answer needs a network round trip. A clerk that answers without one (such as the
  // handout's stub) must not spin the test's loops without letting time pass.
  if (Now() - start < 5) Sleep(1000);
  return a;
}

std::shared_ptr<rrr::BoxEvent<ShardMasterTester::Answer>> ShardMasterTester::StartOp(
    SmTestClerk* ck, const SmRequest& req) {
  auto box = std::make_shared<rrr::BoxEvent<Answer>>();
  ck->context->Run([&] {
    rrr::Coroutine::CreateRun([this, ck, req, box] {
      Answer a;
      try {
        a = DoOp(ck, req);
      } catch (const harness::ScenarioFailure&) {
        a.err = SmErr::ErrTimeout;  // recorded: the test's next Sleep or RunOp throws
      }
      box->Set(a);
    });
  });
  return box;
}

ShardMasterTester::Answer ShardMasterTester::RunOp(SmTestClerk* ck, const SmRequest& req) {
  rrr::Coroutine* co = rrr::Coroutine::Current();
  if (co != nullptr && co->node() == ck->context.get()) return DoOp(ck, req);
  auto box = StartOp(ck, req);
  box->Wait(kOpLimitUs);
  if (!box->IsReady()) {
    FailStep("clerk c" + std::to_string(ck->id) + ": " + req.Describe() +
             " did not return within " + std::to_string(kOpLimitUs / 1000000) + " s");
  }
  harness::ThrowIfFailed();  // the on-the-spot checks of DoOp, if they failed
  return box->Get();
}

void ShardMasterTester::RunChange(SmTestClerk* ck, const SmRequest& req, SmErr expected) {
  const Answer a = RunOp(ck, req);
  if (a.err != expected) {
    FailStep("clerk c" + std::to_string(ck->id) + ": " + req.Describe() + " returned " +
             SmErrName(a.err) + ", expected " + SmErrName(expected));
  }
}

void ShardMasterTester::Join(SmTestClerk* ck, const Groups& groups, SmErr expected,
                             const char* file, int line) {
  Step(file, line);
  RunChange(ck, SmRequest::Join(groups), expected);
}

void ShardMasterTester::Leave(SmTestClerk* ck, const std::vector<uint64_t>& gids, SmErr expected,
                              const char* file, int line) {
  Step(file, line);
  RunChange(ck, SmRequest::Leave(gids), expected);
}

void ShardMasterTester::Move(SmTestClerk* ck, int shard, uint64_t gid, SmErr expected,
                             const char* file, int line) {
  Step(file, line);
  RunChange(ck, SmRequest::Move(shard, gid), expected);
}

ShardConfig ShardMasterTester::Query(SmTestClerk* ck, int64_t num, const char* file, int line) {
  Step(file, line);
  return RunOp(ck, SmRequest::Query(num)).config;
}

// ---- Network and replicas. ----

void ShardMasterTester::Partition(const std::vector<int>& a, const std::vector<int>& b) {
  PartitionServers(a, b);
}

void ShardMasterTester::ConnectAll() { ConnectAllServers(); }

void ShardMasterTester::Restart(int i) {
  LabTester::Restart(i);
  Connect(i);
}

int ShardMasterTester::Leader(const char* file, int line) {
  Step(file, line);
  for (int attempt = 0; attempt < 10; attempt++) {
    int leader = -1;
    uint64_t leader_term = 0;
    for (int i = 0; i < n(); i++) {
      if (!cluster().IsUp(i) || !cluster().IsConnected(i)) continue;
      bool is_leader = false;
      uint64_t term = 0;
      cluster().At(i, [&](ShardMasterNode& node) { node.raft().GetState(&is_leader, &term); });
      harness::TraceGetState(cluster().NodeId(i), term, is_leader);
      if (is_leader && (leader < 0 || term > leader_term)) {
        leader = i;
        leader_term = term;
      }
    }
    if (leader >= 0) {
      Note("leader is " + NodeName(leader) + " (term " + std::to_string(leader_term) + ")");
      return leader;
    }
    Sleep(500 * 1000);
  }
  FailStep("no server believes it is the leader after 5 s");
}

void ShardMasterTester::CheckBackground() { harness::ThrowIfFailed(); }

void ShardMasterTester::EndChecks(const char* file, int line) { CheckReplicasAgree(file, line); }

}  // namespace janus
