// KvTester: the key/value lab's test fixture, on the harness's LabTester base
// (labs/harness/core/lab_tester.h: failures, time, randomness, network and crash controls,
// Go/Join, End): a cluster of KvNodes, clerks on their own nodes whose every operation is
// recorded in a KvHistory (for the linearizability checker), network controls that keep clerks
// and servers apart, and the generic workload of the well-known KV test suites (clients looping
// Put/Append/Get while a scenario runs, then checking that every append is present exactly once
// and in order), and the checks of lab 3's snapshots (the size of what each replica persists,
// kv_tester_state.cc).
//
// Helpers that find a problem record a googletest failure and throw harness::ScenarioFailure,
// which ends the scenario (the graded-test runner absorbs it). Everything runs on the test's
// reactor, in coroutines (the graded test body and the ones the tester starts); no threads, no
// locks.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "labs/harness/checkers/kv_history.h"
#include "labs/harness/checkers/linearizability.h"
#include "labs/harness/core/lab_tester.h"
#include "labs/harness/kv/kv_node.h"
#include "labs/kv/client.h"
#include "rrr/reactor/event.h"
#include "rrr/reactor/node.h"

namespace janus {

// A clerk of the test: a KvClient on a node of its own (so network controls apply to it).
struct KvTestClerk {
  int id = 0;  // client number in the history
  std::shared_ptr<rrr::NodeContext> context;
  std::unique_ptr<KvClient> client;
};

class KvTester : public harness::LabTester<KvNode> {
 public:
  // Election timeout assumed by the waits (the Raft lab asks for 300..600 ms).
  static constexpr uint64_t kElectionTimeoutUs = 1000 * 1000;
  // How long a single operation called by the scenario may take before the test fails.
  static constexpr uint64_t kOpLimitUs = 30 * 1000 * 1000;

  // Starts n replicas; `unreliable` turns on random drops and delays from the start.
  // `maxraftstate` goes into every replica's config (option "maxraftstate": the Raft state size
  // in bytes at which a server snapshots; -1, never).
  KvTester(int n, bool unreliable, int64_t maxraftstate = -1);
  // Stops every clerk and coroutine of the tester, then the replicas.
  ~KvTester() override;

  harness::KvHistory& history() { return history_; }
  int64_t maxraftstate() const { return maxraftstate_; }

  // Inherited from LabTester: Fail, Sleep, Now, Rand, IsConnected, IsUp, Connected, Go, Join,
  // End (which runs the linearizability check), and the network controls below. Its coroutines
  // (Go) run on a node of their own, "tester". The helpers below report their failures at the
  // line of the test that called them.

  // ---- Clerks. ----
  // A new clerk that reaches every server (or only `servers`).
  KvTestClerk* MakeClerk();
  KvTestClerk* MakeClerk(const std::vector<int>& servers);
  // From now on the clerk reaches exactly `servers` (in both directions).
  void ConnectClerk(KvTestClerk* ck, const std::vector<int>& servers);

  // ---- Operations, recorded in the history. Callable from any coroutine of the test: they
  // run in a coroutine of the clerk's node and the caller waits (failing after kOpLimitUs). ----
  std::string Get(KvTestClerk* ck, const std::string& key, const char* file = __builtin_FILE(),
                  int line = __builtin_LINE());
  void Put(KvTestClerk* ck, const std::string& key, const std::string& value,
           const char* file = __builtin_FILE(), int line = __builtin_LINE());
  void Append(KvTestClerk* ck, const std::string& key, const std::string& value,
              const char* file = __builtin_FILE(), int line = __builtin_LINE());
  // Get, failing unless the value is `expected`.
  void CheckGet(KvTestClerk* ck, const std::string& key, const std::string& expected,
                const char* file = __builtin_FILE(), int line = __builtin_LINE());
  // Starts an operation in the background; the event is set to its result (Get: the value;
  // otherwise "") when it returns.
  std::shared_ptr<rrr::BoxEvent<std::string>> StartOp(KvTestClerk* ck, harness::KvOpKind kind,
                                                      const std::string& key,
                                                      const std::string& value);

