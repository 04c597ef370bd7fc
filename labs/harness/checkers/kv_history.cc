#include "labs/harness/checkers/kv_history.h"

#include "rrr/base/time.h"
#include "rrr/base/verify.h"

namespace janus {
namespace harness {

size_t KvHistory::Call(int client, KvOpKind kind, const std::string& key,
                       const std::string& value) {
  KvOp op;
  op.client = client;
  op.kind = kind;
  op.key = key;
  op.value = value;
  op.call = next_point_++;
  op.returned = false;
  op.call_us = rrr::Time::Now();
  ops_.push_back(std::move(op));
  return ops_.size() - 1;
}

void KvHistory::Return(size_t id, const std::string& output) {
  verify_msg(id < ops_.size() && !ops_[id].returned, "KvHistory::Return of an unknown op");
  KvOp& op = ops_[id];
  op.ret = next_point_++;
  op.returned = true;
  op.output = output;
  op.return_us = rrr::Time::Now();
  completed_++;
}

void KvHistory::AddEvent(const std::string& description) {
  AddEventAt(rrr::Time::Now(), description);
}

void KvHistory::AddEventAt(uint64_t time_us, const std::string& description) {
  events_.push_back(TimedEvent{time_us, description});
}

void KvHistory::Add(const KvOp& op) {
  ops_.push_back(op);
  if (op.returned) completed_++;
  if (op.call >= next_point_) next_point_ = op.call + 1;
  if (op.returned && op.ret >= next_point_) next_point_ = op.ret + 1;
}

}  // namespace harness
}  // namespace janus
