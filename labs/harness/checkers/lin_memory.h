// Memory of one linearizability search (lin_search.h): a byte budget that every growing
// structure of the search asks before it grows, and a chunked arena of fixed-size records
// that never moves or copies what it holds and is freed in a few large blocks (a search that
// stored millions of states ends without millions of frees).
//
//   LinBudget budget(256 << 20);
//   LinArena<Node> nodes(&budget);
//   Node* n = nodes.Add();            // nullptr once the budget is spent
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace janus {
namespace harness {

// Bytes a search may hold. Not thread-safe: one per search.
class LinBudget {
 public:
  explicit LinBudget(size_t limit_bytes) : limit_(limit_bytes) {}
  // Takes `bytes` from the budget; false (and nothing taken) if that would exceed the limit,
  // which then stays exhausted().
  bool Take(size_t bytes) {
    if (bytes > limit_ - used_) {
      exhausted_ = true;
      return false;
    }
    used_ += bytes;
    return true;
  }
  // Returns `bytes` taken earlier.
  void Give(size_t bytes) { used_ -= bytes; }
  // True once a Take failed.
  bool exhausted() const { return exhausted_; }
  size_t used() const { return used_; }    // bytes taken and not given back
  size_t limit() const { return limit_; }  // as constructed

 private:
  const size_t limit_;
  size_t used_ = 0;
  bool exhausted_ = false;
};

// Records of type T (trivially copyable) in chunks that double in size from 64 records up to
// 64K records; a record's address and index never change. Chunks are paid from the budget.
template <typename T>
class LinArena {
 public:
  explicit LinArena(LinBudget* budget) : budget_(budget) {}
  ~LinArena() { budget_->Give(held_); }
  LinArena(const LinArena&) = delete;
  LinArena& operator=(const LinArena&) = delete;

  // A new zeroed record at index size()-1, or nullptr if the budget cannot pay for a chunk.
  T* Add() {
    if (chunks_.empty() || used_in_last_ == ChunkSize(chunks_.size() - 1)) {
      const size_t n = ChunkSize(chunks_.size());
      if (!budget_->Take(n * sizeof(T))) return nullptr;
      held_ += n * sizeof(T);
      chunks_.emplace_back(new T[n]());
      used_in_last_ = 0;
    }
    size_++;
    return &chunks_.back()[used_in_last_++];
  }
  // Record i. REQUIRES: i < size().
  T& operator[](size_t i) {
    const size_t c = ChunkOf(i);
    return chunks_[c][i - Start(c)];
  }
  const T& operator[](size_t i) const { return const_cast<LinArena*>(this)->operator[](i); }
  size_t size() const { return size_; }  // records added

 private:
  static constexpr size_t kFirstBits = 6, kMaxBits = 16;
  static size_t ChunkSize(size_t c) {
    return size_t{1} << (c < kMaxBits - kFirstBits ? kFirstBits + c : kMaxBits);
  }
  // Chunks 0..9 hold 64, 128, ..., 32K records (64 * (2^c - 1) before chunk c); then 64K each.
  static size_t Start(size_t c) {
    constexpr size_t kGrowing = kMaxBits - kFirstBits;
    if (c <= kGrowing) return ((size_t{1} << c) - 1) << kFirstBits;
    return (((size_t{1} << kGrowing) - 1) << kFirstBits) + (c - kGrowing) * (size_t{1} << kMaxBits);
  }
  static size_t ChunkOf(size_t i) {
    constexpr size_t kGrowing = kMaxBits - kFirstBits;
    const size_t growing_end = Start(kGrowing);
    if (i >= growing_end) return kGrowing + ((i - growing_end) >> kMaxBits);
    // Chunk c holds the i with (i >> kFirstBits) + 1 in [2^c, 2^(c+1)).
    return static_cast<size_t>(63 - __builtin_clzll((i >> kFirstBits) + 1));
  }

  LinBudget* const budget_;
  std::vector<std::unique_ptr<T[]>> chunks_;
  size_t used_in_last_ = 0;
  size_t size_ = 0;
  size_t held_ = 0;
};

// A hash table of 32-bit record indices with a 32-bit tag of their hash, paid from the budget.
// It is split by the hash's top bits into kShards open-addressing tables that grow (double)
// one at a time, so that no growth stalls the search for long (while a shard doubles, its old
// and new tables both count). The records live elsewhere; Find and Insert take the hash and an
// equality test on a record index.
class LinIndexTable {
 public:
  explicit LinIndexTable(LinBudget* budget) : budget_(budget) {}
  ~LinIndexTable() {
    for (const Shard& s : shards_) budget_->Give(s.slots.size() * sizeof(uint64_t));
  }
  LinIndexTable(const LinIndexTable&) = delete;
  LinIndexTable& operator=(const LinIndexTable&) = delete;

  // The index of a record with this hash that `same(index)` accepts, or -1.
  template <typename Same>
  int64_t Find(uint64_t hash, Same same) const {
    const std::vector<uint64_t>& slots = shards_[ShardOf(hash)].slots;
    if (slots.empty()) return -1;
    const size_t mask = slots.size() - 1;
    for (size_t s = hash & mask;; s = (s + 1) & mask) {
      const uint64_t v = slots[s];
      if (v == 0) return -1;
      if ((v >> 32) == Tag(hash) && same(static_cast<uint32_t>(v) - 1)) {
        return static_cast<uint32_t>(v) - 1;
      }
    }
  }
  // Adds record `index` (REQUIRES: not present, and not UINT32_MAX); `hash_of(i)` gives the
  // hash of record i for rehashing. False if the budget cannot pay for the growth (nothing
  // added).
  template <typename HashOf>
  bool Insert(uint64_t hash, uint32_t index, HashOf hash_of) {
    Shard& shard = shards_[ShardOf(hash)];
    if ((shard.count + 1) * 2 > shard.slots.size()) {
      const size_t n = shard.slots.empty() ? 16 : shard.slots.size() * 2;
      if (!budget_->Take(n * sizeof(uint64_t))) return false;
      std::vector<uint64_t> old(n, 0);
      old.swap(shard.slots);
      for (uint64_t v : old) {
        if (v != 0)
          Place(&shard, hash_of(static_cast<uint32_t>(v) - 1), static_cast<uint32_t>(v) - 1);
      }
      budget_->Give(old.size() * sizeof(uint64_t));
    }
    Place(&shard, hash, index);
    shard.count++;
    return true;
  }

 private:
  static constexpr int kShardBits = 8;
  struct Shard {
    std::vector<uint64_t> slots;
    size_t count = 0;
  };
  static size_t ShardOf(uint64_t hash) { return hash >> (64 - kShardBits); }
  static uint64_t Tag(uint64_t hash) { return (hash >> 24) & 0xffffffffu; }
  static void Place(Shard* shard, uint64_t hash, uint32_t index) {
    const size_t mask = shard->slots.size() - 1;
    size_t s = hash & mask;
    while (shard->slots[s] != 0) s = (s + 1) & mask;
    shard->slots[s] = (Tag(hash) << 32) | (uint64_t{index} + 1);
  }

  LinBudget* const budget_;
  std::vector<Shard> shards_ = std::vector<Shard>(size_t{1} << kShardBits);
};

}  // namespace harness
}  // namespace janus
