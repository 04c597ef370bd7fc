#include "labs/txn/server.h"

namespace janus {

TxnServer::TxnServer(RaftServer* raft, uint64_t gid, const std::vector<std::string>& master_addrs,
                     int64_t maxraftstate, Concurrency mode)
    : raft_(raft), gid_(gid), maxraftstate_(maxraftstate), mode_(mode), master_(master_addrs) {}

TxnServer::~TxnServer() { Shutdown(); }

TxnErr TxnServer::Put(const std::string& key, const std::string& value, uint64_t client_id,
                      uint64_t seq, uint64_t* version) {
  (void)key, (void)value, (void)client_id, (void)seq;
  *version = 0;
  return TxnErr::ErrWrongLeader;  // TODO
}

TxnErr TxnServer::Append(const std::string& key, const std::string& value, uint64_t client_id,
                         uint64_t seq, uint64_t* version) {
  (void)key, (void)value, (void)client_id, (void)seq;
  *version = 0;
  return TxnErr::ErrWrongLeader;  // TODO
}

TxnErr TxnServer::Get(const std::string& key, uint64_t client_id, uint64_t seq,
                      std::string* value, uint64_t* version) {
  (void)key, (void)client_id, (void)seq;
  *value = "";
  *version = 0;
  return TxnErr::ErrWrongLeader;  // TODO
}

void TxnServer::OnApply(uint64_t index, std::shared_ptr<Marshallable> cmd) {
  (void)index, (void)cmd;
}

void TxnServer::OnSnapshot(uint64_t index, uint64_t term, const std::string& snapshot) {
  (void)index, (void)term, (void)snapshot;
}

void TxnServer::Shutdown() {}

}  // namespace janus
