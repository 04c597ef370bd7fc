// Lab 4 graded tests, part A (OCC with two-phase commit): the course skeleton's atomicity and
// concurrency tests (its eight isolation cases: txn_isolation_test.cc) and the version bump of
// a plain Put, on the fixture labs/harness/txn/txn_tester.h: a shard master and replica
// groups 100, 101, 102 of three servers each, every group joined at the start, on one
// simulated network. The bank workloads under faults are in txn_bank_test.cc; the 2PL bonus
// (part B) in txn_2pl_test.cc.
//
// Every test asserts the placement it assumes (keys in one shard, or on different groups), and
// End() checks that the recorded history is serializable (a violation writes an HTML picture of
// the cycle into the current directory and names it in the failure message).
//
// Run one test:  ./txn_test --gtest_filter=TxnA.AtomicityCommit   (add --net=tcp for sockets)
#include <map>
#include <string>
#include <vector>

#include "labs/harness/core/graded_test.h"
#include "labs/harness/txn/txn_tester.h"
#include "labs/txn/common.h"

namespace janus {
namespace {

constexpr uint64_t kMs = 1000;

GRADED_TEST(TxnA, AtomicityCommit, "txn", "A", 5, 3000) {
  // A transaction writing keys on three groups commits; afterwards every write is visible, to
  // transactions and to plain Gets, and keys it did not write are still missing.
  TxnTester t(TxnTesterOptions{});
  const std::vector<std::string> keys = {t.KeyOnGroup(0, "1"), t.KeyOnGroup(1, "1"),
                                         t.KeyOnGroup(2, "1")};
  t.AssertDifferentGroups(keys);
  TxnTestClerk* ck = t.MakeClerk();
  TestTx tx = t.Begin(ck);
  t.CheckGet(&tx, keys[0], TxnTester::kMissing);
  std::map<std::string, std::string> values;
  for (const std::string& k : keys) {
    values[k] = t.UniqueValue();
    t.CheckCode(t.Put(&tx, k, values[k]), TX_OK, "TxPut(\"" + k + "\")");
  }
  t.CheckGet(&tx, keys[1], values[keys[1]]);  // reads its own write
  t.CheckCommitted(&tx);
  for (const std::string& k : keys) {
    if (t.PlainGet(ck, k) != values[k]) {
      t.Fail("plain Get(\"" + k + "\") after the commit did not return \"" + values[k] + "\"");
    }
  }
  values[t.KeyOnGroup(0, "2")] = TxnTester::kMissing;
  t.CheckFinal(values);
  t.End();
}

GRADED_TEST(TxnA, AtomicityAbort, "txn", "A", 5, 3000) {
  // A transaction overwriting keys on three groups is aborted: TxAbort returns TX_ABORTED and
  // none of its writes is visible; a key it created stays missing.
  TxnTester t(TxnTesterOptions{});
  const std::vector<std::string> keys = {t.KeyOnGroup(0, "1"), t.KeyOnGroup(1, "1"),
                                         t.KeyOnGroup(2, "1")};
  t.AssertDifferentGroups(keys);
  std::map<std::string, std::string> values = t.InstallValues(keys);
  const std::string fresh = t.KeyOnGroup(1, "2");
  TxnTestClerk* ck = t.MakeClerk();
  TestTx tx = t.Begin(ck);
  t.CheckGet(&tx, keys[0], values[keys[0]]);
  for (const std::string& k : keys) t.Put(&tx, k, t.UniqueValue("aborted"));
  t.Put(&tx, fresh, t.UniqueValue("aborted"));
  t.CheckCode(t.Abort(&tx), TX_ABORTED, "TxAbort of " + t.Name(tx));
  values[fresh] = TxnTester::kMissing;
  t.CheckFinal(values);
  t.End();
}

GRADED_TEST(TxnA, Concurrency1, "txn", "A", 5, 3000) {
  // Five transactions read the same key (one shard), each writes it, and all commit at once:
  // exactly one commits. Three rounds.
  TxnTester t(TxnTesterOptions{});
  const std::string x = t.KeyOnGroup(1, "c");
  t.AssertSameShard({x});
  std::map<std::string, std::string> values = t.InstallValues({x});
  for (int round = 0; round < 3; round++) {
    std::vector<TestTx> txs;
    for (int i = 0; i < 5; i++) txs.push_back(t.Begin(t.MakeClerk()));
    std::map<size_t, std::string> wrote;
    for (size_t i = 0; i < txs.size(); i++) {
      t.CheckGet(&txs[i], x, values[x]);
      wrote[i] = t.UniqueValue("r" + std::to_string(round));
      t.Put(&txs[i], x, wrote[i]);
    }
    std::vector<std::shared_ptr<rrr::BoxEvent<int>>> commits;
    for (TestTx& tx : txs) commits.push_back(t.StartCommit(&tx));
    int committed = 0;
    for (size_t i = 0; i < commits.size(); i++) {
      commits[i]->Wait(TxnTester::kOpLimitUs);
      if (!commits[i]->IsReady()) t.Fail("TxCommit of " + t.Name(txs[i]) + " did not return");
      const int code = commits[i]->Get();
      if (code != TX_COMMITTED && code != TX_ABORTED) {
        t.Fail("TxCommit of " + t.Name(txs[i]) + " returned " + TxnTester::CodeName(code));
      }
      if (code == TX_COMMITTED) {
        committed++;
        values[x] = wrote[i];
      }
    }
    if (committed != 1) {
      t.Fail("round " + std::to_string(round) + ": " + std::to_string(committed) +
             " of 5 concurrent read-modify-write transactions on one key committed, expected "
             "exactly 1");
    }
  }
  t.CheckFinal(values);
  t.End();
}

GRADED_TEST(TxnA, Concurrency2, "txn", "A", 5, 3000) {
  // Write skew: T1 reads x and y and writes x; T2 reads x and y and writes y (x and y on
  // different groups); they commit at about the same time (T2 a random 0..20 ms later): at most
  // one commits. Five rounds.
  TxnTester t(TxnTesterOptions{});
  const std::string x = t.KeyOnGroup(0, "x"), y = t.KeyOnGroup(1, "y");
  t.AssertDifferentGroups({x, y});
  std::map<std::string, std::string> values = t.InstallValues({x, y});
  for (int round = 0; round < 5; round++) {
    TestTx t1 = t.Begin(t.MakeClerk());
    TestTx t2 = t.Begin(t.MakeClerk());
    for (TestTx* tx : {&t1, &t2}) {
      t.CheckGet(tx, x, values[x]);
      t.CheckGet(tx, y, values[y]);
    }
    const std::string vx = t.UniqueValue("skew-x");
    const std::string vy = t.UniqueValue("skew-y");
    t.Put(&t1, x, vx);
    t.Put(&t2, y, vy);
    auto c1 = t.StartCommit(&t1);
    t.Sleep(static_cast<uint64_t>(t.Rand(0, 20)) * kMs);
    auto c2 = t.StartCommit(&t2);
    c1->Wait(TxnTester::kOpLimitUs);
    c2->Wait(TxnTester::kOpLimitUs);
    if (!c1->IsReady() || !c2->IsReady()) t.Fail("a TxCommit did not return");
    if (c1->Get() == TX_COMMITTED && c2->Get() == TX_COMMITTED) {
      t.Fail("round " + std::to_string(round) + ": both " + t.Name(t1) + " and " + t.Name(t2) +
             " committed: write skew (each read the key the other wrote, so no serial order "
             "explains both)");
    }
    for (int c : {c1->Get(), c2->Get()}) {
      if (c != TX_COMMITTED && c != TX_ABORTED) {
        t.Fail("TxCommit returned " + TxnTester::CodeName(c));
      }
    }
    if (c1->Get() == TX_COMMITTED) values[x] = vx;
    if (c2->Get() == TX_COMMITTED) values[y] = vy;
  }
  t.CheckFinal(values);
  t.End();
}

GRADED_TEST(TxnA, PlainPutBumpsVersion, "txn", "A", 4, 3000) {
  // A plain Put between a transaction's TxGet and its TxCommit bumps the key's version, so the
  // commit aborts; a later transaction sees the Put's value at a higher version.
  TxnTester t(TxnTesterOptions{});
  const std::string x = t.KeyOnGroup(0, "x"), y = t.KeyOnGroup(1, "y");
  t.AssertDifferentGroups({x, y});
  std::map<std::string, std::string> values = t.InstallValues({x, y});
  TxnTestClerk* ck = t.MakeClerk();
  TestTx t1 = t.Begin(t.MakeClerk());
  std::string v;
  uint64_t before = 0;
  t.CheckCode(t.Get(&t1, x, &v, &before), TX_OK, "TxGet(\"" + x + "\")");
  values[x] = t.UniqueValue("plain");
  t.PlainPut(ck, x, values[x]);
  t.Put(&t1, y, t.UniqueValue("t1"));
  t.CheckAborted(&t1);
  TestTx t2 = t.Begin(t.MakeClerk());
  uint64_t after = 0;
  t.CheckCode(t.Get(&t2, x, &v, &after), TX_OK, "TxGet(\"" + x + "\")");
  if (v != values[x] || after <= before) {
    t.Fail("after a plain Put, TxGet(\"" + x + "\") returned \"" + v + "\" at version " +
           std::to_string(after) + "; expected \"" + values[x] + "\" at a version above " +
           std::to_string(before));
  }
  t.CheckCommitted(&t2);
  t.CheckFinal(values);
  t.End();
}

}  // namespace
}  // namespace janus
