// Lab 3: the RPC handlers of a sharded KV server. Each handler runs in a new coroutine of the
// node, asks the ShardKvServer (which may wait for Raft), fills in the outputs and replies.
#pragma once

#include "shardkv_rpc.h"

namespace janus {

class ShardKvServer;

class ShardKvServiceImpl : public ShardKvService {
 public:
  // `server` must outlive this service.
  explicit ShardKvServiceImpl(ShardKvServer* server) : server_(server) {}

  void Put(const std::string& key, const std::string& value, const uint64_t& client_id,
           const uint64_t& seq, SkvErr* err, rrr::DeferredReply* defer) override;
  void Append(const std::string& key, const std::string& value, const uint64_t& client_id,
              const uint64_t& seq, SkvErr* err, rrr::DeferredReply* defer) override;
  void Get(const std::string& key, const uint64_t& client_id, const uint64_t& seq, SkvErr* err,
           std::string* value, rrr::DeferredReply* defer) override;
  // BEGIN SOLUTION
  void PullShards(const uint64_t& config_num, const std::vector<uint32_t>& shards, SkvErr* err,
                  std::vector<ShardData>* data, rrr::DeferredReply* defer) override;
  void DeleteShards(const uint64_t& config_num, const std::vector<uint32_t>& shards, SkvErr* err,
                    rrr::DeferredReply* defer) override;
  // END SOLUTION

 private:
  ShardKvServer* server_;
};

}  // namespace janus
