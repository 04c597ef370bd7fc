// Lab 3 graded tests: the sharded key/value store (MIT 6.5840's lab 5B tests, on the fixture
// labs/harness/shardkv/shardkv_tester.h: a shard master and replica groups 100, 101, 102 of three
// servers each, on one simulated network).
//
// Every test records each clerk operation, and End() checks that the whole history is
// linearizable (a violation writes an HTML report into the current directory and names it in
// the failure message); the tests also compare values as they go. Keys "0".."9" fall in ten
// different shards.
//
// Part A, the service (this file): StaticShards, JoinLeave, Snapshot, MissChange,
// Concurrent1/2/3, Unreliable1/2/3. The challenges are in shardkv_challenge_test.cc.
//
// Budgets: about 3 x the reference's slowest virtual time over 40 seeds (StaticShards 3.4 s,
// JoinLeave 1.8, Snapshot 3.8, MissChange 4.4, Concurrent1 3.8, Concurrent2 13.1, Concurrent3
// 16.6, Unreliable1 18.5, Unreliable2 9.5, Unreliable3 11.7).
//
// Run one test:  ./shardkv_test --gtest_filter=ShardKvA.JoinLeave   (add --net=tcp for sockets)
#include <string>
#include <vector>

#include "labs/harness/core/graded_test.h"
#include "labs/harness/shardkv/shardkv_tester.h"

