// The HTML report of a linearizability check: one self-contained file (inline CSS and
// JavaScript, nothing downloaded) that shows, for each key that failed, the history as a
// timeline with a row per client, the operations that could not be linearized highlighted, the
// longest linearization found numbered in order, and the faults the test injected, drawn on the
// same time axis and listed below. Clicking an operation shows its details.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "labs/harness/checkers/kv_history.h"
#include "labs/harness/checkers/linearizability.h"

namespace janus {
namespace harness {

// Where a report links its operations into the trace viewer (docs/trace-format.md,
// `viewer.html#t=<t_us>&test=<name>`). `page` is the trace's HTML page as the report should
// link it (e.g. a file name beside the report); empty: no links. `zero_us` is the reactor time
// at which the trace's t_us is 0 (the test's start).
struct LinTraceLink {
  std::string page;
  std::string test;
  uint64_t zero_us = 0;
};

// The page for `result`, the check of `ops`, with `events` on the timeline. `title` heads the
// page (e.g. the test's name and seed). Keys that linearize are drawn only if the reader asks
// for them. Times are shown relative to the first operation or event. The page opens scrolled
// and zoomed to the first operation that could not be linearized; with a `trace` page, the
// details of an operation link to that moment of the trace.
std::string RenderLinearizabilityHtml(const std::string& title, const std::vector<KvOp>& ops,
                                      const LinResult& result,
                                      const std::vector<TimedEvent>& events,
                                      const LinTraceLink& trace = LinTraceLink());

// Writes RenderLinearizabilityHtml(...) to `path`. Returns false with *error set if the file
// cannot be written.
bool WriteLinearizabilityHtml(const std::string& path, const std::string& title,
                              const std::vector<KvOp>& ops, const LinResult& result,
                              const std::vector<TimedEvent>& events, std::string* error,
                              const LinTraceLink& trace = LinTraceLink());

}  // namespace harness
}  // namespace janus
