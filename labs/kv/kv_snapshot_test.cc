// Lab 3, part C graded tests: the key/value service with snapshots (MIT 6.5840's 4B).
//
// Every test but SnapshotDisabled runs with maxraftstate 1000: once a server's persisted Raft
// state reaches 1000 bytes it must snapshot its state, and Raft must drop the log the snapshot
// covers. The tests check that no server's Raft state exceeds 8 x maxraftstate (after each
// round of the generic workload, see labs/harness/kv/kv_tester.h), that a server cut off for a
// while catches up from the leader's snapshot, that a restarted server recovers from its own,
// and that the history stays linearizable. SnapshotDisabled checks that with maxraftstate -1 no
// server ever saves a snapshot.
//
// Run one test:  ./kv_test --gtest_filter=KvC.SnapshotRPC     (add --net=tcp for real sockets)
#include <string>
#include <vector>

#include "labs/harness/core/graded_test.h"
#include "labs/harness/kv/kv_tester.h"
#include "rrr/base/logging.h"

namespace janus {
namespace {

constexpr uint64_t kSecond = 1000 * 1000;
constexpr int64_t kMaxRaftState = 1000;

// MIT's GenericTest for part 4B: 3 rounds of 5 s of workload, maxraftstate 1000.
KvTester::GenericSpec SnapshotSpec(int clients) {
  KvTester::GenericSpec spec;
  spec.clients = clients;
  spec.iterations = 3;
  spec.workload_us = 5 * kSecond;
  return spec;
}

void SnapshotGenericTest(int servers, bool unreliable, const KvTester::GenericSpec& spec) {
  KvTester t(servers, unreliable, kMaxRaftState);
  t.Generic(spec);
  t.End();
}

GRADED_TEST(KvC, SnapshotRPC, "kv", "C", 8, 60000) {
  // A server cut off while the others trim their logs can only catch up by InstallSnapshot:
  // then it is needed for a majority.
  KvTester t(3, false, kMaxRaftState);
  KvTestClerk* ck = t.MakeClerk();
  t.Put(ck, "a", "A");
  t.CheckGet(ck, "a", "A");

  // Many Puts in the majority {s0, s1}: their logs pass maxraftstate several times.
  t.Partition({0, 1}, {2});
  {
    KvTestClerk* ck1 = t.MakeClerk({0, 1});
    for (int i = 0; i < 50; i++) t.Put(ck1, std::to_string(i), std::to_string(i));
    t.Sleep(KvTester::kElectionTimeoutUs);
    t.Put(ck1, "b", "B");
  }
  t.CheckRaftStateSize();
  t.CheckHasSnapshot({0, 1}, "after 50 Puts their Raft state had passed maxraftstate (" +
                                 std::to_string(kMaxRaftState) + " bytes), so they must have "
                                 "snapshotted and trimmed the entries s2 is missing");

  // A majority that needs the lagging s2, whose missing entries are gone from the others' logs.
  t.Partition({0, 2}, {1});
  {
    KvTestClerk* ck1 = t.MakeClerk({0, 2});
    t.Put(ck1, "c", "C");
    t.Put(ck1, "d", "D");
    t.CheckGet(ck1, "a", "A");
    t.CheckGet(ck1, "b", "B");
    t.CheckGet(ck1, "1", "1");
    t.CheckGet(ck1, "49", "49");
  }
  t.CheckHasSnapshot({2}, "s2 lagged behind the leader's snapshot, so it must have caught up "
                          "by InstallSnapshot, and saved that snapshot");

  // Everybody.
  t.ConnectAll();
  t.Put(ck, "e", "E");
  t.CheckGet(ck, "c", "C");
  t.CheckGet(ck, "e", "E");
  t.CheckGet(ck, "1", "1");
  t.CheckRaftStateSize();
  t.End();
}

GRADED_TEST(KvC, SnapshotSize, "kv", "C", 6, 60000) {
  // 800 operations on one key: the logs are trimmed, and a snapshot of a one-key map (plus the
  // duplicate table of one clerk) stays small.
  constexpr size_t kMaxSnapshotBytes = 500;
  KvTester t(3, false, kMaxRaftState);
  KvTestClerk* ck = t.MakeClerk();
  for (int i = 0; i < 200; i++) {
    t.Put(ck, "x", "0");
    t.CheckGet(ck, "x", "0");
    t.Put(ck, "x", "1");
    t.CheckGet(ck, "x", "1");
  }
  t.CheckRaftStateSize();
  t.CheckSnapshotSize(kMaxSnapshotBytes);
  t.End();
}

GRADED_TEST(KvC, SpeedWithSnapshots, "kv", "C", 6, 90000) {
  // Part A's Speed with maxraftstate 1000: snapshots must not slow the service down.
  KvTester t(3, false, kMaxRaftState);
  KvTestClerk* ck = t.MakeClerk();
  t.Get(ck, "x");  // waits for a leader
  t.CheckAppendSpeed(ck, "SpeedWithSnapshots");
  t.CheckRaftStateSize();
  t.End();
}

GRADED_TEST(KvC, SnapshotRecover, "kv", "C", 5, 120000) {
  // One client; after each round every server crashes and restarts from its snapshot and log.
  KvTester::GenericSpec spec = SnapshotSpec(1);
  spec.crash = true;
  SnapshotGenericTest(5, false, spec);
}

GRADED_TEST(KvC, SnapshotRecoverManyClients, "kv", "C", 6, 120000) {
  KvTester::GenericSpec spec = SnapshotSpec(20);
  spec.crash = true;
  SnapshotGenericTest(5, false, spec);
}

GRADED_TEST(KvC, SnapshotUnreliable, "kv", "C", 6, 120000) {
  SnapshotGenericTest(5, true, SnapshotSpec(5));
}

GRADED_TEST(KvC, SnapshotUnreliableRecover, "kv", "C", 6, 120000) {
  KvTester::GenericSpec spec = SnapshotSpec(5);
  spec.crash = true;
  SnapshotGenericTest(5, true, spec);
}

GRADED_TEST(KvC, SnapshotUnreliableRecoverConcurrentPartition, "kv", "C", 7, 120000) {
  KvTester::GenericSpec spec = SnapshotSpec(5);
  spec.crash = true;
  spec.partitions = true;
  SnapshotGenericTest(5, true, spec);
}

GRADED_TEST(KvC, SnapshotUnreliableRecoverConcurrentPartitionLinearizable, "kv", "C", 8,
            180000) {
  // 15 clients on 7 servers, random Put/Append/Get on shared keys; only the linearizability
  // checker judges the answers.
  KvTester::GenericSpec spec = SnapshotSpec(15);
  spec.crash = true;
  spec.partitions = true;
  spec.random_keys = true;
  spec.think_us_max = 1000;  // operations are slow here anyway: keep the clients busy
  SnapshotGenericTest(7, true, spec);
}

GRADED_TEST(KvC, SnapshotDisabled, "kv", "C", 2, 120000) {
  // With maxraftstate -1 a server never snapshots, however long its log grows (checked after
  // every round), also across restarts.
  KvTester::GenericSpec spec = SnapshotSpec(5);
  spec.crash = true;
  KvTester t(5, false, -1);
  t.Generic(spec);
  Log_info("kv test: SnapshotDisabled: largest Raft state %zu bytes", t.MaxRaftStateSize());
  t.End();
}

}  // namespace
}  // namespace janus
