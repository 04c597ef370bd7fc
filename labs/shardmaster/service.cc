#include "labs/shardmaster/service.h"

#include "labs/shardmaster/server.h"

namespace janus {

void ShardMasterServiceImpl::Join(const std::map<uint64_t, std::vector<std::string>>& servers,
                                  const uint64_t& client_id, const uint64_t& seq, SmErr* err,
                                  rrr::DeferredReply* defer) {
  *err = server_->Join(servers, client_id, seq);
  defer->reply();
}

void ShardMasterServiceImpl::Leave(const std::vector<uint64_t>& gids, const uint64_t& client_id,
                                   const uint64_t& seq, SmErr* err, rrr::DeferredReply* defer) {
  *err = server_->Leave(gids, client_id, seq);
  defer->reply();
}

void ShardMasterServiceImpl::Move(const uint32_t& shard, const uint64_t& gid,
                                  const uint64_t& client_id, const uint64_t& seq, SmErr* err,
                                  rrr::DeferredReply* defer) {
  *err = server_->Move(shard, gid, client_id, seq);
  defer->reply();
}

void ShardMasterServiceImpl::Query(const int64_t& num, const uint64_t& client_id,
                                   const uint64_t& seq, SmErr* err, ShardConfig* config,
                                   rrr::DeferredReply* defer) {
  *err = server_->Query(num, client_id, seq, config);
  defer->reply();
}

}  // namespace janus
