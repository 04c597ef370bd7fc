// The serializability checker's first steps: the writes indexed by value, the unknown outcomes
// decided, and each read checked against the model of txn_history.h.
#include "labs/harness/checkers/ser_checker.h"

namespace janus {
namespace harness {
namespace ser_internal {

void Checker::Anomaly(SerAnomalyKind kind, std::vector<uint64_t> ids, const std::string& key,
                      const std::string& description) {
  result_.anomaly_count++;
  if (result_.anomalies.size() >= kKeptAnomalies) return;
  result_.anomalies.push_back({kind, std::move(ids), key, description});
}

int Checker::KeyId(const std::string& key) {
  auto it = key_ids_.find(key);
  if (it != key_ids_.end()) return it->second;
  key_ids_.emplace(key, static_cast<int>(graph_.keys.size()));
  graph_.keys.push_back(key);
  by_version_.push_back({{0, kInitial}});  // every key starts at version 0
  return static_cast<int>(graph_.keys.size()) - 1;
}

void Checker::CheckIds() {
  std::unordered_map<uint64_t, int> seen;
  for (size_t t = 0; t < txns_.size(); t++) {
    const uint64_t id = txns_[t].id;
    if (id == 0) Anomaly(SerAnomalyKind::kMalformed, {id}, "", "a transaction has id 0");
    if (!seen.emplace(id, static_cast<int>(t)).second) {
      Anomaly(SerAnomalyKind::kMalformed, {id}, "",
              "two transactions have id " + std::to_string(id));
    }
  }
}

void Checker::IndexWrites() {
  for (size_t t = 0; t < txns_.size(); t++) {
    const std::vector<TxnOp>& ops = txns_[t].ops;
    std::unordered_map<std::string, size_t> last;
    for (size_t i = 0; i < ops.size(); i++) {
      if (ops[i].is_write) last[ops[i].key] = i;
    }
    for (size_t i = 0; i < ops.size(); i++) {
      const TxnOp& op = ops[i];
      if (!op.is_write) continue;
      KeyId(op.key);
      if (op.value.empty()) {
        Anomaly(SerAnomalyKind::kMalformed, {txns_[t].id}, op.key,
                Name(t) + " wrote the empty value to " + op.key);
        continue;
      }
      const bool final_write = last[op.key] == i;
      auto ins = value_writer_.emplace(op.key + '\0' + op.value,
                                       std::make_pair(static_cast<int>(t), final_write));
      if (ins.second) continue;
      if (ins.first->second.first == static_cast<int>(t)) {
        ins.first->second.second = ins.first->second.second || final_write;
      } else {
        Anomaly(SerAnomalyKind::kMalformed, {txns_[ins.first->second.first].id, txns_[t].id},
                op.key,
                Name(ins.first->second.first) + " and " + Name(t) + " both wrote " + op.key + "='" +
                    op.value + "' (values must be unique)");
      }
    }
  }
}

int Checker::Writer(const std::string& key, const std::string& value, bool* final_write) {
  lookup_.assign(key);
  lookup_ += '\0';
  lookup_ += value;
  auto it = value_writer_.find(lookup_);
  if (it == value_writer_.end()) return kNobody;
  *final_write = it->second.second;
  return it->second.first;
}

std::vector<size_t> Checker::OutsideReads(int t) const {
  std::vector<size_t> reads;
  std::set<std::string> written;
  const std::vector<TxnOp>& ops = txns_[t].ops;
  for (size_t i = 0; i < ops.size(); i++) {
    if (ops[i].is_write) {
      written.insert(ops[i].key);
    } else if (!written.count(ops[i].key)) {
      reads.push_back(i);
    }
  }
  return reads;
}

void Checker::DecideUnknowns() {
  included_.assign(txns_.size(), false);
  std::vector<int> work;
  for (size_t t = 0; t < txns_.size(); t++) {
    if (txns_[t].outcome == TxnOutcome::kCommitted) {
      included_[t] = true;
      work.push_back(static_cast<int>(t));
    }
  }
  while (!work.empty()) {
    const int t = work.back();
    work.pop_back();
    for (size_t i : OutsideReads(t)) {
      const TxnOp& op = txns_[t].ops[i];
      bool final_write = false;
      const int w = op.value.empty() ? kNobody : Writer(op.key, op.value, &final_write);
      if (w >= 0 && !included_[w] && txns_[w].outcome == TxnOutcome::kUnknown) {
        included_[w] = true;
        work.push_back(w);
      }
    }
  }
  for (size_t t = 0; t < txns_.size(); t++) {
    SerCounts& c = result_.counts;
    switch (txns_[t].outcome) {
      case TxnOutcome::kCommitted:
        c.committed++;
        break;
      case TxnOutcome::kAborted:
        c.aborted++;
        break;
      case TxnOutcome::kUnknown:
        (included_[t] ? c.unknown_included : c.unknown_dropped)++;
        break;
    }
  }
}

void Checker::CheckReads(int t) {
  const TxnRecord& txn = txns_[t];
  std::unordered_map<std::string, const std::string*> own;
  std::map<int, size_t> last_read;  // key -> its last outside read (index in reads_)
  for (const TxnOp& op : txn.ops) {
    const int k = KeyId(op.key);
    auto at = [&op] {
      return op.key + (op.version == kNoV ? "" : "@" + std::to_string(op.version));
    };
    if (op.is_write) {
      own[op.key] = &op.value;
      continue;
    }
    result_.counts.reads++;
    auto mine = own.find(op.key);
    if (mine != own.end()) {
      if (op.value != *mine->second) {
        Anomaly(SerAnomalyKind::kOwnWrite, {txn.id}, op.key,
                Name(t) + " wrote " + op.key + "='" + *mine->second + "' and then read '" +
                    op.value + "'");
      }
      continue;
    }
    if (op.value.empty()) {
      if (op.version != 0 && op.version != kNoV) {
        Anomaly(SerAnomalyKind::kGarbageRead, {txn.id}, op.key,
                Name(t) + " read " + at() + " with no value (only version 0 is empty)");
        continue;
      }
      last_read[k] = reads_.size();
      reads_.push_back({t, k, kInitial, 0});
      continue;
    }
    bool final_write = false;
    const int w = Writer(op.key, op.value, &final_write);
    auto what = [&] { return Name(t) + " read " + at() + "='" + op.value + "'"; };
    if (!op.found || op.version == 0) {
      Anomaly(SerAnomalyKind::kGarbageRead, {txn.id}, op.key,
              what() + (op.found ? ", a value at version 0" : " reported as not found"));
    } else if (w == kNobody) {
      Anomaly(SerAnomalyKind::kGarbageRead, {txn.id}, op.key,
              what() + ", which no transaction wrote");
    } else if (w == t) {
      Anomaly(SerAnomalyKind::kOwnWrite, {txn.id}, op.key, what() + " before writing it");
    } else if (txns_[w].outcome == TxnOutcome::kAborted) {
      Anomaly(SerAnomalyKind::kAbortedRead, {txn.id, txns_[w].id}, op.key,
              what() + ", written by " + Name(w) + ", which aborted");
    } else if (!final_write) {
      Anomaly(SerAnomalyKind::kIntermediateRead, {txn.id, txns_[w].id}, op.key,
              what() + ", which " + Name(w) + " overwrote before committing");
    } else {
      if (op.version != kNoV) {
        NoteVersion(w, k, op.version, {Fact::kRead, t, 0});
      }
      last_read[k] = reads_.size();
      reads_.push_back({t, k, w, op.version});
    }
  }
  std::set<int> written;
  for (const TxnOp& op : txn.ops) {
    if (!op.is_write) continue;
    const int k = KeyId(op.key);
    if (op.version != kNoV) NoteVersion(t, k, op.version, {Fact::kReported, t, 0});
    auto read = last_read.find(k);
    if (written.insert(k).second && read != last_read.end()) rmw_.push_back(read->second);
  }
}

}  // namespace ser_internal
}  // namespace harness
}  // namespace janus
