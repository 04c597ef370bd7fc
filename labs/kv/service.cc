#include "labs/kv/service.h"

#include "labs/kv/server.h"

namespace janus {

void KvServiceImpl::Put(const std::string& key, const std::string& value, const uint64_t& client_id,
                        const uint64_t& seq, KvErr* err, rrr::DeferredReply* defer) {
  *err = server_->Put(key, value, client_id, seq);
  defer->reply();
}

void KvServiceImpl::Append(const std::string& key, const std::string& value,
                           const uint64_t& client_id, const uint64_t& seq, KvErr* err,
                           rrr::DeferredReply* defer) {
  *err = server_->Append(key, value, client_id, seq);
  defer->reply();
}

void KvServiceImpl::Get(const std::string& key, const uint64_t& client_id, const uint64_t& seq,
                        KvErr* err, std::string* value, rrr::DeferredReply* defer) {
  *err = server_->Get(key, client_id, seq, value);
  defer->reply();
}

}  // namespace janus
