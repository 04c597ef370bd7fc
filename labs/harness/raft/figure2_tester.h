// Figure2Tester: scripted single-peer tests of one RaftServer (Figure 2 of the Raft paper, rule
// by rule). The server under test is peer s0, a complete RaftNode; every other peer (s1..) is a
// FakePeer played by the script over the same simulated (or tcp) network, so the messages are
// real frames. The script sends crafted RequestVote/AppendEntries to s0 and checks the replies,
// GetState and the entries s0 applies; s0's own calls to the fake peers are held for the script
// (which answers them later, or never), or answered at once by a policy (grant/refuse votes; a
// correct follower model for AppendEntries).
//
//   Figure2Tester t(3);
//   auto r = t.AppendEntries(1, /*term=*/2, /*prev=*/0, /*prev_term=*/0, {2, 2}, /*commit=*/0);
//   t.ExpectReply(r, 2, true, fig2::kAppendNew);
//
// Every message is written to a transcript (time, sender -> receiver, arguments; replies; the
// script's own steps), and every failed check names the Figure 2 rule it tests and prints the
// transcript, so a student sees which exchange broke which rule. Runs on the test's reactor
// inside the graded test's coroutine, like every tester (labs/harness/core/lab_tester.h).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "labs/harness/core/lab_tester.h"
#include "labs/harness/raft/fake_peer.h"
#include "labs/harness/raft/raft_node.h"
#include "rrr/reactor/event.h"

