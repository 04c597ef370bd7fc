// Lab 1: the RPC handlers of a Raft peer.
//
// The rrr server calls these in a new coroutine of this node for each request. A handler fills
// in its outputs and calls defer->reply() exactly once; it may wait (and so may reply later),
// but here every handler answers at once by asking the RaftServer.
#pragma once

#include "deptran/marshallable.h"
#include "raft_rpc.h"

namespace janus {

class RaftServer;

class RaftServiceImpl : public RaftService {
 public:
  // `server` must outlive this service.
  explicit RaftServiceImpl(RaftServer* server) : server_(server) {}

  void RequestVote(const uint64_t& term, const int32_t& candidate_id,
                   const uint64_t& last_log_index, const uint64_t& last_log_term,
                   uint64_t* reply_term, bool* vote_granted, rrr::DeferredReply* defer) override;

  void AppendEntries(const uint64_t& term, const int32_t& leader_id, const uint64_t& prev_log_index,
                     const uint64_t& prev_log_term, const std::vector<RaftEntry>& entries,
                     const uint64_t& leader_commit, uint64_t* reply_term, bool* success,
                     uint64_t* conflict_index, uint64_t* conflict_term,
                     rrr::DeferredReply* defer) override;

  void InstallSnapshot(const uint64_t& term, const int32_t& leader_id,
                       const uint64_t& last_included_index, const uint64_t& last_included_term,
                       const std::string& data, uint64_t* reply_term,
                       rrr::DeferredReply* defer) override;

 private:
  RaftServer* server_;
};

}  // namespace janus
