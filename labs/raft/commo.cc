#include "labs/raft/commo.h"

#include "rrr/base/logging.h"

namespace janus {

RaftCommo::RaftCommo(int site_id, std::shared_ptr<const Config> config, rrr::Transport* transport)
    : Communicator(site_id, std::move(config), transport),
      me_(this->config().Site(site_id).index_in_partition),
      replicas_(SiteIdsOf(partition_id())) {}

std::shared_ptr<RequestVoteQuorumEvent> RaftCommo::SendRequestVote(uint64_t term,
                                                                   int32_t candidate_id,
                                                                   uint64_t last_log_index,
                                                                   uint64_t last_log_term,
                                                                   uint64_t timeout_us) {
  // BEGIN SOLUTION
  int n = n_replicas();
  auto votes = std::make_shared<RequestVoteQuorumEvent>(n, n / 2 + 1);
  for (int replica = 0; replica < n; replica++) {
    if (replica == me_) continue;
    rrr::FutureAttr attr;
    attr.timeout_us = timeout_us;
    // The callback owns a reference to the event, never to the RaftServer.
    attr.callback = [votes](rrr::Future* f) {
      // Error code and outputs in one step; on any error the outputs are 0/false.
      RaftProxy::RequestVoteReply r = RaftProxy::DecodeRequestVote(f);
      if (r.error_code == rrr::kErrBadReply) Log_warn("bad RequestVote reply");
      if (r.reply_term > votes->highest_term_) votes->highest_term_ = r.reply_term;
      if (r.error_code == rrr::kOk && r.vote_granted) {
        votes->VoteYes();
      } else {
        votes->VoteNo();
      }
    };
    GetProxy<RaftProxy>(replicas_[replica])
        ->async_RequestVote(term, candidate_id, last_log_index, last_log_term, attr);
  }
  return votes;
  // END SOLUTION
  // BEGIN STUB
  // // TODO: send RequestVote to every other replica (GetProxy<RaftProxy>(replicas_[i])
  // // ->async_RequestVote(..., attr)) and count the replies on the event in attr.callback
  // // (RaftProxy::DecodeRequestVote(f) gives the error code and the outputs).
  // (void)term; (void)candidate_id; (void)last_log_index; (void)last_log_term; (void)timeout_us;
  // return std::make_shared<RequestVoteQuorumEvent>(n_replicas(), n_replicas() / 2 + 1);
  // END STUB
}

std::shared_ptr<AppendEntriesEvent> RaftCommo::SendAppendEntries(
    int replica, uint64_t term, int32_t leader_id, uint64_t prev_log_index, uint64_t prev_log_term,
    const std::vector<RaftEntry>& entries, uint64_t leader_commit, uint64_t timeout_us) {
  // BEGIN SOLUTION
  auto result = std::make_shared<AppendEntriesEvent>();
  rrr::FutureAttr attr;
  attr.timeout_us = timeout_us;
  attr.callback = [result](rrr::Future* f) {
    RaftProxy::AppendEntriesReply r = RaftProxy::DecodeAppendEntries(f);
    if (r.error_code == rrr::kErrBadReply) Log_warn("bad AppendEntries reply");
    result->Set(AppendEntriesResult{r.error_code == rrr::kOk, r.reply_term, r.success,
                                    r.conflict_index, r.conflict_term});
  };
  GetProxy<RaftProxy>(replicas_[replica])
      ->async_AppendEntries(term, leader_id, prev_log_index, prev_log_term, entries, leader_commit,
                            attr);
  return result;
  // END SOLUTION
  // BEGIN STUB
  // // TODO: send AppendEntries to replica `replica` and fill in the event's result from the
  // // reply in attr.callback (RaftProxy::DecodeAppendEntries(f); ok = false if the call failed).
  // (void)replica; (void)term; (void)leader_id; (void)prev_log_index; (void)prev_log_term;
  // (void)entries; (void)leader_commit; (void)timeout_us;
  // return std::make_shared<AppendEntriesEvent>();
  // END STUB
}

std::shared_ptr<InstallSnapshotEvent> RaftCommo::SendInstallSnapshot(
    int replica, uint64_t term, int32_t leader_id, uint64_t last_included_index,
    uint64_t last_included_term, const std::string& data, uint64_t timeout_us) {
  // BEGIN SOLUTION
  auto result = std::make_shared<InstallSnapshotEvent>();
  rrr::FutureAttr attr;
  attr.timeout_us = timeout_us;
  attr.callback = [result](rrr::Future* f) {
    RaftProxy::InstallSnapshotReply r = RaftProxy::DecodeInstallSnapshot(f);
    if (r.error_code == rrr::kErrBadReply) Log_warn("bad InstallSnapshot reply");
    result->Set(InstallSnapshotResult{r.error_code == rrr::kOk, r.reply_term});
  };
  GetProxy<RaftProxy>(replicas_[replica])
      ->async_InstallSnapshot(term, leader_id, last_included_index, last_included_term, data,
                              attr);
  return result;
  // END SOLUTION
  // BEGIN STUB
  // // TODO (part D): send InstallSnapshot to replica `replica`, as SendAppendEntries does.
  // (void)replica; (void)term; (void)leader_id; (void)last_included_index;
  // (void)last_included_term; (void)data; (void)timeout_us;
  // return std::make_shared<InstallSnapshotEvent>();
  // END STUB
}

}  // namespace janus
