// A test-only network fault hook for deptran_server: `--fault-control FILE` makes the site drop
// every frame it would send to, or receive from, the sites FILE names, as if the links between
// them were cut (a partition), while the TCP connections stay open. Off unless the flag is
// given; meant for the Jepsen-style cluster test (test/cluster/jepsen_kv_test.py). iptables would
// need root and the binary (missing in this project's sandbox), and on one host, with every site
// on 127.0.0.1 under one user, a rule cannot tell one site's outgoing connections from
// another's (their source ports are ephemeral); the hook needs neither.
//
// FILE holds site names of the same config, separated by spaces or newlines ('#' starts a
// comment to the end of the line). The site re-reads it every 20 ms; a missing or empty file
// cuts nothing (heals). Write it atomically (write a temp file, rename it over FILE). Each
// change is logged at info level: "fault control: cut off from kv1 kv2" or "... healed".
// Unknown names are logged (warn) and ignored.
//
// Frames are matched by the node id each end announces in its TCP hello: a site's is its site
// id, a kv_cli clerk's is kCliNodeBase or more (labs/cluster/kv_cli_session.h), so clients are
// never cut off by it.
#pragma once

#include <memory>
#include <set>
#include <string>

#include "deptran/config.h"
#include "rrr/net/policy.h"

namespace rrr {
class Reactor;
}

namespace janus {

// The policy behind --fault-control: drops frames to and from the sites named in a file.
class FileFaultPolicy : public rrr::NetPolicy {
 public:
  // Reads site names against `config`; nothing is cut until the first Reload.
  FileFaultPolicy(std::shared_ptr<const Config> config, std::string path);

  // Reads the file again and applies it; logs a change. Returns the sites now cut off.
  const std::set<int>& Reload();

  rrr::FrameFate Decide(int from_node, int to_node, bool is_reply, size_t bytes) override;
  bool Deliverable(int from_node, int to_node, bool is_reply) override;

  // True if frames between this site and `node` are dropped now.
  bool IsCut(int node) const { return cut_.count(node) != 0; }

 private:
  std::shared_ptr<const Config> config_;
  std::string path_;
  std::string last_text_;  // the file's content at the last Reload
  std::set<int> cut_;      // site ids
};

// Installs a FileFaultPolicy on `reactor`'s default transport and re-reads `path` every 20 ms
// on that reactor (outside any node). REQUIRES: called on the reactor's thread before the site
// opens connections; the reactor outlives the polling (it stops with the reactor's loop).
void StartFaultControl(rrr::Reactor* reactor, std::shared_ptr<const Config> config,
                       const std::string& path);

}  // namespace janus
