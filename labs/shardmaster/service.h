// Lab 3: the RPC handlers of a shard-master server. Each handler runs in a new coroutine of the
// node, asks the ShardMasterServer (which may wait for Raft), fills in the outputs and replies.
#pragma once

#include "shardmaster_rpc.h"

namespace janus {

class ShardMasterServer;

class ShardMasterServiceImpl : public ShardMasterService {
 public:
  // `server` must outlive this service.
  explicit ShardMasterServiceImpl(ShardMasterServer* server) : server_(server) {}

  void Join(const std::map<uint64_t, std::vector<std::string>>& servers, const uint64_t& client_id,
            const uint64_t& seq, SmErr* err, rrr::DeferredReply* defer) override;
  void Leave(const std::vector<uint64_t>& gids, const uint64_t& client_id, const uint64_t& seq,
             SmErr* err, rrr::DeferredReply* defer) override;
  void Move(const uint32_t& shard, const uint64_t& gid, const uint64_t& client_id,
            const uint64_t& seq, SmErr* err, rrr::DeferredReply* defer) override;
  void Query(const int64_t& num, const uint64_t& client_id, const uint64_t& seq, SmErr* err,
             ShardConfig* config, rrr::DeferredReply* defer) override;

 private:
  ShardMasterServer* server_;
};

}  // namespace janus
