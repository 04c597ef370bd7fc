// Lab 2 graded tests: the fault-tolerant key/value service on Raft.
//
// Most tests run the generic workload (labs/harness/kv/kv_tester.h): clients loop Put/Append/Get on
// their own keys while the scenario injects faults; every Get must return what the client's own
// appends built, each append must be present exactly once and in order, and the whole history
// of every test must be linearizable (checked at the end; a violation writes an HTML report into
// the current directory and names it in the failure message). ExactlyOnce, LostSlot and
// WrongLeader also send requests straight to one server's KvServer, to test its contract
// (server.h) with retries and timings a clerk produces only by chance.
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

GRADED_TEST(KvA, OnePartition, "kv", "A", 6, 60000) {
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

GRADED_TEST(KvA, ReElection, "kv", "A", 5, 60000) {
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

GRADED_TEST(KvA, Linearizable, "kv", "A", 12, 120000) {
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

GRADED_TEST(KvA, Unreliable, "kv", "A", 8, 120000) {
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

GRADED_TEST(KvA, ManyPartitionsOneClient, "kv", "A", 8, 120000) {
  // The servers are repartitioned at random every 1..1.2 s; clerks reach every server.
  KvTester::GenericSpec spec = Clients(1);
  spec.partitions = true;
  spec.workload_us = 5 * kSecond;
  GenericTest(5, false, spec);
}

GRADED_TEST(KvA, ManyPartitionsManyClients, "kv", "A", 8, 120000) {
  KvTester::GenericSpec spec = Clients(5);
  spec.partitions = true;
  spec.workload_us = 5 * kSecond;
  GenericTest(5, false, spec);
}

// ---- The server's contract, tested with requests sent straight to one server's KvServer (as
// the KV service calls it), with client ids no clerk uses: retries and timings that a clerk
// produces only by chance. ----

GRADED_TEST(KvA, ExactlyOnce, "kv", "A", 6, 60000) {
  // Retries (the same client id and sequence number again) execute once, whoever wrote the key
  // in between and whichever server the retry reaches; a retried Get is answered with its value;
  // a late copy of an older request (the clerk moved on) does not execute.
  KvTester t(3, false);
  t.Put(t.MakeClerk(), "warm up", "");  // a leader exists
  const uint64_t a = t.FreshClientId(), b = a + 1, reader = a + 2;
  uint64_t reader_seq = 0;
  auto check = [&](const std::string& expected, const std::string& what) {
    const std::string v = t.CallLeader(KvOpKind::kGet, "d", "", reader, ++reader_seq).value;
    if (v != expected) {
      t.Fail(what + ": the key holds " + harness::ShowKvValue(v) + ", expected " +
             harness::ShowKvValue(expected));
    }
  };
  t.CallLeader(KvOpKind::kPut, "d", "", a, 1);
  t.CallLeader(KvOpKind::kAppend, "d", "1", a, 2);
  t.CallLeader(KvOpKind::kAppend, "d", "1", a, 2);
  check("1", "client A's Append(\"1\") seq 2 sent twice");

  t.CallLeader(KvOpKind::kAppend, "d", "2", b, 1);
  t.CallLeader(KvOpKind::kAppend, "d", "1", a, 2);
  check("12", "client A's Append(\"1\") seq 2 sent again after client B's Append(\"2\") (one "
              "duplicate table per client, not per key)");

  const std::string first = t.CallLeader(KvOpKind::kGet, "d", "", a, 3).value;
  const std::string again = t.CallLeader(KvOpKind::kGet, "d", "", a, 3).value;
  if (first != "12" || again != "12") {
    t.Fail("client A's Get seq 3, sent twice with no write in between, returned " +
           harness::ShowKvValue(first) + " then " + harness::ShowKvValue(again) +
           ", expected \"12\" both times (a retry is answered with the stored result)");
  }

  t.CallLeader(KvOpKind::kAppend, "d", "3", a, 4);
  // A delayed copy of seq 2 reaches the leader after seq 4 executed: any answer, no effect.
  t.CallServer(t.Leader(), KvOpKind::kAppend, "d", "1", a, 2);
  check("123", "a late copy of client A's Append(\"1\") seq 2 arrived after its seq 4 (a "
               "sequence number below the last executed one is a duplicate too)");

  // A retry that reaches a new leader: the append executed under the old one.
  t.CallLeader(KvOpKind::kAppend, "d", "4", a, 5);
  const int old = t.Leader();
  t.Disconnect(old);
  t.CallLeader(KvOpKind::kAppend, "d", "4", a, 5);
  check("1234", "client A's Append(\"4\") seq 5 executed by leader " + t.cluster().NodeName(old) +
                    ", then retried at the new leader (every replica must know what ran)");
  t.Connect(old);
  t.End();
}

GRADED_TEST(KvA, LostSlot, "kv", "A", 6, 60000) {
  // A leader cut off from the majority takes requests into its log; meanwhile the majority
  // elects another leader and commits other commands at those indices. When the old leader
  // rejoins and applies them, the waiting requests must not be answered OK (their commands are
  // gone): ErrWrongLeader (or ErrTimeout), and promptly. (A handler that returns only when its
  // own command is applied never returns here.)
  KvTester t(5, false);
  KvTestClerk* ck = t.MakeClerk();
  t.Put(ck, "s", "");
  for (int round = 0; round < 3; round++) {
    const int old = t.Leader();
    std::vector<int> others;
    for (int i = 0; i < t.n(); i++) {
      if (i != old) others.push_back(i);
    }
    t.Partition({old}, others);
    KvTestClerk* majority = t.MakeClerk(others);
    for (int j = 0; j < 5; j++) {
      t.Append(majority, "s", "x " + std::to_string(majority->id) + " " + std::to_string(j) + " y");
    }
    const std::string before = t.Get(majority, "s");
    const uint64_t client = t.FreshClientId();
    const std::string lost = "lost " + std::to_string(round) + ";";
    auto append = t.StartServerCall(old, KvOpKind::kAppend, "s", lost, client, 1);
    auto get = t.StartServerCall(old, KvOpKind::kGet, "s", "", client + 1, 1);
    // While both wait, the old leader first only hears the new one (as if its own messages
    // were lost), so that it learns of the new term from the AppendEntries that bring the
    // other commands, not from a reply to its own heartbeat; a little later, everyone heals.
    t.Sleep(static_cast<uint64_t>(t.Rand(1, 20)) * 1000);
    const int now = t.Leader();
    t.cluster().net().SetLink(t.cluster().NodeId(now), t.cluster().NodeId(old), true);
    t.Note("link " + t.cluster().NodeName(now) + " -> " + t.cluster().NodeName(old) + " up");
    t.Sleep(150 * 1000);
    t.ConnectAll();
    append->Wait(2 * kSecond);
    get->Wait(2 * kSecond);
    if (!append->IsReady() || !get->IsReady()) {
      t.Fail("requests waiting at the deposed leader " + t.cluster().NodeName(old) +
             " did not return within 2 s after it rejoined, although other commands took their "
             "log indices: wake them (ErrWrongLeader)");
    }
    const std::string after = t.Get(ck, "s");
    const size_t at = after.find(lost);
    if (append->Get().err == KvErr::OK && (at == std::string::npos || after.rfind(lost) != at)) {
      t.Fail("the deposed leader " + t.cluster().NodeName(old) + " answered OK to Append(" +
             harness::ShowKvValue(lost) + "), which is not (once) in the key: " +
             harness::ShowKvValue(after) + " (check that the command applied at the index is "
             "the request's own: client id and sequence number)");
    }
    const std::string& seen = get->Get().value;
    if (get->Get().err == KvErr::OK &&
        (seen.size() < before.size() || after.compare(0, seen.size(), seen) != 0)) {
      t.Fail("the deposed leader " + t.cluster().NodeName(old) + " answered OK to a Get with " +
             harness::ShowKvValue(seen) + ", a value the key did not hold during the call (it "
             "went from " + harness::ShowKvValue(before) + " to " + harness::ShowKvValue(after) +
             ")");
    }
  }
  t.End();
}

GRADED_TEST(KvA, WrongLeader, "kv", "A", 4, 60000) {
  // A replica that does not lead answers ErrWrongLeader at once, and a clerk remembers the
  // leader: with no faults, each of its operations is one request.
  KvTester t(5, false);
  constexpr uint64_t kAnswerUs = 100 * 1000;
  constexpr int kOps = 20;
  KvTestClerk* ck = t.MakeClerk();
  t.Put(ck, "w", "");
  const uint64_t client = t.FreshClientId();
  uint64_t seq = 0;
  for (int round = 0; round < 3; round++) {
    const int leader = t.Leader();
    for (int i = 0; i < t.n(); i++) {
      // (A reconnected old leader may still believe it leads until it hears the new term.)
      bool believes_it_leads = false;
      uint64_t term = 0;
      t.cluster().At(i, [&](KvNode& node) { node.raft().GetState(&believes_it_leads, &term); });
      if (i == leader || believes_it_leads) continue;
      const KvTester::ServerReply r = t.CallServer(i, KvOpKind::kGet, "w", "", client, ++seq);
      if (r.err != KvErr::ErrWrongLeader || r.took_us > kAnswerUs) {
        t.Fail(t.cluster().NodeName(i) + ", not the leader, answered a Get with " + KvErrName(r.err) +
               " after " + std::to_string(r.took_us / 1000) +
               " ms; expected ErrWrongLeader within " + std::to_string(kAnswerUs / 1000) + " ms");
      }
    }
    t.Append(ck, "w", ".");  // the clerk finds the leader
    const uint64_t sent = t.cluster().net().Counters(ck->context->id()).rpcs_sent;
    for (int j = 0; j < kOps; j++) t.Append(ck, "w", ".");
    const uint64_t used = t.cluster().net().Counters(ck->context->id()).rpcs_sent - sent;
    if (used > kOps + 2) {
      t.Fail("the clerk sent " + std::to_string(used) + " requests for " + std::to_string(kOps) +
             " Appends with a stable leader (" + t.cluster().NodeName(leader) +
             ") and no faults: it should remember which server answered OK and ask it first");
    }
    t.Disconnect(leader);  // the next round has another leader
    t.Append(ck, "w", ".");
    t.Connect(leader);
  }
  t.End();
}

GRADED_TEST(KvA, Speed, "kv", "A", 7, 90000) {
  // 1000 sequential appends from one clerk on three servers: on average under 33 ms each (a
  // bound set by heartbeats: a leader should not wait for the next heartbeat to replicate).
  KvTester t(3, false);
  KvTestClerk* ck = t.MakeClerk();
  t.Put(ck, "x", "");  // waits for a leader
  t.CheckAppendSpeed(ck, "Speed");
  t.End();
}

// ---- Part B (course Lab 3): crash recovery. MIT's 4A persistence tests: the generic workload
// with `crash` set, so after each of its three iterations every server crashes and all restart
// from their persisters. A restarted KvServer starts empty; Raft applies its log again from
// index 1 (once a leader commits an entry of its term), and the server must rebuild its map
// and its duplicate table from those applies alone. ----

KvTester::GenericSpec Persist(int clients, bool partitions) {
  KvTester::GenericSpec spec = Clients(clients);
  spec.crash = true;
  spec.partitions = partitions;
  if (partitions) spec.workload_us = 5 * kSecond;  // several repartitions per iteration
  return spec;
}

GRADED_TEST(KvB, PersistOneClient, "kv", "B", 8, 60000) {
  // One clerk; all five servers crash and restart after every iteration.
  GenericTest(5, false, Persist(1, false));
}

GRADED_TEST(KvB, PersistConcurrent, "kv", "B", 8, 60000) {
  GenericTest(5, false, Persist(5, false));
}

GRADED_TEST(KvB, PersistConcurrentUnreliable, "kv", "B", 10, 120000) {
  // Retries leave duplicates in the log: replayed after a restart, each must be skipped again.
  GenericTest(5, true, Persist(5, false));
}

GRADED_TEST(KvB, PersistPartition, "kv", "B", 10, 120000) {
  GenericTest(5, false, Persist(5, true));
}

GRADED_TEST(KvB, PersistPartitionUnreliable, "kv", "B", 12, 120000) {
  GenericTest(5, true, Persist(5, true));
}

GRADED_TEST(KvB, PersistPartitionUnreliableLinearizable, "kv", "B", 12, 120000) {
  // 15 clerks, 7 servers, random Put/Append/Get on shared keys; after each restart every key is
  // read back; only the linearizability checker judges the answers.
  KvTester::GenericSpec spec = Persist(15, true);
  spec.random_keys = true;
  spec.workload_us = 4 * kSecond;
  spec.think_us_max = 1000;  // as in KvA.Linearizable
  GenericTest(7, true, spec);
}

}  // namespace
}  // namespace janus
