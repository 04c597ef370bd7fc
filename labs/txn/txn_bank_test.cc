// Lab 4 graded tests, part A (OCC with two-phase commit) under faults: a bank workload. Ten
// accounts "0".."9" (ten shards, spread over groups 100, 101, 102) start at 1000 each; clerks
// loop on transfers (read two accounts, move a random amount, commit) and audits (read every
// account, commit): every committed audit must see the total 10000, and the whole history must
// be serializable. The faults: unreliable links, partitions of replicas, crashes of replicas
// and of whole groups, and a coordinator (clerk) that disappears mid-commit, whose prepared
// transactions must not block the keys they locked.
//
// Run one test:  ./txn_test --gtest_filter=TxnA.CoordinatorCrash
#include <string>
#include <utility>
#include <vector>

#include "labs/harness/core/graded_test.h"
#include "labs/harness/txn/txn_tester.h"
#include "labs/txn/common.h"

namespace janus {
namespace {

constexpr uint64_t kMs = 1000;
constexpr uint64_t kSecond = 1000 * kMs;
// How long the final audit may take to commit once the faults are over.
constexpr uint64_t kFinalAuditUs = 5 * kSecond;

// Fails unless the workload made progress.
void CheckProgress(TxnTester& t, const TxnTester::BankStats& s, int min_transfers) {
  if (s.transfers_committed < min_transfers) {
    t.Fail("only " + std::to_string(s.transfers_committed) + " transfers committed (" +
           std::to_string(s.transfers_aborted) + " aborted), expected at least " +
           std::to_string(min_transfers));
  }
}

GRADED_TEST(TxnA, BankUnreliable, "txn", "A", 10, 26000) {
  // Transfers and audits over an unreliable network (requests and replies dropped or delayed).
  TxnTester t(TxnTesterOptions{});
  const std::vector<std::string> accounts = t.TenAccounts();
  t.OpenAccounts(accounts);
  t.SetUnreliable(true);
  TxnTester::BankOptions options;
  options.clients = 4;
  t.StartBank(accounts, options);
  t.Sleep(5 * kSecond);
  TxnTester::BankStats stats = t.StopBank();
  t.SetUnreliable(false);
  CheckProgress(t, stats, 1);
  t.FinalAudit(kFinalAuditUs);
  t.End();
}

GRADED_TEST(TxnA, BankPartition, "txn", "A", 10, 22000) {
  // Transfers and audits while one server of every group at a time is cut off (often the
  // leader), then the network heals; five rounds.
  TxnTester t(TxnTesterOptions{});
  const std::vector<std::string> accounts = t.TenAccounts();
  t.OpenAccounts(accounts);
  TxnTester::BankOptions options;
  options.clients = 4;
  t.StartBank(accounts, options);
  for (int round = 0; round < 5; round++) {
    std::vector<std::pair<int, int>> cut;
    for (int g = 0; g < t.ngroups(); g++) {
      cut.emplace_back(g, static_cast<int>(t.Rand(0, TxnTester::kGroupSize - 1)));
    }
    t.IsolateServers(cut);
    t.Sleep(static_cast<uint64_t>(t.Rand(300, 1200)) * kMs);
    t.HealPartition();
    t.Sleep(static_cast<uint64_t>(t.Rand(100, 500)) * kMs);
  }
  TxnTester::BankStats stats = t.StopBank();
  CheckProgress(t, stats, 5);
  t.FinalAudit(kFinalAuditUs);
  t.End();
}

GRADED_TEST(TxnA, BankCrashReplicas, "txn", "A", 12, 26000) {
  // Transfers and audits while replicas crash and restart from what they persisted (with
  // snapshots: maxraftstate 2000), one at a time, then a whole group at once: a participant
  // that restarts still knows what it prepared and decided.
  TxnTesterOptions o;
  o.maxraftstate = 2000;
  TxnTester t(o);
  const std::vector<std::string> accounts = t.TenAccounts();
  t.OpenAccounts(accounts);
  TxnTester::BankOptions options;
  options.clients = 4;
  t.StartBank(accounts, options);
  for (int round = 0; round < 4; round++) {
    const int g = static_cast<int>(t.Rand(0, t.ngroups() - 1));
    const int i = static_cast<int>(t.Rand(0, TxnTester::kGroupSize - 1));
    t.CrashServer(g, i);
    t.Sleep(static_cast<uint64_t>(t.Rand(200, 1000)) * kMs);
    t.RestartServer(g, i);
    t.Sleep(static_cast<uint64_t>(t.Rand(100, 500)) * kMs);
  }
  for (int round = 0; round < 3; round++) {
    const int g = static_cast<int>(t.Rand(0, t.ngroups() - 1));
    t.Sleep(static_cast<uint64_t>(t.Rand(0, 100)) * kMs);
    t.ShutdownGroup(g);
    t.Sleep(static_cast<uint64_t>(t.Rand(100, 500)) * kMs);
    t.StartGroup(g);
    t.Sleep(static_cast<uint64_t>(t.Rand(200, 800)) * kMs);
  }
  TxnTester::BankStats stats = t.StopBank();
  CheckProgress(t, stats, 5);
  t.FinalAudit(kFinalAuditUs);
  t.End();
}

GRADED_TEST(TxnA, CoordinatorCrash, "txn", "A", 12, 40000) {
  // While two clerks run the bank workload, eight times a transfer's coordinator (its clerk)
  // crashes during TxCommit: once it has sent 1, 2, 3 or 4 requests since TxCommit began (in
  // turn), and a random 120..400 us later (about when the last one arrived). Its keys must be
  // usable again: a transfer between the same two accounts commits within 6.5 s (the
  // participants resolve the prepared transaction without the coordinator). Every audit, and the
  // final one, sees the total: the crashed transfer took effect everywhere or nowhere.
  TxnTester t(TxnTesterOptions{});
  const std::vector<std::string> accounts = t.TenAccounts();
  t.OpenAccounts(accounts);
  TxnTester::BankOptions options;
  options.clients = 2;
  options.pause_us_max = 50 * kMs;
  t.StartBank(accounts, options);
  for (int round = 0; round < 8; round++) {
    std::string a, b;
    do {
      a = accounts[t.Rand(0, 9)];
      b = accounts[t.Rand(0, 9)];
    } while (t.GroupOf(a) == t.GroupOf(b));
    t.TransferAndCrashCoordinator(a, b, static_cast<uint64_t>(1 + round % 4),
                                  static_cast<uint64_t>(t.Rand(120, 400)));
    t.TransferCommitsWithin(a, b, 6500 * kMs);
  }
  TxnTester::BankStats stats = t.StopBank();
  CheckProgress(t, stats, 3);
  t.FinalAudit(kFinalAuditUs);
  t.End();
}

}  // namespace
}  // namespace janus
