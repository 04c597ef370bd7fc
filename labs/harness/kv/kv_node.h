// KvNode: one complete replica of the lab 2 key/value service as the tests (and later labs)
// build it: a RaftNode (rrr::Server, Raft service, RaftCommo, RaftServer) with a KvServer on top,
// whose KV service shares the Raft node's RPC server and address. The KvServer receives the
// Raft peer's committed commands and snapshots, and the config option "maxraftstate" (bytes; -1,
// the default, never snapshots). Instructor machinery: students never edit it.
//
//   Cluster<KvNode> c(5, [](int i, Persister* p, const std::vector<std::string>& addrs) {
//     auto config = std::make_shared<const Config>(Config::FromAddresses("kv", addrs));
//     return std::make_unique<KvNode>(config, i, p);
//   });
#pragma once

#include <cstdint>
#include <memory>
#include <string>

#include "deptran/config.h"
#include "deptran/persister.h"
#include "labs/harness/raft/raft_node.h"
#include "labs/kv/server.h"
#include "labs/kv/service.h"

namespace janus {

class KvNode {
 public:
  // Builds the replica of site `site_id` of `config` (its peers: the other sites of its
  // partition) and starts it; the KvServer gets config->GetInt("maxraftstate", -1) and, if the
  // persister holds a snapshot, that snapshot before anything else. Must run with the node's
  // context current (the Cluster factory does). `persister` must outlive the node. Throws
  // std::runtime_error if it cannot listen, ConfigError if maxraftstate is not an integer.
  KvNode(std::shared_ptr<const Config> config, int site_id, Persister* persister);
  ~KvNode();

  KvServer& kv() { return *kv_; }
  RaftServer& raft() { return raft_node_->raft(); }

 private:
  // A snapshot Raft delivered before the KvServer existed (at start-up).
  struct StartupSnapshot {
    uint64_t index;
    uint64_t term;
    std::string bytes;
  };

  std::unique_ptr<StartupSnapshot> startup_snapshot_;  // until kv_ exists
  std::unique_ptr<RaftNode> raft_node_;
  std::unique_ptr<KvServer> kv_;
  std::unique_ptr<KvServiceImpl> service_;
};

}  // namespace janus
