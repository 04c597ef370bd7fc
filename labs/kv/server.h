// Lab 2: one replica of the fault-tolerant key/value service.
//
// Each replica runs a KvServer on top of its Raft peer (lab 1). A clerk's request arrives through
// the KV service (service.h), which calls Put/Append/Get here in a coroutine of this node. The
// server turns the request into a command, proposes it with RaftServer::Start, and waits until
// the command comes back through the apply callback (OnApply) at the index Start returned: only
// then has it taken effect, and the server answers. Every replica applies the same commands in
// the same order, so they all hold the same map.
//
// Requests can be retried by the clerk (a lost reply, a timeout, a leader change), so the same
// operation may be proposed, and committed, more than once. Commands carry the clerk's client id
// and sequence number; applying a command whose number the server has already executed for that
// client must not execute it again (a duplicate Append would append twice).
//
// Lab 3, part C: snapshots. Raft's log grows with every command; a server given a maxraftstate
// (bytes) saves a snapshot of its state (the map and the duplicate table) through Raft once the
// persisted Raft state reaches that size, and Raft drops the log entries the snapshot covers. A
// snapshot comes back through OnSnapshot: from the persister when the replica restarts, or
// from the leader (InstallSnapshot) when this replica lags behind the leader's log.
//
// Everything runs on the node's reactor thread: handlers, the apply callback and the Raft
// coroutines. There are no locks; state changes only across a wait.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>

#include "deptran/marshallable.h"
#include "labs/kv/common.h"
#include "labs/raft/server.h"
#include "rrr/reactor/event.h"

namespace janus {

// BEGIN SOLUTION
// The command a KvServer replicates through Raft: one clerk operation.
constexpr int32_t kKindKvCommand = kKindKvFirst + 0;

class KvCommand : public Marshallable {
 public:
  using Op = KvOpKind;  // encoded as its one-byte value

  KvCommand() : Marshallable(kKindKvCommand) {}
  // A command for one clerk operation (`value` is empty for Get).
  static std::shared_ptr<KvCommand> Make(Op op, const std::string& key, const std::string& value,
                                         uint64_t client_id, uint64_t seq);
  rrr::Marshal& ToMarshal(rrr::Marshal& m) const override;
  rrr::Marshal& FromMarshal(rrr::Marshal& m) override;

  KvOpKind op = KvOpKind::kGet;
  std::string key;
  std::string value;  // Put/Append argument
  uint64_t client_id = 0;
  uint64_t seq = 0;

 private:
  // The encoded fields, made on the first ToMarshal. Raft encodes a command for its persisted
  // state and again in each AppendEntries that carries it (to each follower, and again on a
  // retry); its fields never change once it is proposed (or decoded), so the encoding is kept.
  mutable std::string encoded_;
};
// END SOLUTION

class KvServer {
 public:
  // `raft` is this replica's Raft peer; it must outlive the server. The node wiring
  // (labs/harness/kv/kv_node.cc) registers OnApply as the peer's apply callback and OnSnapshot
  // as its snapshot callback. `maxraftstate` (lab 3, part C): once the persisted Raft state
  // (raft->persister()->RaftStateSize()) reaches this many bytes, the server snapshots its state
  // through raft->Snapshot; -1 means never snapshot.
  KvServer(RaftServer* raft, int64_t maxraftstate);
  ~KvServer();

  KvServer(const KvServer&) = delete;
  KvServer& operator=(const KvServer&) = delete;

  // The three requests, called by the KV service in a coroutine of this node (so they may wait).
  // Each returns only once the outcome is known: OK (or ErrNoKey for a Get of a missing key)
  // once the operation has been applied exactly once, ErrWrongLeader if this replica is not the
  // leader or another command took the operation's log slot, ErrTimeout if it did not commit in
  // reasonable time. `client_id` and `seq` identify the clerk's operation (kv_rpc.rpc).
  KvErr Put(const std::string& key, const std::string& value, uint64_t client_id, uint64_t seq);
  KvErr Append(const std::string& key, const std::string& value, uint64_t client_id, uint64_t seq);
  // Sets *value to the key's value ("" with ErrNoKey if it has none). Goes through the log too,
  // so that a leader cut off from the majority cannot answer with a stale value.
  KvErr Get(const std::string& key, uint64_t client_id, uint64_t seq, std::string* value);

