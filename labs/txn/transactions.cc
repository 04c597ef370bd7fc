// SOLUTION FILE
#include "labs/txn/server.h"

namespace janus {

TxnErr TxnServer::TxGet(uint64_t tx, uint64_t ts, const std::string& key, std::string* value,
                        uint64_t* version) {
  (void)tx, (void)ts, (void)key;
  *value = "";
  *version = 0;
  return TxnErr::ErrWrongLeader;
}

TxnErr TxnServer::Prepare(uint64_t tx, uint64_t ts, uint64_t coord_gid,
                          const std::vector<TxRead>& reads, const std::vector<TxWrite>& writes) {
  (void)tx, (void)ts, (void)coord_gid, (void)reads, (void)writes;
  return TxnErr::ErrWrongLeader;
}

TxnErr TxnServer::Decide(uint64_t tx, bool commit) {
  (void)tx, (void)commit;
  return TxnErr::ErrWrongLeader;
}

TxnErr TxnServer::Resolve(uint64_t tx, bool commit, bool* committed) {
  (void)tx, (void)commit;
  *committed = false;
  return TxnErr::ErrWrongLeader;
}

}  // namespace janus
