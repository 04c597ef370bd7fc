// Lab 1: how a Raft peer sends RPCs to the others.
//
// Each send helper starts the RPC(s) and returns at once with an event; the caller (a coroutine
// of RaftServer) waits on it, with a timeout, and reads the result after the wait. The event is
// completed by the RPC's reply callback, which runs on the reactor whenever the reply (or an
// error, or the RPC's timeout) arrives, even after the caller stopped waiting. So the callbacks
// must only touch objects they own (here: the event), never the RaftServer.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "deptran/communicator.h"
#include "deptran/marshallable.h"
#include "raft_rpc.h"
#include "rrr/reactor/event.h"

namespace janus {

// The votes of one election. Ready when a majority voted yes (Yes()) or can no longer do so
// (No()). highest_term_ is the largest term any voter replied with (0 if none replied).
class RequestVoteQuorumEvent : public rrr::QuorumEvent {
 public:
  RequestVoteQuorumEvent(int n_total, int quorum) : rrr::QuorumEvent(n_total, quorum) {}
  uint64_t highest_term_ = 0;
};

// The outcome of one AppendEntries. `ok` is false when no reply came (timeout, lost message,
// peer down); the other fields are meaningful only when ok.
struct AppendEntriesResult {
  bool ok = false;
  uint64_t term = 0;
  bool success = false;
  uint64_t conflict_index = 0;
  uint64_t conflict_term = 0;
};
using AppendEntriesEvent = rrr::BoxEvent<AppendEntriesResult>;

// The outcome of one InstallSnapshot (lab 3, part D): `ok` is false when no reply came; `term`
// is the follower's reply_term, meaningful only when ok.
struct InstallSnapshotResult {
  bool ok = false;
  uint64_t term = 0;
};
using InstallSnapshotEvent = rrr::BoxEvent<InstallSnapshotResult>;

// Raft peers are numbered 0..n-1 by their position in the partition (a "replica index"); the
// RPCs carry these numbers, and RaftCommo maps them to site ids.
class RaftCommo : public Communicator {
 public:
  // See Communicator: the commo of site `site_id`, talking to the other sites of its partition.
  RaftCommo(int site_id, std::shared_ptr<const Config> config, rrr::Transport* transport = nullptr);

  // This site's replica index and the number of replicas (sites of its partition).
  int me() const { return me_; }
  int n_replicas() const { return static_cast<int>(replicas_.size()); }

  // Sends RequestVote to every other replica. The returned event counts the
  // votes of the others only: the candidate adds its own with VoteYes(). A peer that does not
  // answer within `timeout_us` counts as a no.
  std::shared_ptr<RequestVoteQuorumEvent> SendRequestVote(uint64_t term, int32_t candidate_id,
                                                          uint64_t last_log_index,
                                                          uint64_t last_log_term,
                                                          uint64_t timeout_us);

  // Sends one AppendEntries to replica `replica`. The event is ready when the reply arrives or
  // after `timeout_us` (then its result has ok == false).
  std::shared_ptr<AppendEntriesEvent> SendAppendEntries(int replica, uint64_t term,
                                                        int32_t leader_id, uint64_t prev_log_index,
                                                        uint64_t prev_log_term,
                                                        const std::vector<RaftEntry>& entries,
                                                        uint64_t leader_commit,
                                                        uint64_t timeout_us);

  // Lab 3, part D: sends one InstallSnapshot to replica `replica`. The event is ready when the
  // reply arrives or after `timeout_us` (then its result has ok == false).
  std::shared_ptr<InstallSnapshotEvent> SendInstallSnapshot(int replica, uint64_t term,
                                                            int32_t leader_id,
                                                            uint64_t last_included_index,
                                                            uint64_t last_included_term,
                                                            const std::string& data,
                                                            uint64_t timeout_us);

 private:
  int me_;
  std::vector<int> replicas_;  // site id of each replica index
};

}  // namespace janus