  // The Raft apply callback: receives each committed command once, in index order. With a
  // maxraftstate of 0 or more, it also takes a snapshot once the Raft state has reached it.
  void OnApply(uint64_t index, std::shared_ptr<Marshallable> cmd);

  // The Raft snapshot callback (lab 3, part C): `snapshot` is a state this service saved with
  // RaftServer::Snapshot after applying every command through `index`; it replaces the whole
  // state (map and duplicate table). Called at start-up when the persister holds a snapshot,
  // and when the leader sends one; the next command OnApply receives is `index` + 1.
  void OnSnapshot(uint64_t index, uint64_t term, const std::string& snapshot);

  // Stops answering: pending and later requests return ErrWrongLeader.
  void Shutdown();

 private:
  RaftServer* const raft_;
  const int64_t maxraftstate_;  // bytes; -1: never snapshot

  // BEGIN SOLUTION
  // How long a request waits for its command to commit before answering ErrTimeout, and how
  // often it checks meanwhile that this replica still leads in the same term.
  static constexpr uint64_t kCommitWaitUs = 200 * 1000;
  static constexpr uint64_t kLeaderCheckUs = 20 * 1000;

  // What applying a command produced, and so what its request answers.
  struct Result {
    KvErr err = KvErr::OK;
    std::string value;  // Get only
  };

  // A request waiting for the log slot it was given by Start.
  struct Waiter {
    uint64_t client_id = 0;
    uint64_t seq = 0;
    std::shared_ptr<rrr::BoxEvent<Result>> done;  // set by OnApply (or by a newer request)
  };

  // Per client: the highest sequence number executed and what it produced.
  struct Session {
    uint64_t last_seq = 0;
    Result last_result;
  };

  // Proposes `cmd` and waits for the outcome (see Put/Append/Get).
  Result Submit(const std::shared_ptr<KvCommand>& cmd);
  // Executes `cmd` on the map unless it is a duplicate; returns its result.
  Result Execute(const KvCommand& cmd);
  // Snapshots the state through `index` (just applied) if the Raft state has reached
  // maxraftstate (see server.cc for the exception). REQUIRES: maxraftstate_ >= 0.
  void MaybeSnapshot(uint64_t index);
  // The state a snapshot holds (the map and the duplicate table), encoded, and its inverse,
  // which replaces them. DecodeState aborts on bytes EncodeState did not write.
  std::string EncodeState() const;
  void DecodeState(const std::string& snapshot);

  bool stopped_ = false;
  // The index of the last command applied (or covered by the last snapshot restored).
  uint64_t last_applied_ = 0;
  // The smallest persisted Raft state size seen since this server's last snapshot (bytes).
  int64_t smallest_state_ = 0;
  std::map<std::string, std::string> data_;
  std::map<uint64_t, Session> sessions_;                 // by client id
  std::map<uint64_t, std::shared_ptr<Waiter>> waiting_;  // by log index
  // END SOLUTION
  // BEGIN STUB
  // // TODO: the key/value map, a table of the last operation executed per client (for
  // // duplicate detection), and the requests waiting for their log index to be applied.
  // // Define the command you replicate through Raft: a Marshallable subclass (see
  // // deptran/marshallable.h) with its own kind, kKindKvFirst + 0 for instance, registered in
  // // server.cc with JANUS_REGISTER_MARSHALLABLE.
  // // Lab 3, part C: functions that encode your state (everything a replica needs to act as
  // // if it had applied the log up to the snapshot's index) into bytes and restore it.
  // END STUB
};

}  // namespace janus
