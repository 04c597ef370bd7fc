#include "labs/raft/server.h"

#include <algorithm>
#include <iterator>
#include <string>

#include "labs/harness/core/note.h"
#include "labs/raft/commo.h"
#include "rrr/base/logging.h"
#include "rrr/base/rand.h"
#include "rrr/base/time.h"
#include "rrr/base/verify.h"
#include "rrr/marshal/marshal.h"
#include "rrr/reactor/coroutine.h"

namespace janus {

using rrr::Coroutine;

RaftServer::RaftServer(RaftCommo* commo, Persister* persister)
    : commo_(commo), me_(commo->me()), n_(commo->n_replicas()), persister_(persister) {
  // BEGIN SOLUTION
  state_bytes_.assign(kStateHeaderBytes, '\0');  // Persist() fills the header in
  AppendEntry(RaftEntry{});                      // the sentinel at index 0, term 0
  changes_ = std::make_shared<rrr::SharedIntEvent>();
  committed_ = std::make_shared<rrr::SharedIntEvent>();
  stop_ = std::make_shared<rrr::IntEvent>();
  // END SOLUTION
}

RaftServer::~RaftServer() { Shutdown(); }

void RaftServer::Setup() {
  // BEGIN SOLUTION
  ReadPersist();
  ResetElectionTimer();
  Coroutine::CreateRun([this] { ElectionLoop(); });
  Coroutine::CreateRun([this] { ApplyLoop(); });
  CheckInvariants();
  // END SOLUTION
  // BEGIN STUB
  // // TODO: read the persisted state, then start a coroutine (Coroutine::CreateRun) that runs
  // // the election timer, and one that applies committed entries.
  // END STUB
}

bool RaftServer::Start(std::shared_ptr<Marshallable> cmd, uint64_t* index, uint64_t* term) {
  // BEGIN SOLUTION
  if (stopped_ || !IsLeader()) return false;
  CheckOnReturn check{this};
  RaftEntry entry;
  entry.term = current_term_;
  entry.cmd = MarshallDeputy(std::move(cmd));
  AppendEntry(std::move(entry));
  // Saved before the entry leaves this peer or counts towards a commit, so a burst of Starts
  // costs one Persist().
  unsaved_ = true;
  *index = LastIndex();
  *term = current_term_;
  match_index_[me_] = LastIndex();
  Log_debug("raft %d: start index %llu term %llu", me_, (unsigned long long)*index,
            (unsigned long long)*term);
  Notify();
  if (n_ == 1) AdvanceCommitIndex();  // no one else to wait for
  return true;
  // END SOLUTION
  // BEGIN STUB
  // // TODO: if this peer is the leader, append cmd to the log and return where it went.
  // (void)cmd;
  // *index = 0;
  // *term = 0;
  // return false;
  // END STUB
}

void RaftServer::GetState(bool* is_leader, uint64_t* term) {
  // BEGIN SOLUTION
  *is_leader = IsLeader() && !stopped_;
  *term = current_term_;
  // END SOLUTION
  // BEGIN STUB
  // // TODO: report this peer's role and current term.
  // *is_leader = false;
  // *term = 0;
  // END STUB
}

void RaftServer::Shutdown() {
  // BEGIN SOLUTION
  if (stopped_) return;
  stopped_ = true;
  role_ = Role::kFollower;
  stop_->Set(1);  // wakes the apply loop so it can exit (the commit index stays as it is)
  CheckInvariants();
  // END SOLUTION
  // BEGIN STUB
  // // TODO: make your coroutines stop at their next wake-up.
  // END STUB
}

void RaftServer::OnRequestVote(uint64_t term, int32_t candidate_id, uint64_t last_log_index,
                               uint64_t last_log_term, uint64_t* reply_term, bool* vote_granted) {
  // BEGIN SOLUTION
  CheckOnReturn check{this};
  *vote_granted = false;
  if (term > current_term_) StepDown(term);
  *reply_term = current_term_;
  if (stopped_ || term < current_term_) return;
  if (voted_for_ != -1 && voted_for_ != candidate_id) return;
  // Vote only for a candidate whose log is at least as up to date as ours (section 5.4.1).
  uint64_t my_last_term = TermAt(LastIndex());
  bool up_to_date = last_log_term > my_last_term ||
                    (last_log_term == my_last_term && last_log_index >= LastIndex());
  if (!up_to_date) return;
  voted_for_ = candidate_id;
  Persist();
  ResetElectionTimer();
  *vote_granted = true;
  Log_debug("raft %d: votes for %d in term %llu", me_, candidate_id, (unsigned long long)term);
  // END SOLUTION
  // BEGIN STUB
  // // TODO: grant or refuse the vote (Figure 2, RequestVote RPC, "Receiver implementation").
  // (void)term; (void)candidate_id; (void)last_log_index; (void)last_log_term;
  // *reply_term = 0;
  // *vote_granted = false;
  // END STUB
}

void RaftServer::OnAppendEntries(uint64_t term, int32_t leader_id, uint64_t prev_log_index,
                                 uint64_t prev_log_term, const std::vector<RaftEntry>& entries,
                                 uint64_t leader_commit, uint64_t* reply_term, bool* success,
                                 uint64_t* conflict_index, uint64_t* conflict_term) {
  // BEGIN SOLUTION
  (void)leader_id;
  CheckOnReturn check{this};
  *success = false;
  *conflict_index = 0;
  *conflict_term = 0;
  if (term > current_term_) StepDown(term);
  *reply_term = current_term_;
  if (stopped_ || term < current_term_) return;
  // A valid leader exists for our term: a candidate of the same term gives up.
  role_ = Role::kFollower;
  ResetElectionTimer();

  // Consistency check, with the hints the leader uses to skip a whole term at a time.
  if (prev_log_index > LastIndex()) {
    *conflict_index = LastIndex() + 1;
    return;
  }
  if (prev_log_index >= log_start_ && TermAt(prev_log_index) != prev_log_term) {
    *conflict_term = TermAt(prev_log_index);
    uint64_t first = prev_log_index;
    while (first > log_start_ + 1 && TermAt(first - 1) == *conflict_term) first--;
    *conflict_index = first;
    return;
  }

  // Append what we lack; cut our log only at a real conflict, so that a delayed, shorter
  // AppendEntries never erases entries a newer one already added.
  bool changed = false;
  uint64_t index = prev_log_index;
  for (const RaftEntry& entry : entries) {
    index++;
    if (index <= log_start_) continue;
    if (index <= LastIndex()) {
      if (TermAt(index) == entry.term) continue;
      TruncateAfter(index - 1);
    }
    AppendEntry(entry);
    changed = true;
  }
  if (changed) Persist();

  uint64_t last_new = prev_log_index + entries.size();
  if (leader_commit > commit_index_) {
    SetCommitIndex(std::max(commit_index_, std::min(leader_commit, last_new)));
  }
  *success = true;
  // END SOLUTION
  // BEGIN STUB
  // // TODO: the AppendEntries receiver of Figure 2. On a mismatch, fill in conflict_index and
  // // conflict_term so the leader can skip back a whole term at a time.
  // (void)term; (void)leader_id; (void)prev_log_index; (void)prev_log_term; (void)entries;
  // (void)leader_commit;
  // *reply_term = 0;
  // *success = false;
  // *conflict_index = 0;
  // *conflict_term = 0;
  // END STUB
}

void RaftServer::Snapshot(uint64_t index, const std::string& snapshot) {
  // BEGIN SOLUTION
  // Only a snapshot of applied entries, and only one that moves the log's start forward.
  if (stopped_ || index <= log_start_ || index > last_applied_) return;
  CheckOnReturn check{this};
  Log_debug("raft %d: snapshot through index %llu", me_, (unsigned long long)index);
  CompactLog(index, TermAt(index));
  snapshot_ = snapshot;
  PersistWithSnapshot();
  // END SOLUTION
  // BEGIN STUB
  // // TODO (part D): drop the log up to `index`, then save the Raft state and `snapshot`
  // // together (persister_->SaveStateAndSnapshot).
  // (void)index; (void)snapshot;
  // END STUB
}

void RaftServer::OnInstallSnapshot(uint64_t term, int32_t leader_id, uint64_t last_included_index,
                                   uint64_t last_included_term, const std::string& data,
                                   uint64_t* reply_term) {
  // BEGIN SOLUTION
  (void)leader_id;
  CheckOnReturn check{this};
  if (term > current_term_) StepDown(term);
  *reply_term = current_term_;
  if (stopped_ || term < current_term_) return;
  role_ = Role::kFollower;
  ResetElectionTimer();
  // A snapshot of entries we have already committed brings nothing: applying it would move the
  // service back in time (lastApplied must never decrease).
  if (last_included_index <= commit_index_) return;
  Log_debug("raft %d: installs snapshot through index %llu", me_,
            (unsigned long long)last_included_index);
  CompactLog(last_included_index, last_included_term);
  snapshot_ = data;
  PersistWithSnapshot();
  // The apply loop delivers the snapshot before any later entry (lastApplied < log_start_).
  SetCommitIndex(last_included_index);
  // END SOLUTION
  // BEGIN STUB
  // // TODO (part D): Figure 13 of the Raft paper, "Receiver implementation"; deliver the
  // // snapshot to the service through the snapshot callback, on the apply path.
  // (void)term; (void)leader_id; (void)last_included_index; (void)last_included_term; (void)data;
  // *reply_term = 0;
  // END STUB
}

void RaftServer::Persist() {
  // BEGIN SOLUTION
  // The entries are already encoded in state_bytes_ (see server.h): only the header is new.
  EncodeHeader();
  persister_->SaveRaftState(state_bytes_);
  unsaved_ = false;
  // END SOLUTION
  // BEGIN STUB
  // // Lab 3: save currentTerm, votedFor and the log with persister_->SaveRaftState().
  // END STUB
}

void RaftServer::ReadPersist() {
  // BEGIN SOLUTION
  std::string state = persister_->ReadRaftState();
  if (state.empty()) return;
  // The format of Persist(); the bytes become state_bytes_ as they are, and each entry's
  // offset is where its decoding starts. A state this code did not write (an older format, a
  // damaged file) is refused with PersisterError, never decoded into nonsense.
  auto refuse = [](const std::string& what) {
    throw PersisterError("saved Raft state: " + what +
                         " (not written by this version of RaftServer::Persist)");
  };
  if (state.size() < kStateHeaderBytes) refuse("shorter than its header");
  rrr::Marshal m = rrr::Marshal::FromString(state);
  uint64_t n_entries = 0;
  m >> current_term_ >> voted_for_ >> log_start_ >> n_entries;
  if (n_entries == 0) refuse("no log entries (the sentinel is missing)");
  if (voted_for_ < -1 || voted_for_ >= n_) refuse("votedFor is not a replica index");
  if (n_entries > state.size()) refuse("more entries than bytes");
  // No run reaches 2^48 terms or log indices: larger ones come from a damaged or foreign file,
  // and would wrap (currentTerm + 1) or overflow index arithmetic later.
  constexpr uint64_t kUnreachable = uint64_t{1} << 48;
  if (current_term_ >= kUnreachable) {
    refuse("currentTerm " + std::to_string(current_term_) + " is beyond any reachable term");
  }
  if (log_start_ >= kUnreachable) {
    refuse("log start " + std::to_string(log_start_) + " is beyond any reachable index");
  }
  log_.clear();
  entry_offset_.clear();
  for (uint64_t i = 0; i < n_entries; i++) {
    entry_offset_.push_back(state.size() - m.ContentSize());
    RaftEntry entry;
    m >> entry;
    if (!log_.empty() && entry.term < log_.back().term) refuse("terms in the log decrease");
    log_.push_back(std::move(entry));
  }
  if (!m.Empty()) refuse("bytes left after the last entry");
  if (log_.back().term > current_term_) refuse("an entry's term is above currentTerm");
  state_bytes_ = std::move(state);
  // Everything through log_start_ is in the snapshot, committed; the apply loop delivers the
  // snapshot first (lastApplied < log_start_), then the entries as they commit again.
  snapshot_ = persister_->ReadSnapshot();
  last_applied_ = 0;
  SetCommitIndex(log_start_);
  // END SOLUTION
  // BEGIN STUB
  // // Lab 3: restore what Persist() saved (persister_->ReadRaftState() is empty at first boot).
  // END STUB
}
// BEGIN SOLUTION

void RaftServer::AppendEntry(RaftEntry entry) {
  rrr::Marshal m;
  m << entry;
  entry_offset_.push_back(state_bytes_.size());
  state_bytes_.append(m.data(), m.ContentSize());
  log_.push_back(std::move(entry));
}

void RaftServer::TruncateAfter(uint64_t index) {
  const size_t keep = index - log_start_ + 1;
  if (keep >= log_.size()) return;
  log_.resize(keep);
  state_bytes_.resize(entry_offset_[keep]);
  entry_offset_.resize(keep);
}

void RaftServer::CompactLog(uint64_t index, uint64_t term) {
  std::vector<RaftEntry> kept;
  if (index >= log_start_ && index <= LastIndex() && TermAt(index) == term) {
    kept.assign(std::make_move_iterator(log_.begin() + (index - log_start_ + 1)),
                std::make_move_iterator(log_.end()));
  }
  log_.clear();
  entry_offset_.clear();
  state_bytes_.assign(kStateHeaderBytes, '\0');
  log_start_ = index;
  RaftEntry sentinel;
  sentinel.term = term;
  AppendEntry(std::move(sentinel));
  for (RaftEntry& entry : kept) AppendEntry(std::move(entry));
}

void RaftServer::EncodeHeader() {
  rrr::Marshal header;
  header << current_term_ << voted_for_ << log_start_ << static_cast<uint64_t>(log_.size());
  verify(header.ContentSize() == kStateHeaderBytes);
  state_bytes_.replace(0, kStateHeaderBytes, header.data(), kStateHeaderBytes);
}

void RaftServer::PersistWithSnapshot() {
  EncodeHeader();
  persister_->SaveStateAndSnapshot(state_bytes_, snapshot_);
  unsaved_ = false;
}

void RaftServer::ResetElectionTimer() {
  election_deadline_us_ =
      rrr::Time::Now() + rrr::Rand::Int(kElectionTimeoutMinUs, kElectionTimeoutMaxUs);
}

void RaftServer::StepDown(uint64_t term) {
  verify(term > current_term_);
  Log_debug("raft %d: term %llu -> %llu, follower", me_, (unsigned long long)current_term_,
            (unsigned long long)term);
  harness::NoteRole("follower", term);
  current_term_ = term;
  voted_for_ = -1;
  if (role_ != Role::kFollower) ResetElectionTimer();
  role_ = Role::kFollower;
  Persist();
}

// Sleeps until the election deadline; an RPC from the leader pushes it back meanwhile.
void RaftServer::ElectionLoop() {
  while (!stopped_) {
    uint64_t now = rrr::Time::Now();
    if (IsLeader()) {
      Coroutine::Sleep(kElectionTimeoutMinUs);
    } else if (now >= election_deadline_us_) {
      ResetElectionTimer();
      Coroutine::CreateRun([this] { RunElection(); });
    } else {
      Coroutine::Sleep(election_deadline_us_ - now);
    }
  }
}

void RaftServer::RunElection() {
  CheckOnReturn check{this};
  current_term_++;
  role_ = Role::kCandidate;
  voted_for_ = me_;
  Persist();
  const uint64_t term = current_term_;
  Log_debug("raft %d: starts election for term %llu", me_, (unsigned long long)term);
  harness::NoteRole("candidate", term);
  auto votes =
      commo_->SendRequestVote(term, me_, LastIndex(), TermAt(LastIndex()), kElectionTimeoutMinUs);
  votes->VoteYes();  // our own vote
  votes->Wait(kElectionTimeoutMinUs);
  if (stopped_) return;
  if (votes->highest_term_ > current_term_) {
    StepDown(votes->highest_term_);
    return;
  }
  if (role_ == Role::kCandidate && current_term_ == term && votes->Yes()) BecomeLeader();
}

void RaftServer::BecomeLeader() {
  Log_debug("raft %d: leader of term %llu", me_, (unsigned long long)current_term_);
  role_ = Role::kLeader;
  harness::NoteRole("leader", current_term_);
  next_index_.assign(n_, LastIndex() + 1);
  match_index_.assign(n_, 0);
  match_index_[me_] = LastIndex();
  for (int peer = 0; peer < n_; peer++) {
    if (peer == me_) continue;
    uint64_t term = current_term_;
    Coroutine::CreateRun([this, peer, term] { ReplicateLoop(peer, term); });
  }
}

// One per peer while we lead `term`: keeps one AppendEntries in flight carrying every entry
// the peer lacks (so entries started meanwhile travel together), and sends a heartbeat when
// nothing happened for kHeartbeatUs.
void RaftServer::ReplicateLoop(int peer, uint64_t term) {
  auto still_leading = [this, term] { return !stopped_ && IsLeader() && current_term_ == term; };
  while (still_leading()) {
    CheckOnReturn check{this};  // after each round: request sent, reply handled
    const uint64_t sent_us = rrr::Time::Now();
    const int64_t changes_seen = changes_->value_;
    if (next_index_[peer] <= log_start_) {
      // The peer needs entries we have compacted away: send the snapshot instead.
      if (SendSnapshot(peer, term)) continue;
      if (!still_leading()) return;
      uint64_t now = rrr::Time::Now();
      if (now < sent_us + kHeartbeatUs) Coroutine::Sleep(sent_us + kHeartbeatUs - now);
      continue;
    }
    const uint64_t prev = next_index_[peer] - 1;
    std::vector<RaftEntry> entries(log_.begin() + (prev + 1 - log_start_), log_.end());
    if (unsaved_) Persist();
    auto reply = commo_->SendAppendEntries(peer, term, me_, prev, TermAt(prev), entries,
                                           commit_index_, kHeartbeatUs);
    reply->Wait();  // the RPC times out after kHeartbeatUs at the latest
    if (!still_leading()) return;
    const AppendEntriesResult& r = reply->Get();
    if (r.ok) {
      if (r.term > current_term_) {
        StepDown(r.term);
        return;
      }
      if (!r.success) {
        BackOff(peer, r.conflict_index, r.conflict_term);
        continue;  // retry at once with the earlier entries
      }
      uint64_t match = prev + entries.size();
      match_index_[peer] = std::max(match_index_[peer], match);
      next_index_[peer] = std::max(next_index_[peer], match + 1);
      AdvanceCommitIndex();
      if (next_index_[peer] <= LastIndex()) continue;  // more entries arrived meanwhile
    }
    // Wait for the next heartbeat; when the peer is reachable and up to date, new entries or a
    // new commit index end the wait early. (After a failure, waiting keeps us from spinning.)
    uint64_t now = rrr::Time::Now();
    if (now >= sent_us + kHeartbeatUs) continue;
    if (r.ok) {
      changes_->WaitUntilGreaterOrEqualThan(changes_seen + 1, sent_us + kHeartbeatUs - now);
    } else {
      Coroutine::Sleep(sent_us + kHeartbeatUs - now);
    }
  }
}

bool RaftServer::SendSnapshot(int peer, uint64_t term) {
  const uint64_t index = log_start_;
  auto reply = commo_->SendInstallSnapshot(peer, term, me_, index, TermAt(index), snapshot_,
                                           kHeartbeatUs);
  reply->Wait();  // times out after kHeartbeatUs at the latest
  if (stopped_ || !IsLeader() || current_term_ != term) return false;
  const InstallSnapshotResult& r = reply->Get();
  if (!r.ok) return false;
  if (r.term > current_term_) {
    StepDown(r.term);
    return false;
  }
  match_index_[peer] = std::max(match_index_[peer], index);
  next_index_[peer] = std::max(next_index_[peer], index + 1);
  AdvanceCommitIndex();
  return true;
}

void RaftServer::BackOff(int peer, uint64_t conflict_index, uint64_t conflict_term) {
  uint64_t next = conflict_index;
  if (conflict_term != 0) {
    // If we have entries of the follower's conflicting term, resume after our last one.
    for (uint64_t i = LastIndex(); i > log_start_; i--) {
      if (TermAt(i) == conflict_term) {
        next = i + 1;
        break;
      }
      if (TermAt(i) < conflict_term) break;
    }
  }
  next = std::min(next, next_index_[peer] - 1);  // always move back (replies can be stale)
  // Below log_start_ + 1, the replication loop sends the snapshot.
  next_index_[peer] = std::max(next, match_index_[peer] + 1);
}

void RaftServer::AdvanceCommitIndex() {
  if (unsaved_) Persist();  // our own copy counts only once it is durable
  for (uint64_t n = LastIndex(); n > commit_index_; n--) {
    // Only entries of the current term are committed by counting replicas (section 5.4.2).
    if (TermAt(n) != current_term_) break;
    int replicas = 0;
    for (int peer = 0; peer < n_; peer++) {
      if (match_index_[peer] >= n) replicas++;
    }
    if (2 * replicas > n_) {
      SetCommitIndex(n);
      Notify();  // followers learn the new commit index without waiting for a heartbeat
      break;
    }
  }
}

void RaftServer::SetCommitIndex(uint64_t index) {
  commit_index_ = index;
  harness::Note("commit index", index);
  committed_->Set(static_cast<int64_t>(commit_index_));
}

void RaftServer::Notify() { changes_->Set(changes_->value_ + 1); }

void RaftServer::ApplyLoop() {
  while (!stopped_) {
    committed_->WaitUntilGreaterOrEqualThan(static_cast<int64_t>(last_applied_ + 1), stop_);
    while (!stopped_ && last_applied_ < commit_index_) {
      if (last_applied_ < log_start_) {
        // A snapshot (installed, or read at start-up) replaces everything through log_start_.
        // Copies: the callback may take a new snapshot meanwhile.
        const uint64_t index = log_start_;
        const uint64_t term = TermAt(index);
        const std::string snapshot = snapshot_;
        last_applied_ = index;
        if (snapshot_callback_) snapshot_callback_(index, term, snapshot);
        CheckInvariants();
        continue;
      }
      last_applied_++;
      std::shared_ptr<Marshallable> cmd = EntryAt(last_applied_).cmd.sp_data_;
      if (apply_callback_) apply_callback_(last_applied_, cmd);
      CheckInvariants();
    }
  }
}

#ifndef NDEBUG
void RaftServer::CheckInvariants() const {
  // The log: the sentinel at log_start_, entry terms never decreasing and never above
  // currentTerm, and the persisted encoding (state_bytes_) cut at one offset per entry.
  verify_msg(!log_.empty(), "the log lost its sentinel entry");
  verify_msg(entry_offset_.size() == log_.size() && entry_offset_[0] == kStateHeaderBytes &&
                 entry_offset_.back() < state_bytes_.size(),
             "state_bytes_ does not follow the log");
  for (size_t i = 1; i < log_.size(); i++) {
    verify_msg(log_[i - 1].term <= log_[i].term, "terms in the log decrease");
  }
  verify_msg(log_.back().term <= current_term_, "a log entry has a term above currentTerm");
  // Volatile state: log_start_ <= lastApplied <= commitIndex <= last log index.
  verify_msg(commit_index_ <= LastIndex(), "commitIndex beyond the last log index");
  verify_msg(last_applied_ <= commit_index_, "lastApplied beyond commitIndex");
  // (lastApplied < log_start_ only while a snapshot waits for the apply loop.)
  verify_msg(committed_->value_ == static_cast<int64_t>(commit_index_),
             "the commit event does not hold commitIndex");
  verify_msg(voted_for_ >= -1 && voted_for_ < n_, "votedFor is not a replica index");
  verify_msg(role_ == Role::kFollower || voted_for_ == me_,
             "a candidate or leader that did not vote for itself in its term");
  if (!IsLeader()) return;
  // Leader state: it holds its whole log, and for each other peer
  // matchIndex < nextIndex <= last log index + 1.
  verify_msg(next_index_.size() == static_cast<size_t>(n_) &&
                 match_index_.size() == static_cast<size_t>(n_),
             "nextIndex/matchIndex not sized to the cluster");
  verify_msg(match_index_[me_] == LastIndex(), "the leader's own matchIndex is not its last index");
  for (int peer = 0; peer < n_; peer++) {
    if (peer == me_) continue;
    verify_msg(match_index_[peer] < next_index_[peer], "matchIndex >= nextIndex");
    verify_msg(next_index_[peer] <= LastIndex() + 1, "nextIndex beyond the last log index + 1");
    verify_msg(next_index_[peer] >= 1, "nextIndex below 1");
  }
}
#endif  // NDEBUG
// END SOLUTION

}  // namespace janus
