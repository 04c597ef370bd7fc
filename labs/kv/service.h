// Lab 2: the RPC handlers of a key/value server.
//
// The rrr server calls each handler in a new coroutine of this node. The handler asks the
// KvServer, which may wait for Raft (that is why the methods are `defer`), then fills in the
// outputs and calls defer->reply() once.
#pragma once

#include "kv_rpc.h"

namespace janus {

class KvServer;

class KvServiceImpl : public KvService {
 public:
  // `server` must outlive this service.
  explicit KvServiceImpl(KvServer* server) : server_(server) {}

  void Put(const std::string& key, const std::string& value, const uint64_t& client_id,
           const uint64_t& seq, KvErr* err, rrr::DeferredReply* defer) override;
  void Append(const std::string& key, const std::string& value, const uint64_t& client_id,
              const uint64_t& seq, KvErr* err, rrr::DeferredReply* defer) override;
  void Get(const std::string& key, const uint64_t& client_id, const uint64_t& seq, KvErr* err,
           std::string* value, rrr::DeferredReply* defer) override;

 private:
  KvServer* server_;
};

}  // namespace janus
