// Lab txn's sites for deptran_server (deptran/launcher.h), registered by lab name like those of
// cluster_sites.cc and shard_sites.cc:
//
//   lab: txn   sites of partition "ctrl" are ShardMasterNodes (the shard master, as in lab
//              shardkv), sites of a partition "g<gid>" TxnNodes (labs/harness/txn/txn_node.h) of
//              replica group gid, which find the shard master at the addresses of "ctrl" and take
//              options.maxraftstate and options.concurrency (occ | 2pl).
//
// Placement: the groups join the shard master once (kv_cli join 100 101 102) before the first
// transaction and stay (config/txn_3x3.yml). The config check of shard_config.h refuses a bad
// config (no "ctrl", a partition not named g<gid>, a concurrency other than occ or 2pl, ...)
// with exit code 2 before a site starts. Each site is a NodeSite (node_site.h), which logs its
// leadership changes. Built only when lab txn is (labs/cluster/CMakeLists.txt); linked as an
// object file, so that the registrations run.
#include <memory>

#include "deptran/launcher.h"
#include "labs/cluster/node_site.h"
#include "labs/cluster/shard_config.h"
#include "labs/harness/shardmaster/shardmaster_node.h"
#include "labs/harness/txn/txn_node.h"

namespace janus {
namespace {

std::unique_ptr<LabSite> MakeTxnSite(const SiteEnv& env) {
  const PartitionInfo& p = env.config->Partition(env.site().partition_id);
  if (p.name == kShardMasterPartition) return std::make_unique<NodeSite<ShardMasterNode>>(env);
  return std::make_unique<NodeSite<TxnNode>>(env);
}

}  // namespace

JANUS_REGISTER_LAB_SITE(txn, MakeTxnSite);
JANUS_REGISTER_LAB_CONFIG_CHECK(txn, CheckShardLabConfig);

}  // namespace janus
