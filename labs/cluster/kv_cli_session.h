// KvCliSession: the reactor and clerks behind kv_cli (labs/cluster/kv_cli.cc), usable from a
// plain main(): each call runs clerk operations in coroutines and drives the reactor until they
// finish or a deadline passes. The session does not know which lab it talks to: it gets a
// factory of key/value clerks (CliClerk: lab kv's KvClient, lab shardkv's ShardKvClient) and the
// shard master's addresses; kv_cli_shard.h opens the sessions of the sharded labs.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "deptran/config.h"
#include "rrr/reactor/node.h"
#include "rrr/reactor/reactor.h"

namespace janus {

// Node ids of kv_cli's nodes start here, far above any site id, so that a server tells its
// clients from its peers by the id in their hello (deptran/fault_control.h cuts only peers).
constexpr int kCliNodeBase = 1000000;

// A key/value clerk as kv_cli drives it. REQUIRES (all three): inside a coroutine of the node
// the clerk was built in; one operation at a time.
class CliClerk {
 public:
  virtual ~CliClerk() = default;
  virtual std::string Get(const std::string& key) = 0;
  virtual void Put(const std::string& key, const std::string& value) = 0;
  virtual void Append(const std::string& key, const std::string& value) = 0;
};

// A CliClerk over a clerk class with the same three methods (KvClient, ShardKvClient), built
// from the constructor argument `addrs`. Construct it with its node current.
template <typename Clerk>
class CliClerkOf : public CliClerk {
 public:
  explicit CliClerkOf(const std::vector<std::string>& addrs) : clerk_(addrs) {}
  std::string Get(const std::string& key) override { return clerk_.Get(key); }
  void Put(const std::string& key, const std::string& value) override { clerk_.Put(key, value); }
  void Append(const std::string& key, const std::string& value) override {
    clerk_.Append(key, value);
  }

 private:
  Clerk clerk_;
};

// Builds a key/value clerk; called with the clerk's node current.
using CliClerkFactory = std::function<std::unique_ptr<CliClerk>()>;

// What a session talks to, as read from the config by its opener.
struct CliTarget {
  std::shared_ptr<const Config> config;
  CliClerkFactory clerks;                 // empty: the lab has no keys (shardmaster)
  std::string describe;                   // "kv0 (127.0.0.1:7100), ...", for error messages
  std::vector<std::string> master_addrs;  // the shard master's; empty for lab kv
  std::string master_describe;            // "m0 (127.0.0.1:7400), ...", for error messages
  // The key of bench put i of client c; empty: "bench-<c>-<i>".
  std::function<std::string(int c, int i)> bench_key;
};

class KvCliSession {
 public:
  // A session with `target`. Creates this thread's real-time reactor (fresh random seed, so
  // clerk ids differ between processes).
  explicit KvCliSession(CliTarget target);
  ~KvCliSession();
  KvCliSession(const KvCliSession&) = delete;
  KvCliSession& operator=(const KvCliSession&) = delete;

  // Opens a session for a config of lab kv: the clerk talks to the sites of partition
  // `partition` (empty: the first). Throws LaunchError if the lab is not "kv", the partition
  // does not exist or a site has port 0.
  static std::unique_ptr<KvCliSession> OpenKv(const Config& config, const std::string& partition);

  const CliTarget& target() const { return target_; }
  bool has_keys() const { return static_cast<bool>(target_.clerks); }

  // Runs fn with the session's clerk in a coroutine until it returns or timeout_us passes.
  // Returns false on timeout; the stuck clerk is then cancelled and replaced by a new one.
  // REQUIRES: has_keys().
  bool Run(const std::function<void(CliClerk&)>& fn, uint64_t timeout_us);

  // Runs fn in a coroutine of the session's node until it returns or timeout_us passes; on
  // timeout the node is cancelled (fn unwinds) and replaced, and false is returned. Objects fn
  // uses that hold connections (a clerk) are built with InNode and destroyed after this returns.
  bool RunTask(const std::function<void()>& fn, uint64_t timeout_us);
  // Runs fn at once with the session's node current (to construct a clerk).
  void InNode(const std::function<void()>& fn);

  // A new node of the session's reactor named `name`, for a worker with a clerk of its own (as
  // Bench's); the caller cancels it before destroying what runs in it.
  std::shared_ptr<rrr::NodeContext> NewWorkerNode(const std::string& name);
  // Drives the reactor until done() is true (checked between events) or timeout_us passes;
  // returns done().
  bool RunUntil(const std::function<bool()>& done, uint64_t timeout_us);

  struct BenchResult {
    int done = 0;          // puts completed
    double seconds = 0;    // wall time of the whole run
    double mean_ms = 0, p50_ms = 0, p99_ms = 0;  // per-put latency
  };
  // `n` puts (keys target().bench_key) by `clients` concurrent clerks, each in its own node.
  // Returns false if they did not all finish within timeout_us (*out->done tells how many did).
  // REQUIRES: has_keys(), n >= 1, clients >= 1.
  bool Bench(int n, int clients, uint64_t timeout_us, BenchResult* out);

  // The key/value servers, for error messages (CliTarget::describe).
  const std::string& Describe() const { return target_.describe; }

 private:
  void NewNode();

  CliTarget target_;
  std::shared_ptr<rrr::Reactor> reactor_;
  std::shared_ptr<rrr::NodeContext> node_;  // the clerk's node
  std::unique_ptr<CliClerk> clerk_;
  int next_node_id_ = kCliNodeBase;
};

}  // namespace janus
