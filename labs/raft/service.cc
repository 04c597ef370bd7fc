#include "labs/raft/service.h"

#include "labs/raft/server.h"

namespace janus {

void RaftServiceImpl::RequestVote(const uint64_t& term, const int32_t& candidate_id,
                                  const uint64_t& last_log_index, const uint64_t& last_log_term,
                                  uint64_t* reply_term, bool* vote_granted,
                                  rrr::DeferredReply* defer) {
  server_->OnRequestVote(term, candidate_id, last_log_index, last_log_term, reply_term,
                         vote_granted);
  defer->reply();
}

void RaftServiceImpl::AppendEntries(const uint64_t& term, const int32_t& leader_id,
                                    const uint64_t& prev_log_index, const uint64_t& prev_log_term,
                                    const std::vector<RaftEntry>& entries,
                                    const uint64_t& leader_commit, uint64_t* reply_term,
                                    bool* success, uint64_t* conflict_index,
                                    uint64_t* conflict_term, rrr::DeferredReply* defer) {
  server_->OnAppendEntries(term, leader_id, prev_log_index, prev_log_term, entries, leader_commit,
                           reply_term, success, conflict_index, conflict_term);
  defer->reply();
}

void RaftServiceImpl::InstallSnapshot(const uint64_t& term, const int32_t& leader_id,
                                      const uint64_t& last_included_index,
                                      const uint64_t& last_included_term, const std::string& data,
                                      uint64_t* reply_term, rrr::DeferredReply* defer) {
  server_->OnInstallSnapshot(term, leader_id, last_included_index, last_included_term, data,
                             reply_term);
  defer->reply();
}

}  // namespace janus
