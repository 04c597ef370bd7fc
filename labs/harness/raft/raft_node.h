// RaftNode: one complete Raft peer as the test harness (and the later labs) build it: an
// rrr::Server listening on its address with the Raft service registered, a RaftCommo to the
// other peers, and the RaftServer itself. Instructor machinery: students never edit it.
//
//   Cluster<RaftNode> c(3, [&](int i, Persister* p, const std::vector<std::string>& addrs) {
//     return std::make_unique<RaftNode>(i, p, addrs, [](uint64_t index, auto cmd) { ... });
//   });
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "deptran/config.h"
#include "deptran/persister.h"
#include "labs/raft/commo.h"
#include "labs/raft/server.h"
#include "labs/raft/service.h"
#include "rrr/rpc/server.h"

namespace janus {

// A one-partition config for `lab` whose site i listens on addrs[i] ("host:port").
// Throws ConfigError on a malformed address.
std::shared_ptr<Config> ConfigFromAddrs(const std::string& lab,
                                        const std::vector<std::string>& addrs);

class RaftNode {
 public:
  // Builds peer `index` of the peers listening on `addrs`, listens, and calls Setup(). Must run
  // with the node's context current (the Cluster factory does). `persister` must outlive the
  // node. Throws std::runtime_error if it cannot listen.
  RaftNode(int index, Persister* persister, const std::vector<std::string>& addrs,
           RaftApplyCallback apply);
  ~RaftNode();

  RaftServer& raft() { return *raft_; }
  RaftCommo& commo() { return *commo_; }
  // The RPC server, for services of a later lab sharing the node (e.g. the KV service).
  rrr::Server& rpc_server() { return *rpc_server_; }

 private:
  std::shared_ptr<Config> config_;
  std::unique_ptr<rrr::Server> rpc_server_;
  std::unique_ptr<RaftCommo> commo_;
  std::unique_ptr<RaftServer> raft_;
  std::unique_ptr<RaftServiceImpl> service_;
};

}  // namespace janus