  // ---- Requests straight to one server's KvServer (kv_tester_direct.cc), bypassing the clerks,
  // as the KV service would call it for a request with this client id and sequence number. They
  // test the server's own contract (duplicates, a lost log slot, a follower's answer) with
  // retries and timings no clerk would produce on its own. Not recorded in the history: use keys
  // of their own, or check the values yourself. ----
  struct ServerReply {
    KvErr err = KvErr::ErrTimeout;
    std::string value;     // Get only
    uint64_t took_us = 0;  // from the call to its return, in reactor time
  };
  // Starts the call on server i in a coroutine of its node; the event is set to its answer when
  // it returns (never, if the server never returns or crashes). REQUIRES: server i is up.
  std::shared_ptr<rrr::BoxEvent<ServerReply>> StartServerCall(int i, harness::KvOpKind kind,
                                                              const std::string& key,
                                                              const std::string& value,
                                                              uint64_t client_id, uint64_t seq);
  // The same, waiting for the answer; fails if it does not come within `limit_us`.
  ServerReply CallServer(int i, harness::KvOpKind kind, const std::string& key,
                         const std::string& value, uint64_t client_id, uint64_t seq,
                         uint64_t limit_us = kOpLimitUs, const char* file = __builtin_FILE(),
                         int line = __builtin_LINE());
  // Sends the request to the current Leader() as a clerk would, with the same client id and
  // sequence number every time, until it answers OK or ErrNoKey (for up to ~10 s).
  ServerReply CallLeader(harness::KvOpKind kind, const std::string& key, const std::string& value,
                         uint64_t client_id, uint64_t seq, const char* file = __builtin_FILE(),
                         int line = __builtin_LINE());
  // A client id no clerk uses (clerks draw theirs below 2^62).
  uint64_t FreshClientId();

  // ---- Network and replicas. Every change is recorded as a history event (Note). ----
  // Splits the servers into two groups that cannot talk to each other. Clerks keep their own
  // links (see ConnectClerk). REQUIRES: every server in exactly one group. (Hides LabTester's
  // Partition of node groups, which would cut the clerks off too.)
  void Partition(const std::vector<int>& a, const std::vector<int>& b);
  // Undoes Partition and reconnects every disconnected server.
  void ConnectAll();
  // Inherited: Disconnect(i) cuts server i off from everyone (servers and clerks), Connect(i)
  // reconnects it; SetUnreliable(on); Crash(i).
  // Restarts server i from its persister and connects it again at once.
  void Restart(int i) override;
  // A connected server that believes it leads (the highest term if several), polling for up to
  // ~5 s; fails if none.
  int Leader(const char* file = __builtin_FILE(), int line = __builtin_LINE());
  // Records a scenario event on the history's timeline (e.g. "leader is s2") and logs it.
  void Note(const std::string& what) override;

  // ---- The generic workload. ----
  struct GenericSpec {
    int clients = 1;
    // Clients pick among `clients` shared keys at random and also Put (linearizability tests);
    // their Gets are then checked by the linearizability checker only.
    bool random_keys = false;
    // Repartition the servers at random every 1..1.2 s during the workload.
    bool partitions = false;
    int iterations = 3;
    // Crash recovery (MIT's 4A "persist" tests): at the end of each iteration, once the clients
    // have stopped (and any partition is healed), every server crashes and all restart from
    // their persisters, connected at once; a server must rebuild its map and duplicate table by
    // replaying its Raft log. The checks after the iteration then read the rebuilt state through
    // one clerk that lives for the whole test (made before the first iteration, so it also
    // talks to servers it knew before they crashed); with random_keys that clerk reads every key
    // instead (judged by the linearizability checker).
    bool crash = false;
    uint64_t workload_us = 2 * 1000 * 1000;
    // Each client pauses a random 0..think_us_max * clients between operations, so that all
    // clients together issue about as many operations as one client would. The pause bounds the
    // length of the history and of the Raft log (which Raft persists whole after each change,
    // a cost quadratic in the log's length) while clients still overlap.
    uint64_t think_us_max = 10 * 1000;
    // Runs alongside the workload in each iteration; `stopping()` turns true when the workload
    // ends. Must return soon after that.
    std::function<void(const std::function<bool()>& stopping)> scenario;
  };
  // Runs the workload (see the file comment), crashes and restarts every server after each
  // iteration if spec.crash, and checks each client's values after every iteration, then what
  // the replicas persist: with maxraftstate > 0, CheckRaftStateSize; with maxraftstate < 0,
  // CheckNoSnapshot. Does not run the linearizability check: End() does.
  void Generic(const GenericSpec& spec, const char* file = __builtin_FILE(),
               int line = __builtin_LINE());

