// Lab 1: one Raft peer.
//
// A RaftServer keeps a replicated log in agreement with its peers and hands every committed
// entry, in index order, to the apply callback. The service above it (a test, or the KV store of
// lab 2) calls Start() to propose a command and GetState() to learn whether this peer leads.
//
// Everything here runs on the node's reactor thread: RPC handlers, the coroutines you create in
// Setup(), and the calls from the layer above. There are no locks; a coroutine keeps the CPU until
// it waits (Event::Wait, Coroutine::Sleep), so state can change only across a wait. After every
// wait, re-check what you assumed before it (am I still leader? is the term the same?).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "deptran/marshallable.h"
#include "deptran/persister.h"
#include "raft_rpc.h"
#include "rrr/reactor/event.h"

namespace janus {

class RaftCommo;

// Receives each committed entry exactly once, in increasing index order starting at 1, with no
// gaps: (index, command). Runs on the node's reactor, inside a coroutine of this node.
using RaftApplyCallback = std::function<void(uint64_t index, std::shared_ptr<Marshallable> cmd)>;

// Lab 3, part D. Receives a snapshot that replaces the service's whole state: `snapshot` is the
// state after applying every entry up to and including `index` (of term `term`), as some
// service passed it to Snapshot(). Called on the same apply path as RaftApplyCallback and in
// order with it: the next command delivered after it has index `index` + 1. Raft calls it for a
// snapshot received with InstallSnapshot, and once at start-up (before any command) if the
// persister holds a snapshot. It is never called with an index at or below one already
// delivered (command or snapshot).
using RaftSnapshotCallback =
    std::function<void(uint64_t index, uint64_t term, const std::string& snapshot)>;

class RaftServer {
 public:
  // `commo` sends RPCs to the other replicas and numbers them: this peer is replica
  // commo->me() of commo->n_replicas(). `persister` holds the state that survives a crash.
  // Both must outlive the server. The constructor starts nothing: Setup() does.
  RaftServer(RaftCommo* commo, Persister* persister);
  ~RaftServer();

  RaftServer(const RaftServer&) = delete;
  RaftServer& operator=(const RaftServer&) = delete;

  // Registers the callback that receives committed entries. Called before Setup().
  void SetApplyCallback(RaftApplyCallback callback) { apply_callback_ = std::move(callback); }
  // Registers the callback that receives snapshots (lab 3, part D). Called before Setup().
  void SetSnapshotCallback(RaftSnapshotCallback callback) {
    snapshot_callback_ = std::move(callback);
  }

  // Starts the peer: reads the persisted state, then starts the coroutines it needs (election
  // timer, apply loop, ...). Called once, with this node current, from a coroutine of the node.
  void Setup();

  // Proposes `cmd` for the next log index. If this peer believes it is the leader, appends the
  // command to its log, sets *index and *term to where it went, and returns true at once (it
  // does not wait for the entry to commit; it may never commit). Otherwise returns false.
  // Takes the pointer by value: pass any shared_ptr to a Marshallable subclass, or std::move
  // yours in; the command itself is never copied.
  bool Start(std::shared_ptr<Marshallable> cmd, uint64_t* index, uint64_t* term);

  // Sets *is_leader to whether this peer believes it is the leader and *term to its current term.
  void GetState(bool* is_leader, uint64_t* term);

  // Stops the peer: its coroutines end at their next wake-up and no more entries are applied.
  // It need not wait for them: the harness cancels the node's coroutines (their waits throw
  // rrr::Cancelled) before it destroys the node, and none of them runs again afterwards.
  void Shutdown();

  // RPC handlers, called by RaftServiceImpl. Each one fills in its outputs and returns; the
  // service then sends the reply.
  void OnRequestVote(uint64_t term, int32_t candidate_id, uint64_t last_log_index,
                     uint64_t last_log_term, uint64_t* reply_term, bool* vote_granted);
  void OnAppendEntries(uint64_t term, int32_t leader_id, uint64_t prev_log_index,
                       uint64_t prev_log_term, const std::vector<RaftEntry>& entries,
                       uint64_t leader_commit, uint64_t* reply_term, bool* success,
                       uint64_t* conflict_index, uint64_t* conflict_term);

  // Lab 3, part D. The service has applied every entry up to and including `index`, and
  // `snapshot` is its state at that point. Raft drops its log entries up to `index` (it keeps
  // what it needs to know index's term) and saves its state and the snapshot together with
  // Persister::SaveStateAndSnapshot. Does nothing if `index` is at or below the current
  // snapshot's index. May be called from inside the apply callback.
  // REQUIRES: `index` has been delivered to the service (so it is committed).
  void Snapshot(uint64_t index, const std::string& snapshot);

  // Lab 3, part D: the InstallSnapshot handler, called by RaftServiceImpl.
  void OnInstallSnapshot(uint64_t term, int32_t leader_id, uint64_t last_included_index,
                         uint64_t last_included_term, const std::string& data,
                         uint64_t* reply_term);

  // Persistence (lab 3 builds on this). Persist() saves currentTerm, votedFor and the log through
  // the persister; ReadPersist() loads them back (does nothing if nothing was saved).
  void Persist();
  void ReadPersist();

  // This peer's replica index, and the number of replicas.
  int me() const { return me_; }
  int n() const { return n_; }
  RaftCommo* commo() const { return commo_; }
  Persister* persister() const { return persister_; }

