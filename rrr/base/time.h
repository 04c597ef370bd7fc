// rrr::Time: the one source of "now" for code running on a reactor.
#ifndef RRR_BASE_TIME_H_
#define RRR_BASE_TIME_H_

#include <cstdint>

namespace rrr {

class Time {
 public:
  // Returns the calling thread's reactor clock in microseconds (virtual in simulation). When the
  // thread has no reactor it returns MonotonicUs().
  static uint64_t Now();

  // Real CLOCK_MONOTONIC time in microseconds, whatever the reactor. Harness/watchdog use only:
  // lab code must use Now() so that simulated runs stay deterministic.
  static uint64_t MonotonicUs();

  // Source of Now() for the calling thread; returns false if the thread has no clock, in which
  // case Now() falls back to MonotonicUs(). Installed by the reactor layer.
  using NowHook = bool (*)(uint64_t* now_us);
  static void SetNowHook(NowHook hook);
};

}  // namespace rrr

#endif  // RRR_BASE_TIME_H_
