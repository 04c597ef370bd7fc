#include "labs/harness/core/watchdog.h"

#include <gtest/gtest.h>

#include "labs/harness/core/testutil.h"

namespace janus {
namespace harness {
namespace {

using testing_util::LinesStartingWith;
using testing_util::RunCommand;

constexpr uint64_t kSec = 1000000;

rrr::RunningInfo Busy(uint64_t resumed_at_us) {
  rrr::RunningInfo info;
  info.in_coroutine = true;
  info.coroutine_id = 7;
  info.node_id = 2;
  info.node_name = "s2";
  info.created_at = "labs/raft/server.cc:88";
  info.resumed_at_us = resumed_at_us;
  return info;
}

TEST(WatchdogCheck, FiresOnACoroutineThatDoesNotYield) {
  rrr::RunningInfo info = Busy(10 * kSec);
  EXPECT_EQ(Watchdog::Check(&info, 2000, 0, 0, 11 * kSec), "");
  std::string reason = Watchdog::Check(&info, 2000, 0, 0, 12 * kSec + 1);
  EXPECT_NE(reason.find("coroutine 7 of node s2"), std::string::npos) << reason;
  EXPECT_NE(reason.find("labs/raft/server.cc:88"), std::string::npos) << reason;
  EXPECT_NE(reason.find("without yielding"), std::string::npos) << reason;
}

TEST(WatchdogCheck, IgnoresTheIdleLoopAndADisabledLimit) {
  rrr::RunningInfo info = Busy(0);
  info.in_coroutine = false;  // the loop waiting for I/O is not a busy coroutine
  EXPECT_EQ(Watchdog::Check(&info, 2000, 0, 0, 100 * kSec), "");
  info.in_coroutine = true;
  EXPECT_EQ(Watchdog::Check(&info, 0, 0, 0, 100 * kSec), "");
}

TEST(WatchdogCheck, FiresOnTheWallClockLimit) {
  EXPECT_EQ(Watchdog::Check(nullptr, 2000, 5 * kSec, 10 * kSec, 14 * kSec), "");
  std::string reason = Watchdog::Check(nullptr, 2000, 5 * kSec, 10 * kSec, 15 * kSec);
  EXPECT_NE(reason.find("hung"), std::string::npos) << reason;
}

// End to end: the toy driver's hanging test spins in a node's coroutine; the watchdog prints a
// FAIL line naming the node and where the coroutine was created, the summary, and exits 1.
TEST(WatchdogProcess, BusyLoopFailsTheTestAndEndsTheRun) {
  auto r = RunCommand("env HARNESS_TOY_CRASH_HANG=1 " TOY_TEST_PATH
                      " --seed=5 --gtest_filter=ToyPass.*:ToyHang.*");
  EXPECT_EQ(r.exit_code(), 1) << r.out;
  EXPECT_LT(r.wall_us, 20 * kSec);
  auto fails = LinesStartingWith(r.out, "[FAIL] toy/B Hang  0/5 pts");
  ASSERT_EQ(fails.size(), 1u) << r.out;
  EXPECT_NE(fails[0].find("seed 5"), std::string::npos);
  EXPECT_NE(r.out.find("       watchdog: coroutine 2 of node s1 created at labs/harness/toy/toy_node.cc:"), std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("replay: "), std::string::npos);
  EXPECT_EQ(LinesStartingWith(r.out, "[PASS] toy/A Pass").size(), 1u) << r.out;
  EXPECT_EQ(LinesStartingWith(r.out, "Score: 5/10 points").size(), 1u) << r.out;
  EXPECT_EQ(LinesStartingWith(r.out, "1 passed, 1 failed").size(), 1u) << r.out;
}

}  // namespace
}  // namespace harness
}  // namespace janus
