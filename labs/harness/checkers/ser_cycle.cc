// The cycle search of the serializability checker: strongly connected components (Tarjan,
// iterative), then a breadth-first search for the shortest cycle through the first transaction
// of the first component with more than one transaction.
#include <algorithm>
#include <deque>

#include "labs/harness/checkers/ser_graph.h"

namespace janus {
namespace harness {
namespace ser_internal {
namespace {

bool Allowed(SerEdgeKind kind, int level) {
  switch (kind) {
    case SerEdgeKind::kWW:
      return true;
    case SerEdgeKind::kWR:
      return level >= 1;
    case SerEdgeKind::kRW:
      return level >= 2;
  }
  return false;
}

// Component number of every node under the edges allowed at `level`.
std::vector<int> Components(const SerGraph& g, int level) {
  const int n = static_cast<int>(g.out.size());
  std::vector<int> index(n, -1), low(n, 0), comp(n, -1);
  std::vector<bool> on_stack(n, false);
  std::vector<int> stack;
  std::vector<std::pair<int, size_t>> frames;  // node, next out-edge position
  int next_index = 0, next_comp = 0;
  for (int root = 0; root < n; root++) {
    if (index[root] >= 0) continue;
    frames.push_back({root, 0});
    index[root] = low[root] = next_index++;
    stack.push_back(root);
    on_stack[root] = true;
    while (!frames.empty()) {
      const int v = frames.back().first;
      size_t& pos = frames.back().second;
      bool descended = false;
      while (pos < g.out[v].size()) {
        const GraphEdge& e = g.edges[g.out[v][pos++]];
        if (!Allowed(e.kind, level)) continue;
        const int w = e.to;
        if (index[w] < 0) {
          index[w] = low[w] = next_index++;
          stack.push_back(w);
          on_stack[w] = true;
          frames.push_back({w, 0});
          descended = true;
          break;
        }
        if (on_stack[w]) low[v] = std::min(low[v], index[w]);
      }
      if (descended) continue;
      if (low[v] == index[v]) {
        int w;
        do {
          w = stack.back();
          stack.pop_back();
          on_stack[w] = false;
          comp[w] = next_comp;
        } while (w != v);
        next_comp++;
      }
      frames.pop_back();
      if (!frames.empty()) {
        const int parent = frames.back().first;
        low[parent] = std::min(low[parent], low[v]);
      }
    }
  }
  return comp;
}

// Shortest cycle through `start` inside its component; edges appended to *cycle.
bool ShortestCycleThrough(const SerGraph& g, int level, const std::vector<int>& comp, int start,
                          std::vector<int>* cycle) {
  const int n = static_cast<int>(g.out.size());
  std::vector<int> via(n, -2);  // edge that reached the node; -1 for start
  std::deque<int> queue = {start};
  via[start] = -1;
  while (!queue.empty()) {
    const int v = queue.front();
    queue.pop_front();
    for (int ei : g.out[v]) {
      const GraphEdge& e = g.edges[ei];
      if (!Allowed(e.kind, level) || comp[e.to] != comp[start]) continue;
      if (e.to == start) {
        std::vector<int> path = {ei};
        for (int at = v; via[at] >= 0; at = g.edges[via[at]].from) path.push_back(via[at]);
        std::reverse(path.begin(), path.end());
        *cycle = path;
        return true;
      }
      if (via[e.to] != -2) continue;
      via[e.to] = ei;
      queue.push_back(e.to);
    }
  }
  return false;
}

}  // namespace

bool FindCycle(const SerGraph& graph, FoundCycle* cycle) {
  for (int level = 0; level <= 2; level++) {
    const std::vector<int> comp = Components(graph, level);
    std::vector<int> size(graph.out.size() + 1, 0);
    for (int c : comp) size[c]++;
    for (size_t v = 0; v < comp.size(); v++) {
      if (size[comp[v]] < 2) continue;
      cycle->level = level;
      cycle->edges.clear();
      if (ShortestCycleThrough(graph, level, comp, static_cast<int>(v), &cycle->edges)) {
        return true;
      }
    }
  }
  return false;
}

std::string TxnName(uint64_t id) {
  constexpr uint64_t kPlainBase = uint64_t{1} << 62;
  return id >= kPlainBase ? "P" + std::to_string(id - kPlainBase) : "T" + std::to_string(id);
}

std::string EdgeWhy(const std::vector<TxnRecord>& txns, const SerGraph& graph,
                    const GraphEdge& edge) {
  const std::string& key = graph.keys[edge.key];
  auto at = [&key](uint64_t version) {
    return version == TxnOp::kNoVersion ? key : key + "@" + std::to_string(version);
  };
  const std::string from = TxnName(txns[edge.from].id);
  const std::string to = TxnName(txns[edge.to].id);
  switch (edge.kind) {
    case SerEdgeKind::kWW:
      return from + " wrote " + at(edge.from_version) + ", " + to + " wrote " + at(edge.to_version);
    case SerEdgeKind::kWR:
      return to + " read " + at(edge.to_version) + " written by " + from;
    case SerEdgeKind::kRW:
      return from + " read " + at(edge.from_version) + ", " + to + " wrote " + at(edge.to_version);
  }
  return "";
}

}  // namespace ser_internal
}  // namespace harness
}  // namespace janus
