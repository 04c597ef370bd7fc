// ShardMasterNode: one replica of the shard master as the tests, the sharded KV tests and
// cluster mode build it: a RaftNode (labs/harness/raft/raft_node.h) with a ShardMasterServer on
// top, whose service shares the Raft node's RPC server and address. Instructor machinery:
// students never edit it.
//
//   Cluster<ShardMasterNode> c(3, [](int i, Persister* p, const std::vector<std::string>& addrs) {
//     auto config = std::make_shared<const Config>(Config::FromAddresses("shardmaster", addrs));
//     return std::make_unique<ShardMasterNode>(config, i, p);
//   });
#pragma once

#include <memory>

#include "deptran/config.h"
#include "deptran/persister.h"
#include "labs/harness/raft/raft_node.h"
#include "labs/shardmaster/server.h"
#include "labs/shardmaster/service.h"

namespace janus {

class ShardMasterNode {
 public:
  // Builds the replica of site `site_id` of `config` (its peers: the other sites of its
  // partition) and starts it. Must run with the node's context current (the Cluster factory
  // does). `persister` must outlive the node. Throws std::runtime_error if it cannot listen.
  ShardMasterNode(std::shared_ptr<const Config> config, int site_id, Persister* persister);
  ~ShardMasterNode();

  ShardMasterServer& server() { return *server_; }
  RaftServer& raft() { return raft_node_->raft(); }

 private:
  std::unique_ptr<RaftNode> raft_node_;
  std::unique_ptr<ShardMasterServer> server_;
  std::unique_ptr<ShardMasterServiceImpl> service_;
};

}  // namespace janus
