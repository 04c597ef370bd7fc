// Requests a node received and has not answered yet (rrr::NodeContext::pending_requests), as the
// end-of-test check of LabTester::End reports them: a handler left waiting for an event that
// never comes (e.g. a KV handler waiting for an index that another leader's command took).
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "rrr/reactor/node.h"

namespace janus {
namespace harness {

// True if a request pending at `node` arrived at or before `arrived_by_us` (reactor time).
bool HasPendingSince(const rrr::NodeContext& node, uint64_t arrived_by_us);

// The requests pending at `node` that arrived at or before `arrived_by_us`, counted by method
// name ("KvService.Put"; "method 0x1234abcd" for a handler registered without a name).
std::map<std::string, int> PendingByMethod(const rrr::NodeContext& node, uint64_t arrived_by_us);

// "KvService.Get x1, KvService.Put x2" (in name order); "" if `counts` is empty.
std::string DescribePending(const std::map<std::string, int>& counts);

}  // namespace harness
}  // namespace janus
