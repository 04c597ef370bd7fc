// Throughput per time window, for benchmarks whose rate may change during a run (kv_bench: the
// Raft log grows until snapshots bound it). A run's measured interval [start, end) is cut into
// windows of equal length, the last one shorter if the interval is not a multiple; each
// completed operation is counted in the window of its completion time.
//
//   ThroughputWindows w(start_us, start_us + 30'000'000, 5'000'000);
//   w.Record(rrr::Time::Now());                  // after each operation
//   printf("%s", w.Format().c_str());            // ops/s per window and the last/first ratio
//
// Not thread-safe: record from one thread (kv_bench's clerks share one reactor thread).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace janus {
namespace bench {

class ThroughputWindows {
 public:
  // One window: [from_us, to_us) and the operations completed in it.
  struct Window {
    uint64_t from_us = 0;
    uint64_t to_us = 0;
    uint64_t ops = 0;
    bool full = true;  // the window has the full length (only the last one may be shorter)

    // Operations per second over the window's length.
    double Rate() const;
  };

  // Windows of `window_us` covering [start_us, end_us). REQUIRES: start_us < end_us,
  // window_us > 0.
  ThroughputWindows(uint64_t start_us, uint64_t end_us, uint64_t window_us);

  // Counts one operation completed at `t_us`; ignored outside [start_us, end_us).
  void Record(uint64_t t_us);

  const std::vector<Window>& windows() const { return windows_; }
  // Operations counted in every window together.
  uint64_t TotalOps() const;
  // Rate of the last full window divided by the rate of the first one: 1 for a steady rate,
  // below 1 when the run slows down. A short last window is left out (too noisy). Returns a
  // negative number when there are fewer than two full windows, or the first one is empty.
  double LastOverFirst() const;

  // One line per window, e.g. "  window  1  [   0.0,    5.0) s      12345 ops/s" (a short last
  // window says "(partial)"), then "  last/first  0.87" (or "n/a" when LastOverFirst() < 0).
  std::string Format() const;

 private:
  uint64_t start_us_;
  uint64_t window_us_;
  std::vector<Window> windows_;
};

}  // namespace bench
}  // namespace janus
