// KvNode: one complete replica of the lab 2 key/value service as the tests (and later labs)
// build it: a RaftNode (rrr::Server, Raft service, RaftCommo, RaftServer) with a KvServer on top,
// whose KV service shares the Raft node's RPC server and address. Instructor machinery: students
// never edit it.
//
//   Cluster<KvNode> c(5, [](int i, Persister* p, const std::vector<std::string>& addrs) {
//     return std::make_unique<KvNode>(i, p, addrs);
//   });
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "deptran/persister.h"
#include "labs/harness/raft/raft_node.h"
#include "labs/kv/server.h"
#include "labs/kv/service.h"

namespace janus {

class KvNode {
 public:
  // Builds replica `index` of the replicas listening on `addrs` and starts it. Must run with the
  // node's context current (the Cluster factory does). `persister` must outlive the node.
  // Throws std::runtime_error if it cannot listen.
  KvNode(int index, Persister* persister, const std::vector<std::string>& addrs);
  ~KvNode();

  KvServer& kv() { return *kv_; }
  RaftServer& raft() { return raft_node_->raft(); }

 private:
  std::unique_ptr<RaftNode> raft_node_;
  std::unique_ptr<KvServer> kv_;
  std::unique_ptr<KvServiceImpl> service_;
};

}  // namespace janus
