// Lab 3: one replica of the shard master, the service that decides which replica group serves
// each shard.
//
// It keeps the list of configurations, numbered 0, 1, 2, ...: Join, Leave and Move each append
// a new one; Query reads one. Like the KV server of lab 2, a replica turns each request into a
// command, proposes it with RaftServer::Start and answers once the command comes back through
// OnApply at the index Start returned. Every replica applies the same commands in the same order
// and so computes the same configurations: nothing in the computation may depend on anything but
// the commands (no iteration order of an unordered container, no randomness, no clock).
//
// Rebalancing (Join, Leave): afterwards every group serves kNShards / #groups shards, rounded
// down or up (max - min <= 1), and as few shards as possible changed group: a shard moves only
// if its group left or its group holds more than its share.
//
// Requests are retried by clerks; a command carries the clerk's client id and sequence number,
// and a replica applies a number it has already executed for that client only once.
//
// Everything runs on the node's reactor thread (handlers, the apply callback, Raft): no locks.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "deptran/marshallable.h"
#include "labs/raft/server.h"
#include "labs/shardmaster/common.h"
#include "rrr/reactor/event.h"

namespace janus {

// BEGIN SOLUTION
// The command a ShardMasterServer replicates through Raft: one clerk request.
constexpr int32_t kKindShardMasterCommand = kKindShardMasterFirst + 0;

class ShardMasterCommand : public Marshallable {
 public:
  enum class Op : uint8_t { kJoin = 0, kLeave = 1, kMove = 2, kQuery = 3 };

  ShardMasterCommand() : Marshallable(kKindShardMasterCommand) {}
  rrr::Marshal& ToMarshal(rrr::Marshal& m) const override;
  rrr::Marshal& FromMarshal(rrr::Marshal& m) override;

  Op op = Op::kQuery;
  std::map<uint64_t, std::vector<std::string>> servers;  // Join
  std::vector<uint64_t> gids;                            // Leave
  uint32_t shard = 0;                                    // Move
  uint64_t gid = 0;                                      // Move
  int64_t num = -1;                                      // Query
  uint64_t client_id = 0;
  uint64_t seq = 0;
};
// END SOLUTION

class ShardMasterServer {
 public:
  // `raft` is this replica's Raft peer; it must outlive the server. The node wiring
  // (labs/harness/shardmaster/shardmaster_node.cc) registers OnApply as its apply callback.
  explicit ShardMasterServer(RaftServer* raft);
  ~ShardMasterServer();

  ShardMasterServer(const ShardMasterServer&) = delete;
  ShardMasterServer& operator=(const ShardMasterServer&) = delete;

  // The four requests (shardmaster_rpc.rpc says what each does), called by the service in a
  // coroutine of this node, so they may wait. Each returns once the outcome is known: OK (or
  // ErrInvalid) once the request has been applied exactly once, ErrWrongLeader if this replica
  // is not the leader or another command took the request's log slot, ErrTimeout if it did not
  // commit in reasonable time.
  SmErr Join(const std::map<uint64_t, std::vector<std::string>>& servers, uint64_t client_id,
             uint64_t seq);
  SmErr Leave(const std::vector<uint64_t>& gids, uint64_t client_id, uint64_t seq);
  SmErr Move(uint32_t shard, uint64_t gid, uint64_t client_id, uint64_t seq);
  // Sets *config on OK.
  SmErr Query(int64_t num, uint64_t client_id, uint64_t seq, ShardConfig* config);

  // The Raft apply callback: each committed command once, in index order.
  void OnApply(uint64_t index, std::shared_ptr<Marshallable> cmd);

  // Stops answering: pending and later requests return ErrWrongLeader.
  void Shutdown();

  // The configurations this replica has applied so far, oldest first (configs()[0] is
  // configuration 0). For the tests, which compare replicas; never sent anywhere.
  const std::vector<ShardConfig>& configs() const { return configs_; }

 private:
  RaftServer* const raft_;
  // Configuration 0 at first; every applied Join, Leave or Move appends one.
  std::vector<ShardConfig> configs_;

  // BEGIN SOLUTION
  static constexpr uint64_t kCommitWaitUs = 200 * 1000;
  static constexpr uint64_t kLeaderCheckUs = 20 * 1000;

  // What applying a command produced.
  struct Result {
    SmErr err = SmErr::OK;
    ShardConfig config;  // Query only
  };
  struct Waiter {
    uint64_t client_id = 0;
    uint64_t seq = 0;
    std::shared_ptr<rrr::BoxEvent<Result>> done;
  };
  // Per client: the highest sequence number executed and what it produced.
  struct Session {
    uint64_t last_seq = 0;
    Result last_result;
  };

  Result Submit(const std::shared_ptr<ShardMasterCommand>& cmd);
  Result Execute(const ShardMasterCommand& cmd);
  // The next configuration: a copy of the latest with the number one higher.
  ShardConfig NextConfig() const;

  bool stopped_ = false;
  uint64_t last_applied_ = 0;
  std::map<uint64_t, Session> sessions_;                 // by client id
  std::map<uint64_t, std::shared_ptr<Waiter>> waiting_;  // by log index
  // END SOLUTION
  // BEGIN STUB
  // // TODO: a table of the last request executed per client (duplicate detection), and the
  // // requests waiting for their log index to be applied. Define the command you replicate
  // // through Raft: a Marshallable subclass with its own kind (kKindShardMasterFirst + 0, for
  // // instance), registered in server.cc with JANUS_REGISTER_MARSHALLABLE.
  // END STUB
};

// Rebalances `config` in place after a Join or Leave (the groups are already updated): every
// gid in config->groups serves kNShards / #groups shards, rounded down or up, and only shards
// whose gid is not a group any more, or whose group holds more than its share, change group.
// With no groups every shard goes to gid 0. Deterministic: a function of `config` alone.
void Rebalance(ShardConfig* config);

}  // namespace janus
