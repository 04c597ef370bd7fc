// The checks of one shard-master configuration that need no cluster: shared by
// ShardMasterTester (on what the replicas answer) and the unit tests of Rebalance
// (labs/shardmaster/shardmaster_rebalance_test.cc). Each returns "" when the configuration
// passes, else what is wrong (one line, then the configuration(s) on their own lines).
#pragma once

#include <string>

#include "labs/shardmaster/common.h"

namespace janus {

// Valid: kNShards shards; with groups, every shard on one of them, no gid 0 and no group
// without servers; without groups, every shard on gid 0.
std::string ConfigValidityProblem(const ShardConfig& c);

// Balanced: every group serves kNShards / #groups shards, rounded down or up.
std::string ConfigBalanceProblem(const ShardConfig& c);

// Shards whose gid differs between `before` and `after`.
int ShardsMoved(const ShardConfig& before, const ShardConfig& after);

// The fewest shards a balanced assignment over the groups of `after` must move away from
// `before`: every shard whose group is gone (or on gid 0), and each group's shards above its
// share, the larger shares going to the groups that hold the most already.
int ShardsThatMustMove(const ShardConfig& before, const ShardConfig& after);

// Minimal: ShardsMoved(before, after) <= ShardsThatMustMove(before, after).
std::string TransferProblem(const ShardConfig& before, const ShardConfig& after);

}  // namespace janus
