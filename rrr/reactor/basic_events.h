// Simple events: IntEvent, SharedIntEvent, BoxEvent<T>, TimeoutEvent.
#ifndef RRR_REACTOR_BASIC_EVENTS_H_
#define RRR_REACTOR_BASIC_EVENTS_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <vector>

#include "rrr/base/verify.h"
#include "rrr/reactor/event_core.h"
#include "rrr/reactor/timer_queue.h"

namespace rrr {

class Reactor;

// Ready when value_ >= target_ (target_ defaults to 1, so Set(1) fires it).
class IntEvent : public Event {
 public:
  IntEvent() = default;
  explicit IntEvent(int target) : target_(target) {}
  // Sets value_ to v, wakes waiters if now ready. Returns the previous value.
  int Set(int v);
  bool IsReady() override { return value_ >= target_; }

  int value_ = 0;
  int target_ = 1;
};

// An integer many coroutines can wait on for different thresholds. Not an Event itself.
// It holds 64 bits, so it can carry a log index or a counter without narrowing; the int
// arguments of the course skeleton convert implicitly.
class SharedIntEvent {
 public:
  // Sets value_ to v and wakes every waiter whose threshold is now reached. Returns the old value.
  int64_t Set(int64_t v);
  // Waits until value_ >= v. Returns true when reached (at once if already).
  // REQUIRES: inside a coroutine. Throws rrr::Cancelled like Event::Wait.
  bool WaitUntilGreaterOrEqualThan(int64_t v);
  // Same, giving up after timeout_us (then returns false).
  bool WaitUntilGreaterOrEqualThan(int64_t v, uint64_t timeout_us);
  // Waits until value_ >= v or `until` is ready, whichever comes first (e.g. a stop signal kept
  // apart from the counter). Returns true iff value_ >= v. REQUIRES: until is not null.
  bool WaitUntilGreaterOrEqualThan(int64_t v, const std::shared_ptr<Event>& until);

  int64_t value_ = 0;

 private:
  // One waiting coroutine's threshold: ready when value_ >= target_.
  class Threshold : public Event {
   public:
    explicit Threshold(int64_t target) : target_(target) {}
    bool IsReady() override { return value_ >= target_; }
    int64_t value_ = 0;
    const int64_t target_;
  };

  bool WaitImpl(int64_t v, bool has_timeout, uint64_t timeout_us,
                const std::shared_ptr<Event>& until);
  std::vector<std::shared_ptr<Threshold>> waiting_;
};

// Holds one value; ready once Set.
template <typename T>
class BoxEvent : public Event {
 public:
  // Stores v (replacing any earlier value) and wakes waiters.
  void Set(T v) {
    content_ = std::move(v);
    Test();
  }
  // The stored value. REQUIRES: IsReady().
  T& Get() {
    verify_msg(content_.has_value(), "BoxEvent::Get before Set");
    return *content_;
  }
  bool IsReady() override { return content_.has_value(); }

 private:
  std::optional<T> content_;
};

// Becomes ready timeout_us after construction (reactor time).
class TimeoutEvent : public Event {
 public:
  explicit TimeoutEvent(uint64_t timeout_us);
  ~TimeoutEvent() override;
  bool IsReady() override { return fired_; }
  uint64_t deadline_us() const { return deadline_us_; }

 private:
  uint64_t deadline_us_;
  bool fired_ = false;
  Reactor* reactor_;
  uint64_t reactor_serial_;
  TimerId timer_ = 0;
};

}  // namespace rrr

#endif  // RRR_REACTOR_BASIC_EVENTS_H_
