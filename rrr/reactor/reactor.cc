#include "rrr/reactor/reactor.h"

#include <event2/event.h>

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
