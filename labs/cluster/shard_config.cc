#include "labs/cluster/shard_config.h"

#include <algorithm>
#include <map>

#include "deptran/launcher.h"
#include "labs/harness/shardkv/shardkv_node.h"
#include "labs/shardmaster/common.h"

namespace janus {

void CheckShardLabConfig(const Config& config) {
  const std::string& lab = config.lab();
  if (lab != "shardmaster" && !HasGroupPartitions(lab)) return;
  const int64_t nshards = config.GetInt("nshards", kNShards);
  if (nshards != kNShards) {
    throw LaunchError(config.source() + ": options.nshards is " + std::to_string(nshards) +
                      ", but this build has " + std::to_string(kNShards) +
                      " shards (kNShards, labs/shardmaster/common.h)");
  }
  if (!HasGroupPartitions(lab)) return;
  config.GetInt("maxraftstate", -1);  // throws ConfigError unless an integer
  if (lab == "txn") {
    const std::vector<std::string>& kinds = TxnConcurrencies();
    const std::string cc = config.GetString("concurrency", kinds[0]);
    if (std::find(kinds.begin(), kinds.end(), cc) == kinds.end()) {
      throw LaunchError(config.source() + ": options.concurrency is \"" + cc +
                        "\"; lab txn takes occ (optimistic) or 2pl (wound-wait locking)");
    }
  }
  if (config.FindPartition(kShardMasterPartition) == nullptr) {
    throw LaunchError(config.source() + ": lab " + lab + " needs a partition named \"" +
                      kShardMasterPartition + "\" (the shard master)");
  }
  std::map<uint64_t, std::string> seen;  // gid -> partition name
  for (const PartitionInfo& p : config.partitions()) {
    if (p.name == kShardMasterPartition) continue;
    const uint64_t gid = GidOfPartition(p.name);
    if (gid == 0) {
      throw LaunchError(config.source() + ": partition \"" + p.name +
                        "\": a " + lab + " replica group's partition is named g<gid>, gid > 0 "
                        "(e.g. g100), the shard master's \"" + kShardMasterPartition + "\"");
    }
    auto [it, fresh] = seen.emplace(gid, p.name);
    if (!fresh) {
      throw LaunchError(config.source() + ": partitions \"" + it->second + "\" and \"" + p.name +
                        "\" are both group " + std::to_string(gid));
    }
  }
}

std::vector<std::string> PartitionAddrs(const Config& config, const PartitionInfo& partition) {
  std::vector<std::string> addrs;
  for (int id : partition.site_ids) addrs.push_back(config.Site(id).Address());
  return addrs;
}

const PartitionInfo& ShardMasterPartitionOf(const Config& config, const std::string& name) {
  std::string want = name;
  if (HasGroupPartitions(config.lab())) want = kShardMasterPartition;
  if (want.empty()) return config.Partition(0);
  const PartitionInfo* p = config.FindPartition(want);
  if (p == nullptr) {
    throw LaunchError(config.source() + ": no partition named '" + want + "'" +
                      (HasGroupPartitions(config.lab()) ? " (the shard master)" : ""));
  }
  return *p;
}

const PartitionInfo* GroupPartition(const Config& config, uint64_t gid) {
  for (const PartitionInfo& p : config.partitions()) {
    if (p.name != kShardMasterPartition && GidOfPartition(p.name) == gid) return &p;
  }
  return nullptr;
}

}  // namespace janus
