// Internal to the serializability checker: one check of one history, in steps.
//   ser_reads.cc     the writes indexed by value, the unknown outcomes decided, each read
//                    checked against the model (anomalies);
//   ser_versions.cc  the version of each write learned from the reads, and the graph's edges;
//   serializability.cc  the steps in order, the cycle search's result, the explanation.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <set>
#include <string>
#include <tuple>
#include <unordered_map>
#include <utility>
#include <vector>

#include "labs/harness/checkers/ser_graph.h"
#include "labs/harness/checkers/serializability.h"
#include "labs/harness/checkers/txn_history.h"

namespace janus {
namespace harness {
namespace ser_internal {

constexpr uint64_t kNoV = TxnOp::kNoVersion;
constexpr int kInitial = -1;  // the virtual transaction that installed version 0 of every key
constexpr int kNobody = -2;   // the writer of a value nobody wrote
constexpr size_t kKeptAnomalies = 20;

// A read of an included transaction (outside its own writes) whose writer is known: an included
// transaction, or kInitial for the initial state.
struct ExternalRead {
  int txn;
  int key;
  int writer;
  uint64_t version;  // as reported; InferVersions fills it from the writer's version if known
};

// How the version of a write is known.
struct Fact {
  enum How { kRead, kReadThenWrote, kReported } how = kRead;
  int by = 0;            // kRead: the reader
  uint64_t version = 0;  // filled by NoteVersion
};

// Transactions are named by their index in the history; keys by their index in graph_.keys.
class Checker {
 public:
  // `txns` must outlive the checker.
  explicit Checker(const std::vector<TxnRecord>& txns) : txns_(txns) {}

  // Runs every step; call once.
  SerResult Run();

 private:
  // --- ser_reads.cc ---
  // Counts an anomaly and keeps the first kKeptAnomalies.
  void Anomaly(SerAnomalyKind kind, std::vector<uint64_t> ids, const std::string& key,
               const std::string& description);
  // The index of `key`, assigned on first sight.
  int KeyId(const std::string& key);
  // "T12", "P3", or "T0 (initial)" for kInitial.
  std::string Name(int t) const { return t == kInitial ? "T0 (initial)" : TxnName(txns_[t].id); }
  // Duplicate ids and id 0 (kMalformed).
  void CheckIds();
  // Fills value_writer_ from every transaction's writes; empty or duplicate values are
  // kMalformed.
  void IndexWrites();
  // The writer of `value` to `key` and whether it was that writer's last value for the key;
  // kNobody if nobody wrote it.
  int Writer(const std::string& key, const std::string& value, bool* final_write);
  // Reads of t that are not of its own writes (op indexes).
  std::vector<size_t> OutsideReads(int t) const;
  // Fills included_: the committed transactions, and those of unknown outcome that an
  // included one read from (to a fixed point); counts the outcomes.
  void DecideUnknowns();
  // Checks every read of included transaction t: own writes, then the reads of others (reads_,
  // the versions they show, and the anomalies); records t's read-modify-writes in rmw_.
  void CheckReads(int t);

  // --- ser_versions.cc ---
  // Learns that writer w installed version v of key k (w may be kInitial with v = 0), because
  // of `how`; two writers at one version or one writer at two versions are anomalies.
  void NoteVersion(int w, int k, uint64_t v, Fact how);
  // How the version of w's write of k is known ("its value was read at x@3 by T7").
  std::string Why(int w, int k) const;
  std::string Why(int k, uint64_t v, const Fact& how) const;
  // The version of w's write of k if known (0 for kInitial), else kNoV.
  uint64_t VersionOf(int w, int k) const;
  // Until nothing changes: a read with no version reported saw its writer's version; a
  // transaction that read k at version v (outside its own writes) and wrote k installed v + 1
  // in any serial order (nothing can come between its read and its write).
  void InferVersions();
  // Adds the edge unless it is a self-loop, from the initial state, or already there.
  void AddEdge(int from, int to, SerEdgeKind kind, int k, uint64_t from_v, uint64_t to_v);
  // wr edges from the reads, ww between consecutive known versions of each key, rw from each
  // read to the writer of the next known version; counts the writes with no known version.
  void BuildEdges();

  // --- serializability.cc ---
  // Fills the result's cycle from the graph (ser_cycle.cc).
  void FindCycle();
  // Fills result_.ok and result_.explanation.
  void Explain();

  const std::vector<TxnRecord>& txns_;
  SerResult result_;
  SerGraph graph_;
  std::unordered_map<std::string, int> key_ids_;
  // key + '\0' + value -> (writer, whether it is the writer's last value for the key)
  std::unordered_map<std::string, std::pair<int, bool>> value_writer_;
  std::string lookup_;  // Writer's buffer
  std::vector<bool> included_;
  std::vector<ExternalRead> reads_;
  std::vector<std::map<uint64_t, int>> by_version_;  // per key: version -> writer
  std::map<std::pair<int, int>, Fact> version_of_;   // (writer, key) -> its version, and how
  std::vector<size_t> rmw_;  // reads (in reads_) of a key the reader then wrote
  std::set<std::tuple<int, int, uint64_t, int>> reported_;  // anomalies already reported
  std::set<std::tuple<int, int, int, int>> edge_set_;       // (from, to, kind, key)
};

}  // namespace ser_internal
}  // namespace harness
}  // namespace janus
