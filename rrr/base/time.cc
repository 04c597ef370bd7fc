#include "rrr/base/time.h"

#include <time.h>

#include <atomic>

namespace rrr {
namespace {
std::atomic<Time::NowHook> g_now_hook{nullptr};
}  // namespace

uint64_t Time::MonotonicUs() {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return static_cast<uint64_t>(ts.tv_sec) * 1000000u + static_cast<uint64_t>(ts.tv_nsec) / 1000u;
}

uint64_t Time::Now() {
  NowHook hook = g_now_hook.load(std::memory_order_acquire);
  uint64_t now = 0;
  if (hook != nullptr && hook(&now)) return now;
  return MonotonicUs();
}

void Time::SetNowHook(NowHook hook) { g_now_hook.store(hook, std::memory_order_release); }

}  // namespace rrr
