// The serializability checker: its steps in order (see ser_checker.h), the cycle found and the
// explanation.
#include "labs/harness/checkers/serializability.h"

#include <sstream>

#include "labs/harness/checkers/ser_checker.h"

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

namespace ser_internal {

SerResult Checker::Run() {
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

void Checker::FindCycle() {
  ser_internal::FoundCycle found;
  if (!ser_internal::FindCycle(graph_, &found)) return;
  static const char* const kKinds[] = {"G0 (write cycle)", "G1c (circular information flow)",
                                       "G2 (anti-dependency cycle)"};
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

void Checker::Explain() {
  const SerCounts& c = result_.counts;
  std::ostringstream s;
  s << txns_.size() << " transactions: " << c.committed << " committed, " << c.aborted
    << " aborted, " << (c.unknown_included + c.unknown_dropped) << " with no outcome ("
    << c.unknown_included << " counted as committed because a committed transaction read "
    << "them, " << c.unknown_dropped << " left out); " << c.reads << " reads and " << c.writes
    << " writes checked (" << c.writes_no_version << " writes whose version no read showed: "
    << "no ww/rw edges for those); dependencies: " << c.ww_edges << " ww, " << c.wr_edges << " wr, "
    << c.rw_edges << " rw. ";
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
      s << "a cycle of " << result_.cycle.size() << " transactions, " << result_.cycle_kind << ": ";
      for (size_t i = 0; i < result_.cycle_edges.size(); i++) {
        const SerEdge& e = result_.cycle_edges[i];
        s << (i ? "; " : "") << TxnName(e.from) << " -" << SerEdgeKindName(e.kind) << "(" << e.key
          << ")-> " << TxnName(e.to) << ": " << e.why;
      }
      s << ".";
    }
  }
  result_.explanation = s.str();
}

}  // namespace ser_internal

SerResult CheckSerializable(const std::vector<TxnRecord>& txns) {
  return ser_internal::Checker(txns).Run();
}

}  // namespace harness
}  // namespace janus
