// RaftNode: one complete Raft peer as the test harness (and the later labs) build it: an
// rrr::Server listening on its address with the Raft service registered, a RaftCommo to the
// other peers, and the RaftServer itself. Instructor machinery: students never edit it.
//
// It runs site `site_id` of a Config (deptran/config.h): it listens on that site's address and
// its peers are the other sites of the site's partition. Test fixtures build the config from the
// cluster's addresses; cluster mode passes the config file it loaded:
//
//   Cluster<RaftNode> c(3, [&](int i, Persister* p, const std::vector<std::string>& addrs) {
//     auto config = std::make_shared<const Config>(Config::FromAddresses("raft", addrs));
//     return std::make_unique<RaftNode>(config, i, p, [](uint64_t index, auto cmd) { ... });
//   });
#pragma once

#include <memory>

#include "deptran/config.h"
#include "deptran/persister.h"
#include "labs/raft/commo.h"
#include "labs/raft/server.h"
#include "labs/raft/service.h"
#include "rrr/rpc/server.h"

namespace janus {

class RaftNode {
 public:
  // Builds the peer of site `site_id` of `config`, listens on the site's address, registers
  // `apply` and `snapshot` (if given; lab 3 part D) and calls Setup(). Must run with the node's
  // context current (the Cluster factory does). `persister` must outlive the node.
  // REQUIRES: 0 <= site_id < config->NumSites(). Throws std::runtime_error if it cannot listen.
  RaftNode(std::shared_ptr<const Config> config, int site_id, Persister* persister,
           RaftApplyCallback apply, RaftSnapshotCallback snapshot = nullptr);
  ~RaftNode();

  RaftServer& raft() { return *raft_; }
  RaftCommo& commo() { return *commo_; }
  // The RPC server, for services of a later lab sharing the node (e.g. the KV service).
  rrr::Server& rpc_server() { return *rpc_server_; }

 private:
  std::shared_ptr<const Config> config_;
  std::unique_ptr<rrr::Server> rpc_server_;
  std::unique_ptr<RaftCommo> commo_;
  std::unique_ptr<RaftServer> raft_;
  std::unique_ptr<RaftServiceImpl> service_;
};

}  // namespace janus
