#include "labs/harness/core/pending_requests.h"

#include <cstdio>

namespace janus {
namespace harness {

bool HasPendingSince(const rrr::NodeContext& node, uint64_t arrived_by_us) {
  const auto& pending = node.pending_requests();
  // Keys follow arrival order, so the first entry is the oldest.
  return !pending.empty() && pending.begin()->second.since_us <= arrived_by_us;
}

std::map<std::string, int> PendingByMethod(const rrr::NodeContext& node, uint64_t arrived_by_us) {
  std::map<std::string, int> counts;
  for (const auto& entry : node.pending_requests()) {
    const rrr::NodeContext::PendingRequest& r = entry.second;
    if (r.since_us > arrived_by_us) break;
    std::string name;
    if (r.method_name != nullptr) {
      name = r.method_name;
    } else {
      char buf[32];
      std::snprintf(buf, sizeof(buf), "method 0x%08x", r.method_id);
      name = buf;
    }
    counts[name]++;
  }
  return counts;
}

std::string DescribePending(const std::map<std::string, int>& counts) {
  std::string out;
  for (const auto& kv : counts) {
    if (!out.empty()) out += ", ";
    out += kv.first + " x" + std::to_string(kv.second);
  }
  return out;
}

}  // namespace harness
}  // namespace janus
