// Lab 4: one replica of one replica group of the transactional key/value store.
//
// A group is a Raft cluster serving the shards the shard master's latest configuration gives it
// (labs/shardmaster); the leader polls the shard master and proposes each newer configuration
// through the log, so every replica changes at the same point of its command stream. Placement
// is static while transactions run: a TxnServer never moves shard data between groups (the
// tests join every group before the first transaction and never move a shard afterwards).
//
// The server is its own replicated state machine, not lab 3's: every key has a value and a
// version (the number of committed writes of the key; 0 for a key never written), and the
// group keeps the transactions' locks, the transactions it prepared, the outcomes it applied,
// and, as a coordinator group, the commit decisions it logged. Every change to that state is a
// command proposed through the group's Raft log and applied by OnApply: plain operations, the
// transaction reads, prepares, decisions and coordinator decisions (README.md explains why
// each is logged). A replica that restarts replays or restores all of it.
//
// As in the earlier labs: a request returns once its command is applied (or ErrWrongLeader /
// ErrTimeout); a plain Put/Append retried by its clerk is applied once (client id + sequence
// number); with maxraftstate >= 0 the server snapshots its whole state through Raft.
//
// Everything runs on the node's reactor thread: no locks.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "deptran/marshallable.h"
#include "labs/raft/server.h"
#include "labs/shardmaster/client.h"
#include "labs/txn/common.h"
#include "rrr/reactor/event.h"
#include "rrr/rpc/client_pool.h"
// BEGIN SOLUTION
#include "labs/txn/commands.h"
// END SOLUTION

namespace janus {

class TxnServer {
 public:
  // `raft`: this replica's Raft peer (must outlive the server). `gid`: this replica's group.
  // `master_addrs`: the shard master's servers. `maxraftstate`: bytes of Raft state at which to
  // snapshot, -1 for never. `mode`: OCC or 2PL (wound-wait). Construct with the node's context
  // current: the server starts its own coroutines, which belong to the node.
  TxnServer(RaftServer* raft, uint64_t gid, const std::vector<std::string>& master_addrs,
            int64_t maxraftstate, Concurrency mode);
  ~TxnServer();

  TxnServer(const TxnServer&) = delete;
  TxnServer& operator=(const TxnServer&) = delete;

  // The plain operations, called by the service in a coroutine of this node. Each returns OK
  // (ErrNoKey for a Get of a key without a value) once applied exactly once, with *version the
  // version read or installed; ErrWrongGroup if the group does not serve the key's shard;
  // ErrWrongLeader or ErrTimeout as in lab 2.
  TxnErr Put(const std::string& key, const std::string& value, uint64_t client_id, uint64_t seq,
             uint64_t* version);
  TxnErr Append(const std::string& key, const std::string& value, uint64_t client_id,
                uint64_t seq, uint64_t* version);
  TxnErr Get(const std::string& key, uint64_t client_id, uint64_t seq, std::string* value,
             uint64_t* version);

  // BEGIN SOLUTION
  // The transaction requests (txn_rpc.rpc says what each answers), called by the service.
  TxnErr TxGet(uint64_t tx, uint64_t ts, const std::string& key, std::string* value,
               uint64_t* version);
  TxnErr Prepare(uint64_t tx, uint64_t ts, uint64_t coord_gid, const std::vector<TxRead>& reads,
                 const std::vector<TxWrite>& writes);
  TxnErr Decide(uint64_t tx, bool commit);
  TxnErr Resolve(uint64_t tx, bool commit, bool* committed);
  // END SOLUTION

  // The Raft apply callback: each committed command once, in index order.
  void OnApply(uint64_t index, std::shared_ptr<Marshallable> cmd);
  // The Raft snapshot callback: replaces the whole state with the one `snapshot` encodes.
  void OnSnapshot(uint64_t index, uint64_t term, const std::string& snapshot);

  // Stops answering and stops the server's own coroutines; pending and later requests return
  // ErrWrongLeader.
  void Shutdown();

  uint64_t gid() const { return gid_; }
  Concurrency mode() const { return mode_; }

 private:
  RaftServer* const raft_;
  const uint64_t gid_;
  const int64_t maxraftstate_;
  const Concurrency mode_;
  ShardMasterClient master_;

  // BEGIN SOLUTION
  // How long a proposal waits to be applied, and how often it checks leadership meanwhile.
  static constexpr uint64_t kCommitWaitUs = 200 * 1000;
  static constexpr uint64_t kLeaderCheckUs = 20 * 1000;
  // The shard master poll period, and the period of the leader's recovery sweep.
  static constexpr uint64_t kPollUs = 100 * 1000;
  static constexpr uint64_t kSweepUs = 100 * 1000;
  // A prepared transaction without a decision for this long asks its coordinator group; an
  // unprepared one holding locks (2PL reads) idle for kIdleAbortUs is aborted here.
  static constexpr uint64_t kResolveAfterUs = 2000 * 1000;
  static constexpr uint64_t kIdleAbortUs = 3000 * 1000;
  static constexpr uint64_t kRpcTimeoutUs = 250 * 1000;

