// KvCliSession: the reactor and clerks behind kv_cli (labs/cluster/kv_cli.cc), usable from a
// plain main(): each call runs clerk operations in coroutines and drives the reactor until they
// finish or a deadline passes.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "deptran/config.h"
#include "labs/kv/client.h"
#include "rrr/reactor/node.h"
#include "rrr/reactor/reactor.h"

namespace janus {

class KvCliSession {
 public:
  // A session with the sites of partition `partition` of `config` (empty: the first partition).
  // Creates this thread's real-time reactor (fresh random seed, so clerk ids differ between
  // processes). Throws LaunchError if the lab is not "kv", the partition does not exist or a
  // site has port 0.
  KvCliSession(const Config& config, const std::string& partition);
  ~KvCliSession();
  KvCliSession(const KvCliSession&) = delete;
  KvCliSession& operator=(const KvCliSession&) = delete;

  // Runs fn with the session's clerk in a coroutine until it returns or timeout_us passes.
  // Returns false on timeout; the stuck clerk is then cancelled and replaced by a new one.
  bool Run(const std::function<void(KvClient&)>& fn, uint64_t timeout_us);

  struct BenchResult {
    int done = 0;          // puts completed
    double seconds = 0;    // wall time of the whole run
    double mean_ms = 0, p50_ms = 0, p99_ms = 0;  // per-put latency
  };
  // `n` puts (keys bench-<client>-<i>) by `clients` concurrent clerks, each in its own node.
  // Returns false if they did not all finish within timeout_us (*out->done tells how many did).
  // REQUIRES: n >= 1, clients >= 1.
  bool Bench(int n, int clients, uint64_t timeout_us, BenchResult* out);

  // "kv0 (127.0.0.1:7100), kv1 (...)", for error messages.
  const std::string& Describe() const { return describe_; }

 private:
  void NewClerk();

  std::vector<std::string> addrs_;
  std::string describe_;
  std::shared_ptr<rrr::Reactor> reactor_;
  std::shared_ptr<rrr::NodeContext> node_;  // the clerk's node
  std::unique_ptr<KvClient> clerk_;
  int next_node_id_ = 1;
};

}  // namespace janus
