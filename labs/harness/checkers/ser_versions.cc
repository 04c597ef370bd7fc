// The serializability checker's versions and edges: what each read tells about the version of
// its writer's write, what read-modify-writes imply, and the ww, wr and rw edges.
#include "labs/harness/checkers/ser_checker.h"

namespace janus {
namespace harness {
namespace ser_internal {

void Checker::NoteVersion(int w, int k, uint64_t v, Fact how) {
  auto slot = by_version_[k].emplace(v, w);
  if (!slot.second && slot.first->second != w &&
      reported_.insert(std::make_tuple(0, k, v, w)).second) {
    const int other = slot.first->second;
    std::vector<uint64_t> ids;
    if (other != kInitial) ids.push_back(txns_[other].id);
    ids.push_back(txns_[w].id);
    const std::string& key = graph_.keys[k];
    Anomaly(SerAnomalyKind::kSameVersion, ids, key,
            Name(other) + " and " + Name(w) + " both installed " + key + "@" + std::to_string(v) +
                " (" + Name(other) + ": " + Why(other, k) + "; " + Name(w) + ": " + Why(k, v, how) +
                ")");
  }
  if (w == kInitial) return;
  how.version = v;
  auto mine = version_of_.emplace(std::make_pair(w, k), how);
  if (!mine.second && mine.first->second.version != v &&
      reported_.insert(std::make_tuple(1, k, v, w)).second) {
    const std::string& key = graph_.keys[k];
    Anomaly(SerAnomalyKind::kTwoVersions, {txns_[w].id}, key,
            Name(w) + "'s write of " + key + " is at version " +
                std::to_string(mine.first->second.version) + " (" + Why(w, k) +
                ") and at version " + std::to_string(v) + " (" + Why(k, v, how) + ")");
  }
}

std::string Checker::Why(int w, int k) const {
  if (w == kInitial) return "the initial state";
  auto it = version_of_.find(std::make_pair(w, k));
  return it == version_of_.end() ? "" : Why(k, it->second.version, it->second);
}

std::string Checker::Why(int k, uint64_t v, const Fact& how) const {
  const std::string& key = graph_.keys[k];
  switch (how.how) {
    case Fact::kRead:
      return "its value was read at " + key + "@" + std::to_string(v) + " by " + Name(how.by);
    case Fact::kReadThenWrote:
      return "it read " + key + "@" + std::to_string(v - 1) + " and wrote " + key;
    case Fact::kReported:
      return "the store reported it";
  }
  return "";
}

uint64_t Checker::VersionOf(int w, int k) const {
  if (w == kInitial) return 0;
  auto it = version_of_.find(std::make_pair(w, k));
  return it == version_of_.end() ? kNoV : it->second.version;
}

void Checker::InferVersions() {
  std::vector<bool> done(rmw_.size(), false);
  for (bool changed = true; changed;) {
    changed = false;
    for (ExternalRead& r : reads_) {
      if (r.version != kNoV) continue;
      r.version = VersionOf(r.writer, r.key);
      changed = changed || r.version != kNoV;
    }
    for (size_t i = 0; i < rmw_.size(); i++) {
      const ExternalRead& r = reads_[rmw_[i]];
      if (done[i] || r.version == kNoV) continue;
      done[i] = true;
      changed = true;
      NoteVersion(r.txn, r.key, r.version + 1, {Fact::kReadThenWrote, r.txn, 0});
    }
  }
}

void Checker::AddEdge(int from, int to, SerEdgeKind kind, int k, uint64_t from_v, uint64_t to_v) {
  if (from == to || from == kInitial) return;
  if (!edge_set_.insert(std::make_tuple(from, to, static_cast<int>(kind), k)).second) return;
  graph_.out[from].push_back(static_cast<int>(graph_.edges.size()));
  graph_.edges.push_back({from, to, kind, k, from_v, to_v});
  SerCounts& c = result_.counts;
  (kind == SerEdgeKind::kWW ? c.ww_edges : kind == SerEdgeKind::kWR ? c.wr_edges : c.rw_edges)++;
}

void Checker::BuildEdges() {
  graph_.out.assign(txns_.size(), {});
  for (const ExternalRead& r : reads_) {
    AddEdge(r.writer, r.txn, SerEdgeKind::kWR, r.key, kNoV, r.version);
  }
  for (size_t k = 0; k < by_version_.size(); k++) {
    const std::map<uint64_t, int>& order = by_version_[k];
    for (auto it = order.begin(); it != order.end() && std::next(it) != order.end(); ++it) {
      AddEdge(it->second, std::next(it)->second, SerEdgeKind::kWW, static_cast<int>(k), it->first,
              std::next(it)->first);
    }
  }
  for (const ExternalRead& r : reads_) {
    if (r.version == kNoV) continue;
    auto next = by_version_[r.key].upper_bound(r.version);
    if (next == by_version_[r.key].end()) continue;
    AddEdge(r.txn, next->second, SerEdgeKind::kRW, r.key, r.version, next->first);
  }
  // Count the writes of included transactions and those whose version is unknown.
  for (size_t t = 0; t < txns_.size(); t++) {
    if (!included_[t]) continue;
    std::set<std::string> keys;
    for (const TxnOp& op : txns_[t].ops) {
      if (op.is_write) keys.insert(op.key);
    }
    for (const std::string& key : keys) {
      result_.counts.writes++;
      if (!version_of_.count(std::make_pair(static_cast<int>(t), key_ids_[key]))) {
        result_.counts.writes_no_version++;
      }
    }
  }
}

}  // namespace ser_internal
}  // namespace harness
}  // namespace janus
