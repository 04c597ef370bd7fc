// Lab 3 graded tests: the shard master under faults and retries (labs/shardmaster/README.md):
// replicas cut off, partitioned, crashed and restarted, an unreliable network, requests sent
// straight to one server (duplicates, invalid arguments, lost log slots). The tests of the
// configurations themselves are in shardmaster_test.cc; the common checks are described there.
//
// Run one test:  ./shardmaster_test --gtest_filter=ShardMasterA.Partition   (--net=tcp for sockets)
#include <string>
#include <vector>

#include "labs/harness/core/graded_test.h"
#include "labs/harness/shardmaster/shardmaster_tester.h"

namespace janus {
namespace {

constexpr uint64_t kSecond = 1000 * 1000;
using Gids = std::vector<uint64_t>;

ShardMasterTester::Groups G(const Gids& gids) { return ShardMasterTester::GroupsOf(gids); }

GRADED_TEST(ShardMasterA, ReplicasAgree, "shardmaster", "A", 6, 30000) {
  // MIT's "same config on servers": whichever replica leads, every replica applies the same
  // configurations; the leader is cut off and comes back twice while requests go on.
  ShardMasterTester t(5, false);
  SmTestClerk* ck = t.MakeClerk();
  uint64_t next = 1;
  for (int round = 0; round < 3; round++) {
    for (int k = 0; k < 4; k++) t.Join(ck, G({next++}));
    t.Leave(ck, {next - 2});
    t.Move(ck, static_cast<int>(t.Rand(0, kNShards - 1)), next - 1);
    if (round < 2) {
      const int leader = t.Leader();
      t.Disconnect(leader);
      t.Join(ck, G({next++}));
      t.Connect(leader);
    }
  }
  t.CheckReplicasAgree();
  t.End();
}

GRADED_TEST(ShardMasterA, Invalid, "shardmaster", "A", 6, 30000) {
  // Requests whose arguments cannot apply answer ErrInvalid and make no configuration.
  ShardMasterTester t(3, false);
  SmTestClerk* ck = t.MakeClerk();
  t.Move(ck, 0, 1, SmErr::ErrInvalid);  // no groups yet
  t.Leave(ck, {1}, SmErr::ErrInvalid);
  t.Join(ck, G({1, 2}));
  const ShardConfig before = t.CheckGroups(ck, {1, 2});
  t.Join(ck, {}, SmErr::ErrInvalid);
  t.Join(ck, G({0}), SmErr::ErrInvalid);
  t.Join(ck, {{3, {}}}, SmErr::ErrInvalid);
  t.Join(ck, G({2}), SmErr::ErrInvalid);
  t.Join(ck, G({3, 1}), SmErr::ErrInvalid);  // 3 is new, 1 is not: nothing joins
  t.Leave(ck, {}, SmErr::ErrInvalid);
  t.Leave(ck, {3}, SmErr::ErrInvalid);
  t.Leave(ck, {2, 3}, SmErr::ErrInvalid);  // 2 exists, 3 does not: nothing leaves
  t.Move(ck, kNShards, 1, SmErr::ErrInvalid);
  t.Move(ck, -1, 1, SmErr::ErrInvalid);
  t.Move(ck, 0, 3, SmErr::ErrInvalid);
  const ShardConfig after = t.Query(ck, -1);
  if (after != before) {
    t.Fail("requests answered ErrInvalid changed the configuration from\n  " +
           DescribeShardConfig(before) + "\nto\n  " + DescribeShardConfig(after));
  }
  // The same through a server directly: the answer is ErrInvalid, and a retry gets it again.
  const uint64_t id = t.FreshClientId();
  for (int attempt = 0; attempt < 2; attempt++) {
    const auto r = t.CallLeader(SmRequest::Join(G({2})), id, 1);
    if (r.err != SmErr::ErrInvalid) {
      t.Fail(std::string("Join(2), 2 being a group, answered ") + SmErrName(r.err) +
             (attempt ? " on its retry" : "") + ", expected ErrInvalid");
    }
  }
  t.Join(ck, G({3}));  // and valid requests still work
  t.CheckGroups(ck, {1, 2, 3});
  t.End();
}

GRADED_TEST(ShardMasterA, Duplicates, "shardmaster", "A", 7, 30000) {
  // Retries (the same client id and sequence number again) are applied once, wherever they
  // arrive: each answers OK and makes no new configuration, a retried Query answers the
  // configuration it read; a late copy of an older request does nothing.
  ShardMasterTester t(3, false);
  SmTestClerk* ck = t.MakeClerk();
  t.Query(ck, -1);  // a leader exists
  const uint64_t a = t.FreshClientId();
  auto expect_latest = [&](uint64_t num, const std::string& what) {
    const ShardConfig c = t.Query(ck, -1);
    if (c.num != num) {
      t.Fail(what + ": the latest configuration is " + std::to_string(c.num) + ", expected " +
             std::to_string(num) + "\n  " + DescribeShardConfig(c));
    }
    return c;
  };
  auto ok = [&](const SmRequest& req, uint64_t seq) {
    const auto r = t.CallLeader(req, a, seq);
    if (r.err != SmErr::OK) {
      t.Fail(req.Describe() + " seq " + std::to_string(seq) + " answered " + SmErrName(r.err) +
             ", expected OK (a retry of a request that was applied answers as it did)");
    }
  };
  ok(SmRequest::Join(G({1})), 1);
  ok(SmRequest::Join(G({1})), 1);
  expect_latest(1, "Join(1) seq 1 sent twice");
  ok(SmRequest::Join(G({2})), 2);
  ok(SmRequest::Move(0, 2), 3);
  ok(SmRequest::Move(0, 2), 3);
  expect_latest(3, "Move(0 -> 2) seq 3 sent twice");
  ok(SmRequest::Leave({2}), 4);
  ok(SmRequest::Leave({2}), 4);
  const ShardConfig four = expect_latest(4, "Leave(2) seq 4 sent twice");
  // A retried Query is answered with the configuration it read (each answer is also checked
  // like a clerk's: valid, and configuration 4 as seen before).
  for (int attempt = 0; attempt < 2; attempt++) {
    const auto r = t.CallLeader(SmRequest::Query(-1), a, 5);
    if (r.err != SmErr::OK || r.config != four) {
      t.Fail(std::string("Query(-1) seq 5") + (attempt ? " sent again" : "") + " answered " +
             SmErrName(r.err) + " with " + DescribeShardConfig(r.config) + ", expected OK with " +
             DescribeShardConfig(four));
    }
  }
  // A late copy of seq 3 after seq 4: any answer, no effect.
  t.CallServer(t.Leader(), SmRequest::Move(0, 2), a, 3);
  t.CallServer(t.Leader(), SmRequest::Join(G({2})), a, 2);
  expect_latest(4, "late copies of seq 2 and 3 after seq 4");
  // A retry that reaches a new leader: applied under the old one.
  ok(SmRequest::Join(G({5})), 6);
  const int old = t.Leader();
  t.Disconnect(old);
  ok(SmRequest::Join(G({5})), 6);
  expect_latest(5, "Join(5) seq 6 applied by the leader " + t.cluster().NodeName(old) +
                       ", then retried at the new leader");
  t.Connect(old);
  // And after every replica crashed and restarted (rebuilt from the log).
  for (int i = 0; i < t.n(); i++) t.Crash(i);
  for (int i = 0; i < t.n(); i++) t.Restart(i);
  ok(SmRequest::Join(G({5})), 6);
  expect_latest(5, "Join(5) seq 6 retried after every replica restarted");
  t.CheckGroups(ck, {1, 5});
  t.End();
}

GRADED_TEST(ShardMasterA, Partition, "shardmaster", "A", 7, 30000) {
  // A deposed leader must not answer from its own state: a clerk that last talked to the leader
  // asks it first after the others committed a Join. Then requests that reach only a minority
  // do not complete, and complete once the partition heals.
  ShardMasterTester t(5, false);
  SmTestClerk* ck = t.MakeClerk();
  t.Join(ck, G({1}));
  t.Query(ck, -1);
  const int old = t.Leader();
  std::vector<int> others;
  for (int i = 0; i < t.n(); i++) {
    if (i != old) others.push_back(i);
  }
  t.Partition({old}, others);  // the servers only: clerks still reach every server
  t.Join(t.MakeClerk(), G({2}));
  t.CheckGroups(ck, {1, 2});  // a stale answer fails here
  t.ConnectAll();

  const int leader = t.Leader();
  std::vector<int> minority = {(leader + 3) % 5, (leader + 4) % 5};
  std::vector<int> majority = {leader, (leader + 1) % 5, (leader + 2) % 5};
  t.Partition(majority, minority);
  SmTestClerk* in_majority = t.MakeClerk(majority);
  SmTestClerk* in_minority = t.MakeClerk(minority);
  auto join = t.StartOp(in_minority, SmRequest::Join(G({3})));
  t.Join(in_majority, G({4}));
  t.CheckGroups(in_majority, {1, 2, 4});
  t.Sleep(kSecond);
  if (join->IsReady()) t.Fail("a Join sent only to the minority side completed");
  t.ConnectAll();
  t.ConnectClerk(in_minority, {0, 1, 2, 3, 4});
  join->Wait(5 * kSecond);
  if (!join->IsReady()) t.Fail("the minority's Join did not complete within 5 s of healing");
  if (join->Get().err != SmErr::OK) {
    t.Fail(std::string("the minority's Join(3) answered ") + SmErrName(join->Get().err));
  }
  t.CheckGroups(ck, {1, 2, 3, 4});
  t.End();
}

GRADED_TEST(ShardMasterA, LostSlot, "shardmaster", "A", 5, 30000) {
  // A leader cut off from the majority takes requests into its log; meanwhile the majority
  // elects another leader and commits other requests at those indices. When the old leader
  // rejoins and applies them, its waiting requests must not be answered OK (their commands are
  // gone), and must be answered promptly. As lab 2's KvA.LostSlot.
  ShardMasterTester t(5, false);
  SmTestClerk* ck = t.MakeClerk();
  t.Join(ck, G({1}));
  uint64_t next = 100;
  for (int round = 0; round < 3; round++) {
    const int old = t.Leader();
    std::vector<int> others;
    for (int i = 0; i < t.n(); i++) {
      if (i != old) others.push_back(i);
    }
    t.Partition({old}, others);
    SmTestClerk* majority = t.MakeClerk(others);
    for (int k = 0; k < 3; k++) t.Join(majority, G({next++}));
    const ShardConfig before = t.Query(majority, -1);
    const uint64_t lost_gid = next++;
    const uint64_t client = t.FreshClientId();
    auto join = t.StartServerCall(old, SmRequest::Join(G({lost_gid})), client, 1);
    auto query = t.StartServerCall(old, SmRequest::Query(-1), client + 1, 1);
    // The old leader first only hears the new one, so that it learns of the new term from the
    // AppendEntries that bring the other commands; a little later, everyone heals.
    t.Sleep(static_cast<uint64_t>(t.Rand(1, 20)) * 1000);
    const int now = t.Leader();
    t.cluster().net().SetLink(t.cluster().NodeId(now), t.cluster().NodeId(old), true);
    t.Note("link " + t.cluster().NodeName(now) + " -> " + t.cluster().NodeName(old) + " up");
    t.Sleep(150 * 1000);
    t.ConnectAll();
    join->Wait(2 * kSecond);
    query->Wait(2 * kSecond);
    if (!join->IsReady() || !query->IsReady()) {
      t.Fail("requests waiting at the deposed leader " + t.cluster().NodeName(old) +
             " did not return within 2 s after it rejoined, although other commands took their "
             "log indices: wake them (ErrWrongLeader)");
    }
    const ShardConfig after = t.Query(ck, -1);
    if (join->Get().err == SmErr::OK && after.groups.count(lost_gid) == 0) {
      t.Fail("the deposed leader " + t.cluster().NodeName(old) + " answered OK to Join(" +
             std::to_string(lost_gid) + "), which is not in the latest configuration (check "
             "that the command applied at the index is the request's own: client id and "
             "sequence number)\n  " + DescribeShardConfig(after));
    }
    if (query->Get().err == SmErr::OK && query->Get().config.num < before.num) {
      t.Fail("the deposed leader " + t.cluster().NodeName(old) + " answered OK to Query(-1) "
             "with configuration " + std::to_string(query->Get().config.num) + ", older than "
             "configuration " + std::to_string(before.num) + " which existed before the call");
    }
  }
  t.End();
}

// Concurrent clerks on an unreliable network (requests and replies dropped and delayed, so
// clerks retry): every request is applied once, so the configuration count is exact.
GRADED_TEST(ShardMasterA, Unreliable, "shardmaster", "A", 7, 60000) {
  ShardMasterTester t(5, true);
  constexpr int kClerks = 5, kRounds = 3;
  SmTestClerk* ck = t.MakeClerk();
  t.Join(ck, G({1}));
  for (int c = 0; c < kClerks; c++) {
    SmTestClerk* mine = t.MakeClerk();
    t.Go([&t, mine, c] {
      for (int r = 0; r < kRounds; r++) {
        const uint64_t gid = 100 + 10 * c + r;
        t.Join(mine, G({gid}));
        t.Move(mine, static_cast<int>(t.Rand(0, kNShards - 1)), gid);
        t.Query(mine, -1);
        if (r + 1 < kRounds) t.Leave(mine, {gid});
      }
    });
  }
  t.Join();
  Gids gids = {1};
  for (int c = 0; c < kClerks; c++) gids.push_back(100 + 10 * c + kRounds - 1);
  const ShardConfig c = t.Query(ck, -1);
  const uint64_t expected = 1 + kClerks * (3 * kRounds - 1);
  if (c.num != expected) {
    t.Fail(std::to_string(expected) + " Joins, Leaves and Moves answered OK made the latest "
           "configuration " + std::to_string(c.num) + " (each must be applied exactly once)");
  }
  t.Leave(ck, {1});
  gids.erase(gids.begin());
  t.CheckGroups(ck, gids);
  t.SetUnreliable(false);
  t.End();
}

GRADED_TEST(ShardMasterA, CrashRecovery, "shardmaster", "A", 6, 30000) {
  // Replicas crash and restart between requests (one at a time, then all at once): a
  // restarted replica rebuilds its configurations from its Raft log, and queries keep
  // returning what they returned before.
  ShardMasterTester t(3, false);
  SmTestClerk* ck = t.MakeClerk();
  uint64_t gid = 1;
  for (int round = 0; round < 4; round++) {
    t.Join(ck, G({gid++}));
    t.Join(ck, G({gid++}));
    t.Leave(ck, {gid - 2});
    if (round < 3) {
      const int victim = round == 0 ? t.Leader() : static_cast<int>(t.Rand(0, t.n() - 1));
      t.Crash(victim);
      t.Join(ck, G({gid++}));
      t.Restart(victim);
    } else {
      for (int i = 0; i < t.n(); i++) t.Crash(i);
      for (int i = 0; i < t.n(); i++) t.Restart(i);
    }
    const ShardConfig c = t.Query(ck, -1);
    t.CheckHistory(ck, c.num);
  }
  t.End();
}

}  // namespace
}  // namespace janus
