#include "rrr/reactor/event.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rrr/base/time.h"

namespace rrr {
namespace {

class EventTest : public ::testing::Test {
 protected:
  void SetUp() override { reactor_ = Reactor::Create(ReactorOptions{true, 3}); }
  // Runs a coroutine body and the loop until it finishes (bounded in virtual time).
  void RunCo(std::function<void()> fn) {
    auto co = Coroutine::CreateRun(std::move(fn));
    ASSERT_TRUE(reactor_->RunUntil([&] { return co->finished(); }, 100000000));
  }
  std::shared_ptr<Reactor> reactor_;
};

TEST_F(EventTest, IntEventWaitsForTarget) {
  auto ev = Reactor::CreateSpEvent<IntEvent>(3);
  EXPECT_EQ(ev->status_, Event::INIT);
  bool done = false;
  Coroutine::CreateRun([&] {
    ev->Wait();
    done = true;
  });
  EXPECT_EQ(ev->status_, Event::WAIT);
  EXPECT_EQ(ev->Set(2), 0);
  reactor_->RunFor(10);
  EXPECT_FALSE(done);
  ev->Set(3);
  EXPECT_EQ(ev->status_, Event::READY) << "ready but no waiter has returned yet";
  reactor_->RunFor(10);
  EXPECT_TRUE(done);
  EXPECT_EQ(ev->status_, Event::DONE);
}

TEST_F(EventTest, TimeoutLeavesTimeoutStatusAtTheRightTime) {
  auto ev = Reactor::CreateSpEvent<IntEvent>();
  uint64_t waited = 0;
  RunCo([&] {
    uint64_t t0 = Time::Now();
    ev->Wait(5000);
    waited = Time::Now() - t0;
  });
  EXPECT_EQ(ev->status_, Event::TIMEOUT);
  EXPECT_EQ(waited, 5000u);
  EXPECT_EQ(reactor_->pending_timers(), 0u);
  ev->Set(1);
  EXPECT_EQ(ev->status_, Event::READY);
}

TEST_F(EventTest, SetBeforeTimeoutGivesDoneAndCancelsTimer) {
  auto ev = Reactor::CreateSpEvent<IntEvent>();
  reactor_->AddTimer(100, [&] { ev->Set(1); });
  uint64_t waited = 0;
  RunCo([&] {
    uint64_t t0 = Time::Now();
    ev->Wait(1000000);
    waited = Time::Now() - t0;
  });
  EXPECT_EQ(ev->status_, Event::DONE);
  EXPECT_EQ(waited, 100u);
  EXPECT_EQ(reactor_->pending_timers(), 0u) << "the wait's timeout timer is cancelled";
  EXPECT_EQ(reactor_->NowUs(), 100u);
}

TEST_F(EventTest, WaitOnReadyEventReturnsAtOnce) {
  auto ev = Reactor::CreateSpEvent<IntEvent>();
  ev->Set(1);
  uint64_t t0 = Time::Now();
  bool returned = false;
  Coroutine::CreateRun([&] {
    ev->Wait(1000);
    returned = true;
  });
  EXPECT_TRUE(returned) << "no suspension at all";
  EXPECT_EQ(ev->status_, Event::DONE);
  EXPECT_EQ(Time::Now(), t0);
  auto never = Reactor::CreateSpEvent<IntEvent>();
  Coroutine::CreateRun([&] { never->Wait(0); });
  EXPECT_EQ(never->status_, Event::TIMEOUT) << "Wait(0) only polls";
}

TEST_F(EventTest, MultipleWaitersWakeInFifoOrder) {
  auto ev = Reactor::CreateSpEvent<IntEvent>();
  std::string order;
  for (char c : std::string("xyz")) {
    Coroutine::CreateRun([&order, ev, c] {
      ev->Wait();
      order += c;
    });
  }
  EXPECT_EQ(ev->waiter_count(), 3u);
  ev->Set(1);
  reactor_->RunFor(0);
  EXPECT_EQ(order, "xyz");
  EXPECT_EQ(ev->waiter_count(), 0u);
}

TEST_F(EventTest, OneWaiterTimesOutOtherGetsEvent) {
  auto ev = Reactor::CreateSpEvent<IntEvent>();
  Event::EventStatus a = Event::INIT, b = Event::INIT;
  Coroutine::CreateRun([&] {
    ev->Wait(10);
    a = ev->status_;
  });
  Coroutine::CreateRun([&] {
    ev->Wait(100);
    b = ev->status_;
  });
  reactor_->AddTimer(50, [&] { ev->Set(1); });
  reactor_->RunFor(1000);
  EXPECT_EQ(a, Event::TIMEOUT);
  EXPECT_EQ(b, Event::DONE);
}

TEST_F(EventTest, OrEventReadyWhenAnyChildIs) {
  auto a = Reactor::CreateSpEvent<IntEvent>();
  auto b = Reactor::CreateSpEvent<IntEvent>();
  auto any = Reactor::CreateSpEvent<OrEvent>(a, b);
  EXPECT_FALSE(any->IsReady());
  uint64_t woke_at = 0;
  Coroutine::CreateRun([&] {
    any->Wait();
    woke_at = Time::Now();
  });
  reactor_->AddTimer(70, [&] { b->Set(1); });
  reactor_->RunFor(1000);
  EXPECT_EQ(woke_at, 70u);
  EXPECT_EQ(any->status_, Event::DONE);
  EXPECT_FALSE(OrEvent().IsReady());
}

TEST_F(EventTest, AndEventNeedsAllChildren) {
  auto a = Reactor::CreateSpEvent<IntEvent>();
  auto b = Reactor::CreateSpEvent<BoxEvent<int>>();
  auto all = Reactor::CreateSpEvent<AndEvent>(std::vector<std::shared_ptr<Event>>{a, b});
  uint64_t woke_at = 0;
  Coroutine::CreateRun([&] {
    all->Wait();
    woke_at = Time::Now();
  });
  reactor_->AddTimer(10, [&] { a->Set(1); });
  reactor_->AddTimer(20, [&] { b->Set(9); });
  reactor_->RunFor(1000);
  EXPECT_EQ(woke_at, 20u);
  EXPECT_TRUE(AndEvent().IsReady());
}

TEST_F(EventTest, OrEventWithTimeoutChildActsAsTimeout) {
  auto reply = Reactor::CreateSpEvent<IntEvent>();
  auto timeout = Reactor::CreateSpEvent<TimeoutEvent>(300);
  auto any = Reactor::CreateSpEvent<OrEvent>(reply, timeout);
  RunCo([&] { any->Wait(); });
  EXPECT_EQ(reactor_->NowUs(), 300u);
  EXPECT_TRUE(timeout->IsReady());
  EXPECT_FALSE(reply->IsReady());
}

TEST_F(EventTest, ParentDestroyedBeforeChildIsSafe) {
  auto child = Reactor::CreateSpEvent<IntEvent>();
  {
    auto parent = Reactor::CreateSpEvent<OrEvent>(child);
  }
  child->Set(1);  // must not touch the freed parent
  EXPECT_TRUE(child->IsReady());
}

TEST_F(EventTest, QuorumArithmetic) {
  QuorumEvent q(5, 3);
  EXPECT_FALSE(q.Yes());
  EXPECT_FALSE(q.No());
  q.VoteYes();
  q.VoteYes();
  q.VoteNo();
  q.VoteNo();
  EXPECT_FALSE(q.IsReady()) << "2 yes, 2 no, 1 outstanding: undecided";
  q.VoteYes();
  EXPECT_TRUE(q.Yes());
  EXPECT_FALSE(q.No());
  QuorumEvent n(5, 3);
  n.VoteNo();
  n.VoteNo();
  EXPECT_FALSE(n.No()) << "3 yes are still possible";
  n.VoteNo();
  EXPECT_TRUE(n.No()) << "only 2 voters left: quorum of 3 unreachable";
  EXPECT_FALSE(n.Yes());
  EXPECT_TRUE(n.IsReady());
  EXPECT_EQ(n.n_voted_no_, 3);
  EXPECT_EQ(n.n_voted_yes_, 0);
  QuorumEvent all(3, 3);
  all.VoteNo();
  EXPECT_TRUE(all.No());
}

TEST_F(EventTest, QuorumWakesWaiterOnMajority) {
  auto q = Reactor::CreateSpEvent<QuorumEvent>(3, 2);
  for (int i = 1; i <= 3; i++) reactor_->AddTimer(i * 100, [q] { q->VoteYes(); });
  uint64_t woke = 0;
  RunCo([&] {
    q->Wait(10000);
    woke = Time::Now();
  });
  EXPECT_EQ(woke, 200u);
  EXPECT_TRUE(q->Yes());
  EXPECT_EQ(q->status_, Event::DONE);
}

TEST_F(EventTest, SharedIntEventThresholds) {
  SharedIntEvent s;
  std::vector<int> woke;
  for (int want : {3, 1, 2}) {
    Coroutine::CreateRun([&s, &woke, want] {
      EXPECT_TRUE(s.WaitUntilGreaterOrEqualThan(want));
      woke.push_back(want);
    });
  }
  s.Set(2);
  reactor_->RunFor(0);
  EXPECT_EQ(woke, (std::vector<int>{1, 2}));
  s.Set(5);
  reactor_->RunFor(0);
  EXPECT_EQ(woke, (std::vector<int>{1, 2, 3}));
  bool reached = true;
  RunCo([&] { reached = s.WaitUntilGreaterOrEqualThan(10, 500); });
  EXPECT_FALSE(reached);
  RunCo([&] { reached = s.WaitUntilGreaterOrEqualThan(4, 500); });
  EXPECT_TRUE(reached);
}

TEST_F(EventTest, SharedIntEventCarries64BitValues) {
  SharedIntEvent s;
  const int64_t big = int64_t{5} << 32;  // its low 32 bits are 0: a narrowing would lose it
  const uint64_t index = static_cast<uint64_t>(big) + 7;
  EXPECT_EQ(s.Set(big), 0);
  EXPECT_EQ(s.value_, big);
  bool woke = false;
  Coroutine::CreateRun([&] {
    EXPECT_TRUE(s.WaitUntilGreaterOrEqualThan(index));  // a uint64_t log index, as Raft passes
    woke = true;
  });
  s.Set(big + 6);
  reactor_->RunFor(0);
  EXPECT_FALSE(woke) << "one short of the threshold";
  EXPECT_EQ(s.Set(big + 7), big + 6);
  reactor_->RunFor(0);
  EXPECT_TRUE(woke);
  // The course's int arguments still work, on both overloads.
  int reached = -1;
  RunCo([&] { reached = s.WaitUntilGreaterOrEqualThan(3) ? 1 : 0; });
  EXPECT_EQ(reached, 1);
  RunCo([&] { reached = s.WaitUntilGreaterOrEqualThan(big + 8, 500) ? 1 : 0; });
  EXPECT_EQ(reached, 0);
}

TEST_F(EventTest, SharedIntEventWaitEndsOnAnotherEvent) {
  SharedIntEvent s;
  auto stop = std::make_shared<IntEvent>();
  std::vector<std::string> got;
  Coroutine::CreateRun([&] { got.push_back(s.WaitUntilGreaterOrEqualThan(2, stop) ? "2" : "x"); });
  Coroutine::CreateRun([&] { got.push_back(s.WaitUntilGreaterOrEqualThan(9, stop) ? "9" : "x"); });
  s.Set(2);
  reactor_->RunFor(0);
  EXPECT_EQ(got, (std::vector<std::string>{"2"}));
  stop->Set(1);  // the counter stays below 9: the second waiter returns false
  reactor_->RunFor(0);
  EXPECT_EQ(got, (std::vector<std::string>{"2", "x"}));
  EXPECT_EQ(s.value_, 2);
  bool reached = false;
  RunCo([&] { reached = s.WaitUntilGreaterOrEqualThan(1, stop); });
  EXPECT_TRUE(reached) << "already reached, even with `until` ready";
}

TEST_F(EventTest, BoxEventCarriesValue) {
  auto box = Reactor::CreateSpEvent<BoxEvent<std::string>>();
  std::string got;
  Coroutine::CreateRun([&] {
    box->Wait();
    got = box->Get();
  });
  reactor_->AddTimer(5, [&] { box->Set("payload"); });
  reactor_->RunFor(10);
  EXPECT_EQ(got, "payload");
}

TEST_F(EventTest, TimeoutEventFiresAtDeadline) {
  auto t = Reactor::CreateSpEvent<TimeoutEvent>(2500);
  EXPECT_EQ(t->deadline_us(), 2500u);
  EXPECT_FALSE(t->IsReady());
  RunCo([&] { t->Wait(); });
  EXPECT_EQ(reactor_->NowUs(), 2500u);
  EXPECT_EQ(t->status_, Event::DONE);
  // Destroying an unfired TimeoutEvent drops its timer.
  { auto gone = Reactor::CreateSpEvent<TimeoutEvent>(100); }
  EXPECT_EQ(reactor_->pending_timers(), 0u);
}

}  // namespace
}  // namespace rrr
