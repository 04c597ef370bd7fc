// The serializability checker: indexes the writes, decides the transactions with an unknown
// outcome, checks each read against the model (anomalies), learns the version of each write
// from the reads, builds the dependency graph and asks ser_cycle.cc for a cycle.
#include "labs/harness/checkers/serializability.h"

#include <map>
#include <set>
#include <sstream>
#include <tuple>
#include <unordered_map>

#include "labs/harness/checkers/ser_graph.h"

namespace janus {
namespace harness {

const char* SerEdgeKindName(SerEdgeKind kind) {
  switch (kind) {
    case SerEdgeKind::kWW:
      return "ww";
    case SerEdgeKind::kWR:
      return "wr";
    case SerEdgeKind::kRW:
      return "rw";
  }
  return "?";
}

const char* SerAnomalyKindName(SerAnomalyKind kind) {
  switch (kind) {
    case SerAnomalyKind::kAbortedRead:
      return "aborted read (G1a)";
    case SerAnomalyKind::kIntermediateRead:
      return "intermediate read (G1b)";
    case SerAnomalyKind::kGarbageRead:
      return "garbage read";
    case SerAnomalyKind::kSameVersion:
      return "two writers at one version (lost update)";
    case SerAnomalyKind::kTwoVersions:
      return "one write at two versions";
    case SerAnomalyKind::kOwnWrite:
      return "own-write violation";
    case SerAnomalyKind::kMalformed:
      return "malformed history";
  }
  return "?";
}

namespace {

using ser_internal::GraphEdge;
using ser_internal::SerGraph;
using ser_internal::TxnName;
constexpr uint64_t kNoV = TxnOp::kNoVersion;
constexpr int kInitial = -1;     // the virtual transaction that installed version 0 of every key
constexpr size_t kKeptAnomalies = 20;

// A read of an included transaction whose writer is known (kInitial for the initial state).
struct ExternalRead {
  int txn;
  int key;
  int writer;
  uint64_t version;  // as reported, then resolved from the writer's version if known
};

// How the version of a write is known.
struct Fact {
  enum How { kRead, kReadThenWrote, kReported } how = kRead;
  int by = 0;            // kRead: the reader
  uint64_t version = 0;  // filled by NoteVersion
};

class Checker {
 public:
  explicit Checker(const std::vector<TxnRecord>& txns) : txns_(txns) {}

  SerResult Run() {
    CheckIds();
    IndexWrites();
    DecideUnknowns();
    for (size_t t = 0; t < txns_.size(); t++) {
      if (included_[t]) CheckReads(static_cast<int>(t));
    }
    InferVersions();
    BuildEdges();
    FindCycle();
    Explain();
    return std::move(result_);
  }

 private:
  void Anomaly(SerAnomalyKind kind, std::vector<uint64_t> ids, const std::string& key,
               const std::string& description) {
    result_.anomaly_count++;
    if (result_.anomalies.size() >= kKeptAnomalies) return;
    result_.anomalies.push_back({kind, std::move(ids), key, description});
  }

  int KeyId(const std::string& key) {
    auto it = key_ids_.find(key);
    if (it != key_ids_.end()) return it->second;
    key_ids_.emplace(key, static_cast<int>(graph_.keys.size()));
    graph_.keys.push_back(key);
    by_version_.emplace_back();
    return static_cast<int>(graph_.keys.size()) - 1;
  }

  std::string Name(int t) const { return t == kInitial ? "T0 (initial)" : TxnName(txns_[t].id); }

  void CheckIds() {
    std::unordered_map<uint64_t, int> seen;
    for (size_t t = 0; t < txns_.size(); t++) {
      const uint64_t id = txns_[t].id;
      if (id == 0) Anomaly(SerAnomalyKind::kMalformed, {id}, "", "a transaction has id 0");
      if (!seen.emplace(id, static_cast<int>(t)).second) {
        Anomaly(SerAnomalyKind::kMalformed, {id}, "", "two transactions have id " +
                                                          std::to_string(id));
      }
    }
  }

