#include "labs/harness/checkers/serializability.h"

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
      return "two writers at one version";
    case SerAnomalyKind::kTwoVersions:
      return "one write at two versions";
    case SerAnomalyKind::kOwnWrite:
      return "own-write violation";
    case SerAnomalyKind::kMalformed:
      return "malformed history";
  }
  return "?";
}

// STUB (being implemented on h/ser): accepts everything.
SerResult CheckSerializable(const std::vector<TxnRecord>& txns) {
  SerResult r;
  r.explanation = "serializability check not implemented yet";
  r.counts.committed = txns.size();
  return r;
}

}  // namespace harness
}  // namespace janus
