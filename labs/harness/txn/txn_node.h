// TxnNode: one replica of one replica group of the transactional KV store (Lab 4), as the tests
// and cluster mode build it: a RaftNode (its Raft peers: the other sites of its partition) with
// a TxnServer on top, whose service shares the Raft node's RPC server and address.
// Instructor machinery: students never edit it.
//
// The config tells the node who it is, as for ShardKvNode: its site's partition is named
// "g<gid>", the shard master is the partition named kShardMasterPartition ("ctrl"). Options:
// "maxraftstate" (bytes, default -1: never snapshot) and "concurrency" ("occ", the default, or
// "2pl"), both passed to the server.
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "deptran/config.h"
#include "deptran/persister.h"
#include "labs/harness/raft/raft_node.h"
#include "labs/harness/shardkv/shardkv_node.h"  // kShardMasterPartition, GidOfPartition
#include "labs/txn/server.h"
#include "labs/txn/service.h"

namespace janus {

// The concurrency control a config asks for (option "concurrency", default "occ"). Throws
// ConfigError for a value other than "occ" or "2pl".
Concurrency ConcurrencyOfConfig(const Config& config);

class TxnNode {
 public:
  // Builds the replica of site `site_id` of `config` and starts it. Must run with the node's
  // context current (the Cluster factory does). `persister` must outlive the node. Throws
  // ConfigError if the site's partition is not named "g<gid>", if the config has no
  // kShardMasterPartition partition, if maxraftstate is not an integer or concurrency is
  // neither "occ" nor "2pl"; std::runtime_error if it cannot listen.
  TxnNode(std::shared_ptr<const Config> config, int site_id, Persister* persister);
  ~TxnNode();

  TxnServer& server() { return *server_; }
  RaftServer& raft() { return raft_node_->raft(); }

 private:
  struct StartupSnapshot {
    uint64_t index;
    uint64_t term;
    std::string bytes;
  };

  std::unique_ptr<StartupSnapshot> startup_snapshot_;  // until server_ exists
  std::unique_ptr<RaftNode> raft_node_;
  std::unique_ptr<TxnServer> server_;
  std::unique_ptr<TxnServiceImpl> service_;
};

}  // namespace janus
