// Lab 3 graded tests, the two challenges of the sharded key/value store (MIT 6.5840's lab 5B),
// on the fixture labs/harness/shardkv/shardkv_tester.h; part A is in shardkv_test.cc.
//
// Part B, challenge 1: Challenge1Delete (a group deletes the shards it gave away). Part C,
// challenge 2: Challenge2Unaffected and Challenge2Partial (a configuration change blocks neither
// the shards it does not move nor the shards whose data already arrived). As in part A, End()
// checks that the whole history is linearizable.
//
// Budgets: about 3 x the reference's slowest virtual time over 40 seeds (Challenge1Delete
// 16.2 s, Challenge2Unaffected 10.6, Challenge2Partial 9.3).
#include <string>
#include <vector>

#include "labs/harness/core/graded_test.h"
#include "labs/harness/shardkv/shardkv_tester.h"

namespace janus {
namespace {

constexpr uint64_t kSecond = 1000 * 1000;

GRADED_TEST(ShardKvB, Challenge1Delete, "shardkv", "B", 25, 60000) {
  // A group deletes the shards it no longer owns once the new owner has them: after shards
  // moved around twice, the servers persist (Raft state + snapshot, with maxraftstate 1: a
  // snapshot after every command) about one copy of the 30,000 bytes of values per replica.
  ShardKvTester t(3, false, 1);
  ShardKvTestClerk* ck = t.MakeClerk();
  t.Join(0);
  const int n = 30;
  ShardKvTester::Keys keys = t.PutKeys(ck, n, 1000);
  t.CheckKeys(ck, keys, 3);
  for (int iter = 0; iter < 2; iter++) {
    t.Join(1);
    t.Leave(0);
    t.Join(2);
    t.Sleep(3 * kSecond);
    t.CheckKeys(ck, keys, 3);
    t.Leave(1);
    t.Join(0);
    t.Leave(2);
    t.Sleep(3 * kSecond);
    t.CheckKeys(ck, keys, 3);
  }
  t.Join(1);
  t.Join(2);
  for (int k = 0; k < 3; k++) {
    t.Sleep(1 * kSecond);
    t.CheckKeys(ck, keys, 3);
  }
  // Each value once on each of 3 replicas; 3 keys also in duplicate tables; plus slop.
  const size_t limit = 3 * ((n - 3) * 1000 + 2 * 3 * 1000 + 6000);
  const size_t total = t.TotalPersistedBytes();
  if (total > limit) {
    t.Fail("the group servers persist " + std::to_string(total) + " bytes (Raft state + " +
           "snapshots), over " + std::to_string(limit) + ": shards given away are not deleted");
  }
  t.CheckKeys(ck, keys);
  t.End();
}

// Limit on each operation of the challenge 2 checks: it must not wait for a shard that will
// never arrive.
constexpr uint64_t kUnaffectedOpLimitUs = 10 * kSecond;

GRADED_TEST(ShardKvC, Challenge2Unaffected, "shardkv", "C", 12, 40000) {
  // Group 100 leaves while down: group 101 can never get 100's shards, but must keep serving
  // the shards it already had.
  ShardKvTester t(3, true, 100);
  ShardKvTestClerk* ck = t.MakeClerk();
  t.Join(0);
  ShardKvTester::Keys keys = t.PutKeys(ck, 10, 3);
  t.Join(1);
  const ShardConfig config = t.Query(-1);
  t.Sleep(1 * kSecond);
  std::vector<bool> owned(kNShards, false);
  for (int s = 0; s < kNShards; s++) owned[s] = config.shards[s] == ShardKvTester::Gid(1);
  for (size_t i = 0; i < keys.keys.size(); i++) {
    if (!owned[KeyToShard(keys.keys[i])]) continue;
    keys.values[i] = "101";
    t.Put(ck, keys.keys[i], keys.values[i]);
  }
  t.ShutdownGroup(0);
  t.Leave(0);
  t.Sleep(1 * kSecond);
  for (size_t i = 0; i < keys.keys.size(); i++) {
    if (!owned[KeyToShard(keys.keys[i])]) continue;
    t.CheckGet(ck, keys.keys[i], keys.values[i], kUnaffectedOpLimitUs);
    t.PutWithin(ck, keys.keys[i], keys.values[i] + "-1", kUnaffectedOpLimitUs);
    t.CheckGet(ck, keys.keys[i], keys.values[i] + "-1", kUnaffectedOpLimitUs);
  }
  t.End();
}

GRADED_TEST(ShardKvC, Challenge2Partial, "shardkv", "C", 13, 40000) {
  // Groups 100 (down) and 102 leave: group 101 gets 102's shards but never 100's, and must serve
  // 102's as soon as they arrive.
  ShardKvTester t(3, true, 100);
  ShardKvTestClerk* ck = t.MakeClerk();
  t.JoinMany({0, 1, 2});
  t.Sleep(1 * kSecond);
  ShardKvTester::Keys keys = t.PutKeys(ck, 10, 3);
  const ShardConfig config = t.Query(-1);
  std::vector<bool> owned(kNShards, false);
  for (int s = 0; s < kNShards; s++) owned[s] = config.shards[s] == ShardKvTester::Gid(2);
  t.ShutdownGroup(0);
  t.LeaveMany({0, 2});
  t.Sleep(1 * kSecond);
  for (size_t i = 0; i < keys.keys.size(); i++) {
    if (!owned[KeyToShard(keys.keys[i])]) continue;
    t.CheckGet(ck, keys.keys[i], keys.values[i], kUnaffectedOpLimitUs);
    t.PutWithin(ck, keys.keys[i], keys.values[i] + "-2", kUnaffectedOpLimitUs);
    t.CheckGet(ck, keys.keys[i], keys.values[i] + "-2", kUnaffectedOpLimitUs);
  }
  t.End();
}

}  // namespace
}  // namespace janus
