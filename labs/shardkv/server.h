// Lab 3: one replica of one replica group of the sharded key/value store.
//
// A group is a Raft cluster serving some of the kNShards shards; the shard master decides which
// (labs/shardmaster). The leader of each group polls the shard master about every 100 ms and
// proposes each new configuration through the group's Raft log, one at a time and in order, so
// that every replica switches at the same point of its command stream. When a configuration
// gives the group a shard it did not have, the shard's data (its keys and its duplicate table)
// comes from the group that served it in the previous configuration (README.md, "Moving
// shards"). A replica serves a key only if its group serves the key's shard in the replica's
// current configuration and has the shard's data; otherwise it answers ErrWrongGroup.
//
// As in lab 2: requests become commands proposed through Raft and answered once applied; a
// client's retried operation is applied once; with a maxraftstate >= 0 the server snapshots its
// whole state (shard data, duplicate tables, configuration state) through Raft once the Raft
// state reaches maxraftstate bytes, and OnSnapshot restores it.
//
// Everything runs on the node's reactor thread: no locks.
#pragma once

#include <cstdint>
#include <map>
#include <set>
#include <memory>
#include <string>
#include <vector>

#include "deptran/marshallable.h"
#include "labs/raft/server.h"
#include "labs/shardkv/common.h"
#include "labs/shardmaster/client.h"
#include "rrr/reactor/event.h"
#include "rrr/rpc/client_pool.h"
// BEGIN SOLUTION
#include "labs/shardkv/commands.h"
// END SOLUTION

namespace janus {

class ShardKvServer {
 public:
  // `raft`: this replica's Raft peer (must outlive the server). `gid`: this replica's group.
  // `master_addrs`: the shard master's servers. `maxraftstate`: bytes of Raft state at which to
  // snapshot, -1 for never. Construct with the node's context current: the server starts its
  // own coroutines (the configuration poller, shard moves), which belong to the node.
  ShardKvServer(RaftServer* raft, uint64_t gid, const std::vector<std::string>& master_addrs,
                int64_t maxraftstate);
  ~ShardKvServer();

  ShardKvServer(const ShardKvServer&) = delete;
  ShardKvServer& operator=(const ShardKvServer&) = delete;

  // The clerk's requests, called by the service in a coroutine of this node. Each returns OK (or
  // ErrNoKey) once applied exactly once, ErrWrongGroup if the group does not serve the key's
  // shard (now, at the point of the log where the request was applied), ErrWrongLeader or
  // ErrTimeout as in lab 2.
  SkvErr Put(const std::string& key, const std::string& value, uint64_t client_id, uint64_t seq);
  SkvErr Append(const std::string& key, const std::string& value, uint64_t client_id,
                uint64_t seq);
  SkvErr Get(const std::string& key, uint64_t client_id, uint64_t seq, std::string* value);

  // The Raft apply callback: each committed command once, in index order.
  void OnApply(uint64_t index, std::shared_ptr<Marshallable> cmd);
  // The Raft snapshot callback: replaces the whole state with the one `snapshot` encodes.
  void OnSnapshot(uint64_t index, uint64_t term, const std::string& snapshot);

  // Stops answering and stops the server's own coroutines; pending and later requests return
  // ErrWrongLeader.
  void Shutdown();

  uint64_t gid() const { return gid_; }

  // BEGIN SOLUTION
  // The shard-move RPCs (shardkv_rpc.rpc), called by the service in a coroutine of this node.
  // PullShards fills *data (one ShardData per shard asked) only when it answers OK.
  SkvErr PullShards(uint64_t config_num, const std::vector<uint32_t>& shards,
                    std::vector<ShardData>* data);
  SkvErr DeleteShards(uint64_t config_num, const std::vector<uint32_t>& shards);
  // END SOLUTION

 private:
  RaftServer* const raft_;
  const uint64_t gid_;
  const int64_t maxraftstate_;
  ShardMasterClient master_;

  // BEGIN SOLUTION
  // How long a proposal waits to be applied, and how often it checks leadership meanwhile.
  static constexpr uint64_t kCommitWaitUs = 200 * 1000;
  static constexpr uint64_t kLeaderCheckUs = 20 * 1000;
  // The shard master poll period, and the shard-move (pull and delete) period.
  static constexpr uint64_t kPollUs = 100 * 1000;
  static constexpr uint64_t kMoveUs = 50 * 1000;
  static constexpr uint64_t kMoveRpcTimeoutUs = 500 * 1000;

