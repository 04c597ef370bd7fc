// The reactor's main loop: timers, the run queue, libevent polling and virtual-time jumps.
#include <event2/event.h>

#include <algorithm>
#include <limits>

#include "rrr/base/verify.h"
#include "rrr/reactor/coroutine.h"
#include "rrr/reactor/node.h"
#include "rrr/reactor/reactor.h"

namespace rrr {
namespace {

constexpr uint64_t kForever = std::numeric_limits<uint64_t>::max();
// Longest single block in libevent, so a real-time Loop() re-checks its state now and then.
constexpr uint64_t kMaxPollUs = 100 * 1000;

uint64_t SaturatingAdd(uint64_t a, uint64_t b) { return b > kForever - a ? kForever : a + b; }

}  // namespace

bool Reactor::RunDueTimers() {
  bool ran = false;
  TimerQueue::Timer t;
  const uint64_t now = NowUs();
  // Timers added by these callbacks wait for the next pass, so a timer re-arming itself with
  // delay 0 cannot starve the run queue.
  const TimerId limit = timers_.next_id();
  while (!stop_requested_ && timers_.PopDue(now, limit, &t)) {
    ran = true;
    RunCallback(t.fn, t.node);
    t = TimerQueue::Timer();  // release captures before the next one runs
  }
  return ran;
}

bool Reactor::RunQueued() {
  // Run only what was queued before we started, so re-queued work (Yield) lets timers and I/O in.
  size_t n = runq_.size();
  for (size_t i = 0; i < n && !stop_requested_ && !runq_.empty(); i++) {
    Runnable r = std::move(runq_.front());
    runq_.pop_front();
    if (r.co != nullptr) {
      if (r.co->state() == Coroutine::State::kSuspended && r.co->wait_token() == r.token) {
        r.co->Resume(Coroutine::WakeReason::kNone);
      }
    } else {
      RunCallback(r.fn, r.node);
    }
  }
  return n > 0;
}

void Reactor::PollIo(uint64_t timeout_us) {
  if (timeout_us == 0) {
    event_base_loop(base_, EVLOOP_ONCE | EVLOOP_NONBLOCK);
    return;
  }
  timeout_us = std::min(timeout_us, kMaxPollUs);
  struct timeval tv;
  tv.tv_sec = static_cast<time_t>(timeout_us / 1000000);
  tv.tv_usec = static_cast<suseconds_t>(timeout_us % 1000000);
  evtimer_add(wake_ev_, &tv);
  event_base_loop(base_, EVLOOP_ONCE);
  evtimer_del(wake_ev_);
}

bool Reactor::Run(const std::function<bool()>& done, uint64_t deadline_us) {
  verify_msg(Coroutine::Current() == nullptr, "a reactor loop cannot run inside a coroutine");
  verify_msg(!in_loop_, "the reactor loop is already running (nested Loop/RunUntil/RunFor)");
  in_loop_ = true;
  stop_requested_ = false;
  bool result = false;
  while (true) {
    if (done && done()) {
      result = true;
      break;
    }
    if (stop_requested_) break;
    RunDueTimers();
    RunQueued();
    if (stop_requested_) continue;
    if (!runq_.empty()) {
      if (!virtual_time()) PollIo(0);
      continue;
    }
    if (done && done()) continue;  // report it at the top
    const uint64_t now = NowUs();
    if (now >= deadline_us) break;
    uint64_t next = kForever;
    bool has_timer = timers_.NextDeadline(&next);
    if (virtual_time()) {
      if (has_timer && next <= now) continue;
      if (!has_timer || next > deadline_us) {
        // Nothing can happen before the deadline: jump there (or give up if there is none).
        if (deadline_us == kForever) break;
        vclock_->AdvanceTo(deadline_us);
        continue;
      }
      vclock_->AdvanceTo(next);
    } else {
      uint64_t wake = std::min(next, deadline_us);
      PollIo(wake > now ? wake - now : 0);
    }
  }
  if (!result && done) result = done();
  stop_requested_ = false;
  in_loop_ = false;
  return result;
}

void Reactor::Loop() { Run(nullptr, kForever); }

void Reactor::Stop() {
  if (in_loop_) stop_requested_ = true;
}

bool Reactor::RunUntil(const std::function<bool()>& done, uint64_t timeout_us) {
  return Run(done, SaturatingAdd(NowUs(), timeout_us));
}

void Reactor::RunFor(uint64_t us) { Run(nullptr, SaturatingAdd(NowUs(), us)); }

}  // namespace rrr