 private:
  RaftCommo* const commo_;
  const int me_;
  const int n_;
  Persister* const persister_;
  RaftApplyCallback apply_callback_;
  RaftSnapshotCallback snapshot_callback_;

  // BEGIN SOLUTION
  enum class Role { kFollower, kCandidate, kLeader };

  // Tunables (microseconds).
  static constexpr uint64_t kHeartbeatUs = 100 * 1000;
  static constexpr uint64_t kElectionTimeoutMinUs = 300 * 1000;
  static constexpr uint64_t kElectionTimeoutMaxUs = 600 * 1000;

  // Log access. log_[0] is a sentinel standing for index log_start_ (0, or the last index the
  // snapshot covers) and holding that index's term, so entry `i` lives at log_[i - log_start_].
  uint64_t LastIndex() const { return log_start_ + log_.size() - 1; }
  uint64_t TermAt(uint64_t index) const { return log_[index - log_start_].term; }
  RaftEntry& EntryAt(uint64_t index) { return log_[index - log_start_]; }
  // The only two ways the log changes, so that state_bytes_ follows it: appends `entry` at
  // LastIndex() + 1, and drops every entry after `index`.
  void AppendEntry(RaftEntry entry);
  void TruncateAfter(uint64_t index);
  // Makes `index` (of term `term`) the log's start: keeps the entries after it if our log has
  // that entry with that term, else drops the whole log (Figure 13). Does not persist.
  void CompactLog(uint64_t index, uint64_t term);
  // Writes currentTerm, votedFor, log_start_ and the number of entries into state_bytes_.
  void EncodeHeader();
  // Saves state_bytes_ and snapshot_ together (Persister::SaveStateAndSnapshot).
  void PersistWithSnapshot();

  bool IsLeader() const { return role_ == Role::kLeader; }
  void ResetElectionTimer();
  // Adopts `term` (> current_term_) and becomes a follower that has not voted in it.
  void StepDown(uint64_t term);
  void ElectionLoop();
  void RunElection();
  void BecomeLeader();
  void ReplicateLoop(int peer, uint64_t term);
  // Handles a failed AppendEntries: moves next_index_[peer] back past the conflict.
  void BackOff(int peer, uint64_t conflict_index, uint64_t conflict_term);
  // Sends our snapshot to `peer` and waits for the reply; true if the peer took it (its
  // nextIndex then follows the snapshot), false on no reply, a newer term or lost leadership.
  bool SendSnapshot(int peer, uint64_t term);
  // Commits the highest index of the current term held by a majority.
  void AdvanceCommitIndex();
  // Sets commit_index_ to `index` and wakes the apply loop.
  void SetCommitIndex(uint64_t index);
  // Wakes the replication loops (new entries or a new commit index to send).
  void Notify();
  void ApplyLoop();
  // Figure 2's invariants (server.cc lists them): a failed one aborts with its name. Called at
  // the end of every step (handler, Start, election, reply, apply); compiled only in debug
  // builds (NDEBUG undefined, e.g. CMAKE_BUILD_TYPE=Debug or `make asan`).
#ifdef NDEBUG
  void CheckInvariants() const {}
#else
  void CheckInvariants() const;
#endif
  // Calls CheckInvariants() when the step it is declared in returns, by whichever path.
  struct CheckOnReturn {
    const RaftServer* server;
    ~CheckOnReturn() { server->CheckInvariants(); }
  };

  // Persistent state (Figure 2).
  uint64_t current_term_ = 0;
  int32_t voted_for_ = -1;
  std::vector<RaftEntry> log_;
  uint64_t log_start_ = 0;
  // The service's state through log_start_ (lab 3, part D); empty until the first snapshot.
  std::string snapshot_;
  // What Persist() saves, kept current as the log changes so that a save costs the same
  // whatever the length of the log (no entry is encoded twice): a fixed-size header
  // (kStateHeaderBytes: currentTerm, votedFor, log_start_, number of entries in log_), rewritten
  // by each Persist(), then the encoding of each entry of log_, sentinel included, appended once
  // by AppendEntry(). log_[i]'s encoding starts at entry_offset_[i], where TruncateAfter() cuts.
  static constexpr size_t kStateHeaderBytes = 8 + 4 + 8 + 8;
  std::string state_bytes_;
  std::vector<size_t> entry_offset_;
  // True when the log has entries Persist() has not saved yet (see Start()).
  bool unsaved_ = false;

  // Volatile state.
  Role role_ = Role::kFollower;
  bool stopped_ = false;
  uint64_t commit_index_ = 0;
  uint64_t last_applied_ = 0;
  uint64_t election_deadline_us_ = 0;

  // Leader state, reset at each election won.
  std::vector<uint64_t> next_index_;
  std::vector<uint64_t> match_index_;

  // Counts changes the replication loops must act on (new entries, new commit index).
  std::shared_ptr<rrr::SharedIntEvent> changes_;
  // Holds commit_index_ (nothing else); the apply loop waits on it.
  std::shared_ptr<rrr::SharedIntEvent> committed_;
  // Set once, by Shutdown(): ends the apply loop's wait whatever the commit index.
  std::shared_ptr<rrr::IntEvent> stop_;
  // END SOLUTION
  // BEGIN STUB
  // // TODO: add the state of Figure 2 of the Raft paper (currentTerm, votedFor, log[], ...),
  // // the role of this peer, and the helpers you need.
  // END STUB
};

}  // namespace janus
