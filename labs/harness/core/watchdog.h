// Real-time watchdog: a thread that fails the running test when a coroutine runs too long
// without yielding (a student's busy loop) or when the whole test exceeds its wall-clock limit
// (any other hang), so that grading never hangs.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "rrr/reactor/reactor.h"

namespace janus {
namespace harness {

class Watchdog {
 public:
  // Receives the reason and the reactor time of the stuck run (0 if unknown). Runs on the
  // watchdog thread while the reactor thread is still stuck; it must end the process (the
  // driver prints the FAIL line, flushes and calls _exit).
  using FireHandler = std::function<void(const std::string& reason, uint64_t virtual_us)>;

  // Starts the watchdog thread, checking every ~20 ms. busy_limit_ms: how long one coroutine
  // may run without yielding (0: never fire for that). Later calls only update the settings.
  static void Start(uint64_t busy_limit_ms, FireHandler on_fire);
  // Stops and joins the thread (idempotent).
  static void Stop();
  // True between Start and Stop.
  static bool Running();

  // Watches `reactor` (which must stay alive until DetachReactor/Unwatch) from now on, and the
  // current run's wall-clock time if wall_limit_us > 0. Called on the reactor's thread.
  static void Watch(rrr::Reactor* reactor, uint64_t wall_limit_us);
  // Stops reading the reactor (about to be destroyed) but keeps the wall-clock limit.
  static void DetachReactor();
  // Stops watching anything until the next Watch.
  static void Unwatch();

  // While at least one LongStep exists, a busy coroutine is not reported (the wall-clock
  // limit still applies). For harness code that legitimately computes for long in one go,
  // e.g. a linearizability check run from the test body.
  class LongStep {
   public:
    LongStep();
    ~LongStep();
    LongStep(const LongStep&) = delete;
    LongStep& operator=(const LongStep&) = delete;
  };

  // Pure decision used by the thread (exposed for tests): the reason to fire, or "" if none.
  // `running` is the reactor's snapshot (null: no reactor attached); `run_start_us` and
  // `now_us` are Time::MonotonicUs() values like running->resumed_at_us.
  static std::string Check(const rrr::RunningInfo* running, uint64_t busy_limit_ms,
                           uint64_t run_start_us, uint64_t wall_limit_us, uint64_t now_us);
};

}  // namespace harness
}  // namespace janus
