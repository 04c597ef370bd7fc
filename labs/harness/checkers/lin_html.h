// The HTML report of a linearizability check: one self-contained file (inline CSS and
// JavaScript, nothing downloaded) that shows, for each key that failed, the history as a
// timeline with a row per client, the operations that could not be linearized highlighted, the
// longest linearization found numbered in order, and the faults the test injected, drawn on the
// same time axis and listed below. Clicking an operation shows its details.
#pragma once

#include <string>
#include <vector>

#include "labs/harness/checkers/kv_history.h"
#include "labs/harness/checkers/linearizability.h"

namespace janus {
namespace harness {

// The page for `result`, the check of `ops`, with `events` on the timeline. `title` heads the
// page (e.g. the test's name and seed). Keys that linearize are drawn only if the reader asks
// for them. Times are shown relative to the first operation or event.
std::string RenderLinearizabilityHtml(const std::string& title, const std::vector<KvOp>& ops,
                                      const LinResult& result,
                                      const std::vector<TimedEvent>& events);

// Writes RenderLinearizabilityHtml(...) to `path`. Returns false with *error set if the file
// cannot be written.
bool WriteLinearizabilityHtml(const std::string& path, const std::string& title,
                              const std::vector<KvOp>& ops, const LinResult& result,
                              const std::vector<TimedEvent>& events, std::string* error);

}  // namespace harness
}  // namespace janus