namespace janus {

// The rules of Figure 2 the scripts check, as failure messages quote them.
namespace fig2 {
inline constexpr const char* kStaleVote =
    "RequestVote receiver 1: reply false if term < currentTerm (and reply currentTerm)";
inline constexpr const char* kStaleAppend =
    "AppendEntries receiver 1: reply false if term < currentTerm (and reply currentTerm)";
inline constexpr const char* kHigherTerm =
    "All Servers: if an RPC request or response contains term T > currentTerm, set currentTerm "
    "= T and convert to follower";
inline constexpr const char* kOneVote =
    "RequestVote receiver 2: grant only if votedFor is null or candidateId (one vote per term)";
inline constexpr const char* kUpToDate =
    "RequestVote receiver 2: grant only if the candidate's log is at least as up-to-date as the "
    "receiver's (section 5.4.1: the later last term wins; equal last terms: the longer log)";
inline constexpr const char* kPrevLog =
    "AppendEntries receiver 2: reply false if the log has no entry at prevLogIndex whose term "
    "matches prevLogTerm";
inline constexpr const char* kConflict =
    "AppendEntries receiver 3: if an existing entry conflicts with a new one (same index, "
    "different terms), delete it and all that follow it; never cut entries that match";
inline constexpr const char* kAppendNew =
    "AppendEntries receiver 4: append any new entries not already in the log";
inline constexpr const char* kCommitMin =
    "AppendEntries receiver 5: if leaderCommit > commitIndex, set commitIndex = "
    "min(leaderCommit, index of last new entry)";
inline constexpr const char* kElect =
    "Followers: if the election timeout elapses without AppendEntries from the current leader "
    "or granting a vote, convert to candidate (and send RequestVote to all other servers)";
inline constexpr const char* kCandidateWins =
    "Candidates: if votes are received from a majority of servers, become leader";
inline constexpr const char* kCandidateYields =
    "Candidates: if AppendEntries is received from a new leader (of the candidate's term), "
    "convert to follower; its late votes must not make it leader";
inline constexpr const char* kVoteWaitTerm =
    "Candidates/All Servers: votes count only for the term they were asked for; a candidate "
    "that moved to a higher term is a follower and must not become leader with them";
inline constexpr const char* kHeartbeat =
    "Leaders: upon election send empty AppendEntries (heartbeat) to each server; repeat during "
    "idle periods to prevent election timeouts";
inline constexpr const char* kLeaderCommit =
    "Leaders: commit N only if a majority has matchIndex >= N and log[N].term == currentTerm "
    "(section 5.4.2, Figure 8)";
inline constexpr const char* kBackOff =
    "Leaders: if AppendEntries fails because of log inconsistency, decrement nextIndex and "
    "retry (nextIndex starts at the leader's last log index + 1)";
inline constexpr const char* kVoteForSelf =
    "Candidates: on conversion to candidate, increment currentTerm and vote for self (votedFor = "
    "self: no other candidate of that term gets this server's vote)";
inline constexpr const char* kLeaderInit =
    "Leaders (volatile state, reinitialized after election): matchIndex starts at 0 in every "
    "term a server leads; only a follower's success in that term raises it";
inline constexpr const char* kHints =
    "AppendEntries reply (fast back-off, raft_rpc.rpc): on a mismatch conflict_term is the term "
    "of the entry at prevLogIndex and conflict_index the first index of that term; a log ending "
    "before prevLogIndex answers conflict_term 0 and conflict_index = its last index + 1";
inline constexpr const char* kFastBackOff =
    "Leaders (fast back-off, section 5.3 and the lab guide): after a refusal, move nextIndex past "
    "the follower's whole conflicting term (just after the leader's last entry of conflict_term, "
    "else to conflict_index), not one entry at a time";
inline constexpr const char* kApply =
    "All Servers: if commitIndex > lastApplied, apply log[lastApplied+1] (in index order)";
// Part D: the InstallSnapshot receiver (Figure 13 of the Raft paper, and the lab guide).
inline constexpr const char* kSnapshotOld =
    "InstallSnapshot receiver (lab guide, part D): a snapshot at or below commitIndex brings "
    "nothing: deliver nothing (lastApplied never moves back), keep the log, reply currentTerm";
inline constexpr const char* kSnapshotKeep =
    "InstallSnapshot receiver 6: if an existing log entry has the same index and term as the "
    "snapshot's last included entry, retain the log entries following it";
inline constexpr const char* kSnapshotInstall =
    "InstallSnapshot receiver 7-8: else discard the entire log, and reset the state machine "
    "with the snapshot (the snapshot callback, before any later entry; later entries follow it)";
inline constexpr const char* kSnapshotTerm =
    "InstallSnapshot receiver 1: reply immediately if term < currentTerm (with currentTerm)";
inline constexpr const char* kSnapshotRestart =
    "Persistence (part D): the snapshot is saved together with the state "
    "(Persister::SaveStateAndSnapshot); a restarted server delivers it through the snapshot "
    "callback before any entry, and keeps the log entries after it";
}  // namespace fig2

// A node of the tester's cluster: the server under test (raft) or a fake peer (fake).
struct ScriptedPeer {
  std::unique_ptr<RaftNode> raft;
  std::unique_ptr<FakePeer> fake;
};

class Figure2Tester : public harness::LabTester<ScriptedPeer> {
 public:
  static constexpr int kServer = 0;  // index of the server under test
  // How long the script waits for s0's reply to one call.
  static constexpr uint64_t kReplyTimeoutUs = 500 * 1000;
  // How long it waits for s0 to start an election (twice the longest timeout assumed anywhere).
  static constexpr uint64_t kElectionWaitUs = 2000 * 1000;
  // How long it waits for s0 to apply an entry it can commit.
  static constexpr uint64_t kApplyWaitUs = 200 * 1000;

  // s0 and n - 1 fake peers that hold every call s0 sends them (VotePolicy::kHold, no model).
  explicit Figure2Tester(int n);
  ~Figure2Tester() override;

