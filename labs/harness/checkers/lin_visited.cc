#include "labs/harness/checkers/lin_visited.h"

#include <algorithm>
#include <cstring>

namespace janus {
namespace harness {
namespace {

constexpr uint32_t kFirstChunkWords = 1024, kMaxChunkWords = uint32_t{1} << 20;
constexpr size_t kMaxChunks = 4095;  // handles: 12 bits of chunk number, never all ones

uint64_t Mix(uint64_t h, uint64_t w) {
  h ^= w + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
  return h;
}

uint64_t Finish(uint64_t x) {
  x ^= x >> 31;
  x *= 0xbf58476d1ce4e5b9ull;
  x ^= x >> 29;
  return x;
}

}  // namespace

uint32_t* LinVisited::Allocate(uint32_t words, uint32_t* handle) {
  if (chunks_.empty() || used_words_ + words > chunk_words_) {
    if (chunks_.size() >= kMaxChunks) return nullptr;
    uint32_t size = chunks_.empty() ? kFirstChunkWords : std::min(chunk_words_ * 2, kMaxChunkWords);
    size = std::max(size, words);
    if (!budget_->Take(size_t{size} * sizeof(uint32_t))) return nullptr;
    held_ += size_t{size} * sizeof(uint32_t);
    chunks_.emplace_back(new uint32_t[size]);
    chunk_words_ = size;
    used_words_ = 0;
  }
  *handle = static_cast<uint32_t>((chunks_.size() - 1) << 20) | used_words_;
  uint32_t* at = chunks_.back().get() + used_words_;
  used_words_ += words;
  if (chunk_words_ > kMaxChunkWords) used_words_ = chunk_words_;  // a record's own chunk
  return at;
}

LinVisited::Result LinVisited::Insert(uint32_t value, uint32_t window,
                                      const std::vector<uint32_t>& unplaced) {
  uint64_t h = Mix(Mix(0x51ed270b27c5a4c3ull, value), window);
  for (uint32_t u : unplaced) h = Mix(h, u);
  h = Finish(h);
  const uint32_t n = static_cast<uint32_t>(unplaced.size());
  const int64_t found = index_.Find(h, [&](uint32_t handle) {
    const uint32_t* r = Record(handle);
    return r[2] == value && r[3] == window && r[4] == n &&
           (n == 0 || std::memcmp(r + kHeader, unplaced.data(), n * sizeof(uint32_t)) == 0);
  });
  if (found >= 0) return kSeen;
  uint32_t handle = 0;
  uint32_t* r = Allocate(kHeader + n, &handle);
  if (r == nullptr) return kFull;
  r[0] = static_cast<uint32_t>(h);
  r[1] = static_cast<uint32_t>(h >> 32);
  r[2] = value;
  r[3] = window;
  r[4] = n;
  if (n > 0) std::memcpy(r + kHeader, unplaced.data(), n * sizeof(uint32_t));
  if (!index_.Insert(h, handle, [&](uint32_t other) {
        const uint32_t* o = Record(other);
        return uint64_t{o[0]} | (uint64_t{o[1]} << 32);
      })) {
    return kFull;
  }
  count_++;
  return kNew;
}

}  // namespace harness
}  // namespace janus
