#include "rrr/base/rand.h"

#include <atomic>

#include "rrr/base/verify.h"

namespace rrr {
namespace {

constexpr uint64_t kGolden = 0x9e3779b97f4a7c15ULL;

inline uint64_t RotateLeft(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }

std::atomic<Rand::CurrentHook> g_current_hook{nullptr};

}  // namespace

uint64_t Rand::Mix(uint64_t x) {
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}

Rand::Rand(uint64_t seed) {
  // Fill the state from a splitmix64 sequence; its outputs are never all zero in practice, but
  // guard anyway since xoshiro's all-zero state is a fixed point.
  uint64_t x = seed;
  for (uint64_t& word : s_) {
    x += kGolden;
    word = Mix(x);
  }
  if ((s_[0] | s_[1] | s_[2] | s_[3]) == 0) s_[0] = kGolden;
}

uint64_t Rand::Next() {
  const uint64_t result = RotateLeft(s_[1] * 5, 7) * 9;
  const uint64_t t = s_[1] << 17;
  s_[2] ^= s_[0];
  s_[3] ^= s_[1];
  s_[1] ^= s_[2];
  s_[0] ^= s_[3];
  s_[2] ^= t;
  s_[3] = RotateLeft(s_[3], 45);
  return result;
}

uint64_t Rand::Below(uint64_t n) {
  verify(n > 0);
  // Multiply-shift maps 64 random bits onto [0, n); reject the few values that would make
  // some results more likely than others.
  unsigned __int128 m = static_cast<unsigned __int128>(Next()) * n;
  uint64_t low = static_cast<uint64_t>(m);
  if (low < n) {
    const uint64_t threshold = (0 - n) % n;
    while (low < threshold) {
      m = static_cast<unsigned __int128>(Next()) * n;
      low = static_cast<uint64_t>(m);
    }
  }
  return static_cast<uint64_t>(m >> 64);
}

int64_t Rand::Range(int64_t lo, int64_t hi) {
  verify(lo <= hi);
  const uint64_t span = static_cast<uint64_t>(hi) - static_cast<uint64_t>(lo) + 1;
  const uint64_t offset = span == 0 ? Next() : Below(span);  // span 0: the full 64-bit range
  return static_cast<int64_t>(static_cast<uint64_t>(lo) + offset);
}

double Rand::Uniform() { return static_cast<double>(Next() >> 11) * (1.0 / 9007199254740992.0); }

bool Rand::Chance(double p) {
  if (p <= 0) return false;
  if (p >= 1) return true;
  return Uniform() < p;
}

Rand Rand::Fork(uint64_t stream_id) const {
  uint64_t h = Mix(stream_id ^ 0x5bd1e9955bd1e995ULL);
  for (uint64_t word : s_) h = Mix(h ^ word) + kGolden;
  return Rand(h);
}

Rand& Rand::Current() {
  CurrentHook hook = g_current_hook.load(std::memory_order_acquire);
  if (hook != nullptr) {
    Rand* r = hook();
    if (r != nullptr) return *r;
  }
  thread_local Rand fallback(0x243f6a8885a308d3ULL);
  return fallback;
}

void Rand::SetCurrentHook(CurrentHook hook) { g_current_hook.store(hook, std::memory_order_release); }

}  // namespace rrr
