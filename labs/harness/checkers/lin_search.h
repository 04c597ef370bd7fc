// LinKeySearch: the search for a linearization of the operations of one key, the engine of
// CheckKvLinearizable (linearizability.h, whose file comment describes the algorithm and the
// pruning). The search itself is deterministic: for given operations and limits it takes the
// same steps and ends the same way; only `stop` (a deadline, another key's verdict) brings in
// time. Its memory is what the budget allows (lin_memory.h): values (lin_values.h) and visited
// nodes (lin_visited.h), freed in a few blocks when the search ends.
//
//   LinKeySearch search(ops, key_ops);
//   LinSearchOutcome o = search.Run(/*max_steps=*/0, /*memory_bytes=*/256 << 20, stop);
//   if (o == LinSearchOutcome::kOk || o == LinSearchOutcome::kIllegal) search.Fill(&result, stop);
#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "labs/harness/checkers/kv_history.h"
#include "labs/harness/checkers/lin_values.h"
#include "labs/harness/checkers/lin_visited.h"
#include "labs/harness/checkers/linearizability.h"

namespace janus {
namespace harness {

// "client 3 Get(\"k\") -> \"x\" [call 1.000s, return 1.200s]": the operation, its arguments and
// answer (long values cut at the end, never in the middle), for messages.
std::string DescribeLinOp(const KvOp& op);

enum class LinSearchOutcome {
  kOk,           // a linearization was found
  kIllegal,      // none exists
  kStepLimit,    // undecided: max_steps reached
  kMemoryLimit,  // undecided: the memory budget was spent
  kStopped,      // undecided: `stop` said so
};

class LinKeySearch {
 public:
  // `all` must outlive the search; `ids` are the key's operations (indices into `all`, no Get
  // that never returned), in call order.
  LinKeySearch(const std::vector<KvOp>& all, std::vector<size_t> ids);
  ~LinKeySearch();

  // Searches with pruning, from scratch: at most `max_steps` steps (0: no limit) and
  // `memory_bytes` of values and visited nodes; `stop` is asked every few thousand steps.
  LinSearchOutcome Run(uint64_t max_steps, size_t memory_bytes, const std::function<bool()>& stop);

  // After Run returned kOk or kIllegal, fills out->ops, best_order, best_values and steps; for
  // kIllegal also stuck, stuck_reasons and likely_cause. To explain a violation it first runs a
  // search without pruning (a bounded number of steps, which `stop` may end; either way the
  // verdict stands), whose longest prefix usually reaches the operation that really went wrong.
  void Fill(LinKeyResult* out, const std::function<bool()>& stop);

 private:
  struct Entry {
    bool is_call;
    size_t op;     // local operation index
    size_t match;  // the other entry of the same operation
    uint64_t point;
  };
  struct Frame {
    size_t call;               // call entry of the operation placed
    LinValues::Id prev_state;  // state before it
    size_t prev_len;           // length of the value before it
    bool prev_dead;            // whether the value before it was dead (see Observable)
  };
  // One search's memory and longest prefix.
  struct Attempt {
    explicit Attempt(size_t bytes) : budget(bytes), values(&budget), visited(&budget) {}
    LinBudget budget;
    LinValues values;
    LinVisited visited;
    std::vector<size_t> best;                // local ops of the longest prefix found
    std::vector<LinValues::Id> best_states;  // the value after each of them
  };

  const KvOp& Op(size_t local) const { return all_[ids_[local]]; }
  uint64_t RetPoint(size_t local) const { return Op(local).returned ? Op(local).ret : UINT64_MAX; }
  void BuildEntries();

  void Unlink(size_t e);
  void Relink(size_t e);
  void Lift(size_t call);
  void Unlift(size_t call);

  // The first pending Get (of those looked at) that the value `base` + `piece` contradicts, or
  // kNil; `placing` is the operation about to be placed.
  size_t DisagreeingGet(const std::string& base, const LinPiece& piece, size_t placing) const;
  // Some Get of the key returned a value starting with `value`. If none did, the value is
  // dead: no Get can see it or anything appended to it, so only a Put can lead on to the next
  // Get, and the search's future does not depend on which dead value it holds.
  bool Observable(const std::string& value) const;
  LinSearchOutcome Search(Attempt* run, bool prune, uint64_t max_steps,
                          const std::function<bool()>& stop);
  void ExplainStuck(const Attempt& run, LinKeyResult* out);

  static constexpr size_t kNil = static_cast<size_t>(-1);

  const std::vector<KvOp>& all_;
  const std::vector<size_t> ids_;
  std::vector<LinPiece> pieces_;  // per local op: its Put/Append argument
  std::vector<Entry> entries_;    // 0 is the head; then calls and returns in point order
  std::vector<size_t> next_, prev_;
  std::vector<uint32_t> calls_before_;  // per entry: call entries before it
  // Pending Puts (local ops) in call order, a list with head 0 (local op p is at p + 1).
  std::vector<size_t> put_next_, put_prev_;
  std::vector<const std::string*> outputs_;  // what the key's Gets returned, sorted, unique
  std::vector<uint32_t> unplaced_;           // scratch: a visited node's unplaced operations
  std::string text_;                         // the current value's bytes
  std::unique_ptr<Attempt> decided_;         // the attempt that decided (kept for Fill)
  uint64_t steps_ = 0;
};

}  // namespace harness
}  // namespace janus
