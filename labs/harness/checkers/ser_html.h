// The HTML report of a serializability check: one self-contained file (inline CSS and SVG,
// nothing downloaded) that draws the offending cycle as a ring of transactions with labelled
// edges (kind, key, and why), lists each transaction of the cycle with its reads, writes and
// outcome, lists the anomalies, and shows the cycle's transactions on a time line by client.
#pragma once

#include <string>
#include <vector>

#include "labs/harness/checkers/serializability.h"
#include "labs/harness/checkers/txn_history.h"

namespace janus {
namespace harness {

// The page for `result`, the check of `txns`. `title` heads the page (e.g. test name and seed).
std::string RenderSerializabilityHtml(const std::string& title, const std::vector<TxnRecord>& txns,
                                      const SerResult& result);

// Writes RenderSerializabilityHtml(...) to `path`. Returns false with *error set if the file
// cannot be written.
bool WriteSerializabilityHtml(const std::string& path, const std::string& title,
                              const std::vector<TxnRecord>& txns, const SerResult& result,
                              std::string* error);

}  // namespace harness
}  // namespace janus
