// The lab sites deptran_server can run (deptran/launcher.h), registered by lab name. Each node
// gets the whole loaded config and its site id: its Raft peers are the sites of its partition.
//
//   lab: raft   a RaftNode (Raft service on the site's address). Committed entries are only
//               logged: a Raft-only cluster has no client, it is there to watch elections.
//   lab: kv     a KvNode (Raft + the KV service on the site's address), for kv_cli.
//
// Each site logs its leadership changes at info level ("site kv1: leader in term 3", "site kv1:
// follower"), which is how scripts and tests (test/cluster/) tell the leader.
//
// Linked into deptran_server as an object file, so that the registrations run.
#include <memory>

#include "deptran/launcher.h"
#include "labs/harness/kv/kv_node.h"
#include "labs/harness/raft/raft_node.h"
#include "rrr/base/logging.h"
#include "rrr/reactor/coroutine.h"

namespace janus {
namespace {

// Polls the Raft peer's state every 50 ms and logs when it gains or loses leadership. Runs as a
// coroutine of the site's node, so cancelling the node ends it; `alive` guards the destruction
// order anyway.
void WatchLeadership(const std::string& name, RaftServer* raft, std::shared_ptr<bool> alive) {
  rrr::Coroutine::CreateRun([name, raft, alive] {
    bool was_leader = false;
    uint64_t led_term = 0;
    while (*alive) {
      bool leader = false;
      uint64_t term = 0;
      raft->GetState(&leader, &term);
      if (leader && (!was_leader || term != led_term)) {
        Log_info("site %s: leader in term %llu", name.c_str(),
                 static_cast<unsigned long long>(term));
        led_term = term;
      } else if (!leader && was_leader) {
        Log_info("site %s: follower in term %llu", name.c_str(),
                 static_cast<unsigned long long>(term));
      }
      was_leader = leader;
      rrr::Coroutine::Sleep(50 * 1000);
    }
  });
}

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
