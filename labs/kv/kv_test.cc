// Lab 2 graded tests: the fault-tolerant key/value service on Raft.
//
// Most tests run the generic workload (labs/harness/kv/kv_tester.h): clients loop Put/Append/Get on
// their own keys while the scenario injects faults; every Get must return what the client's own
// appends built, each append must be present exactly once and in order, and the whole history
// of every test must be linearizable (checked at the end; a violation writes an HTML report into
// the current directory and names it in the failure message).
//
// Run one test:  ./kv_test --gtest_filter=KvA.Basic     (add --net=tcp for real sockets)
#include <string>
#include <vector>

#include "labs/harness/core/graded_test.h"
#include "labs/harness/kv/kv_tester.h"
#include "rrr/base/logging.h"

namespace janus {
namespace {

using harness::KvOpKind;

constexpr uint64_t kSecond = 1000 * 1000;

// The generic test on `servers` servers with `clients` clients; `before` runs first (e.g. to
// disconnect servers).
void GenericTest(int servers, bool unreliable, const KvTester::GenericSpec& spec,
                 const std::function<void(KvTester&)>& before = {}) {
  KvTester t(servers, unreliable);
  if (before) before(t);
  t.Generic(spec);
  t.End();
}

KvTester::GenericSpec Clients(int clients) {
  KvTester::GenericSpec spec;
  spec.clients = clients;
  return spec;
}

GRADED_TEST(KvA, Basic, "kv", "A", 5, 60000) {
  // One client on five servers, no faults.
  GenericTest(5, false, Clients(1));
}

GRADED_TEST(KvA, Concurrent, "kv", "A", 5, 60000) {
  // Five clients at once.
  GenericTest(5, false, Clients(5));
}

// Two of five servers cut off for the whole test: the majority must still make progress.
void MajorityTest(int clients) {
  GenericTest(5, false, Clients(clients), [](KvTester& t) {
    const int a = static_cast<int>(t.Rand(0, 4));
    const int b = (a + static_cast<int>(t.Rand(1, 4))) % 5;
    t.Disconnect(a);
    t.Disconnect(b);
  });
}

GRADED_TEST(KvA, Majority, "kv", "A", 5, 60000) { MajorityTest(1); }

GRADED_TEST(KvA, MajorityConcurrent, "kv", "A", 5, 60000) { MajorityTest(5); }

GRADED_TEST(KvA, OnePartition, "kv", "A", 8, 60000) {
  // The course's Minority test and MIT's OnePartition: requests that reach only the minority
  // side must not complete (Gets go through the log too), and complete once the partition heals.
  KvTester t(5, false);
  KvTestClerk* ck = t.MakeClerk();
  t.Put(ck, "1", "13");
  const int leader = t.Leader();
  std::vector<int> p1 = {leader, (leader + 1) % 5, (leader + 2) % 5};
  std::vector<int> p2 = {(leader + 3) % 5, (leader + 4) % 5};
  t.Partition(p1, p2);
  KvTestClerk* ckp1 = t.MakeClerk(p1);
  KvTestClerk* ckp2a = t.MakeClerk(p2);
  KvTestClerk* ckp2b = t.MakeClerk(p2);

  // Progress in the majority.
  t.Put(ckp1, "1", "14");
  t.CheckGet(ckp1, "1", "14");

  // No progress in the minority.
  auto put = t.StartOp(ckp2a, KvOpKind::kPut, "1", "15");
  auto get = t.StartOp(ckp2b, KvOpKind::kGet, "1", "");
  t.Sleep(1 * kSecond);
  if (put->IsReady()) t.Fail("a Put sent only to the minority side completed");
  if (get->IsReady()) t.Fail("a Get sent only to the minority side completed");
  t.CheckGet(ckp1, "1", "14");
  t.Put(ckp1, "1", "16");
  t.CheckGet(ckp1, "1", "16");

  // Completion after healing.
  t.ConnectAll();
  t.ConnectClerk(ckp2a, {0, 1, 2, 3, 4});
  t.ConnectClerk(ckp2b, {0, 1, 2, 3, 4});
  t.Sleep(KvTester::kElectionTimeoutUs);
  put->Wait(3 * kSecond);
  if (!put->IsReady()) t.Fail("the minority's Put did not complete within 3 s after healing");
  get->Wait(3 * kSecond);
  if (!get->IsReady()) t.Fail("the minority's Get did not complete within 3 s after healing");
  t.CheckGet(ck, "1", "15");
  t.End();
}

GRADED_TEST(KvA, ReElection, "kv", "A", 7, 60000) {
  KvTester t(5, false);
  // A deposed leader must not answer: a clerk that last talked to the leader asks it first,
  // after the others elected a new leader and changed the value.
  KvTestClerk* ck = t.MakeClerk();
  t.Put(ck, "r", "before");
  const int old = t.Leader();
  std::vector<int> others;
  for (int i = 0; i < t.n(); i++) {
    if (i != old) others.push_back(i);
  }
  t.Partition({old}, others);  // the servers only: every clerk still reaches every server
  t.Put(t.MakeClerk(), "r", "after");
  t.CheckGet(ck, "r", "after");
  t.ConnectAll();

  // Then the leader is cut off in the middle of each iteration's workload and comes back
  // later: the clerks must find the new leader, and values stay correct.
  KvTester::GenericSpec spec = Clients(3);
  spec.workload_us = 3 * kSecond;
  spec.scenario = [&t](const std::function<bool()>& stopping) {
    t.Sleep(700 * 1000);
    if (stopping()) return;
    const int old = t.Leader();
    t.Disconnect(old);
    t.Sleep(1200 * 1000);
    t.Connect(old);
  };
  t.Generic(spec);
  t.End();
}

GRADED_TEST(KvA, SameKey, "kv", "A", 5, 60000) {
  // Five clients append to one key at once: each append lands exactly once, each client's in
  // its own order.
  KvTester t(5, false);
  constexpr int kClients = 5, kAppends = 20;
  KvTestClerk* ck0 = t.MakeClerk();
  t.Put(ck0, "same", "");
  for (int c = 0; c < kClients; c++) {
    KvTestClerk* ck = t.MakeClerk();
    t.Go([&t, ck, c] {
      for (int j = 0; j < kAppends; j++) {
        t.Append(ck, "same", "x " + std::to_string(c) + " " + std::to_string(j) + " y");
        if (j % 5 == 4) t.Get(ck, "same");
      }
    });
  }
  t.Join();
  const std::string v = t.Get(ck0, "same");
  for (int c = 0; c < kClients; c++) t.CheckClientAppends(c, v, kAppends);
  const size_t expected_len = [&] {
    size_t len = 0;
    for (int c = 0; c < kClients; c++) {
      for (int j = 0; j < kAppends; j++) {
        len += ("x " + std::to_string(c) + " " + std::to_string(j) + " y").size();
      }
    }
    return len;
  }();
  if (v.size() != expected_len) {
    t.Fail("the key holds " + std::to_string(v.size()) + " bytes, expected " +
           std::to_string(expected_len) + " (something was appended that no client sent)");
  }
  t.End();
}

GRADED_TEST(KvA, Linearizable, "kv", "A", 15, 120000) {
  KvTester t(7, false);
  // Part 1: sequential appends, each from a fresh clerk, keep their order.
  std::string expected;
  for (int i = 0; i < 20; i++) {
    KvTestClerk* ck = t.MakeClerk();
    const std::string v = "a" + std::to_string(i) + ";";
    t.Append(ck, "seq", v);
    expected += v;
    if (i % 4 == 3) t.CheckGet(t.MakeClerk(), "seq", expected);
  }
  t.CheckGet(t.MakeClerk(), "seq", expected);
  // Part 2: 15 clients, random Put/Append/Get on shared keys, an unreliable network and
  // partitions; only the linearizability checker judges the answers.
  t.SetUnreliable(true);
  KvTester::GenericSpec spec;
  spec.clients = 15;
  spec.random_keys = true;
  spec.partitions = true;
  spec.iterations = 2;
  spec.workload_us = 4 * kSecond;
  spec.think_us_max = 1000;  // operations are slow here anyway: keep the clients busy
  t.Generic(spec);
  t.End();
}

GRADED_TEST(KvA, Unreliable, "kv", "A", 10, 120000) {
  // Five clients on an unreliable network (requests and replies dropped, requests delayed).
  GenericTest(5, true, Clients(5));
}

GRADED_TEST(KvA, UnreliableOneKey, "kv", "A", 5, 120000) {
  // Three servers, unreliable network, five clients appending ten values each to one key.
  KvTester t(3, true);
  constexpr int kClients = 5, kAppends = 10;
  KvTestClerk* ck0 = t.MakeClerk();
  t.Put(ck0, "k", "");
  for (int c = 0; c < kClients; c++) {
    KvTestClerk* ck = t.MakeClerk();
    t.Go([&t, ck, c] {
      for (int j = 0; j < kAppends; j++) {
        t.Append(ck, "k", "x " + std::to_string(c) + " " + std::to_string(j) + " y");
      }
    });
  }
  t.Join();
  const std::string v = t.Get(ck0, "k");
  for (int c = 0; c < kClients; c++) t.CheckClientAppends(c, v, kAppends);
  t.End();
}

GRADED_TEST(KvA, ManyPartitionsOneClient, "kv", "A", 10, 120000) {
  // The servers are repartitioned at random every 1..1.2 s; clerks reach every server.
  KvTester::GenericSpec spec = Clients(1);
  spec.partitions = true;
  spec.workload_us = 5 * kSecond;
  GenericTest(5, false, spec);
}

GRADED_TEST(KvA, ManyPartitionsManyClients, "kv", "A", 10, 120000) {
  KvTester::GenericSpec spec = Clients(5);
  spec.partitions = true;
  spec.workload_us = 5 * kSecond;
  GenericTest(5, false, spec);
}

GRADED_TEST(KvA, Speed, "kv", "A", 10, 90000) {
  // 1000 sequential appends from one clerk on three servers: on average under 33 ms each (a
  // bound set by heartbeats: a leader should not wait for the next heartbeat to replicate).
  KvTester t(3, false);
  KvTestClerk* ck = t.MakeClerk();
  t.Put(ck, "x", "");  // waits for a leader
  constexpr int kOps = 1000;
  constexpr uint64_t kMaxPerOpUs = 33 * 1000;
  const uint64_t start = t.Now();
  for (int i = 0; i < kOps; i++) t.Append(ck, "x", "x 0 " + std::to_string(i) + " y");
  const uint64_t took = t.Now() - start;
  t.CheckClientAppends(0, t.Get(ck, "x"), kOps);
  if (took > kOps * kMaxPerOpUs) {
    t.Fail("operations completed too slowly: " + std::to_string(took / kOps / 1000) +
           " ms per op on average, over the 33 ms bound");
  }
  Log_info("kv test: Speed: %.2f ms per append", static_cast<double>(took) / kOps / 1000);
  t.End();
}

}  // namespace
}  // namespace janus
