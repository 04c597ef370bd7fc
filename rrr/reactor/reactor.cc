#include "rrr/reactor/reactor.h"

#include <event2/event.h>

#include <algorithm>
#include <atomic>
#include <exception>
#include <limits>

#include "rrr/base/logging.h"
#include "rrr/base/time.h"
#include "rrr/base/verify.h"
#include "rrr/reactor/coroutine.h"
#include "rrr/reactor/node.h"

namespace rrr {
namespace {

constexpr uint64_t kForever = std::numeric_limits<uint64_t>::max();
// Longest single block in libevent, so a real-time Loop() re-checks its state now and then.
constexpr uint64_t kMaxPollUs = 100 * 1000;

thread_local std::shared_ptr<Reactor> tl_owner;  // what GetReactor()/Create() installed
thread_local Reactor* tl_reactor = nullptr;       // the current reactor (also during teardown)
std::atomic<uint64_t> g_next_serial{1};

uint64_t SaturatingAdd(uint64_t a, uint64_t b) { return b > kForever - a ? kForever : a + b; }

void NoopCallback(evutil_socket_t, short, void*) {}

}  // namespace

Reactor::Reactor(const ReactorOptions& options)
    : options_(options), rand_(options.seed), serial_(g_next_serial.fetch_add(1)) {
  if (options.virtual_time) {
    auto vc = std::make_unique<VirtualClock>(0);
    vclock_ = vc.get();
    clock_ = std::move(vc);
  } else {
    clock_ = std::make_unique<RealClock>();
  }
  base_ = event_base_new();
  verify_msg(base_ != nullptr, "event_base_new failed");
  wake_ev_ = evtimer_new(base_, NoopCallback, nullptr);
  verify(wake_ev_ != nullptr);
  crash_handler_ = [](NodeContext* node, const std::string& what) {
    Log_error("coroutine of node %s died of an exception: %s",
              node != nullptr ? node->name().c_str() : "(none)", what.c_str());
  };
  InstallHooks();
}

std::shared_ptr<Reactor> Reactor::Create(const ReactorOptions& options) {
  verify_msg(Coroutine::Current() == nullptr, "Reactor::Create called inside a coroutine");
  verify_msg(tl_reactor == nullptr || !tl_reactor->in_loop_,
             "Reactor::Create called while the current reactor's loop is running");
  tl_owner.reset();  // destroys the old reactor now (if unshared) while it is still current
  std::shared_ptr<Reactor> r(new Reactor(options));
  tl_owner = r;
  tl_reactor = r.get();
  return r;
}

Reactor* Reactor::GetReactor() {
  if (tl_reactor == nullptr) Create(ReactorOptions());
  return tl_reactor;
}

Reactor* Reactor::CurrentOrNull() { return tl_reactor; }

Reactor::~Reactor() {
  Reactor* prev = tl_reactor;
  tl_reactor = this;  // unwinding code may use the reactor (timers, logging)
  tearing_down_ = true;
  // Unwind every coroutine that waits: its wait throws Cancelled. Repeat while that helps.
  for (int round = 0; round < 8 && !live_.empty(); round++) {
    for (const auto& co : LiveCoroutines()) {
      if (co->state() == Coroutine::State::kSuspended) co->Resume(Coroutine::WakeReason::kCancel);
    }
  }
  if (!live_.empty()) {
    Log_warn("reactor destroyed with %zu coroutines that would not unwind", live_.size());
  }
  runq_.clear();
  timers_.Clear();
  live_.clear();
  while (!attachments_.empty()) {
    std::shared_ptr<void> last = std::move(attachments_.back().second);
    attachments_.pop_back();
    last.reset();
  }
  timers_.Clear();
  runq_.clear();
  event_free(wake_ev_);
  event_base_free(base_);
  tl_reactor = (prev == this) ? nullptr : prev;
}

void Reactor::ReportCrash(NodeContext* node, const std::string& what) {
  if (crash_handler_) crash_handler_(node, what);
}

TimerId Reactor::AddTimer(uint64_t delay_us, std::function<void()> fn) {
  NodeContext* node = NodeContext::Current();
  return timers_.Add(SaturatingAdd(NowUs(), delay_us), std::move(fn),
                     node != nullptr ? node->shared_from_this() : nullptr);
}

bool Reactor::CancelTimer(TimerId id) { return timers_.Cancel(id); }

void Reactor::Post(std::function<void()> fn) {
  NodeContext* node = NodeContext::Current();
  Runnable r;
  r.fn = std::move(fn);
  if (node != nullptr) r.node = node->shared_from_this();
  runq_.push_back(std::move(r));
}

void Reactor::EnqueueResume(std::shared_ptr<Coroutine> co, uint64_t token) {
  Runnable r;
  r.co = std::move(co);
  r.token = token;
  runq_.push_back(std::move(r));
}

void Reactor::AddLive(const std::shared_ptr<Coroutine>& co) { live_[co->id()] = co; }

void Reactor::RemoveLive(uint64_t id) { live_.erase(id); }

std::vector<std::shared_ptr<Coroutine>> Reactor::LiveCoroutines() const {
  std::vector<std::shared_ptr<Coroutine>> out;
  out.reserve(live_.size());
  for (const auto& kv : live_) out.push_back(kv.second);
  return out;
}

void Reactor::RunCallback(const std::function<void()>& fn,
                          const std::shared_ptr<NodeContext>& node) {
  if (node != nullptr && node->cancelled()) return;
  NodeScope scope(node.get());
  try {
    fn();
  } catch (const Cancelled&) {
  } catch (const std::exception& e) {
    ReportCrash(node.get(), e.what());
  }
}

bool Reactor::RunDueTimers() {
  bool ran = false;
  TimerQueue::Timer t;
  const uint64_t now = NowUs();
  while (!stop_requested_ && timers_.PopDue(now, &t)) {
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

void Reactor::SetAttachment(const std::string& key, std::shared_ptr<void> value) {
  for (auto& kv : attachments_) {
    if (kv.first == key) {
      kv.second = std::move(value);
      return;
    }
  }
  attachments_.emplace_back(key, std::move(value));
}

std::shared_ptr<void> Reactor::GetAttachment(const std::string& key) const {
  for (const auto& kv : attachments_) {
    if (kv.first == key) return kv.second;
  }
  return nullptr;
}

}  // namespace rrr
