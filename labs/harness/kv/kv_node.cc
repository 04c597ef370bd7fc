#include "labs/harness/kv/kv_node.h"

namespace janus {

KvNode::KvNode(std::shared_ptr<const Config> config, int site_id, Persister* persister) {
  // Raft's apply loop starts in RaftNode's constructor but cannot apply anything before this
  // constructor returns (coroutines switch only when they wait), so kv_ exists by then.
  raft_node_ = std::make_unique<RaftNode>(std::move(config), site_id, persister,
                                          [this](uint64_t i, std::shared_ptr<Marshallable> cmd) {
                                            if (kv_ != nullptr) kv_->OnApply(i, std::move(cmd));
                                          });
  kv_ = std::make_unique<KvServer>(&raft_node_->raft());
  service_ = std::make_unique<KvServiceImpl>(kv_.get());
  raft_node_->rpc_server().RegisterService(service_.get());
}

KvNode::~KvNode() {
  // The RPC server (inside the RaftNode) goes first, so no handler reaches the KV service
  // after it is gone; then the KV state.
  if (kv_ != nullptr) kv_->Shutdown();
  raft_node_.reset();
  service_.reset();
  kv_.reset();
}

}  // namespace janus
