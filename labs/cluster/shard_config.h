// What cluster mode reads from a config of the sharded labs, shared by deptran_server (which
// refuses a bad config before a site starts: shard_sites.cc) and kv_cli (which finds the shard
// master and the groups' addresses in it).
//
//   lab: shardmaster   every partition is a shard master of its own (normally one, "ctrl").
//   lab: shardkv       partition "ctrl" (kShardMasterPartition) is the shard master; every other
//                      partition is a replica group named g<gid>, gid > 0 (g100: gid 100).
//
// Both: options.nshards, if given, must be kNShards (labs/shardmaster/common.h), the one number
// of shards this build has; shardkv: options.maxraftstate, if given, an integer.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "deptran/config.h"

namespace janus {

// Throws LaunchError (or ConfigError, for an option of the wrong type) with one line saying what
// is wrong with `config` for its lab; does nothing for a lab other than the two above.
void CheckShardLabConfig(const Config& config);

// "host:port" of every site of `partition`, in site-id order.
std::vector<std::string> PartitionAddrs(const Config& config, const PartitionInfo& partition);

// The shard master's partition: for lab shardkv "ctrl"; for lab shardmaster the partition named
// `name` or, if `name` is empty, the first one. Throws LaunchError if there is no such partition.
const PartitionInfo& ShardMasterPartitionOf(const Config& config, const std::string& name);

// The partition of group `gid` in a shardkv config (named "g<gid>"), or nullptr.
const PartitionInfo* GroupPartition(const Config& config, uint64_t gid);

}  // namespace janus
