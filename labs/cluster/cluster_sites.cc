// The lab sites deptran_server can run (deptran/launcher.h), registered by lab name. Each node
// gets the whole loaded config and its site id: its Raft peers are the sites of its partition.
//
//   lab: raft   a RaftNode (Raft service on the site's address). Committed entries are only
//               logged: a Raft-only cluster has no client, it is there to watch elections.
//   lab: kv     a KvNode (Raft + the KV service on the site's address), for kv_cli.
//
// The sharded labs (shardmaster, shardkv) are registered in shard_sites.cc. Each site logs its
// leadership changes at info level (leadership_log.h), which is how scripts and tests
// (test/cluster/) tell the leader.
//
// Linked into deptran_server as an object file, so that the registrations run.
#include <memory>

#include "deptran/launcher.h"
#include "labs/cluster/leadership_log.h"
#include "labs/harness/kv/kv_node.h"
#include "labs/harness/raft/raft_node.h"
#include "rrr/base/logging.h"

namespace janus {
namespace {

class RaftSite : public LabSite {
 public:
  explicit RaftSite(const SiteEnv& env) {
    const std::string name = env.site().name;
    node_ = std::make_unique<RaftNode>(
        env.config, env.site_id, env.persister,
        [name](uint64_t index, std::shared_ptr<Marshallable> cmd) {
          Log_debug("site %s: applied entry %llu (kind %d)", name.c_str(),
                    static_cast<unsigned long long>(index), cmd ? cmd->kind_ : -1);
        });
    WatchLeadership(name, &node_->raft(), alive_);
  }
  ~RaftSite() override {
    *alive_ = false;
    node_.reset();
  }

 private:
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  std::unique_ptr<RaftNode> node_;
};

class KvSite : public LabSite {
 public:
  explicit KvSite(const SiteEnv& env) {
    node_ = std::make_unique<KvNode>(env.config, env.site_id, env.persister);
    WatchLeadership(env.site().name, &node_->raft(), alive_);
  }
  ~KvSite() override {
    *alive_ = false;
    node_.reset();
  }

 private:
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
  std::unique_ptr<KvNode> node_;
};

}  // namespace

JANUS_REGISTER_LAB_SITE(raft, [](const SiteEnv& env) -> std::unique_ptr<LabSite> {
  return std::make_unique<RaftSite>(env);
});
JANUS_REGISTER_LAB_SITE(kv, [](const SiteEnv& env) -> std::unique_ptr<LabSite> {
  return std::make_unique<KvSite>(env);
});

}  // namespace janus
