// What cluster mode reads from a config of the sharded labs, shared by deptran_server (which
// refuses a bad config before a site starts: shard_sites.cc, txn_sites.cc) and kv_cli (which
// finds the shard master and the groups' addresses in it).
//
//   lab: shardmaster   every partition is a shard master of its own (normally one, "ctrl").
//   lab: shardkv       partition "ctrl" (kShardMasterPartition) is the shard master; every other
//   lab: txn           partition is a replica group named g<gid>, gid > 0 (g100: gid 100).
//
// All three: options.nshards, if given, must be kNShards (labs/shardmaster/common.h), the one
// number of shards this build has; shardkv and txn: options.maxraftstate, if given, an integer;
// txn: options.concurrency, if given, "occ" or "2pl" (TxnConcurrencies()).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "deptran/config.h"

namespace janus {

// The values options.concurrency may take in a config of lab txn (the default: the first).
inline const std::vector<std::string>& TxnConcurrencies() {
  static const std::vector<std::string> kinds = {"occ", "2pl"};
  return kinds;
}

// True for the labs whose configs have a shard master "ctrl" and groups g<gid> (shardkv, txn).
inline bool HasGroupPartitions(const std::string& lab) { return lab == "shardkv" || lab == "txn"; }

// Throws LaunchError (or ConfigError, for an option of the wrong type) with one line saying what
// is wrong with `config` for its lab; does nothing for a lab other than the three above.
void CheckShardLabConfig(const Config& config);

// "host:port" of every site of `partition`, in site-id order.
std::vector<std::string> PartitionAddrs(const Config& config, const PartitionInfo& partition);

// The shard master's partition: for labs shardkv and txn "ctrl"; for lab shardmaster the
// partition named `name` or, if `name` is empty, the first one. Throws LaunchError if there is
// no such partition.
const PartitionInfo& ShardMasterPartitionOf(const Config& config, const std::string& name);

// The partition of group `gid` in a shardkv or txn config (named "g<gid>"), or nullptr.
const PartitionInfo* GroupPartition(const Config& config, uint64_t gid);

}  // namespace janus
