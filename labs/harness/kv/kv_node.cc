#include "labs/harness/kv/kv_node.h"

#include <string>
#include <utility>

#include "rrr/reactor/node.h"

namespace janus {

KvNode::KvNode(std::shared_ptr<const Config> config, int site_id, Persister* persister) {
  const int64_t maxraftstate = config->GetInt("maxraftstate", -1);
  // Raft's apply loop starts in RaftNode's constructor and cannot apply a command before this
  // constructor returns (coroutines switch only when they wait), so kv_ exists by then. A
  // persisted snapshot, though, is delivered at once, from inside RaftNode's constructor: it is
  // kept here and handed to the KvServer as soon as that exists.
  raft_node_ = std::make_unique<RaftNode>(
      std::move(config), site_id, persister,
      [this](uint64_t i, std::shared_ptr<Marshallable> cmd) {
        if (kv_ != nullptr) kv_->OnApply(i, std::move(cmd));
      },
      [this](uint64_t index, uint64_t term, const std::string& snapshot) {
        if (kv_ != nullptr) {
          kv_->OnSnapshot(index, term, snapshot);
        } else {
          startup_snapshot_ =
              std::make_unique<StartupSnapshot>(StartupSnapshot{index, term, snapshot});
        }
      });
  // A node that fails to start is a crashed node (rrr/reactor/node.h).
  rrr::CancelNodeIfStartThrows([&] {
    kv_ = std::make_unique<KvServer>(&raft_node_->raft(), maxraftstate);
    if (startup_snapshot_ != nullptr) {
      kv_->OnSnapshot(startup_snapshot_->index, startup_snapshot_->term, startup_snapshot_->bytes);
      startup_snapshot_.reset();
    }
  });
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
