// ShardMasterTester: the shard-master lab's test fixture, on the harness's LabTester base
// (labs/harness/core/lab_tester.h: failures, time, randomness, network and crash controls,
// Go/Join, End): a cluster of ShardMasterNodes, clerks on their own nodes, the four requests
// through a clerk with their answers checked, requests straight to one server
// (shardmaster_tester_direct.cc), and the checks of configurations
// (shardmaster_tester_checks.cc).
//
// Every configuration a Query returns is checked on the spot: valid (CheckValid), the same as
// any configuration of that number seen before (historical queries never change), and not
// older than what the test already knows exists (a Query(-1) that starts after a Join, Leave or
// Move returned OK sees its configuration or a later one). End() then checks that every replica
// that is up applied the same configurations, equal to the ones the clerks saw.
//
// Helpers that find a problem record a googletest failure at the test's line and throw
// harness::ScenarioFailure. Everything runs on the test's reactor, in coroutines; no threads.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "labs/harness/core/lab_tester.h"
#include "labs/harness/shardmaster/shardmaster_node.h"
#include "labs/shardmaster/client.h"
#include "labs/shardmaster/common.h"
#include "rrr/reactor/event.h"
#include "rrr/reactor/node.h"

namespace janus {

// A clerk of the test: a ShardMasterClient on a node of its own (so network controls apply).
struct SmTestClerk {
  int id = 0;  // "c<id>" in logs
  std::shared_ptr<rrr::NodeContext> context;
  std::unique_ptr<ShardMasterClient> client;
};

// One request as the tests describe it (the reference's own command type is the student's).
struct SmRequest {
  enum class Op { kJoin, kLeave, kMove, kQuery };
  Op op = Op::kQuery;
  std::map<uint64_t, std::vector<std::string>> servers;  // Join
  std::vector<uint64_t> gids;                            // Leave
  int shard = 0;                                         // Move
  uint64_t gid = 0;                                      // Move
  int64_t num = -1;                                      // Query

  // The four requests, with their arguments (shardmaster_rpc.rpc says what each does).
  static SmRequest Join(std::map<uint64_t, std::vector<std::string>> servers);
  static SmRequest Leave(std::vector<uint64_t> gids);
  static SmRequest Move(int shard, uint64_t gid);
  static SmRequest Query(int64_t num);
  // "Join(101 102)", "Move(3 -> 101)", for logs and messages.
  std::string Describe() const;
};

class ShardMasterTester : public harness::LabTester<ShardMasterNode> {
 public:
  using Groups = std::map<uint64_t, std::vector<std::string>>;
  // Election timeout assumed by the waits (the Raft lab asks for 300..600 ms).
  static constexpr uint64_t kElectionTimeoutUs = 1000 * 1000;
  // How long one request through a clerk may take before the test fails.
  static constexpr uint64_t kOpLimitUs = 20 * 1000 * 1000;

  // Starts n shard-master replicas; `unreliable` turns on random drops and delays at once.
  ShardMasterTester(int n, bool unreliable);
  // Stops every clerk and coroutine of the tester, then the replicas.
  ~ShardMasterTester() override;

  // The servers of group `gid` as the tests name them: three made-up addresses
  // ("g<gid>-0:7000" ...); the shard master never contacts them.
  static std::vector<std::string> ServersOf(uint64_t gid);
  // {gid: ServersOf(gid)} for each gid.
  static Groups GroupsOf(const std::vector<uint64_t>& gids);

  // ---- Clerks. ----
  // A new clerk that reaches every server (or only `servers`).
  SmTestClerk* MakeClerk();
  SmTestClerk* MakeClerk(const std::vector<int>& servers);
  // From now on the clerk reaches exactly `servers` (in both directions).
  void ConnectClerk(SmTestClerk* ck, const std::vector<int>& servers);

  // Join() without arguments is LabTester's: it waits for the coroutines started by Go.
  using LabTester::Join;

  // ---- Requests through a clerk. Callable from any coroutine of the test: they run in a
  // coroutine of the clerk's node and the caller waits, failing after kOpLimitUs. Join, Leave
  // and Move fail the test unless the clerk returns `expected`; Query checks its answer (see
  // the file comment). ----
  void Join(SmTestClerk* ck, const Groups& groups, SmErr expected = SmErr::OK,
            const char* file = __builtin_FILE(), int line = __builtin_LINE());
  void Leave(SmTestClerk* ck, const std::vector<uint64_t>& gids, SmErr expected = SmErr::OK,
             const char* file = __builtin_FILE(), int line = __builtin_LINE());
  void Move(SmTestClerk* ck, int shard, uint64_t gid, SmErr expected = SmErr::OK,
            const char* file = __builtin_FILE(), int line = __builtin_LINE());
  ShardConfig Query(SmTestClerk* ck, int64_t num, const char* file = __builtin_FILE(),
                    int line = __builtin_LINE());
  // Starts a request in the background; the event is set to the clerk's answer (Query: its
  // configuration) when it returns. A Query's answer is checked as above; a failed check is
  // recorded, the event set with ErrTimeout, and the test's next Sleep throws. The caller
  // checks the return code.
  struct Answer {
    SmErr err = SmErr::ErrTimeout;
    ShardConfig config;  // Query only
  };
  std::shared_ptr<rrr::BoxEvent<Answer>> StartOp(SmTestClerk* ck, const SmRequest& req);

