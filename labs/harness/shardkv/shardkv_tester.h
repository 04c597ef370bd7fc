// ShardKvTester: the sharded key/value lab's test fixture. One shard-master cluster (three
// ShardMasterNodes s0..s2, the partition "ctrl" of the groups' configs) and `ngroups` replica groups (gids 100, 101,
// ...; three ShardKvNodes each, named g100-0 .. g100-2), all on one reactor and one
// FaultyNetwork with disjoint node ids; clerks (ShardKvClients on nodes of their own) whose every
// operation is recorded in one KvHistory, which End() checks for linearizability (per key, which
// is linearizability of the whole store since keys are independent).
//
// Design decision: LabTester<Node> drives one cluster. This tester derives from
// LabTester<ShardMasterNode>: the base's cluster is the shard master, and the base supplies
// failures, time, randomness, Go/Join, the tester node and End. The replica groups are extra
// Cluster<ShardKvNode>s sharing the base cluster's network (ClusterOptions::network; the groups
// are destroyed before it). The base's network and crash controls by index (Crash(i),
// Disconnect(i), ...) therefore address the shard master's servers; the group controls are
// below. SetUnreliable (inherited) applies to every link of the shared network. End's
// pending-request check covers every node: EndChecks checks the groups' nodes (with the same
// rules as LabTester: heal everything, wait kPendingDrainUs, skip a group with a majority down),
// then the base checks the shard master's.
//
// Each group node's Config is built with ConfigBuilder: partition "ctrl" (the shard master's
// addresses), partition "g<gid>" (its group's addresses) and the option maxraftstate.
//
// Helpers that find a problem record a googletest failure at the line of the test that called
// them and throw harness::ScenarioFailure. Everything runs on the test's reactor, in coroutines.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "labs/harness/checkers/kv_history.h"
#include "labs/harness/checkers/linearizability.h"
#include "labs/harness/core/lab_tester.h"
#include "labs/harness/shardkv/shardkv_node.h"
#include "labs/harness/shardmaster/shardmaster_node.h"
#include "labs/shardkv/client.h"
#include "labs/shardmaster/client.h"
#include "rrr/reactor/event.h"
#include "rrr/reactor/node.h"

namespace janus {

// A clerk of the test: a ShardKvClient on a node of its own.
struct ShardKvTestClerk {
  int id = 0;  // client number in the history
  std::shared_ptr<rrr::NodeContext> context;
  std::unique_ptr<ShardKvClient> client;
};

class ShardKvTester : public harness::LabTester<ShardMasterNode> {
 public:
  // Servers per replica group and in the shard master.
  static constexpr int kGroupSize = 3;
  // How long one operation (or one shard-master request) may take before the test fails.
  static constexpr uint64_t kOpLimitUs = 30 * 1000 * 1000;

  // Starts the shard master and `ngroups` groups (none joined); `unreliable` turns on random
  // drops and delays from the start; `maxraftstate` goes into every group server's config.
  ShardKvTester(int ngroups, bool unreliable, int64_t maxraftstate = -1);
  // Stops every clerk and coroutine, then the groups, then the shard master.
  ~ShardKvTester() override;

  int ngroups() const { return static_cast<int>(groups_.size()); }
  int64_t maxraftstate() const { return maxraftstate_; }
  // The gid of group g (100 + g).
  static uint64_t Gid(int g) { return 100 + static_cast<uint64_t>(g); }
  harness::Cluster<ShardKvNode>& group(int g) { return *groups_.at(g); }
  harness::KvHistory& history() { return history_; }

  // ---- The shard master, through the tester's own clerk; a request that does not return OK
  // fails the test. ----
  void Join(int g, const char* file = __builtin_FILE(), int line = __builtin_LINE());
  void Leave(int g, const char* file = __builtin_FILE(), int line = __builtin_LINE());
  // One Join (or Leave) request naming several groups.
  void JoinMany(const std::vector<int>& gs, const char* file = __builtin_FILE(),
                int line = __builtin_LINE());
  void LeaveMany(const std::vector<int>& gs, const char* file = __builtin_FILE(),
                 int line = __builtin_LINE());
  // Configuration `num` (-1: the latest).
  ShardConfig Query(int64_t num, const char* file = __builtin_FILE(), int line = __builtin_LINE());

  // ---- Group servers. Each change is recorded as a history event. ----
  // Crashes every server of group g (their persisters survive).
  void ShutdownGroup(int g);
  // Restarts every crashed server of group g from its persister and connects it.
  void StartGroup(int g);
  void CrashServer(int g, int i);
  // Restarts server i of group g from its persister and connects it. REQUIRES: it is down.
  void RestartServer(int g, int i);
  void DisconnectServer(int g, int i);
  void ConnectServer(int g, int i);

  // ---- Clerks and operations, recorded in the history. Callable from any coroutine of the
  // test; the caller waits, failing after `limit_us` (default kOpLimitUs). ----
  ShardKvTestClerk* MakeClerk();
  std::string Get(ShardKvTestClerk* ck, const std::string& key, const char* file = __builtin_FILE(),
                  int line = __builtin_LINE());
  void Put(ShardKvTestClerk* ck, const std::string& key, const std::string& value,
           const char* file = __builtin_FILE(), int line = __builtin_LINE());
  void Append(ShardKvTestClerk* ck, const std::string& key, const std::string& value,
              const char* file = __builtin_FILE(), int line = __builtin_LINE());
  // Get, failing unless the value is `expected` or the call takes more than `limit_us`.
  void CheckGet(ShardKvTestClerk* ck, const std::string& key, const std::string& expected,
                uint64_t limit_us = kOpLimitUs, const char* file = __builtin_FILE(),
                int line = __builtin_LINE());
  // Put, failing if it takes more than `limit_us`.
  void PutWithin(ShardKvTestClerk* ck, const std::string& key, const std::string& value,
                 uint64_t limit_us, const char* file = __builtin_FILE(),
                 int line = __builtin_LINE());
  // Starts an operation in the background; the event is set to its result (Get: the value;
  // otherwise "") when it returns.
  std::shared_ptr<rrr::BoxEvent<std::string>> StartOp(ShardKvTestClerk* ck, harness::KvOpKind kind,
                                                      const std::string& key,
                                                      const std::string& value);
  // `len` random lowercase letters from the test's random stream.
  std::string RandString(int len);

