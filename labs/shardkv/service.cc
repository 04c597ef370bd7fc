#include "labs/shardkv/service.h"

#include "labs/shardkv/server.h"

namespace janus {

void ShardKvServiceImpl::Put(const std::string& key, const std::string& value,
                             const uint64_t& client_id, const uint64_t& seq, SkvErr* err,
                             rrr::DeferredReply* defer) {
  *err = server_->Put(key, value, client_id, seq);
  defer->reply();
}

void ShardKvServiceImpl::Append(const std::string& key, const std::string& value,
                                const uint64_t& client_id, const uint64_t& seq, SkvErr* err,
                                rrr::DeferredReply* defer) {
  *err = server_->Append(key, value, client_id, seq);
  defer->reply();
}

void ShardKvServiceImpl::Get(const std::string& key, const uint64_t& client_id,
                             const uint64_t& seq, SkvErr* err, std::string* value,
                             rrr::DeferredReply* defer) {
  *err = server_->Get(key, client_id, seq, value);
  defer->reply();
}

// BEGIN SOLUTION
void ShardKvServiceImpl::PullShards(const uint64_t& config_num,
                                    const std::vector<uint32_t>& shards, SkvErr* err,
                                    std::vector<ShardData>* data, rrr::DeferredReply* defer) {
  *err = server_->PullShards(config_num, shards, data);
  defer->reply();
}

void ShardKvServiceImpl::DeleteShards(const uint64_t& config_num,
                                      const std::vector<uint32_t>& shards, SkvErr* err,
                                      rrr::DeferredReply* defer) {
  *err = server_->DeleteShards(config_num, shards);
  defer->reply();
}
// END SOLUTION

}  // namespace janus