  // Where a shard stands in the current configuration cur_ (README.md, "The state of a shard").
  enum class ShardState : uint8_t {
    kAbsent = 0,    // not ours in cur_, no data here
    kServing = 1,   // ours in cur_, data here: served
    kPulling = 2,   // ours in cur_, data still with its owner in prev_: not served yet
    kOffering = 3,  // ours in prev_, not in cur_: frozen data kept until the new owner has it
    kGcing = 4,     // ours in cur_, data here and served; the old owner must still delete its copy
  };

  struct Shard {
    ShardState state = ShardState::kAbsent;
    std::map<std::string, std::string> kv;
    std::map<uint64_t, uint64_t> sessions;  // client id -> last Put/Append seq executed here
  };

  // What applying a command produced: the answer of the request that proposed it.
  struct Result {
    SkvErr err = SkvErr::OK;
    std::string value;  // Get only
  };

  // A proposal waiting for the log slot Start gave it.
  struct Waiter {
    std::shared_ptr<Marshallable> cmd;  // applied there iff the applied command is this object
    std::shared_ptr<rrr::BoxEvent<Result>> done;
  };

  // What the server's coroutines share with it: they test `stopped` after every wait before
  // touching the server (a Shutdown wakes them through `stop`, and they may resume later).
  struct Life {
    bool stopped = false;
    std::shared_ptr<rrr::BoxEvent<bool>> stop = std::make_shared<rrr::BoxEvent<bool>>();
  };

  // Proposes `cmd` and waits until it is applied (its result), lost, or timed out.
  Result Propose(const std::shared_ptr<Marshallable>& cmd);
  Result SubmitOp(KvOpKind op, const std::string& key, const std::string& value,
                  uint64_t client_id, uint64_t seq);
  bool IsLeader();
  // True if every shard is kServing or kAbsent: the next configuration may be applied.
  bool Settled() const;
  bool Serves(int shard) const;

  // Apply, by command type.
  Result ApplyOp(const SkvOpCommand& cmd);
  void ApplyConfig(const ShardConfig& next);
  void ApplyInsert(const SkvInsertCommand& cmd);
  Result ApplyDelete(const SkvShardsCommand& cmd);
  void ApplyGcDone(const SkvShardsCommand& cmd);

  // The coroutines (leader only): the shard master poll, and one round of shard moves.
  void PollLoop(std::shared_ptr<Life> life);
  void MoveLoop(std::shared_ptr<Life> life);
  // Pulls `shards` from group `from` (servers `servers`) for config `num` and proposes them.
  void PullFrom(std::shared_ptr<Life> life, uint64_t num, std::vector<std::string> servers,
                std::vector<uint32_t> shards);
  // Tells the old owner (servers) to delete `shards` of config `num`, then proposes GcDone.
  void DeleteAt(std::shared_ptr<Life> life, uint64_t num, std::vector<std::string> servers,
                std::vector<uint32_t> shards);

  void MaybeSnapshot(uint64_t index);
  std::string EncodeState() const;
  void DecodeState(const std::string& snapshot);

  std::shared_ptr<Life> life_ = std::make_shared<Life>();
  rrr::ClientPool pool_;  // connections to the other groups' servers
  uint64_t last_applied_ = 0;
  int64_t smallest_state_ = 0;
  ShardConfig cur_ = InitialShardConfig();
  ShardConfig prev_ = InitialShardConfig();
  std::vector<Shard> shards_ = std::vector<Shard>(kNShards);
  std::map<uint64_t, std::shared_ptr<Waiter>> waiting_;  // by log index
  // Shard moves under way from this replica (by "pull:<gid>" / "delete:<gid>"), so that a slow
  // one is not started twice.
  std::set<std::string> moving_;
  uint64_t noop_term_ = 0;  // the last term in which this replica proposed an SkvNoopCommand
  // END SOLUTION
  // BEGIN STUB
  // // TODO: the shards' data and duplicate tables, the current (and previous) configuration,
  // // the state of each shard (served, waiting for its data, ...), the requests waiting for
  // // their log index. Define your commands (client operations, configuration changes, shard
  // // data received, ...) as Marshallable subclasses with kinds in kKindShardKvFirst ..
  // // kKindShardKvLast.
  // END STUB
};

}  // namespace janus
