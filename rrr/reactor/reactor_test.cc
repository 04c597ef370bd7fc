#include "rrr/reactor/reactor.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <string>
#include <thread>
#include <vector>

#include "rrr/base/logging.h"
#include "rrr/base/time.h"
#include "rrr/reactor/coroutine.h"
#include "rrr/reactor/event.h"
#include "rrr/reactor/node.h"

namespace rrr {
namespace {

std::shared_ptr<Reactor> Virtual(uint64_t seed = 7) {
  return Reactor::Create(ReactorOptions{true, seed});
}

TEST(ReactorTest, CreateInstallsCurrentReactor) {
  auto r = Virtual();
  EXPECT_EQ(Reactor::GetReactor(), r.get());
  EXPECT_EQ(GetReactor(), r.get());
  EXPECT_TRUE(r->virtual_time());
  EXPECT_EQ(r->NowUs(), 0u);
  EXPECT_EQ(Time::Now(), 0u) << "Time::Now follows the reactor's virtual clock";
  auto r2 = Reactor::Create(ReactorOptions{false, 1});
  EXPECT_EQ(Reactor::GetReactor(), r2.get());
  EXPECT_FALSE(r2->virtual_time());
  EXPECT_NE(r->serial(), r2->serial());
}

TEST(ReactorTest, VirtualTimersFireInOrderAndClockJumps) {
  auto r = Virtual();
  std::vector<std::pair<int, uint64_t>> fired;
  r->AddTimer(300, [&] { fired.push_back({1, Time::Now()}); });
  r->AddTimer(100, [&] { fired.push_back({2, Time::Now()}); });
  r->AddTimer(100, [&] { fired.push_back({3, Time::Now()}); });
  TimerId dropped = r->AddTimer(200, [&] { fired.push_back({4, Time::Now()}); });
  EXPECT_TRUE(r->CancelTimer(dropped));
  r->RunFor(1000);
  std::vector<std::pair<int, uint64_t>> want = {{2, 100}, {3, 100}, {1, 300}};
  EXPECT_EQ(fired, want);
  EXPECT_EQ(r->NowUs(), 1000u) << "RunFor ends exactly at now + us";
}

TEST(ReactorTest, RunUntilStopsWhenDoneOrAtDeadline) {
  auto r = Virtual();
  bool flag = false;
  r->AddTimer(5000, [&] { flag = true; });
  EXPECT_TRUE(r->RunUntil([&] { return flag; }, 1000000));
  EXPECT_EQ(r->NowUs(), 5000u) << "stops as soon as done() holds, not at the deadline";
  EXPECT_FALSE(r->RunUntil([] { return false; }, 2000));
  EXPECT_EQ(r->NowUs(), 7000u);
  // Nothing pending and no deadline: returns instead of hanging.
  EXPECT_FALSE(r->RunUntil([] { return false; }, UINT64_MAX));
}

TEST(ReactorTest, PostIsFifoAndRunsAfterQueuedWork) {
  auto r = Virtual();
  std::string order;
  r->Post([&] {
    order += "a";
    r->Post([&] { order += "c"; });
  });
  r->Post([&] { order += "b"; });
  r->RunFor(0);
  EXPECT_EQ(order, "abc");
}

TEST(ReactorTest, StopEndsLoop) {
  auto r = Virtual();
  int ticks = 0;
  std::function<void()> tick = [&] {
    if (++ticks == 5) r->Stop();
    r->AddTimer(10, tick);
  };
  r->AddTimer(10, tick);
  r->Loop();
  EXPECT_EQ(ticks, 5);
  EXPECT_EQ(r->NowUs(), 50u);
}

TEST(ReactorTest, ZeroDelayTimerLoopDoesNotStarveRunQueue) {
  auto r = Virtual();
  int timer_runs = 0;
  bool posted_ran = false;
  std::function<void()> again = [&] {
    timer_runs++;
    if (!posted_ran) r->AddTimer(0, again);
  };
  r->AddTimer(0, again);
  r->Post([&] { posted_ran = true; });
  EXPECT_TRUE(r->RunUntil([&] { return posted_ran; }, 1000));
  EXPECT_LE(timer_runs, 2);
}

TEST(ReactorTest, VirtualLoopReturnsWhenIdle) {
  auto r = Virtual();
  int n = 0;
  r->AddTimer(10, [&] { n++; });
  r->Loop();
  EXPECT_EQ(n, 1);
}

TEST(ReactorTest, RealModeTimersUseRealTime) {
  auto r = Reactor::Create(ReactorOptions{false, 1});
  uint64_t start = Time::MonotonicUs();
  uint64_t fired_at = 0;
  r->AddTimer(20000, [&] { fired_at = Time::MonotonicUs(); });
  EXPECT_TRUE(r->RunUntil([&] { return fired_at != 0; }, 2000000));
  EXPECT_GE(fired_at - start, 20000u);
  EXPECT_LT(fired_at - start, 1000000u);
  // A real coroutine sleep also takes real time.
  uint64_t slept = 0;
  Coroutine::CreateRun([&] {
    uint64_t t0 = Time::Now();
    Coroutine::Sleep(10000);
    slept = Time::Now() - t0;
  });
  EXPECT_TRUE(r->RunUntil([&] { return slept != 0; }, 2000000));
  EXPECT_GE(slept, 10000u);
}

TEST(ReactorTest, RealModeRunForTakesThatLong) {
  auto r = Reactor::Create(ReactorOptions{false, 1});
  uint64_t start = Time::MonotonicUs();
  r->RunFor(15000);
  EXPECT_GE(Time::MonotonicUs() - start, 15000u);
}

TEST(ReactorTest, RandCurrentIsReactorStreamSeededBySeed) {
  auto r = Virtual(1234);
  EXPECT_EQ(&Rand::Current(), &r->rand());
  int64_t a = Rand::Int(0, 1000000);
  Virtual(1234);
  EXPECT_EQ(Rand::Int(0, 1000000), a);
}

TEST(ReactorTest, LogLinesCarryTimeNodeAndCoroutine) {
  auto r = Virtual();
  std::vector<std::string> lines;
  Log::SetSink([&](LogLevel, const std::string& line) { lines.push_back(line); });
  auto node = NodeContext::Create(3, "s3");
  r->AddTimer(250, [&] {
    NodeScope scope(node.get());
    Coroutine::CreateRun([] { Log_info("hello"); });
  });
  r->RunFor(1000);
  Log_info("outside");
  Log::SetSink(nullptr);
  ASSERT_EQ(lines.size(), 2u);
  EXPECT_EQ(lines[0], "[250] [INFO] [s3] [co 1] hello");
  EXPECT_EQ(lines[1], "[1000] [INFO] outside");
}

TEST(ReactorTest, RunningCoroutineInfoIsVisibleFromAnotherThread) {
  auto r = Virtual();
  auto node = NodeContext::Create(4, "busy-node");
  std::atomic<bool> seen{false};
  RunningInfo first, second;
  NodeScope scope(node.get());
  Coroutine::CreateRun([&] {
    // A coroutine that does not yield for a while: a watcher polling twice sees the same
    // switch and the same resumed_at, so it can tell how long the coroutine has been busy.
    std::thread watcher([&] {
      first = r->RunningCoroutineInfo();
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
      second = r->RunningCoroutineInfo();
    });
    watcher.join();
    seen = true;
  });
  ASSERT_TRUE(seen);
  EXPECT_TRUE(first.in_coroutine);
  EXPECT_EQ(first.coroutine_id, 1u);
  EXPECT_EQ(first.node_id, 4);
  EXPECT_EQ(first.node_name, "busy-node");
  EXPECT_NE(first.created_at.find("reactor_test.cc:"), std::string::npos) << first.created_at;
  EXPECT_EQ(second.switches, first.switches);
  EXPECT_EQ(second.resumed_at_us, first.resumed_at_us);
  EXPECT_GE(Time::MonotonicUs() - second.resumed_at_us, 20000u);
  RunningInfo idle = r->RunningCoroutineInfo();
  EXPECT_FALSE(idle.in_coroutine);
  EXPECT_GT(idle.switches, first.switches);
  EXPECT_GT(idle.resumed_at_us, first.resumed_at_us);
}

TEST(ReactorTest, AttachmentsLiveAsLongAsTheReactor) {
  auto r = Virtual();
  auto token = std::make_shared<int>(5);
  std::weak_ptr<int> weak = token;
  r->SetAttachment("k", token);
  token.reset();
  EXPECT_EQ(*std::static_pointer_cast<int>(r->GetAttachment("k")), 5);
  EXPECT_EQ(r->GetAttachment("missing"), nullptr);
  EXPECT_FALSE(weak.expired());
  r.reset();
  Virtual();  // replaces (and destroys) the reactor
  EXPECT_TRUE(weak.expired());
}

TEST(ReactorTest, DestroyingReactorUnwindsWaitingCoroutines) {
  bool destroyed = false;
  struct Flag {
    bool* f;
    ~Flag() { *f = true; }
  };
  {
    auto r = Virtual();
    auto ev = Reactor::CreateSpEvent<IntEvent>();
    Coroutine::CreateRun([&destroyed, ev] {
      Flag flag{&destroyed};
      ev->Wait();
    });
    EXPECT_FALSE(destroyed);
  }
  Virtual();
  EXPECT_TRUE(destroyed);
}

TEST(ReactorDeathTest, NestedLoopIsRejected) {
  auto r = Virtual();
  r->Post([&] { r->RunFor(10); });
  EXPECT_DEATH(r->RunFor(0), "already running");
}

TEST(ReactorDeathTest, LoopInsideCoroutineIsRejected) {
  auto r = Virtual();
  EXPECT_DEATH(Coroutine::CreateRun([&] { r->RunFor(10); }), "inside a coroutine");
}

}  // namespace
}  // namespace rrr
