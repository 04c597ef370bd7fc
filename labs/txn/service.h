// Lab 4: the RPC handlers of a transactional KV server. Each handler runs in a new coroutine of
// the node, asks the TxnServer (which may wait for Raft), fills in the outputs and replies.
#pragma once

#include "txn_rpc.h"

namespace janus {

class TxnServer;

class TxnServiceImpl : public TxnService {
 public:
  // `server` must outlive this service.
  explicit TxnServiceImpl(TxnServer* server) : server_(server) {}

  void Put(const std::string& key, const std::string& value, const uint64_t& client_id,
           const uint64_t& seq, TxnErr* err, uint64_t* version,
           rrr::DeferredReply* defer) override;
  void Append(const std::string& key, const std::string& value, const uint64_t& client_id,
              const uint64_t& seq, TxnErr* err, uint64_t* version,
              rrr::DeferredReply* defer) override;
  void Get(const std::string& key, const uint64_t& client_id, const uint64_t& seq, TxnErr* err,
           std::string* value, uint64_t* version, rrr::DeferredReply* defer) override;
  // BEGIN SOLUTION
  void TxGet(const uint64_t& tx, const uint64_t& ts, const std::string& key, TxnErr* err,
             std::string* value, uint64_t* version, rrr::DeferredReply* defer) override;
  void Prepare(const uint64_t& tx, const uint64_t& ts, const uint64_t& coord_gid,
               const std::vector<TxRead>& reads, const std::vector<TxWrite>& writes, TxnErr* err,
               rrr::DeferredReply* defer) override;
  void Decide(const uint64_t& tx, const bool& commit, TxnErr* err,
              rrr::DeferredReply* defer) override;
  void Resolve(const uint64_t& tx, const bool& commit, TxnErr* err, bool* committed,
               rrr::DeferredReply* defer) override;
  // END SOLUTION

 private:
  TxnServer* server_;
};

}  // namespace janus
