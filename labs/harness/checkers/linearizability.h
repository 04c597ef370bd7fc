// Linearizability checker for key/value histories (Get, Put, Append).
//
// A history is linearizable if every operation can be given one instant between its call and
// its return such that, replayed in that order, a single key/value map explains every answer:
// each Get returns the value the preceding Puts and Appends built ("" if none). Keys are
// independent in this model, so the history is split per key and each key checked alone
// (linearizability is compositional), which keeps the searches small.
//
// Per key the checker runs the depth-first search of Wing & Gong as improved by Lowe: walk the
// operations in call/return order; linearize the first pending call whose effect the model
// accepts, remove it, and start again; on meeting a return whose operation is not yet placed,
// undo the latest choice and try the next candidate. A cache of (set of operations placed,
// model state) pairs visited prunes the search: two paths that placed the same operations and
// reached the same value have the same future. One more prune is specific to the KV model:
// while no pending Put can still come first, a pending Get's answer must extend the current
// value (only Appends can happen before it), so a value that no pending Get agrees with is a
// dead end; this keeps many overlapping Appends to one key from making the search exponential.
// The search has a real-time limit; when it runs out the verdict is kUnknown, which is not a
// pass: the history was not verified.
//
//   LinResult r = CheckKvLinearizable(history.ops(), LinOptions{});
//   if (r.verdict == LinVerdict::kIllegal) { ... r.Summary(history.ops()) ... }
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "labs/harness/checkers/kv_history.h"

namespace janus {
namespace harness {

enum class LinVerdict {
  kOk,       // linearizable
  kIllegal,  // proven not linearizable
  kUnknown,  // the search ran out of time before deciding
};

// "linearizable", "NOT linearizable" or "unknown (timed out)".
const char* LinVerdictName(LinVerdict verdict);

struct LinOptions {
  // Real time the whole check may take, over all keys (0: no limit).
  uint64_t timeout_ms = 10000;
};

// The outcome for one key.
struct LinKeyResult {
  std::string key;
  LinVerdict verdict = LinVerdict::kOk;
  // Indices (into the ops given to the checker) of the operations checked for this key, in
  // call order. A Get that never returned is not checked and not listed.
  std::vector<size_t> ops;
  // The longest sequence of this key's operations the search could linearize, in linearization
  // order (the whole of `ops` when kOk), and the value after each of them.
  std::vector<size_t> best_order;
  std::vector<std::string> best_values;
  // kIllegal only: the operations that could have come next after best_order (their calls
  // precede every remaining return), none of which leads to a full linearization, with an
  // explanation each (e.g. "Get returned \"x\" but the value was \"xy\"").
  std::vector<size_t> stuck;
  std::vector<std::string> stuck_reasons;
  // kIllegal only: the likely cause read from the key's history ("a duplicate: ...", "a stale
  // read: ..." or "a lost write: ...", see LikelyCause in lin_explain.h), or "" if none fits.
  std::string likely_cause;
  uint64_t steps = 0;  // search steps taken (for diagnostics)
};

struct LinResult {
  // kIllegal if some key is illegal; else kUnknown if some key timed out; else kOk.
  LinVerdict verdict = LinVerdict::kOk;
  std::vector<LinKeyResult> keys;  // one per key, sorted by key
  uint64_t elapsed_us = 0;         // real time taken
  size_t checked_ops = 0;          // operations considered (excludes Gets that never returned)

  // A few lines for a failure message: the verdict, and for each illegal key the operations
  // that could not be linearized with their reasons, then the likely cause. Long values are
  // shown as a diff against the expected value, never shortened in the middle. `ops` must be
  // what was checked.
  std::string Summary(const std::vector<KvOp>& ops) const;
};

// Checks `ops` (see kv_history.h for their meaning). Deterministic apart from where the time
// limit strikes.
LinResult CheckKvLinearizable(const std::vector<KvOp>& ops, const LinOptions& options);

// Short display of a value for messages: ShowKvHead (lin_explain.h) with its default length,
// i.e. quoted, and cut only at the end when long (never in the middle).
std::string ShowKvValue(const std::string& value);

}  // namespace harness
}  // namespace janus
