#include "rrr/reactor/basic_events.h"

#include <algorithm>

#include "rrr/reactor/reactor.h"

namespace rrr {

int IntEvent::Set(int v) {
  int old = value_;
  value_ = v;
  Test();
  return old;
}

int SharedIntEvent::Set(int v) {
  int old = value_;
  value_ = v;
  // Copy first: a woken waiter does not run now, but Set on a child may re-enter via parents.
  for (const auto& ev : std::vector<std::shared_ptr<IntEvent>>(waiting_)) ev->Set(v);
  return old;
}

bool SharedIntEvent::WaitUntilGreaterOrEqualThan(int v) { return WaitImpl(v, false, 0); }

bool SharedIntEvent::WaitUntilGreaterOrEqualThan(int v, uint64_t timeout_us) {
  return WaitImpl(v, true, timeout_us);
}

bool SharedIntEvent::WaitImpl(int v, bool has_timeout, uint64_t timeout_us) {
  auto ev = std::make_shared<IntEvent>(v);
  ev->value_ = value_;
  waiting_.push_back(ev);
  struct Unregister {
    std::vector<std::shared_ptr<IntEvent>>* list;
    IntEvent* ev;
    ~Unregister() {
      list->erase(std::remove_if(list->begin(), list->end(),
                                 [this](const std::shared_ptr<IntEvent>& e) {
                                   return e.get() == ev;
                                 }),
                  list->end());
    }
  } unregister{&waiting_, ev.get()};
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