namespace janus {
namespace {

using harness::KvOpKind;

constexpr uint64_t kMs = 1000;
constexpr uint64_t kSecond = 1000 * kMs;
// Concurrent clients pause a random 0..50 ms between operations: MIT's clients get about this
// rate from real network and Raft latencies, and it bounds the history's length (the
// linearizability check) and the Raft logs.
constexpr uint64_t kClientPauseUs = 50 * kMs;

GRADED_TEST(ShardKvA, StaticShards, "shardkv", "A", 10, 20000) {
  // Two groups share the shards; with one group down, exactly the keys of the other group's
  // shards can still be read, and the rest once the group is back.
  ShardKvTester t(3, false);
  ShardKvTestClerk* ck = t.MakeClerk();
  t.Join(0);
  t.Join(1);
  ShardKvTester::Keys keys = t.PutKeys(ck, 10, 20);
  t.CheckKeys(ck, keys);
  const ShardConfig config = t.Query(-1);

  t.ShutdownGroup(1);
  t.CheckLogs();  // maxraftstate -1: no snapshots
  std::vector<std::shared_ptr<rrr::BoxEvent<std::string>>> gets;
  for (size_t i = 0; i < keys.keys.size(); i++) {
    gets.push_back(t.StartOp(t.MakeClerk(), KvOpKind::kGet, keys.keys[i], ""));
  }
  t.Sleep(2 * kSecond);
  for (size_t i = 0; i < keys.keys.size(); i++) {
    const bool served = config.shards[KeyToShard(keys.keys[i])] == ShardKvTester::Gid(0);
    if (served && !gets[i]->IsReady()) {
      t.Fail("Get(\"" + keys.keys[i] + "\") of a shard of group 100 (up) did not return within "
             "2 s while group 101 is down");
    }
    if (!served && gets[i]->IsReady()) {
      t.Fail("Get(\"" + keys.keys[i] + "\") of a shard of group 101 returned while all of group "
             "101's servers are down");
    }
    if (served && gets[i]->Get() != keys.values[i]) {
      t.Fail("Get(\"" + keys.keys[i] + "\") returned \"" + gets[i]->Get() + "\", expected \"" +
             keys.values[i] + "\"");
    }
  }

  t.StartGroup(1);
  for (size_t i = 0; i < keys.keys.size(); i++) {
    gets[i]->Wait(ShardKvTester::kOpLimitUs);
    if (!gets[i]->IsReady() || gets[i]->Get() != keys.values[i]) {
      t.Fail("Get(\"" + keys.keys[i] + "\") did not return \"" + keys.values[i] +
             "\" once group 101 was back");
    }
  }
  t.CheckKeys(ck, keys);
  t.End();
}

GRADED_TEST(ShardKvA, JoinLeave, "shardkv", "A", 10, 20000) {
  // Shards move to a joining group and away from a leaving one, with their data; the group that
  // left is not needed afterwards.
  ShardKvTester t(3, false);
  ShardKvTestClerk* ck = t.MakeClerk();
  t.Join(0);
  ShardKvTester::Keys keys = t.PutKeys(ck, 10, 5);
  t.CheckKeys(ck, keys);
  t.Join(1);
  t.AppendCheckKeys(ck, &keys);
  t.Leave(0);
  t.AppendCheckKeys(ck, &keys);
  t.Sleep(1 * kSecond);
  t.CheckLogs();
  t.ShutdownGroup(0);
  t.CheckKeys(ck, keys);
  t.End();
}

GRADED_TEST(ShardKvA, Snapshot, "shardkv", "A", 10, 30000) {
  // Joins and leaves with snapshots (maxraftstate 1000); every group restarts from what it
  // persisted and still holds every key.
  ShardKvTester t(3, false, 1000);
  ShardKvTestClerk* ck = t.MakeClerk();
  t.Join(0);
  ShardKvTester::Keys keys = t.PutKeys(ck, 30, 20);
  t.CheckKeys(ck, keys);
  t.Join(1);
  t.Join(2);
  t.Leave(0);
  t.AppendCheckKeys(ck, &keys);
  t.Leave(1);
  t.Join(0);
  t.AppendCheckKeys(ck, &keys);
  t.Sleep(1 * kSecond);
  t.CheckKeys(ck, keys);
  t.Sleep(1 * kSecond);
  t.CheckLogs();
  for (int g = 0; g < 3; g++) t.ShutdownGroup(g);
  for (int g = 0; g < 3; g++) t.StartGroup(g);
  t.CheckKeys(ck, keys);
  t.End();
}

GRADED_TEST(ShardKvA, MissChange, "shardkv", "A", 10, 40000) {
  // One server of each group is down while configurations change; once back, it must catch up
  // with every change it missed (from the log or a snapshot), in order.
  ShardKvTester t(3, false, 1000);
  ShardKvTestClerk* ck = t.MakeClerk();
  t.Join(0);
  ShardKvTester::Keys keys = t.PutKeys(ck, 10, 20);
  t.CheckKeys(ck, keys);
  t.Join(1);
  for (int g = 0; g < 3; g++) t.CrashServer(g, 0);
  t.Join(2);
  t.Leave(1);
  t.Leave(0);
  t.AppendCheckKeys(ck, &keys);
  t.Join(1);
  t.AppendCheckKeys(ck, &keys);
  for (int g = 0; g < 3; g++) t.RestartServer(g, 0);
  t.AppendCheckKeys(ck, &keys);
  t.Sleep(2 * kSecond);
  for (int g = 0; g < 3; g++) t.CrashServer(g, 1);
  t.Join(0);
  t.Leave(2);
  t.AppendCheckKeys(ck, &keys);
  for (int g = 0; g < 3; g++) t.RestartServer(g, 1);
  t.AppendCheckKeys(ck, &keys);
  t.End();
}

GRADED_TEST(ShardKvA, Concurrent1, "shardkv", "A", 10, 30000) {
  // Ten clients append while groups join, leave, and all shut down and restart.
  ShardKvTester t(3, false, 100);
  ShardKvTestClerk* ck = t.MakeClerk();
  t.Join(0);
  ShardKvTester::Keys keys = t.PutKeys(ck, 10, 5);
  t.StartAppenders(&keys, kClientPauseUs);
  t.Sleep(150 * kMs);
  t.Join(1);
  t.Sleep(500 * kMs);
  t.Join(2);
  t.Sleep(500 * kMs);
  t.Leave(0);
  t.ShutdownGroup(0);
  t.Sleep(100 * kMs);
  t.ShutdownGroup(1);
  t.Sleep(100 * kMs);
  t.ShutdownGroup(2);
  t.Leave(2);
  t.Sleep(100 * kMs);
  for (int g = 0; g < 3; g++) t.StartGroup(g);
  t.Sleep(100 * kMs);
  t.Join(0);
  t.Leave(1);
  t.Sleep(500 * kMs);
  t.Join(1);
  t.Sleep(1 * kSecond);
  t.StopAppenders();
  t.CheckKeys(ck, keys);
  t.End();
}

GRADED_TEST(ShardKvA, Concurrent2, "shardkv", "A", 10, 50000) {
  // Ten clients append while shards move back and forth between groups, and two groups shut
  // down and restart.
  ShardKvTester t(3, false);
  ShardKvTestClerk* ck = t.MakeClerk();
  t.Join(1);
  t.Join(0);
  t.Join(2);
  ShardKvTester::Keys keys = t.PutKeys(ck, 10, 1);
  t.StartAppenders(&keys, kClientPauseUs);
  t.Leave(0);
  t.Leave(2);
  t.Sleep(3 * kSecond);
  t.Join(0);
  t.Join(2);
  t.Leave(1);
  t.Sleep(3 * kSecond);
  t.Join(1);
  t.Leave(0);
  t.Leave(2);
  t.Sleep(3 * kSecond);
  t.ShutdownGroup(1);
  t.ShutdownGroup(2);
  t.Sleep(1 * kSecond);
  t.StartGroup(1);
  t.StartGroup(2);
  t.Sleep(2 * kSecond);
  t.StopAppenders();
  t.CheckKeys(ck, keys);
  t.End();
}

GRADED_TEST(ShardKvA, Concurrent3, "shardkv", "A", 10, 60000) {
  // Ten clients append for 12 s of rapid joins, leaves and whole-system restarts (snapshots at
  // maxraftstate 300).
  ShardKvTester t(3, false, 300);
  ShardKvTestClerk* ck = t.MakeClerk();
  t.Join(0);
  ShardKvTester::Keys keys = t.PutKeys(ck, 10, 1);
  t.StartAppenders(&keys, kClientPauseUs);
  const uint64_t start = t.Now();
  while (t.Now() < start + 12 * kSecond) {
    t.Join(2);
    t.Join(1);
    t.Sleep(static_cast<uint64_t>(t.Rand(0, 900)) * kMs);
    for (int g = 0; g < 3; g++) t.ShutdownGroup(g);
    for (int g = 0; g < 3; g++) t.StartGroup(g);
    t.Sleep(static_cast<uint64_t>(t.Rand(0, 900)) * kMs);
    t.Leave(1);
    t.Leave(2);
    t.Sleep(static_cast<uint64_t>(t.Rand(0, 900)) * kMs);
  }
  t.Sleep(2 * kSecond);
  t.StopAppenders();
  t.CheckKeys(ck, keys);
  t.End();
}

GRADED_TEST(ShardKvA, Unreliable1, "shardkv", "A", 10, 60000) {
  // Shards move over an unreliable network (drops and delays), one client.
  ShardKvTester t(3, true, 100);
  ShardKvTestClerk* ck = t.MakeClerk();
  t.Join(0);
  ShardKvTester::Keys keys = t.PutKeys(ck, 10, 5);
  t.Join(1);
  t.Join(2);
  t.Leave(0);
  for (int round = 0; round < 2; round++) t.AppendCheckKeys(ck, &keys);
  t.Join(0);
  t.Leave(1);
  for (int round = 0; round < 2; round++) t.CheckKeys(ck, keys);
  t.End();
}

// Unreliable2 and Unreliable3: clients run while shards move over an unreliable network; the
// network turns reliable before they stop.
void UnreliableConcurrent(bool random_keys) {
  ShardKvTester t(3, true, 100);
  ShardKvTestClerk* ck = t.MakeClerk();
  t.Join(0);
  ShardKvTester::Keys keys = t.PutKeys(ck, 10, 5);
  if (random_keys) {
    t.StartRandomClients(keys, 10, kClientPauseUs);
  } else {
    t.StartAppenders(&keys, kClientPauseUs);
  }
  t.Sleep(150 * kMs);
  t.Join(1);
  t.Sleep(500 * kMs);
  t.Join(2);
  t.Sleep(500 * kMs);
  t.Leave(0);
  t.Sleep(500 * kMs);
  t.Leave(1);
  t.Sleep(500 * kMs);
  t.Join(1);
  t.Join(0);
  t.Sleep(2 * kSecond);
  t.SetUnreliable(false);
  t.StopAppenders();
  if (!random_keys) t.CheckKeys(ck, keys);
  t.End();
}

GRADED_TEST(ShardKvA, Unreliable2, "shardkv", "A", 10, 40000) {
  // Ten clients append to their own keys.
  UnreliableConcurrent(false);
}

GRADED_TEST(ShardKvA, Unreliable3, "shardkv", "A", 10, 40000) {
  // Ten clients Get, Put and Append random keys; only linearizability judges the values.
  UnreliableConcurrent(true);
}

}  // namespace
}  // namespace janus
