#include "labs/shardkv/server.h"

#include "rrr/base/logging.h"

namespace janus {

ShardKvServer::ShardKvServer(RaftServer* raft, uint64_t gid,
                             const std::vector<std::string>& master_addrs, int64_t maxraftstate)
    : raft_(raft), gid_(gid), maxraftstate_(maxraftstate), master_(master_addrs) {
  // BEGIN STUB
  // // TODO: start the coroutine that polls the shard master (rrr::Coroutine::CreateRun).
  // END STUB
}

ShardKvServer::~ShardKvServer() { Shutdown(); }

SkvErr ShardKvServer::Put(const std::string& key, const std::string& value, uint64_t client_id,
                          uint64_t seq) {
  // BEGIN STUB
  // (void)key, (void)value, (void)client_id, (void)seq;
  // return SkvErr::ErrWrongLeader;  // TODO: replace
  // END STUB
  (void)key, (void)value, (void)client_id, (void)seq;
  return SkvErr::ErrWrongLeader;
}

SkvErr ShardKvServer::Append(const std::string& key, const std::string& value,
                             uint64_t client_id, uint64_t seq) {
  // BEGIN STUB
  // (void)key, (void)value, (void)client_id, (void)seq;
  // return SkvErr::ErrWrongLeader;  // TODO: replace
  // END STUB
  (void)key, (void)value, (void)client_id, (void)seq;
  return SkvErr::ErrWrongLeader;
}

SkvErr ShardKvServer::Get(const std::string& key, uint64_t client_id, uint64_t seq,
                          std::string* value) {
  // BEGIN STUB
  // (void)key, (void)client_id, (void)seq;
  // *value = "";
  // return SkvErr::ErrWrongLeader;  // TODO: replace
  // END STUB
  (void)key, (void)client_id, (void)seq;
  *value = "";
  return SkvErr::ErrWrongLeader;
}

void ShardKvServer::OnApply(uint64_t index, std::shared_ptr<Marshallable> cmd) {
  // BEGIN STUB
  // (void)index, (void)cmd;  // TODO
  // END STUB
  (void)index, (void)cmd;
}

void ShardKvServer::OnSnapshot(uint64_t index, uint64_t term, const std::string& snapshot) {
  // BEGIN STUB
  // (void)index, (void)term, (void)snapshot;  // TODO
  // END STUB
  (void)index, (void)term, (void)snapshot;
}

void ShardKvServer::Shutdown() {
  // BEGIN STUB
  // (void)raft_, (void)maxraftstate_;  // TODO: wake waiting requests, stop your coroutines
  // END STUB
  (void)raft_, (void)maxraftstate_;
}

}  // namespace janus