  // value_writer_: (key, value) -> writer and whether it is the writer's last value for the key.
  void IndexWrites() {
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
                  op.key, Name(ins.first->second.first) + " and " + Name(t) +
                              " both wrote " + op.key + "='" + op.value +
                              "' (values must be unique)");
        }
      }
    }
  }

  // The writer of `value` to `key`, or -2 if nobody wrote it.
  int Writer(const std::string& key, const std::string& value, bool* final_write) {
    lookup_.assign(key);
    lookup_ += '\0';
    lookup_ += value;
    auto it = value_writer_.find(lookup_);
    if (it == value_writer_.end()) return -2;
    *final_write = it->second.second;
    return it->second.first;
  }

  // Reads of t that are not of its own writes (op indexes).
  std::vector<size_t> OutsideReads(int t) const {
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

  void DecideUnknowns() {
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
        const int w = op.value.empty() ? -2 : Writer(op.key, op.value, &final_write);
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

  // Learns that writer w installed version v of key k (w may be kInitial with v = 0), because
  // of `how` (see Fact).
  void NoteVersion(int w, int k, uint64_t v, Fact how) {
    auto slot = by_version_[k].emplace(v, w);
    if (!slot.second && slot.first->second != w &&
        reported_.insert(std::make_tuple(0, k, v, w)).second) {
      const int other = slot.first->second;
      std::vector<uint64_t> ids;
      if (other != kInitial) ids.push_back(txns_[other].id);
      ids.push_back(txns_[w].id);
      const std::string& key = graph_.keys[k];
      Anomaly(SerAnomalyKind::kSameVersion, ids, key,
              Name(other) + " and " + Name(w) + " both installed " + key + "@" +
                  std::to_string(v) + " (" + Name(other) + ": " + Why(other, k) + "; " +
                  Name(w) + ": " + Why(k, v, how) + ")");
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

  // How the version of w's write of k is known.
  std::string Why(int w, int k) const {
    if (w == kInitial) return "the initial state";
    auto it = version_of_.find(std::make_pair(w, k));
    return it == version_of_.end() ? "" : Why(k, it->second.version, it->second);
  }
  std::string Why(int k, uint64_t v, const Fact& how) const {
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

  // The version of w's write of k if known, else kNoV.
  uint64_t VersionOf(int w, int k) const {
    if (w == kInitial) return 0;
    auto it = version_of_.find(std::make_pair(w, k));
    return it == version_of_.end() ? kNoV : it->second.version;
  }

  // Until nothing changes: a read with no version reported saw its writer's version; a
  // transaction that read k at version v (outside its own writes) and wrote k installed v + 1
  // in any serial order (nothing can come between its read and its write).
  void InferVersions() {
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

  void CheckReads(int t) {
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
        NoteVersion(kInitial, k, 0, {});
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
      } else if (w == -2) {
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

  void AddEdge(int from, int to, SerEdgeKind kind, int k, uint64_t from_v, uint64_t to_v) {
    if (from == to || from == kInitial) return;
    if (!edge_set_.insert(std::make_tuple(from, to, static_cast<int>(kind), k)).second) return;
    graph_.out[from].push_back(static_cast<int>(graph_.edges.size()));
    graph_.edges.push_back({from, to, kind, k, from_v, to_v});
    SerCounts& c = result_.counts;
    (kind == SerEdgeKind::kWW ? c.ww_edges : kind == SerEdgeKind::kWR ? c.wr_edges
                                                                       : c.rw_edges)++;
  }

  void BuildEdges() {
    graph_.out.assign(txns_.size(), {});
    for (const ExternalRead& r : reads_) {
      AddEdge(r.writer, r.txn, SerEdgeKind::kWR, r.key, kNoV, r.version);
    }
    for (size_t k = 0; k < by_version_.size(); k++) {
      const std::map<uint64_t, int>& order = by_version_[k];
      for (auto it = order.begin(); it != order.end() && std::next(it) != order.end(); ++it) {
        AddEdge(it->second, std::next(it)->second, SerEdgeKind::kWW, static_cast<int>(k),
                it->first, std::next(it)->first);
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

  void FindCycle() {
    ser_internal::FoundCycle found;
    if (!ser_internal::FindCycle(graph_, &found)) return;
    static const char* const kKinds[] = {
        "G0 (write cycle)", "G1c (circular information flow)", "G2 (anti-dependency cycle)"};
    size_t rw = 0;
    for (int ei : found.edges) {
      const GraphEdge& e = graph_.edges[ei];
      rw += e.kind == SerEdgeKind::kRW;
      result_.cycle.push_back(txns_[e.from].id);
      result_.cycle_edges.push_back({txns_[e.from].id, txns_[e.to].id, e.kind, graph_.keys[e.key],
                                     ser_internal::EdgeWhy(txns_, graph_, e)});
    }
    result_.cycle_kind = kKinds[found.level];
    if (rw == 1) result_.cycle_kind = "G-single (one anti-dependency: read skew, lost update)";
  }

  void Explain() {
    const SerCounts& c = result_.counts;
    std::ostringstream s;
    s << txns_.size() << " transactions: " << c.committed << " committed, " << c.aborted
      << " aborted, " << (c.unknown_included + c.unknown_dropped) << " with no outcome ("
      << c.unknown_included << " counted as committed because a committed transaction read "
      << "them, " << c.unknown_dropped << " left out); " << c.reads << " reads and " << c.writes
      << " writes checked (" << c.writes_no_version << " writes whose version no read showed: "
      << "no ww/rw edges for those); dependencies: " << c.ww_edges << " ww, " << c.wr_edges
      << " wr, " << c.rw_edges << " rw. ";
    result_.ok = result_.anomaly_count == 0 && result_.cycle.empty();
    if (result_.ok) {
      s << "Serializable: no anomaly and the dependency graph has no cycle.";
    } else {
      s << "NOT serializable: ";
      if (result_.anomaly_count > 0) {
        const SerAnomaly& a = result_.anomalies.front();
        s << SerAnomalyKindName(a.kind) << ": " << a.description;
        if (result_.anomaly_count > 1) s << " (and " << result_.anomaly_count - 1 << " more)";
        s << (result_.cycle.empty() ? "." : "; also ");
      }
      if (!result_.cycle.empty()) {
        s << "a cycle of " << result_.cycle.size() << " transactions, " << result_.cycle_kind
          << ": ";
        for (size_t i = 0; i < result_.cycle_edges.size(); i++) {
          const SerEdge& e = result_.cycle_edges[i];
          s << (i ? "; " : "") << TxnName(e.from) << " -" << SerEdgeKindName(e.kind) << "("
            << e.key << ")-> " << TxnName(e.to) << ": " << e.why;
        }
        s << ".";
      }
    }
    result_.explanation = s.str();
  }

  const std::vector<TxnRecord>& txns_;
  SerResult result_;
  SerGraph graph_;
  std::unordered_map<std::string, int> key_ids_;
  std::unordered_map<std::string, std::pair<int, bool>> value_writer_;
  std::string lookup_;  // Writer's buffer
  std::vector<bool> included_;
  std::vector<ExternalRead> reads_;
  std::vector<std::map<uint64_t, int>> by_version_;  // per key: version -> writer
  std::map<std::pair<int, int>, Fact> version_of_;  // (writer, key) -> its version, and how
  std::vector<size_t> rmw_;  // reads (in reads_) of a key the reader then wrote
  std::set<std::tuple<int, int, uint64_t, int>> reported_;
  std::set<std::tuple<int, int, int, int>> edge_set_;
};

}  // namespace

SerResult CheckSerializable(const std::vector<TxnRecord>& txns) {
  return Checker(txns).Run();
}

}  // namespace harness
}  // namespace janus
