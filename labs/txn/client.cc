#include "labs/txn/client.h"

namespace janus {

// BEGIN SOLUTION
struct TxnClient::Tx {};
// END SOLUTION

TxnClient::TxnClient(const std::vector<std::string>& master_addrs, Concurrency mode)
    : mode_(mode), master_(master_addrs) {}

TxnClient::~TxnClient() = default;

uint64_t TxnClient::TxBegin() { return 1; }

int TxnClient::TxGet(uint64_t tx, const std::string& key, std::string* value,
                     uint64_t* version) {
  (void)tx, (void)key;
  *value = "";
  if (version != nullptr) *version = 0;
  return TX_ABORTED;
}

int TxnClient::TxPut(uint64_t tx, const std::string& key, const std::string& value) {
  (void)tx, (void)key, (void)value;
  return TX_ABORTED;
}

int TxnClient::TxCommit(uint64_t tx) {
  (void)tx;
  return TX_ABORTED;
}

int TxnClient::TxAbort(uint64_t tx) {
  (void)tx;
  return TX_ABORTED;
}

std::string TxnClient::Get(const std::string& key, uint64_t* version) {
  (void)key;
  if (version != nullptr) *version = 0;
  return "";
}

void TxnClient::Put(const std::string& key, const std::string& value, uint64_t* version) {
  (void)key, (void)value;
  if (version != nullptr) *version = 0;
}

void TxnClient::Append(const std::string& key, const std::string& value, uint64_t* version) {
  (void)key, (void)value;
  if (version != nullptr) *version = 0;
}

}  // namespace janus
