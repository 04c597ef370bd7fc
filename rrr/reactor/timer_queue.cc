#include "rrr/reactor/timer_queue.h"

#include <algorithm>

namespace rrr {

TimerId TimerQueue::Add(uint64_t deadline_us, std::function<void()> fn,
                        std::shared_ptr<NodeContext> node) {
  TimerId id = next_id_++;
  pending_.emplace(id, Pending{std::move(fn), std::move(node)});
  heap_.push_back(Entry{deadline_us, id});
  std::push_heap(heap_.begin(), heap_.end(), Later());
  return id;
}

bool TimerQueue::Cancel(TimerId id) {
  auto it = pending_.find(id);
  if (it == pending_.end()) return false;
  // Move the callback out first: its destructor may re-enter the queue (e.g. free an event that
  // cancels its own timer).
  Pending victim = std::move(it->second);
  pending_.erase(it);
  MaybeCompact();
  return true;
}

void TimerQueue::DropCancelledTop() {
  while (!heap_.empty() && pending_.count(heap_.front().id) == 0) {
    std::pop_heap(heap_.begin(), heap_.end(), Later());
    heap_.pop_back();
  }
}

void TimerQueue::MaybeCompact() {
  // Keep stale entries below about half the heap so memory stays O(pending timers).
  if (heap_.size() < 64 || heap_.size() < 2 * pending_.size()) return;
  heap_.erase(std::remove_if(heap_.begin(), heap_.end(),
                             [this](const Entry& e) { return pending_.count(e.id) == 0; }),
              heap_.end());
  std::make_heap(heap_.begin(), heap_.end(), Later());
}

bool TimerQueue::NextDeadline(uint64_t* deadline_us) {
  DropCancelledTop();
  if (heap_.empty()) return false;
  *deadline_us = heap_.front().deadline_us;
  return true;
}

bool TimerQueue::PopDue(uint64_t now_us, TimerId id_limit, Timer* out) {
  DropCancelledTop();
  if (heap_.empty() || heap_.front().deadline_us > now_us || heap_.front().id >= id_limit) {
    return false;
  }
  Entry top = heap_.front();
  std::pop_heap(heap_.begin(), heap_.end(), Later());
  heap_.pop_back();
  auto it = pending_.find(top.id);
  out->id = top.id;
  out->deadline_us = top.deadline_us;
  out->fn = std::move(it->second.fn);
  out->node = std::move(it->second.node);
  pending_.erase(it);
  return true;
}

size_t TimerQueue::CancelNode(const NodeContext* node) {
  std::vector<TimerId> ids;
  for (const auto& kv : pending_) {
    if (kv.second.node.get() == node) ids.push_back(kv.first);
  }
  std::sort(ids.begin(), ids.end());
  for (TimerId id : ids) Cancel(id);
  return ids.size();
}

void TimerQueue::Clear() {
  std::vector<TimerId> ids;
  for (const auto& kv : pending_) ids.push_back(kv.first);
  std::sort(ids.begin(), ids.end());
  for (TimerId id : ids) Cancel(id);
  heap_.clear();
}

}  // namespace rrr
