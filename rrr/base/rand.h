// rrr::Rand: a small, seedable pseudo-random stream (xoshiro256** seeded through splitmix64).
//
// A simulated run must be a pure function of its seed, so all framework and lab randomness
// comes from Rand streams derived from the test seed: never from rand(), std::random_device or
// the wall clock.
#ifndef RRR_BASE_RAND_H_
#define RRR_BASE_RAND_H_

#include <cstdint>

namespace rrr {

class Rand {
 public:
  // A stream fully determined by `seed` (any value, including 0, is fine).
  explicit Rand(uint64_t seed);

  // Next 64 uniformly distributed bits.
  uint64_t Next();
  // Uniform in [0, n). REQUIRES: n > 0. Unbiased.
  uint64_t Below(uint64_t n);
  // Uniform in [lo, hi], both inclusive. REQUIRES: lo <= hi.
  int64_t Range(int64_t lo, int64_t hi);
  // Uniform in [0, 1) with 53 bits of precision.
  double Uniform();
  // True with probability p (p <= 0: never, p >= 1: always).
  bool Chance(double p);

  // A new stream derived from this stream's state and `stream_id`. Does not advance this stream.
  // Different ids give independent-looking streams; the same id gives the same stream again.
  Rand Fork(uint64_t stream_id) const;

  // The stream the calling code should use: the current node's stream when a node is current
  // (inside its coroutines, timers and handlers), else the current reactor's stream. Without a
  // reactor layer it is a per-thread stream with a fixed seed.
  static Rand& Current();
  // Shorthand for Current().Range(lo, hi).
  static int64_t Int(int64_t lo, int64_t hi) { return Current().Range(lo, hi); }

  // Installed by the reactor layer: returns the current stream, or null to use the fallback.
  using CurrentHook = Rand* (*)();
  static void SetCurrentHook(CurrentHook hook);

  // The splitmix64 finalizer: a bijective 64-bit mix (exposed for hashing seeds).
  static uint64_t Mix(uint64_t x);

 private:
  uint64_t s_[4];
};

}  // namespace rrr

#endif  // RRR_BASE_RAND_H_
