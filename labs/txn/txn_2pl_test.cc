// Lab 4 graded tests, part B (bonus): two-phase locking with wound-wait (servers started with
// the option `concurrency: 2pl`). Reads lock at TxGet, writes at prepare; a transaction's age is
// fixed at TxBegin; an older transaction wounds (aborts) a younger holder of a lock it needs, a
// younger one waits for an older holder. Same fixture as part A; every test ends with the
// serializability check.
//
// Run one test:  ./txn_test --gtest_filter=TxnB.Wound
#include <map>
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

TxnTesterOptions TwoPl() {
  TxnTesterOptions o;
  o.concurrency = "2pl";
  return o;
}

// The keys x (group 100) and y (group 101) with committed values.
struct Setup {
  std::string x, y;
  std::map<std::string, std::string> values;
};

Setup Install(TxnTester& t, const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
  Setup s{t.KeyOnGroup(0, "x"), t.KeyOnGroup(1, "y"), {}};
  t.AssertDifferentGroups({s.x, s.y}, file, line);
  s.values = t.InstallValues({s.x, s.y}, file, line);
  return s;
}

GRADED_TEST(TxnB, Wound, "txn", "B", 8, 3000) {
  // The younger T2 read-locks x; the older T1 (begun 1 ms earlier) writes x and commits: T1
  // wounds T2 and commits within 2 s, without waiting for T2, and T2 ends aborted.
  TxnTester t(TwoPl());
  Setup s = Install(t);
  TestTx t1 = t.Begin(t.MakeClerk());
  t.Sleep(1 * kMs);
  TestTx t2 = t.Begin(t.MakeClerk());
  t.CheckGet(&t2, s.x, s.values[s.x]);
  s.values[s.x] = t.UniqueValue("t1");
  t.Put(&t1, s.x, s.values[s.x]);
  auto c1 = t.StartCommit(&t1);
  c1->Wait(2 * kSecond);
  if (!c1->IsReady()) {
    t.Fail("the older " + t.Name(t1) + " did not commit within 2 s while the younger " +
           t.Name(t2) + " held a lock on \"" + s.x + "\": it should wound (abort) the younger");
  }
  t.CheckCode(c1->Get(), TX_COMMITTED, "TxCommit of the older " + t.Name(t1));
  t.Put(&t2, s.y, t.UniqueValue("t2"));
  t.CheckCode(t.Commit(&t2), TX_ABORTED, "TxCommit of the wounded " + t.Name(t2));
  t.CheckFinal(s.values);
  t.End();
}

GRADED_TEST(TxnB, Wait, "txn", "B", 8, 5000) {
  // The older T1 read-locks x; the younger T2 writes x and commits: T2 waits (its commit has
  // not returned 1 s later) without wounding T1; T1 writes y and commits, and then T2 commits.
  TxnTester t(TwoPl());
  Setup s = Install(t);
  TestTx t1 = t.Begin(t.MakeClerk());
  t.Sleep(1 * kMs);
  TestTx t2 = t.Begin(t.MakeClerk());
  t.CheckGet(&t1, s.x, s.values[s.x]);
  const std::string v2 = t.UniqueValue("t2");
  t.Put(&t2, s.x, v2);
  auto c2 = t.StartCommit(&t2);
  t.Sleep(1 * kSecond);
  if (c2->IsReady()) {
    t.Fail("the younger " + t.Name(t2) + "'s TxCommit returned " +
           TxnTester::CodeName(c2->Get()) + " while the older " + t.Name(t1) +
           " held a lock on \"" + s.x + "\": the younger should wait for it");
  }
  s.values[s.y] = t.UniqueValue("t1");
  t.Put(&t1, s.y, s.values[s.y]);
  t.CheckCode(t.Commit(&t1), TX_COMMITTED, "TxCommit of the older " + t.Name(t1) +
                                               " (a younger transaction must not wound it)");
  c2->Wait(2 * kSecond);
  if (!c2->IsReady()) {
    t.Fail("the younger " + t.Name(t2) + "'s TxCommit did not return within 2 s of the older "
           "one's commit");
  }
  t.CheckCode(c2->Get(), TX_COMMITTED, "TxCommit of the younger " + t.Name(t2) +
                                           " once the older one committed");
  s.values[s.x] = v2;
  t.CheckFinal(s.values);
  t.End();
}

GRADED_TEST(TxnB, DeadlockFree, "txn", "B", 7, 23000) {
  // Six clerks transfer between random pairs of four accounts (locking them in random order)
  // without pausing: wound-wait leaves no deadlock, so every transaction ends within 8 s (a
  // wait for a lock never outlasts its holder), and transfers commit.
  TxnTester t(TwoPl());
  const std::vector<std::string> all = t.TenAccounts();
  const std::vector<std::string> accounts(all.begin(), all.begin() + 4);
  t.OpenAccounts(accounts);
  TxnTester::BankOptions options;
  options.clients = 6;
  options.pause_us_max = 0;
  options.audit_percent = 10;
  options.tx_limit_us = 8 * kSecond;
  t.StartBank(accounts, options);
  t.Sleep(5 * kSecond);
  TxnTester::BankStats stats = t.StopBank();
  if (stats.transfers_committed < 3) {
    t.Fail("only " + std::to_string(stats.transfers_committed) + " transfers committed in 5 s");
  }
  t.FinalAudit(5 * kSecond);
  t.End();
}

GRADED_TEST(TxnB, BankFaults, "txn", "B", 7, 21000) {
  // The bank workload under 2PL while replicas crash and restart and one server of every group
  // is cut off for a while: locks held by the transactions of a crashed leader's term are not
  // lost (they were logged), and none outlives its transaction.
  TxnTester t(TwoPl());
  const std::vector<std::string> accounts = t.TenAccounts();
  t.OpenAccounts(accounts);
  TxnTester::BankOptions options;
  options.clients = 4;
  t.StartBank(accounts, options);
  for (int round = 0; round < 3; round++) {
    const int g = static_cast<int>(t.Rand(0, t.ngroups() - 1));
    const int i = static_cast<int>(t.Rand(0, TxnTester::kGroupSize - 1));
    t.CrashServer(g, i);
    t.Sleep(static_cast<uint64_t>(t.Rand(300, 1200)) * kMs);
    t.RestartServer(g, i);
    t.Sleep(static_cast<uint64_t>(t.Rand(100, 500)) * kMs);
  }
  std::vector<std::pair<int, int>> cut;
  for (int g = 0; g < t.ngroups(); g++) {
    cut.emplace_back(g, static_cast<int>(t.Rand(0, TxnTester::kGroupSize - 1)));
  }
  t.IsolateServers(cut);
  t.Sleep(1 * kSecond);
  t.HealPartition();
  TxnTester::BankStats stats = t.StopBank();
  if (stats.transfers_committed < 5) {
    t.Fail("only " + std::to_string(stats.transfers_committed) + " transfers committed");
  }
  t.FinalAudit(5 * kSecond);
  t.End();
}

}  // namespace
}  // namespace janus
