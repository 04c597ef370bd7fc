// TxnTester (txn_tester.h): the bank workload (transfers and audits over accounts spread over
// the groups), and the coordinator that disappears mid-commit.
#include <cstdlib>
#include <string>

#include "labs/harness/core/scenario_failure.h"
#include "labs/harness/txn/txn_tester.h"
#include "labs/txn/common.h"
#include "rrr/reactor/coroutine.h"

namespace janus {

namespace {

// The balance of an account value "<balance>#<tag>"; false if it has another form.
bool ParseBalance(const std::string& v, int64_t* balance) {
  const size_t hash = v.find('#');
  if (hash == std::string::npos || hash == 0) return false;
  char* end = nullptr;
  *balance = std::strtoll(v.c_str(), &end, 10);
  return end == v.c_str() + hash;
}

}  // namespace

void TxnTester::OpenAccounts(const std::vector<std::string>& accounts, const char* file,
                             int line) {
  accounts_ = accounts;
  TxnTestClerk* ck = MakeClerk();
  TestTx tx = Begin(ck, file, line);
  for (const std::string& a : accounts) {
    CheckCode(Put(&tx, a, std::to_string(kInitialBalance) + "#" + UniqueValue("open"), file,
                  line),
              0, "TxPut(\"" + a + "\") of " + Name(tx), file, line);
  }
  CheckCommitted(&tx, file, line);
  Note("opened " + std::to_string(accounts.size()) + " accounts of " +
       std::to_string(kInitialBalance));
}

int TxnTester::Transfer(TxnTestClerk* ck, const std::string& a, const std::string& b,
                        int64_t amount) {
  TestTx tx = Begin(ck);
  std::string va, vb;
  int64_t ba = 0, bb = 0;
  for (int k = 0; k < 2; k++) {
    const std::string& key = k == 0 ? a : b;
    std::string* v = k == 0 ? &va : &vb;
    const int code = Get(&tx, key, v);
    if (code == TX_ABORTED) return code;
    if (code != 0 || !ParseBalance(*v, k == 0 ? &ba : &bb)) {
      Fail("transfer: TxGet(\"" + key + "\") of " + Name(tx) + " returned " + CodeName(code) +
           " with \"" + *v + "\", expected 0 and a balance \"<number>#...\"");
    }
  }
  for (int k = 0; k < 2; k++) {
    const std::string& key = k == 0 ? a : b;
    const int64_t balance = k == 0 ? ba - amount : bb + amount;
    const int code = Put(&tx, key, std::to_string(balance) + "#" + UniqueValue("t"));
    if (code == TX_ABORTED) return code;
    if (code != 0) Fail("transfer: TxPut(\"" + key + "\") of " + Name(tx) + " returned " +
                        CodeName(code));
  }
  return Commit(&tx);
}

int TxnTester::Audit(TxnTestClerk* ck, const std::string& why, const char* file, int line) {
  TestTx tx = Begin(ck, file, line);
  int64_t sum = 0;
  std::string seen;
  for (const std::string& a : accounts_) {
    std::string v;
    const int code = Get(&tx, a, &v, nullptr, file, line);
    if (code == TX_ABORTED) return code;
    int64_t balance = 0;
    if (code != 0 || !ParseBalance(v, &balance)) {
      Fail("audit: TxGet(\"" + a + "\") of " + Name(tx) + " returned " + CodeName(code) +
               " with \"" + v + "\", expected 0 and a balance \"<number>#...\"",
           file, line);
    }
    sum += balance;
    seen += (seen.empty() ? "" : ", ") + a + "=" + v;
  }
  const int code = Commit(&tx, file, line);
  const int64_t total = kInitialBalance * static_cast<int64_t>(accounts_.size());
  if (code == TX_COMMITTED && sum != total) {
    Fail("audit " + Name(tx) + " (" + why + ") committed a snapshot whose balances sum to " +
             std::to_string(sum) + ", not " + std::to_string(total) + ": " + seen +
             " (a transfer was applied in part, or the snapshot is not consistent)",
         file, line);
  }
  return code;
}

void TxnTester::BankLoop(TxnTestClerk* ck, BankOptions options) {
  const int n = static_cast<int>(accounts_.size());
  while (!bank_stop_) {
    const uint64_t start = Now();
    const bool audit = Rand(0, 99) < options.audit_percent;
    int code;
    if (audit) {
      code = Audit(ck, "concurrent with transfers");
      (code == TX_COMMITTED ? bank_stats_.audits_committed : bank_stats_.audits_aborted)++;
    } else {
      const int a = static_cast<int>(Rand(0, n - 1));
      int b = static_cast<int>(Rand(0, n - 2));
      if (b >= a) b++;
      code = Transfer(ck, accounts_[a], accounts_[b], Rand(1, 10));
      (code == TX_COMMITTED ? bank_stats_.transfers_committed : bank_stats_.transfers_aborted)++;
    }
    if (code != TX_COMMITTED && code != TX_ABORTED) {
      Fail(std::string(audit ? "audit" : "transfer") + " by clerk c" + std::to_string(ck->id) +
           ": TxCommit returned " + CodeName(code) + ", expected TX_COMMITTED or TX_ABORTED");
    }
    const uint64_t took = Now() - start;
    if (took > bank_stats_.slowest_tx_us) bank_stats_.slowest_tx_us = took;
    if (options.tx_limit_us > 0 && took > options.tx_limit_us) {
      Fail(std::string(audit ? "an audit" : "a transfer") + " by clerk c" +
           std::to_string(ck->id) + " took " + std::to_string(took / 1000) +
           " ms from TxBegin to its answer, more than " +
           std::to_string(options.tx_limit_us / 1000) +
           " ms (a deadlock, or a lock that is not released)");
    }
    if (options.pause_us_max > 0) {
      Sleep(static_cast<uint64_t>(Rand(0, static_cast<int64_t>(options.pause_us_max))));
    }
  }
}

void TxnTester::StartBank(const std::vector<std::string>& accounts, const BankOptions& options) {
  accounts_ = accounts;
  bank_stop_ = false;
  bank_stats_ = BankStats();
  Note(std::to_string(options.clients) + " bank clients start");
  for (int c = 0; c < options.clients; c++) {
    TxnTestClerk* ck = MakeClerk();
    workers_.Go(ck->context.get(), [this, ck, options] { BankLoop(ck, options); });
  }
}

TxnTester::BankStats TxnTester::StopBank(const char* file, int line) {
  bank_stop_ = true;
  Note("bank clients stop");
  const uint64_t deadline = Now() + kOpLimitUs;
  while (workers_.running() > 0) {
    if (Now() >= deadline) {
      Fail(std::to_string(workers_.running()) + " bank clients did not finish within " +
               std::to_string(kOpLimitUs / 1000000) + " s of being told to stop (a call never "
               "returned)",
           file, line);
    }
    rrr::Coroutine::Sleep(10 * 1000);
  }
  workers_.Wait();
  harness::ThrowIfFailed();
  Note("bank: " + std::to_string(bank_stats_.transfers_committed) + " transfers committed, " +
       std::to_string(bank_stats_.transfers_aborted) + " aborted; " +
       std::to_string(bank_stats_.audits_committed) + " audits committed, " +
       std::to_string(bank_stats_.audits_aborted) + " aborted; slowest " +
       std::to_string(bank_stats_.slowest_tx_us / 1000) + " ms");
  return bank_stats_;
}

bool TxnTester::TransferAndCrashCoordinator(const std::string& a, const std::string& b,
                                            uint64_t after_rpcs, uint64_t delay_us,
                                            const char* file, int line) {
  TxnTestClerk* ck = MakeClerk();
  auto tx = std::make_shared<TestTx>(Begin(ck, file, line));
  for (const std::string& key : {a, b}) {
    std::string v;
    int64_t balance = 0;
    const int code = Get(tx.get(), key, &v, nullptr, file, line);
    if (code == TX_ABORTED) {
      Abort(tx.get(), file, line);
      return true;
    }
    if (code != 0 || !ParseBalance(v, &balance)) {
      Fail("TxGet(\"" + key + "\") of " + Name(*tx) + " returned " + CodeName(code) + " with \"" +
               v + "\", expected 0 and a balance",
           file, line);
    }
    const int64_t delta = key == a ? -7 : 7;
    CheckCode(Put(tx.get(), key, std::to_string(balance + delta) + "#" + UniqueValue("c"), file,
                  line),
              0, "TxPut(\"" + key + "\") of " + Name(*tx), file, line);
  }
  const uint64_t rpcs0 = ClerkRpcs(ck);
  // The commit coroutine may be unwound by the crash: it shares *tx.
  auto done = StartCommit(tx.get());
  auto keep = tx;
  const uint64_t deadline = Now() + kOpLimitUs;
  while (!done->IsReady() && ClerkRpcs(ck) < rpcs0 + after_rpcs && Now() < deadline) {
    rrr::Coroutine::Sleep(100);
  }
  if (delay_us > 0 && !done->IsReady()) rrr::Coroutine::Sleep(delay_us);
  const bool answered = done->IsReady();
  Note("coordinator c" + std::to_string(ck->id) + " of " + Name(*tx) + " crashes " +
       (answered ? "after its commit answered" : "mid-commit") + " (" +
       std::to_string(ClerkRpcs(ck) - rpcs0) + " RPCs sent since TxCommit)");
  CrashClerk(ck);
  return answered;
}

void TxnTester::FinalAudit(uint64_t limit_us, const char* file, int line) {
  const uint64_t start = Now();
  TxnTestClerk* ck = MakeClerk();
  int attempts = 0;
  while (true) {
    attempts++;
    const int code = Audit(ck, "final audit", file, line);
    if (code == TX_COMMITTED) return;
    if (code != TX_ABORTED) {
      Fail("the final audit's TxCommit returned " + CodeName(code), file, line);
    }
    if (Now() >= start + limit_us) {
      Fail("no audit committed within " + std::to_string(limit_us / 1000) + " ms after the "
               "workload stopped (" + std::to_string(attempts) + " attempts)",
           file, line);
    }
    Sleep(static_cast<uint64_t>(Rand(10, 50)) * 1000);
  }
}

std::vector<std::string> TxnTester::TenAccounts(const char* file, int line) {
  std::vector<std::string> accounts;
  std::vector<int> per_group(ngroups(), 0);
  for (int i = 0; i < 10; i++) {
    accounts.push_back(std::to_string(i));
    const int g = GroupOf(accounts.back());
    if (g >= 0) per_group[g]++;
  }
  for (int g = 0; g < ngroups(); g++) {
    if (per_group[g] < 2) {
      Fail("test setup: group " + std::to_string(Gid(g)) + " serves " +
               std::to_string(per_group[g]) + " of the accounts \"0\"..\"9\", the test "
               "assumes at least 2 on every group (" + DescribeShardConfig(config_) + ")",
           file, line);
    }
  }
  return accounts;
}

uint64_t TxnTester::TransferCommitsWithin(const std::string& a, const std::string& b,
                                          uint64_t limit_us, const char* file, int line) {
  const uint64_t start = Now();
  TxnTestClerk* ck = MakeClerk();
  int attempts = 0;
  while (true) {
    auto code = std::make_shared<int>(0);
    auto done = std::make_shared<rrr::BoxEvent<bool>>();
    ck->context->Run([&] {
      rrr::Coroutine::CreateRun([this, ck, a, b, code, done] {
        try {
          *code = Transfer(ck, a, b, 1);
        } catch (const harness::ScenarioFailure&) {
          *code = -1;  // recorded: the test stops at its next check
        }
        done->Set(true);
      });
    });
    const uint64_t now = Now();
    done->Wait(start + limit_us > now ? start + limit_us - now : 1);
    attempts++;
    harness::ThrowIfFailed();
    if (done->IsReady() && *code == TX_COMMITTED) {
      Note("a transfer between \"" + a + "\" and \"" + b + "\" committed " +
           std::to_string((Now() - start) / 1000) + " ms after the first attempt (" +
           std::to_string(attempts) + " attempts)");
      return Now() - start;
    }
    if (done->IsReady() && *code != TX_ABORTED) {
      Fail("a transfer between \"" + a + "\" and \"" + b + "\" answered " + CodeName(*code), file,
           line);
    }
    if (Now() >= start + limit_us) {
      Fail("no transfer between \"" + a + "\" and \"" + b + "\" committed within " +
               std::to_string(limit_us / 1000) + " ms (" + std::to_string(attempts) +
               " attempts): a lock was left behind, or a prepared transaction was never "
               "resolved",
           file, line);
    }
    Sleep(static_cast<uint64_t>(Rand(10, 50)) * 1000);
  }
}

}  // namespace janus
