// Clocks behind a reactor: real (CLOCK_MONOTONIC) or virtual (moved only by the reactor).
#ifndef RRR_REACTOR_CLOCK_H_
#define RRR_REACTOR_CLOCK_H_

#include <cstdint>

namespace rrr {

// A source of the current time in microseconds. Never goes backwards.
class Clock {
 public:
  virtual ~Clock() = default;
  // Current time in microseconds.
  virtual uint64_t NowUs() const = 0;
  // True if time only moves when the owner advances it.
  virtual bool IsVirtual() const = 0;
};

// The machine's monotonic clock.
class RealClock : public Clock {
 public:
  uint64_t NowUs() const override;
  bool IsVirtual() const override { return false; }
};

// Simulated time: stands still until AdvanceTo is called (by the reactor, when nothing is
// runnable, to the deadline of the next timer).
class VirtualClock : public Clock {
 public:
  explicit VirtualClock(uint64_t start_us = 0) : now_us_(start_us) {}
  uint64_t NowUs() const override { return now_us_; }
  bool IsVirtual() const override { return true; }
  // Moves time forward to t_us. REQUIRES: t_us >= NowUs().
  void AdvanceTo(uint64_t t_us);

 private:
  uint64_t now_us_;
};

}  // namespace rrr

#endif  // RRR_REACTOR_CLOCK_H_
