#include "rrr/reactor/timer_queue.h"

#include <gtest/gtest.h>

#include <chrono>
#include <vector>

#include "rrr/base/rand.h"
#include "rrr/reactor/node.h"
#include "rrr/reactor/reactor.h"

namespace rrr {
namespace {

// Runs every timer due at `now`, in order.
void PopAll(TimerQueue* q, uint64_t now) {
  TimerQueue::Timer t;
  while (q->PopDue(now, &t)) t.fn();
}

TEST(TimerQueueTest, FiresByDeadlineThenInsertionOrder) {
  TimerQueue q;
  std::vector<int> fired;
  q.Add(30, [&] { fired.push_back(1); }, nullptr);
  q.Add(10, [&] { fired.push_back(2); }, nullptr);
  q.Add(30, [&] { fired.push_back(3); }, nullptr);
  q.Add(20, [&] { fired.push_back(4); }, nullptr);
  q.Add(10, [&] { fired.push_back(5); }, nullptr);
  uint64_t next = 0;
  ASSERT_TRUE(q.NextDeadline(&next));
  EXPECT_EQ(next, 10u);
  TimerQueue::Timer t;
  EXPECT_FALSE(q.PopDue(9, &t));
  PopAll(&q, 20);
  EXPECT_EQ(fired, (std::vector<int>{2, 5, 4}));
  PopAll(&q, 100);
  EXPECT_EQ(fired, (std::vector<int>{2, 5, 4, 1, 3}));
  EXPECT_EQ(q.size(), 0u);
  EXPECT_FALSE(q.NextDeadline(&next));
}

TEST(TimerQueueTest, CancelRemovesOnlyThatTimer) {
  TimerQueue q;
  std::vector<int> fired;
  TimerId a = q.Add(5, [&] { fired.push_back(1); }, nullptr);
  q.Add(5, [&] { fired.push_back(2); }, nullptr);
  EXPECT_TRUE(q.Cancel(a));
  EXPECT_FALSE(q.Cancel(a));
  EXPECT_FALSE(q.Cancel(12345));
  EXPECT_EQ(q.size(), 1u);
  PopAll(&q, 5);
  EXPECT_EQ(fired, (std::vector<int>{2}));
}

TEST(TimerQueueTest, ManyTimersInRandomOrderComeOutSortedFast) {
  // 200k inserts and pops in a binary heap take a few tens of ms; a linear scan would take
  // minutes, so the time bound checks O(log n) behaviour.
  TimerQueue q;
  Rand r(5);
  const int n = 200000;
  auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < n; i++) q.Add(r.Below(1000000), [] {}, nullptr);
  uint64_t last = 0;
  TimerId last_id = 0;
  int popped = 0;
  TimerQueue::Timer t;
  while (q.PopDue(UINT64_MAX, &t)) {
    ASSERT_GE(t.deadline_us, last);
    if (t.deadline_us == last) {
      ASSERT_GT(t.id, last_id);
    }
    last = t.deadline_us;
    last_id = t.id;
    popped++;
  }
  auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(
                std::chrono::steady_clock::now() - start).count();
  EXPECT_EQ(popped, n);
  EXPECT_LT(ms, 3000);
}

TEST(TimerQueueTest, CancelledEntriesDoNotAccumulate) {
  TimerQueue q;
  q.Add(1000000, [] {}, nullptr);  // one long-lived timer
  for (int i = 0; i < 100000; i++) {
    TimerId id = q.Add(500000 + i, [] {}, nullptr);
    q.Cancel(id);
  }
  EXPECT_EQ(q.size(), 1u);
  EXPECT_LT(q.heap_size(), 200u);
}

TEST(TimerQueueTest, CancelNodeDropsOnlyThatNodesTimers) {
  Reactor::Create(ReactorOptions{true, 1});
  auto n1 = NodeContext::Create(1, "n1");
  auto n2 = NodeContext::Create(2, "n2");
  TimerQueue q;
  q.Add(1, [] {}, n1);
  q.Add(2, [] {}, n2);
  q.Add(3, [] {}, n1);
  q.Add(4, [] {}, nullptr);
  EXPECT_EQ(q.CancelNode(n1.get()), 2u);
  EXPECT_EQ(q.size(), 2u);
  TimerQueue::Timer t;
  ASSERT_TRUE(q.PopDue(10, &t));
  EXPECT_EQ(t.node, n2);
}

}  // namespace
}  // namespace rrr
