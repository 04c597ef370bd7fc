// Lab 3 graded tests: the shard master (labs/shardmaster/README.md).
//
// The tests drive shard-master replicas through clerks (labs/harness/shardmaster/
// shardmaster_tester.h), and every answer is checked on the spot: each Join, Leave and Move
// must return the code the test expects, and each configuration a Query returns must be valid
// (10 shards, numbered 0..9, each on a group of the configuration, or all on gid 0 without
// groups), identical to any earlier answer for the same number, and not older than a
// configuration known to exist when the query started. At the end every replica that is up
// must have applied the same configurations as the others, equal to the ones the clerks saw.
// This file has the tests of the configurations themselves; shardmaster_fault_test.cc those
// with faults and retries (some send requests straight to one server's ShardMasterServer), and
// shardmaster_rebalance_test.cc the unit tests of Rebalance.
//
// Run one test:  ./shardmaster_test --gtest_filter=ShardMasterA.Basic   (--net=tcp for sockets)
#include <string>
#include <vector>

#include "labs/harness/core/graded_test.h"
#include "labs/harness/shardmaster/shardmaster_tester.h"

namespace janus {
namespace {

constexpr uint64_t kSecond = 1000 * 1000;
using Gids = std::vector<uint64_t>;

ShardMasterTester::Groups G(const Gids& gids) { return ShardMasterTester::GroupsOf(gids); }

GRADED_TEST(ShardMasterA, Basic, "shardmaster", "A", 7, 30000) {
  // MIT's "basic leave/join" and the course's Basic: two groups join one by one and leave one
  // by one; each configuration is valid, balanced and moved as few shards as it could.
  ShardMasterTester t(3, false);
  SmTestClerk* ck = t.MakeClerk();
  const ShardConfig c0 = t.Query(ck, -1);
  if (c0.num != 0) t.Fail("the first Query(-1) returned configuration " + std::to_string(c0.num));
  t.CheckGroups(ck, {});

  t.Join(ck, G({1}));
  ShardConfig c1 = t.CheckGroups(ck, {1});
  if (c1.num != 1) t.Fail("after one Join the latest configuration is " + std::to_string(c1.num));
  t.Join(ck, G({2}));
  const ShardConfig c2 = t.CheckGroups(ck, {1, 2});
  t.CheckMinimalTransfer(c1, c2, "Join(2)");
  t.Join(ck, G({3}));
  const ShardConfig c3 = t.CheckGroups(ck, {1, 2, 3});
  t.CheckMinimalTransfer(c2, c3, "Join(3)");
  t.Leave(ck, {1});
  const ShardConfig c4 = t.CheckGroups(ck, {2, 3});
  t.CheckMinimalTransfer(c3, c4, "Leave(1)");
  t.Leave(ck, {2});
  t.CheckGroups(ck, {3});
  t.Leave(ck, {3});
  const ShardConfig last = t.CheckGroups(ck, {});
  if (last.num != 6) {
    t.Fail("six Joins and Leaves made the latest configuration " + std::to_string(last.num) +
           ", expected 6");
  }
  // A group may join again after it left.
  t.Join(ck, G({1}));
  t.CheckGroups(ck, {1});
  t.End();
}

GRADED_TEST(ShardMasterA, HistoricalQueries, "shardmaster", "A", 6, 30000) {
  // MIT's historical queries: Query(n) returns configuration n, the same every time, whichever
  // replica answers; each replica in turn is crashed and restarted meanwhile. A number above the
  // latest returns the latest.
  ShardMasterTester t(3, false);
  SmTestClerk* ck = t.MakeClerk();
  t.Join(ck, G({11}));
  t.Join(ck, G({12}));
  t.Move(ck, 0, 12);
  t.Join(ck, G({13}));
  t.Leave(ck, {11});
  const ShardConfig latest = t.CheckGroups(ck, {12, 13});
  for (int i = 0; i < t.n(); i++) {
    t.Crash(i);
    t.CheckHistory(ck, latest.num);
    const ShardConfig above = t.Query(ck, static_cast<int64_t>(latest.num) + 5);
    if (above.num != latest.num) {
      t.Fail("Query(" + std::to_string(latest.num + 5) + ") returned configuration " +
             std::to_string(above.num) + ", expected the latest, " + std::to_string(latest.num));
    }
    t.Restart(i);
  }
  t.End();
}

GRADED_TEST(ShardMasterA, Move, "shardmaster", "A", 6, 30000) {
  // MIT's Move and the move the course never tested: each Move makes a new configuration in
  // which exactly that shard changed group (no rebalancing); a later Join or Leave rebalances.
  ShardMasterTester t(3, false);
  SmTestClerk* ck = t.MakeClerk();
  t.Join(ck, G({503}));
  t.Join(ck, G({504}));
  ShardConfig prev = t.CheckGroups(ck, {503, 504});
  for (int s = 0; s < kNShards; s++) {
    const uint64_t gid = s < kNShards / 2 ? 503 : 504;
    t.Move(ck, s, gid);
    const ShardConfig c = t.Query(ck, -1);
    ShardConfig expected = prev;
    expected.num = prev.num + 1;
    expected.shards[s] = gid;
    if (c != expected) {
      t.Fail("after Move(" + std::to_string(s) + " -> " + std::to_string(gid) +
             ") the latest configuration is\n  " + DescribeShardConfig(c) + "\nexpected\n  " +
             DescribeShardConfig(expected) + "\n(a Move changes exactly one shard)");
    }
    prev = c;
  }
  // Everything onto one group: still a valid configuration, not a balanced one.
  for (int s = 0; s < kNShards; s++) t.Move(ck, s, 503);
  const ShardConfig all_on_503 = t.Query(ck, -1);
  for (int s = 0; s < kNShards; s++) {
    if (all_on_503.shards[s] != 503) t.Fail("shard " + std::to_string(s) + " is not on 503");
  }
  // A Join rebalances from there, moving only what it must.
  t.Join(ck, G({505}));
  const ShardConfig joined = t.CheckGroups(ck, {503, 504, 505});
  t.CheckMinimalTransfer(all_on_503, joined, "Join(505) after every shard moved to 503");
  t.Leave(ck, {503});
  const ShardConfig left = t.CheckGroups(ck, {504, 505});
  t.CheckMinimalTransfer(joined, left, "Leave(503)");
  t.End();
}

GRADED_TEST(ShardMasterA, ConcurrentJoinLeave, "shardmaster", "A", 7, 30000) {
  // MIT's concurrent leave/join and the course's Concurrent: ten clerks at once each join a
  // group, join a second one and make the second leave. Every request is applied exactly once:
  // thirty of them make exactly thirty configurations.
  ShardMasterTester t(3, false);
  constexpr int kClerks = 10;
  SmTestClerk* ck = t.MakeClerk();
  for (int c = 0; c < kClerks; c++) {
    SmTestClerk* mine = t.MakeClerk();
    const uint64_t gid = 100 + c;
    t.Go([&t, mine, gid] {
      t.Join(mine, G({gid}));
      t.Join(mine, G({gid + 1000}));
      t.Query(mine, -1);
      t.Leave(mine, {gid + 1000});
    });
  }
  t.Join();
  Gids gids;
  for (int c = 0; c < kClerks; c++) gids.push_back(100 + c);
  const ShardConfig c = t.CheckGroups(ck, gids);
  if (c.num != 3 * kClerks) {
    t.Fail(std::to_string(3 * kClerks) + " Joins and Leaves answered OK made the latest "
           "configuration " + std::to_string(c.num) + " (each request must be applied exactly "
           "once)");
  }
  t.End();
}

// Minimal transfers after joins: groups join one by one up to more groups than shards, then
// five clerks join five more groups at once; no Join moves a shard between two groups that
// stay, and none moves more shards than it must.
GRADED_TEST(ShardMasterA, MinimalTransferJoin, "shardmaster", "A", 7, 30000) {
  ShardMasterTester t(3, false);
  SmTestClerk* ck = t.MakeClerk();
  Gids gids;
  ShardConfig prev = t.Query(ck, -1);
  for (uint64_t gid = 1; gid <= 12; gid++) {
    t.Join(ck, G({gid}));
    gids.push_back(gid);
    const ShardConfig c = t.CheckGroups(ck, gids);
    t.CheckMinimalTransfer(prev, c, "Join(" + std::to_string(gid) + ")");
    prev = c;
  }
  for (uint64_t gid = 12; gid > 3; gid--) t.Leave(ck, {gid});
  gids = {1, 2, 3};
  const ShardConfig before = t.CheckGroups(ck, gids);
  for (uint64_t gid = 21; gid <= 25; gid++) {
    SmTestClerk* mine = t.MakeClerk();
    t.Go([&t, mine, gid] { t.Join(mine, G({gid})); });
    gids.push_back(gid);
  }
  t.Join();
  const ShardConfig after = t.CheckGroups(ck, gids);
  for (int s = 0; s < kNShards; s++) {
    if (after.shards[s] <= 3 && after.shards[s] != before.shards[s]) {
      t.Fail("shard " + std::to_string(s) + " moved from group " +
             std::to_string(before.shards[s]) + " to group " + std::to_string(after.shards[s]) +
             " while only new groups joined");
    }
  }
  t.CheckHistory(ck, after.num);
  t.End();
}

// Minimal transfers after leaves: the mirror image.
GRADED_TEST(ShardMasterA, MinimalTransferLeave, "shardmaster", "A", 7, 30000) {
  ShardMasterTester t(3, false);
  SmTestClerk* ck = t.MakeClerk();
  Gids gids;
  for (uint64_t gid = 1; gid <= 8; gid++) gids.push_back(gid);
  t.Join(ck, G(gids));
  ShardConfig prev = t.CheckGroups(ck, gids);
  // Five clerks make five groups leave at once.
  for (uint64_t gid = 4; gid <= 8; gid++) {
    SmTestClerk* mine = t.MakeClerk();
    t.Go([&t, mine, gid] { t.Leave(mine, {gid}); });
  }
  t.Join();
  const ShardConfig after = t.CheckGroups(ck, {1, 2, 3});
  for (int s = 0; s < kNShards; s++) {
    if (prev.shards[s] <= 3 && after.shards[s] != prev.shards[s]) {
      t.Fail("shard " + std::to_string(s) + " moved from group " + std::to_string(prev.shards[s]) +
             ", which stayed, to group " + std::to_string(after.shards[s]));
    }
  }
  t.CheckHistory(ck, after.num);
  // Then one by one down to none.
  prev = after;
  for (uint64_t gid : {2, 1, 3}) {
    t.Leave(ck, {gid});
    gids.clear();
    for (uint64_t g : {1, 2, 3}) {
      if (prev.groups.count(g) != 0 && g != gid) gids.push_back(g);
    }
    const ShardConfig c = t.CheckGroups(ck, gids);
    t.CheckMinimalTransfer(prev, c, "Leave(" + std::to_string(gid) + ")");
    prev = c;
  }
  t.End();
}

GRADED_TEST(ShardMasterA, MultiGroupJoinLeave, "shardmaster", "A", 6, 30000) {
  // MIT's multi-group tests: one Join names several groups, one Leave several gids; then
  // clerks do both at once, and each configuration moved as few shards as it could.
  ShardMasterTester t(3, false);
  SmTestClerk* ck = t.MakeClerk();
  t.Join(ck, G({1, 2, 3}));
  ShardConfig c = t.CheckGroups(ck, {1, 2, 3});
  if (c.num != 1) t.Fail("one Join of three groups made configuration " + std::to_string(c.num));
  t.Join(ck, G({4, 5}));
  t.CheckGroups(ck, {1, 2, 3, 4, 5});
  t.Leave(ck, {1, 3, 5});
  t.CheckGroups(ck, {2, 4});
  // Five clerks at once: each joins two groups and makes one of them leave, then joins two
  // more and makes both leave.
  for (int k = 0; k < 5; k++) {
    SmTestClerk* mine = t.MakeClerk();
    const uint64_t a = 100 + 2 * k, b = a + 1;
    t.Go([&t, mine, a, b] {
      t.Join(mine, G({a, b}));
      t.Leave(mine, {b});
      t.Join(mine, G({b + 1000, b + 2000}));
      t.Leave(mine, {b + 1000, b + 2000});
    });
  }
  t.Join();
  c = t.CheckGroups(ck, {2, 4, 100, 102, 104, 106, 108});
  if (c.num != 3 + 4 * 5) {
    t.Fail("23 Joins and Leaves answered OK made the latest configuration " +
           std::to_string(c.num));
  }
  t.CheckHistory(ck, c.num);
  t.End();
}

}  // namespace
}  // namespace janus
