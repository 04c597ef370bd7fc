// KvTester's requests straight to one server's KvServer (see kv_tester.h): the tests of the
// server's contract that no clerk workload can time precisely.
#include "labs/harness/kv/kv_tester.h"

#include "rrr/base/logging.h"
#include "rrr/reactor/coroutine.h"

namespace janus {

using harness::KvOpKind;

std::shared_ptr<rrr::BoxEvent<KvTester::ServerReply>> KvTester::StartServerCall(
    int i, KvOpKind kind, const std::string& key, const std::string& value, uint64_t client_id,
    uint64_t seq) {
  auto box = std::make_shared<rrr::BoxEvent<ServerReply>>();
  Note(NodeName(i) + " called directly: " + harness::KvOpKindName(kind) + "(" +
       harness::ShowKvValue(key) + ") client " + std::to_string(client_id) + " seq " +
       std::to_string(seq));
  cluster().At(i, [&](KvNode& node) {
    KvServer* kv = &node.kv();
    // The coroutine belongs to the node: if the node crashes, its wait is cancelled with it.
    rrr::Coroutine::CreateRun([this, i, kv, kind, key, value, client_id, seq, box] {
      ServerReply r;
      const uint64_t start = Now();
      switch (kind) {
        case KvOpKind::kGet:
          r.err = kv->Get(key, client_id, seq, &r.value);
          break;
        case KvOpKind::kPut:
          r.err = kv->Put(key, value, client_id, seq);
          break;
        case KvOpKind::kAppend:
          r.err = kv->Append(key, value, client_id, seq);
          break;
      }
      r.took_us = Now() - start;
      Log_debug("kv test: %s's KvServer::%s(%s) answered %s after %.1f ms",
                NodeName(i).c_str(), harness::KvOpKindName(kind),
                harness::ShowKvValue(key).c_str(), KvErrName(r.err),
                static_cast<double>(r.took_us) / 1000);
      box->Set(r);
    });
  });
  return box;
}

KvTester::ServerReply KvTester::CallServer(int i, KvOpKind kind, const std::string& key,
                                           const std::string& value, uint64_t client_id,
                                           uint64_t seq, uint64_t limit_us, const char* file,
                                           int line) {
  Step(file, line);
  auto box = StartServerCall(i, kind, key, value, client_id, seq);
  box->Wait(limit_us);
  if (!box->IsReady()) {
    FailStep(NodeName(i) + "'s KvServer::" + harness::KvOpKindName(kind) + "(" +
             harness::ShowKvValue(key) + ") did not return within " +
             std::to_string(limit_us / 1000) + " ms");
  }
  return box->Get();
}

KvTester::ServerReply KvTester::CallLeader(KvOpKind kind, const std::string& key,
                                           const std::string& value, uint64_t client_id,
                                           uint64_t seq, const char* file, int line) {
  ServerReply r;
  for (int attempt = 0; attempt < 20; attempt++) {
    const int leader = Leader(file, line);
    r = CallServer(leader, kind, key, value, client_id, seq, kOpLimitUs, file, line);
    if (r.err == KvErr::OK || r.err == KvErr::ErrNoKey) return r;
    Sleep(500 * 1000);
  }
  Step(file, line);
  FailStep(std::string("no leader answered ") + harness::KvOpKindName(kind) + "(" +
           harness::ShowKvValue(key) + ") with OK in 20 attempts (last answer " +
           KvErrName(r.err) + ")");
}

uint64_t KvTester::FreshClientId() {
  return (uint64_t{1} << 62) + static_cast<uint64_t>(Rand(0, int64_t{1} << 40));
}

}  // namespace janus
