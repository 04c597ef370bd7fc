// NodeSite<Node>: the LabSite (deptran/launcher.h) of a lab whose site is one node object built
// from the site's config, id and persister (ShardMasterNode, ShardKvNode, TxnNode), with its
// leadership changes logged (leadership_log.h). Used by shard_sites.cc and txn_sites.cc.
#pragma once

#include <memory>

#include "deptran/launcher.h"
#include "labs/cluster/leadership_log.h"

namespace janus {

// REQUIRES: Node(std::shared_ptr<const Config>, int site_id, Persister*) and RaftServer& raft().
template <typename Node>
class NodeSite : public LabSite {
 public:
  // Builds and starts the node; runs with the site's node context current (as a factory does).
  explicit NodeSite(const SiteEnv& env) {
    node_ = std::make_unique<Node>(env.config, env.site_id, env.persister);
    WatchLeadership(env.site().name, &node_->raft(), alive_);
  }
  ~NodeSite() override {
    *alive_ = false;
    node_.reset();
  }

 private:
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  std::unique_ptr<Node> node_;
};

}  // namespace janus