  // ---- Checks. ----
  // Fails unless each append "x <client> <j> y" for j < count occurs in `value` exactly once,
  // in increasing j order.
  void CheckClientAppends(int client, const std::string& value, int count,
                          const char* file = __builtin_FILE(), int line = __builtin_LINE());
  // The Speed check: `ck` (the test's first clerk, client 0) makes 1000 sequential appends to
  // key "x", which must all be there once, in order, and take under 33 ms each on average (a
  // bound set by heartbeats: a leader should not wait for the next heartbeat to replicate).
  // Logs the average as "kv test: <name>: ... ms per append". REQUIRES: a leader exists.
  void CheckAppendSpeed(KvTestClerk* ck, const char* name, const char* file = __builtin_FILE(),
                        int line = __builtin_LINE());
  // Runs the linearizability checker on the whole history so far. If the history is not
  // linearizable (or the check is undecided) and `fail` is true, writes the HTML report and
  // fails naming it. Returns the result either way. The time limit is 10 s of real time, or
  // DSLABS_LIN_TIMEOUT_MS from the environment.
  harness::LinResult CheckLinearizable(bool fail = true, const char* file = __builtin_FILE(),
                                       int line = __builtin_LINE());
  // ---- What the replicas persist (lab 3, part C; kv_tester_state.cc). Every server counts,
  // up or down (a crashed server's persister is what it restarts from). ----
  // The largest Raft state (Persister::RaftStateSize) and snapshot of any server, in bytes.
  size_t MaxRaftStateSize();
  size_t MaxSnapshotSize();
  // Fails unless every server's Raft state is at most 8 x maxraftstate bytes (the log was
  // trimmed by snapshots). REQUIRES: maxraftstate > 0.
  void CheckRaftStateSize(const char* file = __builtin_FILE(), int line = __builtin_LINE());
  // Fails unless every server's snapshot is at most `limit` bytes.
  void CheckSnapshotSize(size_t limit, const char* file = __builtin_FILE(),
                         int line = __builtin_LINE());
  // Fails unless each of `servers` has saved a snapshot; `why` ends the failure message.
  void CheckHasSnapshot(const std::vector<int>& servers, const std::string& why,
                        const char* file = __builtin_FILE(), int line = __builtin_LINE());
  // Fails if any server has saved a snapshot (with maxraftstate -1 none may be taken).
  void CheckNoSnapshot(const char* file = __builtin_FILE(), int line = __builtin_LINE());

  // Path of the last HTML report written ("" if none).
  const std::string& last_report() const { return last_report_; }

 protected:
  // End's check: linearizability of everything recorded.
  void EndChecks(const char* file, int line) override;

 private:
  std::unique_ptr<KvNode> MakeNode(int i, Persister* persister,
                                   const std::vector<std::string>& addrs);
  // Runs one operation; REQUIRES: in a coroutine of ck's node.
  std::string DoOp(KvTestClerk* ck, harness::KvOpKind kind, const std::string& key,
                   const std::string& value);
  // Runs DoOp from any coroutine (see Get).
  std::string RunOp(KvTestClerk* ck, harness::KvOpKind kind, const std::string& key,
                    const std::string& value);
  void ClientLoop(int cli, KvTestClerk* ck, const GenericSpec& spec, const bool* stop,
                  int* appended, std::string* last);
  void Partitioner(const bool* stop);
  // Notes the test line a helper was called from; FailStep reports failures there.
  void Step(const char* file, int line) {
    step_file_ = file;
    step_line_ = line;
  }
  [[noreturn]] void FailStep(const std::string& message) {
    Fail(message + step_context_, step_file_, step_line_);
  }

  // (size in bytes, server name) of each server's Raft state / snapshot, in server order.
  std::vector<std::pair<size_t, std::string>> RaftStateSizes();
  std::vector<std::pair<size_t, std::string>> SnapshotSizes();

  const int64_t maxraftstate_;
  harness::KvHistory history_;
  std::vector<std::unique_ptr<KvTestClerk>> clerks_;
  std::string last_report_;
  const char* step_file_ = __FILE__;
  int step_line_ = __LINE__;
  std::string step_context_;  // appended to FailStep's messages (e.g. "after a restart")
};

}  // namespace janus