  // ---- MIT-style key sets: keys "0" .. "n-1" (keys "0".."9" fall in ten different shards)
  // and the value each one must hold. ----
  struct Keys {
    std::vector<std::string> keys;
    std::vector<std::string> values;
  };
  // Puts n keys with random values of value_len letters through ck.
  Keys PutKeys(ShardKvTestClerk* ck, int n, int value_len, const char* file = __builtin_FILE(),
               int line = __builtin_LINE());
  // Checks every key (or the first `count`, if >= 0) of `keys` through ck.
  void CheckKeys(ShardKvTestClerk* ck, const Keys& keys, int count = -1,
                 const char* file = __builtin_FILE(), int line = __builtin_LINE());
  // Appends a random 5-letter string to every key, then checks it.
  void AppendCheckKeys(ShardKvTestClerk* ck, Keys* keys, const char* file = __builtin_FILE(),
                       int line = __builtin_LINE());

  // Concurrent appenders (MIT's concurrent tests): one clerk per key, each looping "append a
  // random string, Get and compare with everything appended so far", pausing a random 0..
  // pause_us_max between rounds. StopAppenders ends the loops, waits for them (failing after
  // kOpLimitUs) and leaves each key's expected value in *keys.
  void StartAppenders(Keys* keys, uint64_t pause_us_max);
  void StopAppenders(const char* file = __builtin_FILE(), int line = __builtin_LINE());
  // Random-key clients (MIT's Unreliable3): `clients` clerks each looping on a random key of
  // `keys`: Append (50%), Put (5%) or Get, pausing a random 0..pause_us_max after each; only
  // the linearizability check judges the values. Stopped by StopAppenders.
  void StartRandomClients(const Keys& keys, int clients, uint64_t pause_us_max);

  // ---- What the group servers persist (shardkv_tester_state.cc). Every server counts, up or
  // down. ----
  // Raft state + snapshot bytes of every server of group g.
  size_t GroupPersistedBytes(int g);
  // The sum over all groups.
  size_t TotalPersistedBytes();
  // MIT's checklogs: with maxraftstate > 0, fails unless every group server's Raft state is at
  // most 8 x maxraftstate; with maxraftstate < 0, fails if any has saved a snapshot.
  void CheckLogs(const char* file = __builtin_FILE(), int line = __builtin_LINE());

  // Runs the linearizability checker over the whole history (failing with an HTML report if
  // it is not linearizable or undecided). The time limit is 10 s of real time, or
  // DSLABS_LIN_TIMEOUT_MS.
  void CheckLinearizable(const char* file = __builtin_FILE(), int line = __builtin_LINE());

  // Records a scenario event on the history's timeline and logs it.
  void Note(const std::string& what) override;

 protected:
  // Linearizability of the whole history, then the groups' pending-request check.
  void EndChecks(const char* file, int line) override;
  // Ends the scenario (ScenarioFailure) once a concurrent client has recorded a failure, so that
  // the scenario's next Sleep stops it.
  void CheckBackground() override { harness::ThrowIfFailed(); }

 private:
  // One concurrent appender: its clerk, its key (index in *keys) and its pause.
  struct Appender {
    ShardKvTestClerk* ck = nullptr;
    Keys* keys = nullptr;
    int key = 0;
    uint64_t pause_us_max = 0;
  };

  std::unique_ptr<ShardKvNode> MakeGroupNode(int g, int i, Persister* persister,
                                             const std::vector<std::string>& addrs);
  std::map<uint64_t, std::vector<std::string>> GroupServers(const std::vector<int>& gs);
  std::string ListGroups(const std::vector<int>& gs) const;
  // Runs fn in a new coroutine of `ctx` and waits up to limit_us for it; false on timeout (fn
  // may then still run later: it must capture by value what the caller owns).
  bool RunOn(rrr::NodeContext* ctx, const std::function<void()>& fn, uint64_t limit_us);
  // Runs one operation; REQUIRES: in a coroutine of ck's node.
  std::string DoOp(ShardKvTestClerk* ck, harness::KvOpKind kind, const std::string& key,
                   const std::string& value);
  std::string RunOp(ShardKvTestClerk* ck, harness::KvOpKind kind, const std::string& key,
                    const std::string& value, uint64_t limit_us, const char* file, int line);
  void AppenderLoop(Appender* a);
  void RandomClientLoop(ShardKvTestClerk* ck, const Keys& keys, uint64_t pause_us_max);
  // LabTester's pending-request check (CheckPendingDrainOf) over the group servers.
  void CheckGroupsPendingDrain(const char* file, int line);

  const int64_t maxraftstate_;
  harness::KvHistory history_;
  std::vector<std::unique_ptr<harness::Cluster<ShardKvNode>>> groups_;
  std::shared_ptr<rrr::NodeContext> admin_;  // the shard-master clerk's node
  std::unique_ptr<ShardMasterClient> admin_client_;
  std::vector<std::unique_ptr<ShardKvTestClerk>> clerks_;
  std::vector<std::unique_ptr<Appender>> appenders_;
  harness::CoGroup workers_;     // the appenders' and random clients' loops
  bool appenders_stop_ = false;  // tells them to stop
};

}  // namespace janus
