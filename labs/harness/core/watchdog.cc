#include "labs/harness/core/watchdog.h"

#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <mutex>
#include <thread>

#include "labs/harness/core/report.h"
#include "rrr/base/time.h"

namespace janus {
namespace harness {
namespace {

constexpr auto kPollInterval = std::chrono::milliseconds(20);

// Everything the watchdog thread shares with the reactor thread, guarded by mu.
struct State {
  std::mutex mu;
  std::condition_variable cv;
  std::thread thread;
  bool running = false;
  bool stop = false;
  Watchdog::FireHandler on_fire;
  uint64_t busy_limit_ms = 0;
  rrr::Reactor* reactor = nullptr;  // watched reactor, or null
  bool watching = false;            // a run is in progress
  uint64_t run_start_us = 0;
  uint64_t wall_limit_us = 0;
  int long_steps = 0;             // live LongStep objects
  uint64_t long_step_end_us = 0;  // when the last LongStep ended
};

State& S() {
  static State* state = new State();  // never destroyed: the thread may outlive statics
  return *state;
}

std::string Seconds(uint64_t us) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.1f s", static_cast<double>(us) / 1e6);
  return buf;
}

void ThreadMain() {
  State& s = S();
  std::unique_lock<std::mutex> lock(s.mu);
  while (!s.stop) {
    s.cv.wait_for(lock, kPollInterval);
    if (s.stop || !s.watching) continue;
    rrr::RunningInfo info;
    uint64_t virtual_us = 0;
    if (s.reactor != nullptr) {
      info = s.reactor->RunningCoroutineInfo();
      // Time spent inside a LongStep does not count as busy time.
      if (info.resumed_at_us < s.long_step_end_us) info.resumed_at_us = s.long_step_end_us;
      // Benign read: when the watchdog fires the reactor thread is stuck, so its clock is not
      // moving; the value is only printed.
      virtual_us = s.reactor->NowUs();
    }
    const uint64_t now = rrr::Time::MonotonicUs();
    const uint64_t busy_limit_ms = s.long_steps > 0 ? 0 : s.busy_limit_ms;
    std::string reason = Watchdog::Check(s.reactor != nullptr ? &info : nullptr, busy_limit_ms,
                                         s.run_start_us, s.wall_limit_us, now);
    if (reason.empty()) continue;
    Watchdog::FireHandler fire = s.on_fire;
    s.watching = false;
    lock.unlock();
    if (fire) {
      fire(reason, virtual_us);
    } else {
      std::fprintf(stderr, "watchdog: %s\n", reason.c_str());
      std::fflush(stderr);
    }
    lock.lock();
  }
}

}  // namespace

std::string Watchdog::Check(const rrr::RunningInfo* running, uint64_t busy_limit_ms,
                            uint64_t run_start_us, uint64_t wall_limit_us, uint64_t now_us) {
  if (running != nullptr && running->in_coroutine && busy_limit_ms > 0 &&
      now_us > running->resumed_at_us &&
      now_us - running->resumed_at_us >= busy_limit_ms * 1000) {
    std::string who = "coroutine " + std::to_string(running->coroutine_id);
    who += running->node_name.empty() ? " (test code, no node)" : " of node " + running->node_name;
    if (!running->created_at.empty()) who += " created at " + ShortSourcePath(running->created_at);
    return "watchdog: " + who + " has run for " + Seconds(now_us - running->resumed_at_us) +
           " of real time without yielding (a busy loop? wait on an event or Sleep instead)";
  }
  if (wall_limit_us > 0 && now_us > run_start_us && now_us - run_start_us >= wall_limit_us) {
    return "watchdog: the test is still running after " + Seconds(now_us - run_start_us) +
           " of real time (wall-clock limit " + Seconds(wall_limit_us) + "): hung";
  }
  return "";
}

Watchdog::LongStep::LongStep() {
  State& s = S();
  std::lock_guard<std::mutex> lock(s.mu);
  s.long_steps++;
}

Watchdog::LongStep::~LongStep() {
  State& s = S();
  std::lock_guard<std::mutex> lock(s.mu);
  s.long_steps--;
  s.long_step_end_us = rrr::Time::MonotonicUs();
}

void Watchdog::Start(uint64_t busy_limit_ms, FireHandler on_fire) {
  State& s = S();
  std::lock_guard<std::mutex> lock(s.mu);
  s.busy_limit_ms = busy_limit_ms;
  s.on_fire = std::move(on_fire);
  if (s.running) return;
  s.running = true;
  s.stop = false;
  s.thread = std::thread(ThreadMain);
}

void Watchdog::Stop() {
  State& s = S();
  {
    std::lock_guard<std::mutex> lock(s.mu);
    if (!s.running) return;
    s.stop = true;
  }
  s.cv.notify_all();
  s.thread.join();
  std::lock_guard<std::mutex> lock(s.mu);
  s.running = false;
}

bool Watchdog::Running() {
  State& s = S();
  std::lock_guard<std::mutex> lock(s.mu);
  return s.running;
}

void Watchdog::Watch(rrr::Reactor* reactor, uint64_t wall_limit_us) {
  State& s = S();
  std::lock_guard<std::mutex> lock(s.mu);
  s.reactor = reactor;
  s.watching = true;
  s.run_start_us = rrr::Time::MonotonicUs();
  s.wall_limit_us = wall_limit_us;
}

void Watchdog::DetachReactor() {
  State& s = S();
  std::lock_guard<std::mutex> lock(s.mu);
  s.reactor = nullptr;
}

void Watchdog::Unwatch() {
  State& s = S();
  std::lock_guard<std::mutex> lock(s.mu);
  s.reactor = nullptr;
  s.watching = false;
}

}  // namespace harness
}  // namespace janus
