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
// undo the latest choice and try the next candidate. A set of the search nodes visited (the
// operations placed so far and the value reached) prunes the search: two paths that placed the
// same operations and reached the same value have the same future. One more prune is specific
// to the KV model: a pending Get will be linearized after everything placed so far, with only
// pending Appends (which extend the value) and Puts called before it returned (which replace
// it) in between, so a value that a pending Get's answer neither starts with nor can reach
// through such a Put is a dead end; this keeps many overlapping Appends to one key from making
// the search exponential. And a value that no Get of the key returned a value starting with
// is "dead": only a Put can lead from it to the next Get, so all dead values count as one in
// the set of visited nodes (writes that no Get saw, e.g. of clients cut off until the end, then
// cost no more than one order of them). See lin_search.h for the engine and its memory.
//
// Keys are checked in parallel (LinOptions::threads), in rounds: every key gets a small number
// of search steps, then the keys not yet decided get four times as many, and so on, so that a
// key that is hard to decide does not keep the others from being decided.
//
// What is reported, and why it does not depend on threads or their timing. A key's search is
// deterministic: when it decides, it always decides the same way with the same explanation. A
// key stays undecided when the time limit or its share of the memory bound runs out first,
// which depends on the machine and its load. The result is built from the decided keys only:
//   - NOT linearizable if some key is: the report names the first such key in key order among
//     those decided, with its explanation, and the keys before it that were not decided (they
//     might be NOT linearizable too). Keys after it are not reported (LinUndecided::kNotNeeded,
//     even those decided before it was found). As soon as a key is found NOT linearizable the
//     keys after it stop, and the keys before it get at most LinOptions::settle_ms more.
//   - unknown if no key is NOT linearizable and some key was not decided; they are listed.
//   - linearizable if every key is.
// So with enough time and memory for every key the report is the same on every run; otherwise
// it differs only in which keys are listed as not decided (and hence, possibly, in which NOT
// linearizable key comes first among those decided). A verdict other than linearizable is
// not a pass: an unknown history was not verified.
//
// Limits: the searches' memory (values and visited nodes) stays within
// LinOptions::memory_limit_mb in all, each of the T parallel searches having 1/T of it, and is
// freed in large blocks; explaining a NOT linearizable key takes a bounded search of its own
// (200000 steps, at most 64 MB) that is never cut short, so that the explanation does not
// depend on the clock. The check returns within LinOptions::timeout_ms plus a small margin:
// the searches look at the clock every 1024 steps, and freeing takes about 0.1 s per GB held
// (measured: 10 ms over a 10 s limit, 0.1 s over 60 s with 0.9 GB). Nothing here puts the clock
// into the result except LinResult::elapsed_us, which Summary does not print (traces in
// simulation must not depend on real time).
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
  kUnknown,  // not decided (see LinUndecided)
};

// "linearizable", "NOT linearizable" or "unknown (not decided)".
const char* LinVerdictName(LinVerdict verdict);

// Why a key's verdict is kUnknown.
enum class LinUndecided {
  kNo,           // decided
  kTimeLimit,    // LinOptions::timeout_ms ran out first
  kMemoryLimit,  // its search needed more than its share of LinOptions::memory_limit_mb
  kSettled,      // a key after it was NOT linearizable and settle_ms ran out first
  kNotNeeded,    // not reported: a key before it is NOT linearizable
};

// "" for kNo, else why in a few words, e.g. "the time limit ran out".
std::string LinUndecidedReason(LinUndecided why);

struct LinOptions {
  // Real time the whole check may take, over all keys (0: no limit).
  uint64_t timeout_ms = 10000;
  // Memory the searches may hold at once, over all threads (0: no limit).
  uint64_t memory_limit_mb = 1024;
  // Threads checking keys in parallel; 0: one per core, at most 8. Never more than the keys,
  // and one for small histories.
  int threads = 0;
  // Once a key is proven NOT linearizable, how much longer the keys before it may run.
  uint64_t settle_ms = 1000;
};

// The outcome for one key.
struct LinKeyResult {
  std::string key;
  LinVerdict verdict = LinVerdict::kOk;
  LinUndecided undecided = LinUndecided::kNo;  // why, when verdict is kUnknown
  // Indices (into the ops given to the checker) of the operations checked for this key, in
  // call order. A Get that never returned is not checked and not listed.
  std::vector<size_t> ops;
  // The longest sequence of this key's operations the search could linearize, in linearization
  // order (the whole of `ops` when kOk), and the value after each of them. Empty when kUnknown.
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
  uint64_t steps = 0;  // search steps of the run that decided (for diagnostics; 0 if kUnknown)
};

struct LinResult {
  // kIllegal if some key is (exactly one is reported, see the file comment); else kUnknown if
  // some key was not decided; else kOk.
  LinVerdict verdict = LinVerdict::kOk;
  std::vector<LinKeyResult> keys;  // one per key, sorted by key
  // The keys not decided that matter, in key order: for kUnknown all of them, for kIllegal
  // those before the reported key.
  std::vector<std::string> undecided;
  size_t checked_ops = 0;   // operations considered (excludes Gets that never returned)
  int threads = 1;          // threads used
  uint64_t elapsed_us = 0;  // real time taken (not in Summary: it varies from run to run)

  // A few lines for a failure message: the verdict; for the illegal key the operations that
  // could not be linearized with their reasons, then the likely cause; then the keys not
  // decided, with why. Long values are shown as a diff against the expected value, never
  // shortened in the middle. `ops` must be what was checked. Reads no clock.
  std::string Summary(const std::vector<KvOp>& ops) const;
};

// Checks `ops` (see kv_history.h for their meaning) as the file comment describes.
LinResult CheckKvLinearizable(const std::vector<KvOp>& ops, const LinOptions& options);

// Short display of a value for messages: ShowKvHead (lin_explain.h) with its default length,
// i.e. quoted, and cut only at the end when long (never in the middle).
std::string ShowKvValue(const std::string& value);

}  // namespace harness
}  // namespace janus
