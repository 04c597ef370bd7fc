#include "labs/harness/shardmaster/shardmaster_node.h"

#include <utility>

namespace janus {

ShardMasterNode::ShardMasterNode(std::shared_ptr<const Config> config, int site_id,
                                 Persister* persister) {
  // Raft cannot apply a command before this constructor returns (coroutines switch only when
  // they wait), so server_ exists by the time the callback runs.
  raft_node_ = std::make_unique<RaftNode>(
      std::move(config), site_id, persister,
      [this](uint64_t i, std::shared_ptr<Marshallable> cmd) {
        if (server_ != nullptr) server_->OnApply(i, std::move(cmd));
      });
  server_ = std::make_unique<ShardMasterServer>(&raft_node_->raft());
  service_ = std::make_unique<ShardMasterServiceImpl>(server_.get());
  raft_node_->rpc_server().RegisterService(service_.get());
}

ShardMasterNode::~ShardMasterNode() {
  // The RPC server (inside the RaftNode) goes first, so no handler reaches the service after it
  // is gone; then the shard master's state.
  if (server_ != nullptr) server_->Shutdown();
  raft_node_.reset();
  service_.reset();
  server_.reset();
}

}  // namespace janus
