// Events built from others: OrEvent, AndEvent, and QuorumEvent (vote counting).
#ifndef RRR_REACTOR_COMPOUND_EVENTS_H_
#define RRR_REACTOR_COMPOUND_EVENTS_H_

#include <memory>
#include <vector>

#include "rrr/reactor/event_core.h"

namespace rrr {

// Base of OrEvent/AndEvent: holds children, which notify it (Test) when they become ready.
class CompoundEvent : public Event {
 public:
  ~CompoundEvent() override;
  // Adds a child and re-tests. REQUIRES: child is not null.
  void AddEvent(std::shared_ptr<Event> child);
  const std::vector<std::shared_ptr<Event>>& children() const { return children_; }

 protected:
  std::vector<std::shared_ptr<Event>> children_;
};

// Ready when any child is ready (never, with no children).
class OrEvent : public CompoundEvent {
 public:
  OrEvent() = default;
  explicit OrEvent(const std::vector<std::shared_ptr<Event>>& children);
  // OrEvent(ev1, ev2, ...) with shared_ptrs to any event types.
  template <typename... Es>
  explicit OrEvent(const std::shared_ptr<Es>&... children) {
    (AddEvent(children), ...);
  }
  bool IsReady() override;
};

// Ready when every child is ready (at once, with no children).
class AndEvent : public CompoundEvent {
 public:
  AndEvent() = default;
  explicit AndEvent(const std::vector<std::shared_ptr<Event>>& children);
  // AndEvent(ev1, ev2, ...) with shared_ptrs to any event types.
  template <typename... Es>
  explicit AndEvent(const std::shared_ptr<Es>&... children) {
    (AddEvent(children), ...);
  }
  bool IsReady() override;
};

// Counts votes from n_total participants; ready once the outcome is known: Yes() (at least
// `quorum` yes votes) or No() (so many no votes that quorum can no longer be reached).
class QuorumEvent : public Event {
 public:
  // REQUIRES: 0 <= quorum <= n_total.
  QuorumEvent(int n_total, int quorum);
  // Record one vote and wake waiters if the outcome is now known.
  void VoteYes();
  void VoteNo();
  // n_voted_yes_ >= quorum_.
  virtual bool Yes();
  // n_voted_no_ > n_total_ - quorum_.
  virtual bool No();
  bool IsReady() override { return Yes() || No(); }

  int n_total_;
  int quorum_;
  int n_voted_yes_ = 0;
  int n_voted_no_ = 0;
};

}  // namespace rrr

#endif  // RRR_REACTOR_COMPOUND_EVENTS_H_
