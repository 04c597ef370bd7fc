// TimerQueue: one-shot timers in a binary min-heap keyed by (deadline, insertion sequence).
//
// Equal deadlines fire in insertion order, so the order is deterministic (never by address).
// Cancellation is lazy: the heap entry stays until it reaches the top or the heap is compacted.
#ifndef RRR_REACTOR_TIMER_QUEUE_H_
#define RRR_REACTOR_TIMER_QUEUE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <unordered_map>
#include <vector>

namespace rrr {

class NodeContext;

// Identifies a timer; ids are increasing and never reused within one queue. 0 is never an id.
using TimerId = uint64_t;

class TimerQueue {
 public:
  // A timer taken out of the queue to be run.
  struct Timer {
    TimerId id = 0;
    uint64_t deadline_us = 0;
    std::function<void()> fn;
    std::shared_ptr<NodeContext> node;  // node that was current when it was added (may be null)
  };

  // Adds a timer firing at deadline_us. O(log n).
  TimerId Add(uint64_t deadline_us, std::function<void()> fn, std::shared_ptr<NodeContext> node);
  // Removes a pending timer. Returns false if it already fired, was cancelled or is unknown.
  bool Cancel(TimerId id);
  // Sets *deadline_us to the earliest pending deadline; false if there is none.
  bool NextDeadline(uint64_t* deadline_us);
  // Removes the earliest pending timer into *out if its deadline is <= now_us and its id is below
  // id_limit (pass next_id() taken earlier to skip timers added since). O(log n).
  bool PopDue(uint64_t now_us, Timer* out) { return PopDue(now_us, next_id_, out); }
  bool PopDue(uint64_t now_us, TimerId id_limit, Timer* out);
  // The id the next Add will return.
  TimerId next_id() const { return next_id_; }
  // Removes every pending timer belonging to `node`, in id order. Returns how many.
  size_t CancelNode(const NodeContext* node);
  // Removes every pending timer, destroying the callbacks in id order.
  void Clear();
  // Number of pending (not cancelled) timers.
  size_t size() const { return pending_.size(); }
  // Number of heap slots, including cancelled entries not yet discarded (for tests).
  size_t heap_size() const { return heap_.size(); }

 private:
  struct Entry {
    uint64_t deadline_us;
    TimerId id;  // also the insertion sequence
  };
  struct Later {
    bool operator()(const Entry& a, const Entry& b) const {
      return a.deadline_us != b.deadline_us ? a.deadline_us > b.deadline_us : a.id > b.id;
    }
  };
  struct Pending {
    std::function<void()> fn;
    std::shared_ptr<NodeContext> node;
  };

  void DropCancelledTop();
  void MaybeCompact();

  std::vector<Entry> heap_;
  std::unordered_map<TimerId, Pending> pending_;  // lookup only; never iterated for ordering
  TimerId next_id_ = 1;
};

}  // namespace rrr

#endif  // RRR_REACTOR_TIMER_QUEUE_H_
