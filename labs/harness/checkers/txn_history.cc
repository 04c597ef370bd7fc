#include "labs/harness/checkers/txn_history.h"

#include "rrr/base/time.h"
#include "rrr/base/verify.h"

namespace janus {
namespace harness {

const char* TxnOutcomeName(TxnOutcome outcome) {
  switch (outcome) {
    case TxnOutcome::kCommitted:
      return "committed";
    case TxnOutcome::kAborted:
      return "aborted";
    case TxnOutcome::kUnknown:
      return "unknown";
  }
  return "?";
}

TxnRecord& TxnRecord::R(const std::string& key, const std::string& value, uint64_t version,
                        bool found) {
  TxnOp op;
  op.key = key;
  op.value = value;
  op.version = version;
  op.found = found;
  ops.push_back(std::move(op));
  return *this;
}

TxnRecord& TxnRecord::RMissing(const std::string& key) { return R(key, "", 0, false); }

TxnRecord& TxnRecord::W(const std::string& key, const std::string& value) {
  TxnOp op;
  op.is_write = true;
  op.key = key;
  op.value = value;
  ops.push_back(std::move(op));
  return *this;
}

size_t TxnHistory::Begin(int client, uint64_t id, const std::string& label) {
  TxnRecord t;
  t.id = id;
  t.client = client;
  t.label = label;
  t.begin_us = rrr::Time::Now();
  txns_.push_back(std::move(t));
  return txns_.size() - 1;
}

void TxnHistory::Read(size_t index, const std::string& key, const std::string& value,
                      uint64_t version, bool found) {
  verify_msg(index < txns_.size() && txns_[index].end_us == 0, "TxnHistory::Read: bad index");
  txns_[index].R(key, value, version, found);
}

void TxnHistory::Write(size_t index, const std::string& key, const std::string& value) {
  verify_msg(index < txns_.size() && txns_[index].end_us == 0, "TxnHistory::Write: bad index");
  txns_[index].W(key, value);
}

void TxnHistory::End(size_t index, TxnOutcome outcome) {
  verify_msg(index < txns_.size() && txns_[index].end_us == 0, "TxnHistory::End: bad index");
  txns_[index].outcome = outcome;
  txns_[index].end_us = rrr::Time::Now();
}

void TxnHistory::PlainGet(int client, const std::string& key, const std::string& value,
                          uint64_t version, bool found, uint64_t begin_us) {
  TxnRecord t;
  t.id = next_plain_id_++;
  t.client = client;
  t.label = "plain Get";
  t.begin_us = begin_us;
  t.end_us = rrr::Time::Now();
  t.outcome = TxnOutcome::kCommitted;
  t.R(key, value, version, found);
  txns_.push_back(std::move(t));
}

void TxnHistory::PlainPut(int client, const std::string& key, const std::string& value,
                          uint64_t begin_us, TxnOutcome outcome) {
  TxnRecord t;
  t.id = next_plain_id_++;
  t.client = client;
  t.label = "plain Put";
  t.begin_us = begin_us;
  t.end_us = outcome == TxnOutcome::kUnknown ? 0 : rrr::Time::Now();
  t.outcome = outcome;
  t.W(key, value);
  txns_.push_back(std::move(t));
}

}  // namespace harness
}  // namespace janus
