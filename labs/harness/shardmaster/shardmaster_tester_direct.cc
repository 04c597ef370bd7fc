// ShardMasterTester's requests straight to one server's ShardMasterServer (see
// shardmaster_tester.h): the tests of the server's contract (duplicates, invalid arguments) with
// retries no clerk would produce on its own.
#include "labs/harness/shardmaster/shardmaster_tester.h"
#include "rrr/base/logging.h"
#include "rrr/reactor/coroutine.h"

namespace janus {

std::shared_ptr<rrr::BoxEvent<ShardMasterTester::ServerReply>> ShardMasterTester::StartServerCall(
    int i, const SmRequest& req, uint64_t client_id, uint64_t seq) {
  auto box = std::make_shared<rrr::BoxEvent<ServerReply>>();
  Note(NodeName(i) + " called directly: " + req.Describe() + " client " +
       std::to_string(client_id) + " seq " + std::to_string(seq));
  const uint64_t known_at_start = known_latest_;
  cluster().At(i, [&](ShardMasterNode& node) {
    ShardMasterServer* sm = &node.server();
    // The coroutine belongs to the node: if the node crashes, its wait is cancelled with it.
    rrr::Coroutine::CreateRun([this, i, sm, req, client_id, seq, box, known_at_start] {
      ServerReply r;
      const uint64_t start = Now();
      switch (req.op) {
        case SmRequest::Op::kJoin:
          r.err = sm->Join(req.servers, client_id, seq);
          break;
        case SmRequest::Op::kLeave:
          r.err = sm->Leave(req.gids, client_id, seq);
          break;
        case SmRequest::Op::kMove:
          r.err = sm->Move(static_cast<uint32_t>(req.shard), req.gid, client_id, seq);
          break;
        case SmRequest::Op::kQuery:
          r.err = sm->Query(req.num, client_id, seq, &r.config);
          break;
      }
      r.took_us = Now() - start;
      Log_debug("sm test: %s's ShardMasterServer %s answered %s after %.1f ms",
                NodeName(i).c_str(), req.Describe().c_str(), SmErrName(r.err),
                static_cast<double>(r.took_us) / 1000);
      // (A Join, Leave or Move answered OK does not raise known_latest_: called directly, it
      // may be a retry, which makes no configuration.)
      if (r.err == SmErr::OK && req.op == SmRequest::Op::kQuery) {
        try {
          CheckAnswer(req, r.config, known_at_start, NodeName(i) + " (called directly)");
        } catch (const harness::ScenarioFailure&) {
          // Recorded: CallServer (or the test's next Sleep) throws.
        }
      }
      box->Set(r);
    });
  });
  return box;
}

ShardMasterTester::ServerReply ShardMasterTester::CallServer(int i, const SmRequest& req,
                                                             uint64_t client_id, uint64_t seq,
                                                             uint64_t limit_us, const char* file,
                                                             int line) {
  Step(file, line);
  auto box = StartServerCall(i, req, client_id, seq);
  box->Wait(limit_us);
  if (!box->IsReady()) {
    FailStep(NodeName(i) + "'s ShardMasterServer: " + req.Describe() + " did not return within " +
             std::to_string(limit_us / 1000) + " ms");
  }
  harness::ThrowIfFailed();
  return box->Get();
}

ShardMasterTester::ServerReply ShardMasterTester::CallLeader(const SmRequest& req,
                                                             uint64_t client_id, uint64_t seq,
                                                             const char* file, int line) {
  ServerReply r;
  for (int attempt = 0; attempt < 20; attempt++) {
    const int leader = Leader(file, line);
    r = CallServer(leader, req, client_id, seq, kOpLimitUs, file, line);
    if (r.err == SmErr::OK || r.err == SmErr::ErrInvalid) return r;
    Sleep(500 * 1000);
  }
  Step(file, line);
  FailStep("no leader answered " + req.Describe() + " with OK or ErrInvalid in 20 attempts (last "
           "answer " + SmErrName(r.err) + ")");
}

uint64_t ShardMasterTester::FreshClientId() {
  return (uint64_t{1} << 62) + static_cast<uint64_t>(Rand(0, int64_t{1} << 40));
}

}  // namespace janus