  // ---- Calls to s0 from fake peer `from` (recorded in the transcript). Fail if s0 does not
  // answer within kReplyTimeoutUs. Entry k of `entry_terms` is index prev + 1 + k with term
  // entry_terms[k] and command EntryCmd(index, term).
  struct Reply {
    bool vote = false;      // a RequestVote reply (else AppendEntries or InstallSnapshot)
    bool snapshot = false;  // an InstallSnapshot reply (only `term` is set)
    uint64_t term = 0;
    bool ok = false;  // vote_granted or success
    uint64_t conflict_index = 0;  // AppendEntries: the back-off hints
    uint64_t conflict_term = 0;
  };
  Reply RequestVote(int from, uint64_t term, uint64_t last_log_index, uint64_t last_log_term,
                    const char* file = __builtin_FILE(), int line = __builtin_LINE());
  Reply AppendEntries(int from, uint64_t term, uint64_t prev_log_index, uint64_t prev_log_term,
                      const std::vector<uint64_t>& entry_terms, uint64_t leader_commit,
                      const char* file = __builtin_FILE(), int line = __builtin_LINE());
  // Part D: InstallSnapshot from fake peer `from`, carrying `data` as the snapshot through
  // last_included_index (of term last_included_term).
  Reply InstallSnapshot(int from, uint64_t term, uint64_t last_included_index,
                        uint64_t last_included_term, const std::string& data,
                        const char* file = __builtin_FILE(), int line = __builtin_LINE());
  // The command of the scripts' entry (index, term): "e<index>t<term>".
  static std::string EntryCmd(uint64_t index, uint64_t term);
  // How a snapshot s0 delivered appears among the applied entries (at its last index):
  // "[snapshot t<term> <data>]".
  static std::string SnapshotCmd(uint64_t term, const std::string& data);

  // ---- s0's own calls. ----
  enum class VotePolicy { kHold, kGrant, kRefuse };
  // How fake peer `peer` answers s0's RequestVotes from now on (reply term: the larger of the
  // call's and its model's).
  void SetVotePolicy(int peer, VotePolicy policy);
  // From now on `peer` answers s0's AppendEntries as a correct follower at `term` whose log
  // holds entries of `log_terms` (index 1..): Figure 2's receiver, with the back-off hints.
  void SetFollower(int peer, uint64_t term, const std::vector<uint64_t>& log_terms);
  // From now on `peer` holds s0's AppendEntries again (its follower model is switched off).
  void StopFollower(int peer);
  // The follower model's log length (0 if `peer` has no model).
  uint64_t FollowerLogLength(int peer) const;
  // Every call s0 sent to a fake peer so far, in arrival order (RaftCall::seq).
  const std::vector<std::shared_ptr<RaftCall>>& calls() const { return calls_; }
  // Waits until a call with seq >= from_seq satisfying `match` has arrived; returns the first
  // one, or null after timeout_us.
  std::shared_ptr<RaftCall> AwaitCall(const std::function<bool(const RaftCall&)>& match,
                                      int from_seq, uint64_t timeout_us);
  // Waits for s0's RequestVote at every fake peer (held, same term); fails naming kElect if
  // they do not all come within kElectionWaitUs. Returns them by peer index (entry 0 null).
  std::vector<std::shared_ptr<RaftCall>> AwaitElection(const char* file = __builtin_FILE(),
                                                       int line = __builtin_LINE());
  // Answers a held call (recorded in the transcript).
  void Answer(const std::shared_ptr<RaftCall>& call, uint64_t term, bool ok,
              uint64_t conflict_index = 0, uint64_t conflict_term = 0);
  // Makes s0 leader: every fake peer grants votes and follows s0 with a model whose log is
  // `log_terms` (peers already given one by SetFollower keep theirs); waits for s0 to lead.
  // Returns its term; fails naming kElect/kCandidateWins.
  uint64_t ElectServer(const std::vector<uint64_t>& log_terms, const char* file = __builtin_FILE(),
                       int line = __builtin_LINE());
  // Waits (up to kElectionWaitUs + 1 s) for GetState to say leader, the fake peers answering as
  // their policies say; returns s0's term. Fails naming kElect (no RequestVote sent) or
  // kCandidateWins (REQUIRES: a majority of the fake peers grant votes).
  uint64_t AwaitLeader(const char* file = __builtin_FILE(), int line = __builtin_LINE());

