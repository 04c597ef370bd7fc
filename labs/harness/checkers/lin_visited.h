// The set of search nodes a linearizability search (lin_search.h) has visited: a node is the
// set of operations placed so far plus the value reached. Two paths that reach the same node
// have the same future, so the search never expands a node twice.
//
// A node is stored in a few 32-bit words, not as a bitset of all operations: every placed
// operation was called before the earliest return still ahead (the search places only
// operations whose call precedes it), so the placed set is "the first `window` operations in
// call order, except `unplaced`", and `unplaced` is short (the operations running at that
// moment, plus those that never returned). Records live in chunks paid from the search's
// budget (lin_memory.h).
//
//   LinVisited visited(&budget);
//   switch (visited.Insert(value, window, unplaced)) { case LinVisited::kNew: ... }
#pragma once

#include <cstdint>
#include <memory>
#include <vector>

#include "labs/harness/checkers/lin_memory.h"

namespace janus {
namespace harness {

class LinVisited {
 public:
  enum Result { kNew, kSeen, kFull };  // kFull: not stored, the budget is spent

  explicit LinVisited(LinBudget* budget) : budget_(budget), index_(budget) {}
  ~LinVisited() { budget_->Give(held_); }
  LinVisited(const LinVisited&) = delete;
  LinVisited& operator=(const LinVisited&) = delete;

  // Adds the node (value id, window, the unplaced operations below window in increasing order)
  // unless present.
  Result Insert(uint32_t value, uint32_t window, const std::vector<uint32_t>& unplaced);
  size_t size() const { return count_; }  // nodes stored

 private:
  // A record: [hash low, hash high, value, window, n, unplaced...]; handle = chunk << 20 |
  // offset (chunks of up to 1M words; a longer record gets a chunk of its own).
  static constexpr uint32_t kHeader = 5;
  uint32_t* Record(uint32_t handle) const {
    return chunks_[handle >> 20].get() + (handle & 0xfffff);
  }
  uint32_t* Allocate(uint32_t words, uint32_t* handle);

  LinBudget* const budget_;
  LinIndexTable index_;
  std::vector<std::unique_ptr<uint32_t[]>> chunks_;
  uint32_t chunk_words_ = 0, used_words_ = 0;  // of the last chunk
  size_t held_ = 0;
  size_t count_ = 0;
};

}  // namespace harness
}  // namespace janus
