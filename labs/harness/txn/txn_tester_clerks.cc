// TxnTester (txn_tester.h): clerks, and the transactions and plain operations they run, each
// recorded in the history as it happens.
#include <utility>

#include "labs/harness/core/scenario_failure.h"
#include "labs/harness/txn/txn_tester.h"
#include "labs/txn/common.h"
#include "rrr/base/logging.h"
#include "rrr/reactor/coroutine.h"

namespace janus {

using harness::TxnOutcome;

namespace {

std::string Quote(const std::string& s) { return "\"" + s + "\""; }

}  // namespace

std::string TxnTester::CodeName(int code) {
  switch (code) {
    case TX_COMMITTED:
      return "TX_COMMITTED (101)";
    case TX_ABORTED:
      return "TX_ABORTED (102)";
    case TX_NOTFOUND:
      return "TX_NOTFOUND (103)";
    case 0:
      return "0 (OK)";
    default:
      return std::to_string(code) + " (an error)";
  }
}

std::string TxnTester::Name(const TestTx& tx) const {
  return "T" + std::to_string(history_.txns().at(tx.record).id) + " (clerk c" +
         std::to_string(tx.ck->id) + ", tx id " + std::to_string(tx.id) + ")";
}

std::string TxnTester::UniqueValue(const std::string& tag) {
  return tag + "." + std::to_string(next_value_++);
}

TxnTestClerk* TxnTester::MakeClerk() {
  auto ck = std::make_unique<TxnTestClerk>();
  ck->id = static_cast<int>(clerks_.size());
  ck->context = cluster().NewClientContext("c" + std::to_string(ck->id));
  {
    rrr::NodeScope scope(ck->context.get());
    Concurrency mode = Concurrency::kOcc;
    verify_msg(ParseConcurrency(options_.concurrency, &mode), "TxnTester: bad concurrency");
    ck->client = std::make_unique<TxnClient>(cluster().addrs(), mode);
  }
  clerks_.push_back(std::move(ck));
  return clerks_.back().get();
}

void TxnTester::RunOnClerk(TxnTestClerk* ck, const std::function<void()>& fn,
                           const std::string& what, const char* file, int line) {
  if (ck->crashed) Fail("the test used clerk c" + std::to_string(ck->id) + " after crashing it",
                        file, line);
  rrr::Coroutine* co = rrr::Coroutine::Current();
  if (co != nullptr && co->node() == ck->context.get()) {
    fn();
    return;
  }
  auto done = std::make_shared<rrr::BoxEvent<bool>>();
  ck->context->Run([&] {
    rrr::Coroutine::CreateRun([fn, done] {
      try {
        fn();
      } catch (const harness::ScenarioFailure&) {
        // Recorded: the caller stops below.
      }
      done->Set(true);
    });
  });
  done->Wait(kOpLimitUs);
  harness::ThrowIfFailed();
  if (!done->IsReady()) {
    Fail(what + " did not return within " + std::to_string(kOpLimitUs / 1000000) + " s", file,
         line);
  }
}

TestTx TxnTester::Begin(TxnTestClerk* ck, const char* file, int line) {
  TestTx tx;
  tx.ck = ck;
  auto id = std::make_shared<uint64_t>(0);
  const uint64_t start = Now();
  RunOnClerk(ck, [ck, id] { *id = ck->client->TxBegin(); },
             "TxBegin by clerk c" + std::to_string(ck->id), file, line);
  tx.id = *id;
  tx.record = history_.Begin(ck->id, next_record_id_++, "tx id " + std::to_string(tx.id));
  // A clerk that answers without a round trip (the handout's stub) must not spin a test's loop
  // without letting time pass.
  if (Now() - start < 5) Sleep(1000);
  return tx;
}

int TxnTester::DoGet(TestTx* tx, const std::string& key, std::string* value, uint64_t* version) {
  std::string v;
  uint64_t ver = 0;
  const uint64_t start = Now();
  const int code = tx->ck->client->TxGet(tx->id, key, &v, &ver);
  if (tx->ended) return code;
  if (code == 0 || code == TX_NOTFOUND) {
    if (code == TX_NOTFOUND) {
      v.clear();
      ver = 0;
    }
    history_.Read(tx->record, key, v, ver, code == 0);
  } else if (code == TX_ABORTED) {
    history_.End(tx->record, TxnOutcome::kAborted);
    tx->ended = true;
  }
  if (value != nullptr) *value = v;
  if (version != nullptr) *version = ver;
  if (Now() - start < 5) Sleep(1000);
  return code;
}

int TxnTester::Get(TestTx* tx, const std::string& key, std::string* value, uint64_t* version,
                   const char* file, int line) {
  auto code = std::make_shared<int>(-1);
  auto v = std::make_shared<std::string>();
  auto ver = std::make_shared<uint64_t>(0);
  RunOnClerk(tx->ck, [this, tx, key, code, v, ver] { *code = DoGet(tx, key, v.get(), ver.get()); },
             "TxGet(" + Quote(key) + ") of " + Name(*tx), file, line);
  if (value != nullptr) *value = *v;
  if (version != nullptr) *version = *ver;
  return *code;
}

int TxnTester::Put(TestTx* tx, const std::string& key, const std::string& value, const char* file,
                   int line) {
  auto code = std::make_shared<int>(-1);
  RunOnClerk(tx->ck, [tx, key, value, code] { *code = tx->ck->client->TxPut(tx->id, key, value); },
             "TxPut(" + Quote(key) + ") of " + Name(*tx), file, line);
  if (!tx->ended) {
    if (*code == 0) {
      history_.Write(tx->record, key, value);
    } else if (*code == TX_ABORTED) {
      history_.End(tx->record, TxnOutcome::kAborted);
      tx->ended = true;
    }
  }
  return *code;
}

int TxnTester::DoCommit(TestTx* tx) {
  const int code = tx->ck->client->TxCommit(tx->id);
  if (!tx->ended) {
    // Any other answer leaves the outcome unknown to the checker.
    if (code == TX_COMMITTED) history_.End(tx->record, TxnOutcome::kCommitted);
    if (code == TX_ABORTED) history_.End(tx->record, TxnOutcome::kAborted);
    tx->ended = true;
  }
  return code;
}

int TxnTester::Commit(TestTx* tx, const char* file, int line) {
  auto code = std::make_shared<int>(-1);
  RunOnClerk(tx->ck, [this, tx, code] { *code = DoCommit(tx); },
             "TxCommit of " + Name(*tx), file, line);
  return *code;
}

int TxnTester::Abort(TestTx* tx, const char* file, int line) {
  auto code = std::make_shared<int>(-1);
  RunOnClerk(tx->ck, [tx, code] { *code = tx->ck->client->TxAbort(tx->id); },
             "TxAbort of " + Name(*tx), file, line);
  if (!tx->ended) {
    // Whatever TxAbort answered, the transaction never asked to commit: nothing it wrote may
    // become visible.
    history_.End(tx->record, TxnOutcome::kAborted);
    tx->ended = true;
  }
  return *code;
}

std::shared_ptr<rrr::BoxEvent<int>> TxnTester::StartGet(TestTx* tx, const std::string& key) {
  auto box = std::make_shared<rrr::BoxEvent<int>>();
  tx->ck->context->Run([&] {
    rrr::Coroutine::CreateRun([this, tx, key, box] { box->Set(DoGet(tx, key, nullptr, nullptr)); });
  });
  return box;
}

std::shared_ptr<rrr::BoxEvent<int>> TxnTester::StartCommit(TestTx* tx) {
  auto box = std::make_shared<rrr::BoxEvent<int>>();
  tx->ck->context->Run([&] {
    rrr::Coroutine::CreateRun([this, tx, box] { box->Set(DoCommit(tx)); });
  });
  return box;
}

// ---- Checks. ----

void TxnTester::CheckCode(int code, int want, const std::string& what, const char* file,
                          int line) {
  if (code != want) {
    Fail(what + " returned " + CodeName(code) + ", expected " + CodeName(want), file, line);
  }
}

void TxnTester::CheckGet(TestTx* tx, const std::string& key, const std::string& expected,
                         const char* file, int line) {
  std::string v;
  const int code = Get(tx, key, &v, nullptr, file, line);
  const std::string what = "TxGet(" + Quote(key) + ") of " + Name(*tx);
  if (expected == kMissing) {
    if (code != TX_NOTFOUND) {
      Fail(what + " returned " + CodeName(code) + (code == 0 ? " with " + Quote(v) : "") +
               ", expected TX_NOTFOUND (the key was never written)",
           file, line);
    }
    return;
  }
  if (code != 0) Fail(what + " returned " + CodeName(code) + ", expected 0 and " +
                      Quote(expected), file, line);
  if (v != expected) Fail(what + " returned " + Quote(v) + ", expected " + Quote(expected), file,
                          line);
}

void TxnTester::CheckCommitted(TestTx* tx, const char* file, int line) {
  CheckCode(Commit(tx, file, line), TX_COMMITTED, "TxCommit of " + Name(*tx), file, line);
}

void TxnTester::CheckAborted(TestTx* tx, const char* file, int line) {
  CheckCode(Commit(tx, file, line), TX_ABORTED, "TxCommit of " + Name(*tx), file, line);
}

// ---- Plain operations. ----

std::string TxnTester::PlainGet(TxnTestClerk* ck, const std::string& key, const char* file,
                                int line) {
  auto v = std::make_shared<std::string>();
  auto version = std::make_shared<uint64_t>(0);
  const uint64_t start = Now();
  RunOnClerk(ck, [ck, key, v, version] { *v = ck->client->Get(key, version.get()); },
             "Get(" + Quote(key) + ") by clerk c" + std::to_string(ck->id), file, line);
  history_.PlainGet(ck->id, key, *v, *version, !v->empty(), start);
  if (Now() - start < 5) Sleep(1000);
  return *v;
}

void TxnTester::PlainPut(TxnTestClerk* ck, const std::string& key, const std::string& value,
                         const char* file, int line) {
  const uint64_t start = Now();
  auto version = std::make_shared<uint64_t>(0);
  RunOnClerk(ck, [ck, key, value, version] { ck->client->Put(key, value, version.get()); },
             "Put(" + Quote(key) + ") by clerk c" + std::to_string(ck->id), file, line);
  // A committed one-write transaction that says which version it installed.
  harness::TxnRecord r;
  r.id = next_record_id_++;
  r.client = ck->id;
  r.begin_us = start;
  r.end_us = Now();
  r.W(key, value);
  r.ops.back().version = *version;
  r.outcome = TxnOutcome::kCommitted;
  r.label = "plain Put";
  history_.Add(r);
  if (Now() - start < 5) Sleep(1000);
}

std::map<std::string, std::string> TxnTester::InstallValues(const std::vector<std::string>& keys,
                                                       const char* file, int line) {
  std::map<std::string, std::string> values;
  TestTx tx = Begin(MakeClerk(), file, line);
  for (const std::string& k : keys) {
    values[k] = UniqueValue("init");
    CheckCode(Put(&tx, k, values[k], file, line), 0, "TxPut(" + Quote(k) + ") of " + Name(tx),
              file, line);
  }
  CheckCommitted(&tx, file, line);
  return values;
}

void TxnTester::CheckFinal(const std::map<std::string, std::string>& expected, const char* file,
                           int line) {
  TxnTestClerk* ck = MakeClerk();
  TestTx tx = Begin(ck, file, line);
  for (const auto& kv : expected) CheckGet(&tx, kv.first, kv.second, file, line);
  CheckCommitted(&tx, file, line);
}

}  // namespace janus