  // ---- s0's state. ----
  void GetState(bool* is_leader, uint64_t* term);
  bool Start(const std::string& cmd, uint64_t* index, uint64_t* term);
  // Fails naming `rule` unless GetState is (leader, term).
  void ExpectState(bool leader, uint64_t term, const std::string& rule,
                   const char* file = __builtin_FILE(), int line = __builtin_LINE());
  // Fails naming `rule` unless r is (term, ok).
  void ExpectReply(const Reply& r, uint64_t term, bool ok, const std::string& rule,
                   const char* file = __builtin_FILE(), int line = __builtin_LINE());
  // Fails naming kHints unless the AppendEntries reply r is a refusal in `term` with these hints.
  void ExpectHints(const Reply& r, uint64_t term, uint64_t conflict_index, uint64_t conflict_term,
                   const char* file = __builtin_FILE(), int line = __builtin_LINE());
  // Waits (up to wait_us) until s0 applied index max(expected); then fails naming `rule`
  // unless s0 applied exactly `expected` (index -> command; a delivered snapshot appears at its
  // index as SnapshotCmd) so far.
  void ExpectApplied(const std::map<uint64_t, std::string>& expected, const std::string& rule,
                     uint64_t wait_us = kApplyWaitUs, const char* file = __builtin_FILE(),
                     int line = __builtin_LINE());
  // Sleeps `us`, then fails naming `rule` if s0 applied any index above `last`.
  void ExpectNoApplyAbove(uint64_t last, uint64_t us, const std::string& rule,
                          const char* file = __builtin_FILE(), int line = __builtin_LINE());
  // Records `what` as a failure of `rule`, with the transcript, and ends the scenario.
  [[noreturn]] void FailRule(const std::string& rule, const std::string& what,
                             const char* file = __builtin_FILE(), int line = __builtin_LINE());

  // Restarts node i (LabTester::Restart); for s0 the record of what it applied starts over.
  void Restart(int i) override;
  // Adds "-- what" to the transcript (and logs it).
  void Note(const std::string& what) override;
  // Answers every call still held (refusing it at its own term), then the base End().
  void End(const char* file = __builtin_FILE(), int line = __builtin_LINE());

 protected:
  void CheckBackground() override;

 private:
  struct Follower {
    bool on = false;
    uint64_t term = 0;
    std::vector<uint64_t> log{0};  // terms; log[0] is a sentinel
  };
  std::unique_ptr<ScriptedPeer> MakePeer(int i, Persister* persister,
                                         const std::vector<std::string>& addrs);
  void OnCall(const std::shared_ptr<RaftCall>& call);
  void AnswerAsFollower(Follower& f, const std::shared_ptr<RaftCall>& call);
  void OnApply(uint64_t index, const std::shared_ptr<Marshallable>& cmd);
  void OnSnapshot(uint64_t index, uint64_t term, const std::string& data);
  void ApplyError(const std::string& rule, const std::string& error);
  void Record(const std::string& line);
  // Sends `call` (from a fake peer) to s0 and waits for the reply.
  Reply Send(RaftCall& call, const std::vector<RaftEntry>& entries, const char* file, int line);
  std::string Transcript() const;

  uint64_t start_us_ = 0;
  std::vector<std::string> transcript_;
  std::vector<std::shared_ptr<RaftCall>> calls_;
  std::shared_ptr<rrr::SharedIntEvent> arrivals_;
  std::vector<VotePolicy> vote_policy_;
  std::vector<Follower> followers_;
  std::map<uint64_t, std::string> applied_;
  std::shared_ptr<rrr::SharedIntEvent> applied_event_;
  std::string apply_error_;
};

}  // namespace janus