  // ---- Requests straight to one server's ShardMasterServer (shardmaster_tester_direct.cc),
  // as the service would call it for this client id and sequence number: retries and timings
  // no clerk produces on its own. A Query's answer is checked like a clerk's. ----
  struct ServerReply {
    SmErr err = SmErr::ErrTimeout;
    ShardConfig config;    // Query only
    uint64_t took_us = 0;  // from the call to its return, in reactor time
  };
  // Starts the call on server i in a coroutine of its node; the event is set to its answer
  // (never, if the server never returns or crashes). REQUIRES: server i is up.
  std::shared_ptr<rrr::BoxEvent<ServerReply>> StartServerCall(int i, const SmRequest& req,
                                                              uint64_t client_id, uint64_t seq);
  // The same, waiting for the answer; fails if it does not come within `limit_us`.
  ServerReply CallServer(int i, const SmRequest& req, uint64_t client_id, uint64_t seq,
                         uint64_t limit_us = kOpLimitUs, const char* file = __builtin_FILE(),
                         int line = __builtin_LINE());
  // Sends the request to the current Leader() with the same client id and sequence number every
  // time until it answers OK or ErrInvalid (up to 20 attempts); returns that answer.
  ServerReply CallLeader(const SmRequest& req, uint64_t client_id, uint64_t seq,
                         const char* file = __builtin_FILE(), int line = __builtin_LINE());
  // A client id no clerk uses (clerks draw theirs below 2^62).
  uint64_t FreshClientId();

  // ---- Network and replicas. Every change is logged (Note). ----
  // Splits the servers into two groups that cannot talk to each other; clerks keep their own
  // links. REQUIRES: every server in exactly one group.
  void Partition(const std::vector<int>& a, const std::vector<int>& b);
  // Undoes Partition and reconnects every disconnected server.
  void ConnectAll();
  // Restarts server i from its persister and connects it again at once.
  void Restart(int i) override;
  // A connected server that believes it leads (the highest term if several), polling for up to
  // ~5 s; fails if none.
  int Leader(const char* file = __builtin_FILE(), int line = __builtin_LINE());

  // ---- Checks (shardmaster_tester_checks.cc). ----
  // Fails unless `c` is a valid configuration: kNShards shards; with groups, every shard on one
  // of them, no gid 0 and no group without servers; without groups, every shard on gid 0.
  void CheckValid(const ShardConfig& c, const std::string& what,
                  const char* file = __builtin_FILE(), int line = __builtin_LINE());
  // Fails unless every group serves kNShards / #groups shards, rounded down or up.
  void CheckBalanced(const ShardConfig& c, const std::string& what,
                     const char* file = __builtin_FILE(), int line = __builtin_LINE());
  // Fails unless `after` moved no more shards away from `before` than a balanced assignment
  // over after's groups needs (a shard moves only if its group left, or its group holds more
  // than its share).
  void CheckMinimalTransfer(const ShardConfig& before, const ShardConfig& after,
                            const std::string& what, const char* file = __builtin_FILE(),
                            int line = __builtin_LINE());
  // Queries the latest configuration through `ck`; fails unless its groups are exactly `gids`
  // (with ServersOf each), it is valid and balanced. Returns it.
  ShardConfig CheckGroups(SmTestClerk* ck, const std::vector<uint64_t>& gids,
                          const char* file = __builtin_FILE(), int line = __builtin_LINE());
  // Queries every configuration from 0 to `latest` through `ck` (each answer checked as usual,
  // so against what the test saw before) and checks that each one whose groups differ from the
  // previous one's moved as few shards as it could (CheckMinimalTransfer).
  void CheckHistory(SmTestClerk* ck, uint64_t latest, const char* file = __builtin_FILE(),
                    int line = __builtin_LINE());
  // Heals the servers, commits a Query through a fresh clerk, waits (up to 5 s) until every
  // replica that is up has applied the same configurations, and fails unless they are equal,
  // numbered 0, 1, 2, ..., and equal to every configuration a Query returned. Skipped (with a
  // note) when fewer than a majority of the replicas are up.
  void CheckReplicasAgree(const char* file = __builtin_FILE(), int line = __builtin_LINE());

  // The configurations the test has seen, by number (from Query answers).
  const std::map<uint64_t, ShardConfig>& seen() const { return seen_; }

 protected:
  // Throws if a check failed in a coroutine of the test (a background request).
  void CheckBackground() override;
  // End's check: CheckReplicasAgree.
  void EndChecks(const char* file, int line) override;

 private:
  std::unique_ptr<ShardMasterNode> MakeNode(int i, Persister* persister,
                                            const std::vector<std::string>& addrs);
  // Runs one request through the clerk; REQUIRES: in a coroutine of ck's node.
  Answer DoOp(SmTestClerk* ck, const SmRequest& req);
  // Runs DoOp from any coroutine, waiting up to kOpLimitUs.
  Answer RunOp(SmTestClerk* ck, const SmRequest& req);
  // Runs a Join/Leave/Move and fails unless its answer is `expected`.
  void RunChange(SmTestClerk* ck, const SmRequest& req, SmErr expected);
  // The on-the-spot checks of a configuration that a Query started at `known_at_start` returned
  // (see the file comment).
  void CheckAnswer(const SmRequest& req, const ShardConfig& c, uint64_t known_at_start,
                   const std::string& who);
  // Notes the test line a helper was called from; FailStep reports failures there.
  void Step(const char* file, int line) {
    step_file_ = file;
    step_line_ = line;
  }
  [[noreturn]] void FailStep(const std::string& message) { Fail(message, step_file_, step_line_); }

  std::vector<std::unique_ptr<SmTestClerk>> clerks_;
  std::map<uint64_t, ShardConfig> seen_;  // every configuration a Query returned, by number
  // A lower bound on the latest configuration's number: raised by Query answers, and to one
  // above the bound at its start by every Join, Leave or Move a clerk returned OK for (each
  // clerk request is new, so it made one configuration).
  uint64_t known_latest_ = 0;
  const char* step_file_ = __FILE__;
  int step_line_ = __LINE__;
};

}  // namespace janus
