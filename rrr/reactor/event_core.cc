#include "rrr/reactor/event_core.h"

#include <algorithm>
#include <exception>
#include <memory>

#include "rrr/base/verify.h"
#include "rrr/reactor/coroutine.h"
#include "rrr/reactor/reactor.h"

namespace rrr {

// Undoes a wait's registration however the wait ends (normal return or Cancelled).
class Event::WaitGuard {
 public:
  WaitGuard(Event* ev, Coroutine* co, TimerId timer) : ev_(ev), co_(co), timer_(timer) {}
  ~WaitGuard() {
    auto& w = ev_->waiters_;
    w.erase(std::remove_if(w.begin(), w.end(), [this](const Waiter& x) { return x.co == co_; }),
            w.end());
    if (timer_ != 0) Reactor::GetReactor()->CancelTimer(timer_);
  }
  WaitGuard(const WaitGuard&) = delete;
  WaitGuard& operator=(const WaitGuard&) = delete;

 private:
  Event* ev_;
  Coroutine* co_;
  TimerId timer_;
};

Event::~Event() = default;

void Event::Wait() { WaitImpl(false, 0); }

void Event::Wait(uint64_t timeout_us) { WaitImpl(true, timeout_us); }

void Event::WaitImpl(bool has_timeout, uint64_t timeout_us) {
  Coroutine* co = Coroutine::Current();
  verify_msg(co != nullptr,
             "Event::Wait called outside a coroutine (start one with Coroutine::CreateRun)");
  if (co->CheckCancel()) {  // only returns true while an exception unwinds the stack
    status_ = TIMEOUT;
    return;
  }
  if (IsReady()) {
    status_ = DONE;
    return;
  }
  if (has_timeout && timeout_us == 0) {
    status_ = TIMEOUT;
    return;
  }
  status_ = WAIT;
  const uint64_t token = co->PrepareWait();
  waiters_.push_back(Waiter{co, token});
  TimerId timer = 0;
  if (has_timeout) {
    std::weak_ptr<Coroutine> weak = co->shared_from_this();
    timer = Reactor::GetReactor()->AddTimer(timeout_us, [weak, token] {
      if (auto c = weak.lock()) c->Wake(token, Coroutine::WakeReason::kTimeout);
    });
  }
  WaitGuard guard(this, co, timer);
  Coroutine::WakeReason why = co->Suspend();
  if (co->CheckCancel()) {
    status_ = TIMEOUT;
    return;
  }
  status_ = (why == Coroutine::WakeReason::kReady || IsReady()) ? DONE : TIMEOUT;
}

void Event::Test() {
  if (!IsReady()) return;
  if (status_ != DONE) status_ = READY;
  for (const Waiter& w : std::vector<Waiter>(waiters_)) {
    w.co->Wake(w.token, Coroutine::WakeReason::kReady);
  }
  for (Event* parent : std::vector<Event*>(parents_)) parent->Test();
}

void Event::RemoveParent(Event* parent) {
  parents_.erase(std::remove(parents_.begin(), parents_.end(), parent), parents_.end());
}

}  // namespace rrr
