#include "labs/txn/service.h"

#include "labs/txn/server.h"

namespace janus {

void TxnServiceImpl::Put(const std::string& key, const std::string& value,
                         const uint64_t& client_id, const uint64_t& seq, TxnErr* err,
                         uint64_t* version, rrr::DeferredReply* defer) {
  *err = server_->Put(key, value, client_id, seq, version);
  defer->reply();
}

void TxnServiceImpl::Append(const std::string& key, const std::string& value,
                            const uint64_t& client_id, const uint64_t& seq, TxnErr* err,
                            uint64_t* version, rrr::DeferredReply* defer) {
  *err = server_->Append(key, value, client_id, seq, version);
  defer->reply();
}

void TxnServiceImpl::Get(const std::string& key, const uint64_t& client_id, const uint64_t& seq,
                         TxnErr* err, std::string* value, uint64_t* version,
                         rrr::DeferredReply* defer) {
  *err = server_->Get(key, client_id, seq, value, version);
  defer->reply();
}

// BEGIN SOLUTION
void TxnServiceImpl::TxGet(const uint64_t& tx, const uint64_t& ts, const std::string& key,
                           TxnErr* err, std::string* value, uint64_t* version,
                           rrr::DeferredReply* defer) {
  *err = server_->TxGet(tx, ts, key, value, version);
  defer->reply();
}

void TxnServiceImpl::Prepare(const uint64_t& tx, const uint64_t& ts, const uint64_t& coord_gid,
                             const std::vector<TxRead>& reads,
                             const std::vector<TxWrite>& writes, TxnErr* err,
                             rrr::DeferredReply* defer) {
  *err = server_->Prepare(tx, ts, coord_gid, reads, writes);
  defer->reply();
}

void TxnServiceImpl::Decide(const uint64_t& tx, const bool& commit, TxnErr* err,
                            rrr::DeferredReply* defer) {
  *err = server_->Decide(tx, commit);
  defer->reply();
}

void TxnServiceImpl::Resolve(const uint64_t& tx, const bool& commit, TxnErr* err,
                             bool* committed, rrr::DeferredReply* defer) {
  *err = server_->Resolve(tx, commit, committed);
  defer->reply();
}
// END SOLUTION

}  // namespace janus
