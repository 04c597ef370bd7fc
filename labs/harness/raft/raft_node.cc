#include "labs/harness/raft/raft_node.h"

#include <stdexcept>
#include <string>
#include <utility>

#include "rrr/reactor/node.h"

namespace janus {

RaftNode::RaftNode(std::shared_ptr<const Config> config, int site_id, Persister* persister,
                   RaftApplyCallback apply, RaftSnapshotCallback snapshot)
    : config_(std::move(config)) {
  const std::string address = config_->Site(site_id).Address();
  rpc_server_ = std::make_unique<rrr::Server>();
  commo_ = std::make_unique<RaftCommo>(site_id, config_);
  raft_ = std::make_unique<RaftServer>(commo_.get(), persister);
  service_ = std::make_unique<RaftServiceImpl>(raft_.get());
  rpc_server_->RegisterService(service_.get());
  if (rpc_server_->Listen(address) != 0) {
    throw std::runtime_error("raft node " + std::to_string(site_id) + " cannot listen on " +
                             address);
  }
  raft_->SetApplyCallback(std::move(apply));
  if (snapshot) raft_->SetSnapshotCallback(std::move(snapshot));
  try {
    raft_->Setup();
  } catch (...) {
    // A node that fails to start is a crashed node: its coroutines (Raft's loops) unwind while
    // the objects they wait on still exist; only then do the members go.
    if (rrr::NodeContext* node = rrr::NodeContext::Current()) node->Cancel();
    throw;
  }
}

RaftNode::~RaftNode() {
  // Stop serving first, then stop Raft, then drop the connections.
  rpc_server_.reset();
  raft_->Shutdown();
  service_.reset();
  raft_.reset();
  commo_.reset();
}

}  // namespace janus
