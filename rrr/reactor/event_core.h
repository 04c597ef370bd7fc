// rrr::Event: something coroutines can wait for. Subclasses define IsReady() and call Test()
// whenever the condition may have become true.
#ifndef RRR_REACTOR_EVENT_CORE_H_
#define RRR_REACTOR_EVENT_CORE_H_

#include <cstddef>
#include <cstdint>
#include <vector>

namespace rrr {

class Coroutine;
class CompoundEvent;

class Event {
 public:
  // INIT: never waited on, not ready. WAIT: someone waits. READY: the condition became true and
  // no waiter has returned yet. DONE: a Wait returned with the condition true. TIMEOUT: a Wait
  // returned because its timeout expired first.
  enum EventStatus { INIT = 0, WAIT = 1, READY = 2, DONE = 3, TIMEOUT = 4 };

  Event() = default;
  virtual ~Event();
  Event(const Event&) = delete;
  Event& operator=(const Event&) = delete;

  // The condition being waited for.
  virtual bool IsReady() = 0;

  // Waits until IsReady(); returns at once (status_ DONE) if it already is.
  // REQUIRES: inside a coroutine. Throws rrr::Cancelled if the coroutine's node is cancelled.
  void Wait();
  // Like Wait(), giving up after timeout_us of reactor time (status_ TIMEOUT); a timeout of 0
  // only checks. Afterwards status_ is DONE or TIMEOUT.
  void Wait(uint64_t timeout_us);

  // Re-checks IsReady(); if true, marks READY (unless DONE), wakes every waiter in
  // the order they started waiting, and notifies parent events. Setters call this.
  void Test();

  // Number of coroutines currently waiting.
  size_t waiter_count() const { return waiters_.size(); }

  EventStatus status_ = INIT;

 private:
  friend class CompoundEvent;
  struct Waiter {
    Coroutine* co;
    uint64_t token;
  };
  class WaitGuard;

  void WaitImpl(bool has_timeout, uint64_t timeout_us);
  void AddParent(Event* parent) { parents_.push_back(parent); }
  void RemoveParent(Event* parent);

  std::vector<Waiter> waiters_;  // FIFO; each entry removed by its own Wait on the way out
  std::vector<Event*> parents_;  // compound events containing this one (they unlink themselves)
};

}  // namespace rrr

#endif  // RRR_REACTOR_EVENT_CORE_H_
