// Internal to the serializability checker: the dependency graph it builds (serializability.cc)
// and the search for its shortest cycle of the simplest kind (ser_cycle.cc).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "labs/harness/checkers/serializability.h"
#include "labs/harness/checkers/txn_history.h"

namespace janus {
namespace harness {
namespace ser_internal {

// A dependency between two transactions (indexes into the history), with what explains it.
struct GraphEdge {
  int from = 0;
  int to = 0;
  SerEdgeKind kind = SerEdgeKind::kWW;
  int key = 0;                                // index into SerGraph::keys
  uint64_t from_version = TxnOp::kNoVersion;  // ww: from's version; rw: the version read
  uint64_t to_version = TxnOp::kNoVersion;    // ww, rw: to's version; wr: the version read
};

struct SerGraph {
  std::vector<std::string> keys;
  std::vector<GraphEdge> edges;
  std::vector<std::vector<int>> out;  // per transaction: indexes into edges, in insertion order
};

// A cycle: the edges (indexes into graph.edges), edge i ending where edge i+1 starts.
struct FoundCycle {
  std::vector<int> edges;
  int level = 0;  // 0: ww only (G0), 1: ww and wr (G1c), 2: any (G2)
};

// The shortest cycle (from a deterministic start) among the edges of the lowest level that has
// one; false if the graph is acyclic.
bool FindCycle(const SerGraph& graph, FoundCycle* cycle);

// "T12", or "P3" for a plain operation recorded by TxnHistory (ids from 1<<62).
std::string TxnName(uint64_t id);

// "T12 read x@3, T15 wrote x@4" and the like.
std::string EdgeWhy(const std::vector<TxnRecord>& txns, const SerGraph& graph,
                    const GraphEdge& edge);

}  // namespace ser_internal
}  // namespace harness
}  // namespace janus
