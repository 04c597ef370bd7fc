#include "rrr/reactor/basic_events.h"

#include <algorithm>

#include "rrr/reactor/compound_events.h"
#include "rrr/reactor/reactor.h"

namespace rrr {

int IntEvent::Set(int v) {
  int old = value_;
  value_ = v;
  Test();
  return old;
}

int64_t SharedIntEvent::Set(int64_t v) {
  int64_t old = value_;
  value_ = v;
  // Copy first: a woken waiter does not run now, but Test on a child may re-enter via parents.
  for (const auto& ev : std::vector<std::shared_ptr<Threshold>>(waiting_)) {
    ev->value_ = v;
    ev->Test();
  }
  return old;
}

bool SharedIntEvent::WaitUntilGreaterOrEqualThan(int64_t v) {
  return WaitImpl(v, false, 0, nullptr);
}

bool SharedIntEvent::WaitUntilGreaterOrEqualThan(int64_t v, uint64_t timeout_us) {
  return WaitImpl(v, true, timeout_us, nullptr);
}

bool SharedIntEvent::WaitUntilGreaterOrEqualThan(int64_t v, const std::shared_ptr<Event>& until) {
  verify_msg(until != nullptr, "SharedIntEvent: null `until` event");
  return WaitImpl(v, false, 0, until);
}

bool SharedIntEvent::WaitImpl(int64_t v, bool has_timeout, uint64_t timeout_us,
                              const std::shared_ptr<Event>& until) {
  auto ev = std::make_shared<Threshold>(v);
  ev->value_ = value_;
  waiting_.push_back(ev);
  struct Unregister {
    std::vector<std::shared_ptr<Threshold>>* list;
    Threshold* ev;
    ~Unregister() {
      list->erase(
          std::remove_if(list->begin(), list->end(),
                         [this](const std::shared_ptr<Threshold>& e) { return e.get() == ev; }),
          list->end());
    }
  } unregister{&waiting_, ev.get()};
  if (until != nullptr) {
    // The threshold wakes the waiter through the OrEvent, as it would directly.
    OrEvent either(ev, until);
    either.Wait();
    return ev->IsReady();
  }
  if (has_timeout) {
    ev->Wait(timeout_us);
  } else {
    ev->Wait();
  }
  return ev->status_ == Event::DONE;
}

TimeoutEvent::TimeoutEvent(uint64_t timeout_us) {
  reactor_ = Reactor::GetReactor();
  reactor_serial_ = reactor_->serial();
  deadline_us_ = reactor_->NowUs() + timeout_us;
  timer_ = reactor_->AddTimer(timeout_us, [this] {
    timer_ = 0;
    fired_ = true;
    Test();
  });
}

TimeoutEvent::~TimeoutEvent() {
  // The timer captures `this`; drop it unless its reactor is gone (it took the timer along).
  Reactor* current = Reactor::CurrentOrNull();
  if (timer_ != 0 && current == reactor_ && current->serial() == reactor_serial_) {
    reactor_->CancelTimer(timer_);
  }
}

}  // namespace rrr
