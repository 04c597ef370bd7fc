// Lab 3 graded tests: Rebalance (server.h) on its own, no cluster: the function every replica
// runs after a Join or Leave. Each test feeds it configurations, fixed ones and random ones
// from the test's seed, and checks the result with the checks the cluster tests use
// (labs/harness/shardmaster/config_checks.h): valid, balanced, minimal, and a function of its
// input alone.
//
// Run one test:  ./shardmaster_test --gtest_filter=ShardMasterA.RebalanceRandom
#include <string>
#include <vector>

#include "labs/harness/core/graded_test.h"
#include "labs/harness/core/scenario_failure.h"
#include "labs/harness/shardmaster/config_checks.h"
#include "labs/harness/shardmaster/shardmaster_tester.h"
#include "labs/shardmaster/server.h"

namespace janus {
namespace {

// A configuration with groups `gids` (ServersOf each) and the shard -> gid map `shards`.
ShardConfig Make(const std::vector<uint64_t>& gids, const std::vector<uint64_t>& shards) {
  ShardConfig c;
  c.num = 7;
  c.shards = shards;
  c.groups = ShardMasterTester::GroupsOf(gids);
  return c;
}

// Rebalances a copy of `in` and fails the test unless the result is valid, balanced, minimal
// relative to `in`, has in's number and groups, and is what a second call on another copy
// computes. Returns the result.
ShardConfig CheckRebalance(const ShardConfig& in, const std::string& what,
                           const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
  ShardConfig out = in;
  Rebalance(&out);
  auto fail = [&](const std::string& problem) {
    harness::FailScenario("Rebalance of " + what + ":\n  input:  " + DescribeShardConfig(in) +
                              "\n  " + problem,
                          file, line);
  };
  std::string problem = ConfigValidityProblem(out);
  if (problem.empty()) problem = ConfigBalanceProblem(out);
  if (problem.empty()) problem = TransferProblem(in, out);
  if (!problem.empty()) fail(problem);
  if (out.num != in.num || out.groups != in.groups) {
    fail("changed the number or the groups (it only assigns shards): " + DescribeShardConfig(out));
  }
  ShardConfig again = in;
  Rebalance(&again);
  if (again != out) {
    fail("two calls on the same input disagree (every replica must compute the same "
         "assignment: no randomness, no iteration over unordered containers, no addresses):\n"
         "  first:  " + DescribeShardConfig(out) + "\n  second: " + DescribeShardConfig(again));
  }
  return out;
}

// A random configuration: 0..max_groups groups among gids 1..20, shards on those groups, on
// gids that left (21..25) or on gid 0.
ShardConfig RandomConfig(rrr::Rand& rand, int max_groups) {
  std::vector<uint64_t> pool;
  for (uint64_t g = 1; g <= 20; g++) pool.push_back(g);
  std::vector<uint64_t> gids;
  const int n = static_cast<int>(rand.Range(0, max_groups));
  for (int k = 0; k < n; k++) {
    const size_t at = static_cast<size_t>(rand.Range(0, static_cast<int64_t>(pool.size()) - 1));
    gids.push_back(pool[at]);
    pool.erase(pool.begin() + static_cast<long>(at));
  }
  std::vector<uint64_t> shards;
  for (int s = 0; s < kNShards; s++) {
    const int64_t pick = rand.Range(0, 9);
    if (pick < 6 && !gids.empty()) {
      shards.push_back(gids[static_cast<size_t>(rand.Range(0, n - 1))]);
    } else if (pick < 8) {
      shards.push_back(static_cast<uint64_t>(rand.Range(21, 25)));
    } else {
      shards.push_back(0);
    }
  }
  return Make(gids, shards);
}

GRADED_TEST(ShardMasterA, RebalanceGidZero, "shardmaster", "A", 2, 1000) {
  // Configuration 0 (every shard on gid 0) and the first Join; the last Leave.
  const std::vector<uint64_t> zeros(kNShards, 0);
  ShardConfig one = CheckRebalance(Make({7}, zeros), "the first Join, of group 7");
  for (int s = 0; s < kNShards; s++) {
    if (one.shards[s] != 7) harness::FailScenario("shard not on group 7", __FILE__, __LINE__);
  }
  CheckRebalance(Make({3, 1, 2}, zeros), "the first Join, of groups 1, 2, 3");
  const ShardConfig none = CheckRebalance(Make({}, {1, 1, 2, 2, 3, 3, 1, 2, 3, 1}),
                                          "the last groups leaving");
  if (none.shards != zeros) {
    harness::FailScenario("without groups every shard must be on gid 0: " +
                              DescribeShardConfig(none), __FILE__, __LINE__);
  }
}

GRADED_TEST(ShardMasterA, RebalanceMoreGroupsThanShards, "shardmaster", "A", 2, 1000) {
  // More groups than shards: ten serve one shard each, the others none, and a group with no
  // shard joining or leaving moves nothing.
  std::vector<uint64_t> ten, thirteen;
  for (uint64_t g = 1; g <= 10; g++) ten.push_back(g);
  thirteen = ten;
  for (uint64_t g = 11; g <= 13; g++) thirteen.push_back(g);
  const ShardConfig a = CheckRebalance(Make(thirteen, std::vector<uint64_t>(kNShards, 0)),
                                       "13 groups joining at once");
  const ShardConfig b = CheckRebalance(Make(thirteen, ten), "3 more groups joining 10");
  if (b.shards != ten) {
    harness::FailScenario("3 groups joining 10 that serve one shard each moved shards: " +
                              DescribeShardConfig(b), __FILE__, __LINE__);
  }
  CheckRebalance(Make({1, 2, 3, 4, 5, 6, 7, 8, 9, 11, 12, 13}, a.shards), "group 10 leaving");
}

GRADED_TEST(ShardMasterA, RebalanceRandom, "shardmaster", "A", 3, 1000) {
  // 500 random configurations, as a Join or Leave leaves them before rebalancing (shards on
  // groups that stay, on groups that left, on gid 0, unevenly): valid, balanced, minimal; and
  // rebalancing the result again changes nothing.
  rrr::Rand& rand = harness::Env().rand();
  for (int k = 0; k < 500; k++) {
    const ShardConfig in = RandomConfig(rand, 13);
    const ShardConfig out = CheckRebalance(in, "random configuration " + std::to_string(k));
    const ShardConfig again = CheckRebalance(out, "a balanced configuration");
    if (again != out) {
      harness::FailScenario("rebalancing a balanced configuration moved shards:\n  " +
                                DescribeShardConfig(out) + "\n  " + DescribeShardConfig(again),
                            __FILE__, __LINE__);
    }
  }
}

GRADED_TEST(ShardMasterA, RebalanceDeterministic, "shardmaster", "A", 3, 1000) {
  // Rebalance is a function of the configuration alone: equal inputs (made by different
  // sequences of joins and leaves) give equal outputs, call after call. Ties (groups with as
  // many shards as each other) are where a non-deterministic choice shows.
  rrr::Rand& rand = harness::Env().rand();
  for (int k = 0; k < 200; k++) {
    const ShardConfig in = RandomConfig(rand, 6);
    // The same groups inserted in the opposite order.
    ShardConfig reversed;
    reversed.num = in.num;
    reversed.shards = in.shards;
    for (auto it = in.groups.rbegin(); it != in.groups.rend(); ++it) {
      reversed.groups.insert(*it);
    }
    const ShardConfig a = CheckRebalance(in, "random configuration " + std::to_string(k));
    const ShardConfig b = CheckRebalance(reversed, "the same configuration built backwards");
    if (a != b) {
      harness::FailScenario("equal inputs, different outputs:\n  " + DescribeShardConfig(a) +
                                "\n  " + DescribeShardConfig(b),
                            __FILE__, __LINE__);
    }
  }
}

}  // namespace
}  // namespace janus
