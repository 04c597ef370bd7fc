// ShardKvNode: one replica of one replica group of the sharded KV store, as the tests and cluster
// mode build it: a RaftNode (its Raft peers: the other sites of its partition) with a
// ShardKvServer on top, whose service shares the Raft node's RPC server and address.
// Instructor machinery: students never edit it.
//
// The config tells the node who it is: its site's partition is named "g<gid>" (e.g. "g100": gid
// 100), the shard master is the partition named kShardMasterPartition ("ctrl"), and the option
// "maxraftstate" (bytes, default -1: never snapshot) goes to the server. config/shardkv_3x3.yml
// is such a config; tests build theirs with ConfigBuilder from their clusters' addresses.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "deptran/config.h"
#include "deptran/persister.h"
#include "labs/harness/raft/raft_node.h"
#include "labs/shardkv/server.h"
#include "labs/shardkv/service.h"

namespace janus {

// The name of the shard master's partition in a sharded-KV config.
constexpr const char kShardMasterPartition[] = "ctrl";

// The gid a partition named "g<digits>" stands for (e.g. "g100" -> 100); 0 if `name` has another
// form or names gid 0.
uint64_t GidOfPartition(const std::string& name);

// The config a test gives the nodes of one replica group (of shardkv, or of a lab built the same
// way, e.g. txn): partition kShardMasterPartition with site master_names[k] at master_addrs[k],
// then partition "g<gid>" with site "g<gid>-<k>" at addrs[k], then `options` (e.g. maxraftstate).
// The group's site k has site id master_addrs.size() + k. `source` names the config in errors.
// REQUIRES: master_names.size() == master_addrs.size().
std::shared_ptr<const Config> GroupTestConfig(const std::string& lab, const std::string& source,
                                              const std::vector<std::string>& master_names,
                                              const std::vector<std::string>& master_addrs,
                                              uint64_t gid, const std::vector<std::string>& addrs,
                                              const std::map<std::string, std::string>& options);

class ShardKvNode {
 public:
  // Builds the replica of site `site_id` of `config` and starts it. Must run with the node's
  // context current (the Cluster factory does). `persister` must outlive the node. Throws
  // ConfigError if the site's partition is not named "g<gid>", if the config has no
  // kShardMasterPartition partition or if maxraftstate is not an integer; std::runtime_error if
  // it cannot listen.
  ShardKvNode(std::shared_ptr<const Config> config, int site_id, Persister* persister);
  ~ShardKvNode();

  ShardKvServer& server() { return *server_; }
  RaftServer& raft() { return raft_node_->raft(); }

 private:
  struct StartupSnapshot {
    uint64_t index;
    uint64_t term;
    std::string bytes;
  };

  std::unique_ptr<StartupSnapshot> startup_snapshot_;  // until server_ exists
  std::unique_ptr<RaftNode> raft_node_;
  std::unique_ptr<ShardKvServer> server_;
  std::unique_ptr<ShardKvServiceImpl> service_;
};

}  // namespace janus
