// Lab 4 graded tests, part A (OCC with two-phase commit): the course skeleton's eight isolation
// cases, each with two keys x and y in one shard (one group, one participant) and then on two
// different groups (two participants), on the fixture labs/harness/txn/txn_tester.h (see
// txn_test.cc). T1 begins first; each case's comment says which of the two overlapping
// transactions must commit and which must abort. Every test ends with the serializability
// check.
//
// Run one test:  ./txn_test --gtest_filter=TxnA.CrossShardStaleRead
#include <map>
#include <string>

#include "labs/harness/core/graded_test.h"
#include "labs/harness/txn/txn_tester.h"
#include "labs/txn/common.h"

namespace janus {
namespace {

// `x` and `y`: two keys in one shard (SingleShard) or on two different groups (CrossShard).
struct TwoKeys {
  std::string x, y;
};

TwoKeys SingleShard(TxnTester& t, const char* file = __builtin_FILE(),
                    int line = __builtin_LINE()) {
  TwoKeys k{t.KeyOnGroup(0, "x"), t.KeyOnGroup(0, "y")};
  t.AssertSameShard({k.x, k.y}, file, line);
  return k;
}

TwoKeys CrossShard(TxnTester& t, const char* file = __builtin_FILE(),
                   int line = __builtin_LINE()) {
  TwoKeys k{t.KeyOnGroup(0, "x"), t.KeyOnGroup(1, "y")};
  t.AssertDifferentGroups({k.x, k.y}, file, line);
  return k;
}

// T1 reads x; T2 writes x and commits; T1 writes y and commits: T1 must abort (what it read
// changed before it committed).
void StaleReadAborts(TxnTester& t, const TwoKeys& k) {
  std::map<std::string, std::string> values = t.InstallValues({k.x, k.y});
  TestTx t1 = t.Begin(t.MakeClerk());
  TestTx t2 = t.Begin(t.MakeClerk());
  t.CheckGet(&t1, k.x, values[k.x]);
  values[k.x] = t.UniqueValue("t2");
  t.Put(&t2, k.x, values[k.x]);
  t.CheckCommitted(&t2);
  t.Put(&t1, k.y, t.UniqueValue("t1"));
  t.CheckAborted(&t1);
  t.CheckFinal(values);
}

// T1 and T2 both read x and y, then both write x; T1 commits, then T2: T2 must abort (it would
// lose T1's update).
void LostUpdateAborts(TxnTester& t, const TwoKeys& k) {
  std::map<std::string, std::string> values = t.InstallValues({k.x, k.y});
  TestTx t1 = t.Begin(t.MakeClerk());
  TestTx t2 = t.Begin(t.MakeClerk());
  for (TestTx* tx : {&t1, &t2}) {
    t.CheckGet(tx, k.x, values[k.x]);
    t.CheckGet(tx, k.y, values[k.y]);
  }
  const std::string v1 = t.UniqueValue("t1");
  t.Put(&t1, k.x, v1);
  t.Put(&t2, k.x, t.UniqueValue("t2"));
  t.Put(&t2, k.y, t.UniqueValue("t2"));
  t.CheckCommitted(&t1);
  t.CheckAborted(&t2);
  values[k.x] = v1;
  t.CheckFinal(values);
}

// T1 reads x and writes y; T2 writes x (without reading it); T1 commits, then T2: both commit
// (T1's read was still current when it committed; T2 read nothing).
void ReadBeforeWriteCommits(TxnTester& t, const TwoKeys& k) {
  std::map<std::string, std::string> values = t.InstallValues({k.x, k.y});
  TestTx t1 = t.Begin(t.MakeClerk());
  TestTx t2 = t.Begin(t.MakeClerk());
  t.CheckGet(&t1, k.x, values[k.x]);
  values[k.y] = t.UniqueValue("t1");
  t.Put(&t1, k.y, values[k.y]);
  values[k.x] = t.UniqueValue("t2");
  t.Put(&t2, k.x, values[k.x]);
  t.CheckCommitted(&t1);
  t.CheckCommitted(&t2);
  t.CheckFinal(values);
}

// T1 and T2 both write x and y without reading; T1 commits, then T2: both commit, and T2's
// values are the ones left.
void BlindWritesCommit(TxnTester& t, const TwoKeys& k) {
  std::map<std::string, std::string> values = t.InstallValues({k.x, k.y});
  TestTx t1 = t.Begin(t.MakeClerk());
  TestTx t2 = t.Begin(t.MakeClerk());
  t.Put(&t1, k.x, t.UniqueValue("t1"));
  t.Put(&t1, k.y, t.UniqueValue("t1"));
  values[k.x] = t.UniqueValue("t2");
  values[k.y] = t.UniqueValue("t2");
  t.Put(&t2, k.x, values[k.x]);
  t.Put(&t2, k.y, values[k.y]);
  t.CheckCommitted(&t1);
  t.CheckCommitted(&t2);
  t.CheckFinal(values);
}

GRADED_TEST(TxnA, SingleShardStaleRead, "txn", "A", 4, 3000) {
  TxnTester t(TxnTesterOptions{});
  StaleReadAborts(t, SingleShard(t));
  t.End();
}

GRADED_TEST(TxnA, SingleShardLostUpdate, "txn", "A", 4, 3000) {
  TxnTester t(TxnTesterOptions{});
  LostUpdateAborts(t, SingleShard(t));
  t.End();
}

GRADED_TEST(TxnA, SingleShardReadThenWrite, "txn", "A", 4, 3000) {
  TxnTester t(TxnTesterOptions{});
  ReadBeforeWriteCommits(t, SingleShard(t));
  t.End();
}

GRADED_TEST(TxnA, SingleShardBlindWrites, "txn", "A", 4, 3000) {
  TxnTester t(TxnTesterOptions{});
  BlindWritesCommit(t, SingleShard(t));
  t.End();
}

GRADED_TEST(TxnA, CrossShardStaleRead, "txn", "A", 4, 3000) {
  TxnTester t(TxnTesterOptions{});
  StaleReadAborts(t, CrossShard(t));
  t.End();
}

GRADED_TEST(TxnA, CrossShardLostUpdate, "txn", "A", 4, 3000) {
  TxnTester t(TxnTesterOptions{});
  LostUpdateAborts(t, CrossShard(t));
  t.End();
}

GRADED_TEST(TxnA, CrossShardReadThenWrite, "txn", "A", 4, 3000) {
  TxnTester t(TxnTesterOptions{});
  ReadBeforeWriteCommits(t, CrossShard(t));
  t.End();
}

GRADED_TEST(TxnA, CrossShardBlindWrites, "txn", "A", 4, 3000) {
  TxnTester t(TxnTesterOptions{});
  BlindWritesCommit(t, CrossShard(t));
  t.End();
}

}  // namespace
}  // namespace janus
