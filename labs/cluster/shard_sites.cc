// The sharded labs' sites for deptran_server (deptran/launcher.h), registered by lab name like
// those of cluster_sites.cc:
//
//   lab: shardmaster   every site a ShardMasterNode (Raft + the shard-master service on the
//                      site's address); its Raft peers are the sites of its partition.
//   lab: shardkv       sites of partition "ctrl" are ShardMasterNodes, sites of a partition
//                      "g<gid>" ShardKvNodes of replica group gid, which find the shard master
//                      at the addresses of "ctrl" and take options.maxraftstate.
//
// Both labs register the config check of shard_config.h, so that every site refuses a bad
// config (no "ctrl", a partition not named g<gid>, ...) with exit code 2 before it starts. Each
// site is a NodeSite (node_site.h), which logs its leadership changes. Built only when both labs
// are (labs/cluster/CMakeLists.txt); linked as an object file, so that the registrations run.
// Lab txn's sites (the same layout) are registered in txn_sites.cc.
#include <memory>

#include "deptran/launcher.h"
#include "labs/cluster/node_site.h"
#include "labs/cluster/shard_config.h"
#include "labs/harness/shardkv/shardkv_node.h"
#include "labs/harness/shardmaster/shardmaster_node.h"

namespace janus {
namespace {

std::unique_ptr<LabSite> MakeShardKvSite(const SiteEnv& env) {
  const PartitionInfo& p = env.config->Partition(env.site().partition_id);
  if (p.name == kShardMasterPartition) return std::make_unique<NodeSite<ShardMasterNode>>(env);
  return std::make_unique<NodeSite<ShardKvNode>>(env);
}

}  // namespace

JANUS_REGISTER_LAB_SITE(shardmaster, [](const SiteEnv& env) -> std::unique_ptr<LabSite> {
  return std::make_unique<NodeSite<ShardMasterNode>>(env);
});
JANUS_REGISTER_LAB_CONFIG_CHECK(shardmaster, CheckShardLabConfig);
JANUS_REGISTER_LAB_SITE(shardkv, MakeShardKvSite);
JANUS_REGISTER_LAB_CONFIG_CHECK(shardkv, CheckShardLabConfig);

}  // namespace janus