  // One key: its value (if it has one) and its version.
  struct Entry {
    bool exists = false;
    std::string value;
    uint64_t version = 0;
  };
  // The locks on one key: at most one exclusive holder (then no shared ones), or shared ones.
  struct Lock {
    uint64_t exclusive = 0;
    std::set<uint64_t> shared;
  };
  // A transaction this group knows and has not finished: it holds locks here (2PL reads), or
  // it is prepared here (voted yes) and waits for the decision.
  struct TxState {
    bool prepared = false;
    uint64_t ts = 0;
    uint64_t coord_gid = 0;
    std::vector<TxWrite> writes;  // installed at commit
    std::set<std::string> keys;   // keys it locks here
  };
  // What applying a command produced: the answer of the request that proposed it.
  struct Result {
    TxnErr err = TxnErr::OK;
    std::string value;
    uint64_t version = 0;
    bool committed = false;  // Resolve
  };
  static Result Fail(TxnErr err) {
    Result r;
    r.err = err;
    return r;
  }
  // A plain client's last Put/Append and its answer (duplicate detection).
  struct Session {
    uint64_t last_seq = 0;
    Result last;
  };
  // A proposal waiting for the log slot Start gave it.
  struct Waiter {
    std::shared_ptr<Marshallable> cmd;
    std::shared_ptr<rrr::BoxEvent<Result>> done;
  };
  // What the server's coroutines share with it (as in lab 3's reference).
  struct Life {
    bool stopped = false;
    std::shared_ptr<rrr::BoxEvent<bool>> stop = std::make_shared<rrr::BoxEvent<bool>>();
  };

  // Proposes `cmd` and waits until it is applied (its result), lost, or timed out.
  Result Propose(const std::shared_ptr<TxnCommand>& cmd);
  // A plain operation: checks, proposes, fills *out (Get) and *version.
  TxnErr Plain(TxnOp op, const std::string& key, const std::string& value, uint64_t client_id,
               uint64_t seq, std::string* out, uint64_t* version);
  // Leader and serving the key's shard: worth proposing a command for it.
  TxnErr CheckKey(const std::string& key);
  bool IsLeader();
  bool Serves(const std::string& key) const;

  // Apply, by command op (transactions.cc).
  Result ApplyPlain(const TxnCommand& cmd);
  Result ApplyTxGet(const TxnCommand& cmd);
  Result ApplyPrepare(const TxnCommand& cmd);
  Result ApplyDecide(uint64_t tx, bool commit);
  Result ApplyResolve(uint64_t tx, bool commit);
  void ApplyConfig(const ShardConfig& config);
  // The transactions other than `tx` whose locks on `key` conflict with a lock of tx
  // (exclusive if `exclusive`, else shared).
  std::vector<uint64_t> Conflicts(uint64_t tx, const std::string& key, bool exclusive) const;
  // Wound-wait (2PL): true if `tx` (age ts) must wait for a conflicting holder of `key`, one
  // that is prepared or older than tx. Otherwise Wound aborts the conflicting holders here
  // (all younger and unprepared) and TakeLock gives tx the lock.
  bool MustWait(uint64_t tx, uint64_t ts, const std::string& key, bool exclusive) const;
  void Wound(uint64_t tx, const std::string& key, bool exclusive);
  // Wound-wait for holders that voted yes: marks the younger prepared conflicting holders of
  // `key` for the next sweep, which asks their coordinator groups (aborted if undecided).
  void HurryYounger(uint64_t tx, uint64_t ts, const std::string& key, bool exclusive);
  void TakeLock(uint64_t tx, const std::string& key, bool exclusive);
  // True if live transaction `holder` is older than `tx` (age ts): a smaller (ts, id).
  bool Older(uint64_t holder, uint64_t ts, uint64_t tx) const;
  // Releases every lock of `tx`, forgets it and records its outcome.
  void Finish(uint64_t tx, bool committed);

  // The coroutines: the shard master poll (leader), and the recovery sweep (leader).
  void PollLoop(std::shared_ptr<Life> life);
  void SweepLoop(std::shared_ptr<Life> life);
  // Asks coordinator group `coord` for tx's decision (logging abort there if none), then
  // proposes that decision here.
  void AskCoordinator(std::shared_ptr<Life> life, uint64_t tx, uint64_t coord);

  void MaybeSnapshot(uint64_t index);
  std::string EncodeState() const;
  void DecodeState(const std::string& snapshot);

  std::shared_ptr<Life> life_ = std::make_shared<Life>();
  rrr::ClientPool pool_;  // connections to coordinator groups
  uint64_t last_applied_ = 0;
  int64_t smallest_state_ = 0;
  // Replicated state (in snapshots).
  ShardConfig config_ = InitialShardConfig();
  std::map<std::string, Entry> data_;
  std::map<std::string, Lock> locks_;
  std::map<uint64_t, TxState> txs_;        // live transactions here, by id
  std::map<uint64_t, bool> outcomes_;      // finished here: tx -> committed
  std::map<uint64_t, bool> decisions_;     // coordinator log: tx -> committed
  std::map<uint64_t, Session> sessions_;   // plain clients, by client id
  // Local only (not replicated): when this replica last saw each live transaction change, for
  // the sweep's timeouts; and the resolutions under way from this replica.
  std::map<uint64_t, uint64_t> touched_;
  std::set<uint64_t> resolving_;
  std::map<uint64_t, std::shared_ptr<Waiter>> waiting_;  // by log index
  uint64_t noop_term_ = 0;
  // END SOLUTION
  // BEGIN STUB
  // // TODO: the keys with their values and versions, the locks, the transactions prepared
  // // here, the requests waiting for their log index, a duplicate table for plain clients.
  // // Define your commands as Marshallable subclasses with kinds in kKindTxnFirst ..
  // // kKindTxnLast (deptran/kinds.h).
  // END STUB
};

}  // namespace janus
