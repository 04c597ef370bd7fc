#include "labs/harness/core/runner.h"

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <vector>

#include "labs/harness/core/cluster.h"
#include "labs/harness/core/graded_test.h"
#include "labs/harness/toy/toy_node.h"
#include "rrr/base/time.h"
#include "rrr/reactor/coroutine.h"
#include "rrr/reactor/node.h"

namespace janus {
namespace harness {
namespace {

constexpr uint64_t kSec = 1000000;

struct Flag {
  bool* set;
  ~Flag() { *set = true; }
};

TEST(Runner, BodyRunsAsACoroutineInVirtualTime) {
  RunSpec spec;
  spec.seed = 3;
  spec.limit_us = 10 * kSec;
  uint64_t woke_at = 0;
  RunOutcome out = RunOnFreshReactor(spec, [&] {
    ASSERT_NE(rrr::Coroutine::Current(), nullptr);
    rrr::Coroutine::Sleep(4 * kSec);
    woke_at = rrr::Time::Now();
  });
  EXPECT_TRUE(out.finished);
  EXPECT_EQ(woke_at, 4 * kSec);
  EXPECT_EQ(out.virtual_us, 4 * kSec);
  EXPECT_LT(out.wall_us, 2 * kSec);
}

TEST(Runner, OverBudgetBodyIsStoppedAndUnwound) {
  RunSpec spec;
  spec.limit_us = 1 * kSec;
  bool unwound = false;
  RunOutcome out = RunOnFreshReactor(spec, [&] {
    Flag f{&unwound};
    rrr::Coroutine::Sleep(3600 * kSec);
  });
  EXPECT_FALSE(out.finished);
  EXPECT_EQ(out.virtual_us, 1 * kSec);
  EXPECT_TRUE(unwound) << "the stuck body's destructors did not run";
}

TEST(Runner, ExceptionsAreReportedWithTheirNode) {
  std::vector<std::string> crashes;
  RunSpec spec;
  spec.limit_us = 10 * kSec;
  spec.on_crash = [&](rrr::NodeContext* node, const std::string& what) {
    crashes.push_back((node != nullptr ? node->name() : "-") + ": " + what);
  };
  RunOutcome out = RunOnFreshReactor(spec, [] {
    auto node = rrr::NodeContext::Create(4, "s4");
    node->Run([] {
      rrr::Coroutine::CreateRun([] {
        rrr::Coroutine::Sleep(10);
        throw std::runtime_error("index out of range");
      });
    });
    rrr::Coroutine::Sleep(1000);
    throw std::logic_error("test body gave up");
  });
  EXPECT_TRUE(out.finished);
  EXPECT_EQ(crashes,
            (std::vector<std::string>{"s4: index out of range", "-: test body gave up"}));
}

// A body stuck past its budget with a whole cluster on its stack: unwinding it crashes and
// destroys every node, over sim and over real TCP.
TEST(Runner, OverBudgetBodyTearsDownItsCluster) {
  for (bool virtual_time : {true, false}) {
    const toy_lab::ToyStats before = toy_lab::Stats();
    RunSpec spec;
    spec.virtual_time = virtual_time;
    spec.limit_us = virtual_time ? 5 * kSec : kSec / 5;
    RunOutcome out = RunOnFreshReactor(spec, [] {
      Cluster<toy_lab::ToyNode> c(3, toy_lab::ToyNode::Make);
      c.At(1, [](toy_lab::ToyNode& n) { n.StartTicker(1000); });
      c.At(0, [](toy_lab::ToyNode& n) { n.Increment(1, 0); });
      rrr::Coroutine::Sleep(3600 * kSec);
    });
    EXPECT_FALSE(out.finished);
    EXPECT_EQ(toy_lab::Stats().constructed, before.constructed + 3);
    EXPECT_EQ(toy_lab::Stats().destroyed, before.destroyed + 3) << "virtual " << virtual_time;
    EXPECT_EQ(toy_lab::Stats().ticker_unwound, before.ticker_unwound + 1);
  }
}

// Registered but disabled: only run through RunGradedTest below.
GRADED_TEST(RunnerUnit, DISABLED_SleepsPastItsBudget, "unit", "-", 1, 250) {
  rrr::Coroutine::Sleep(10 * kSec);
}

GRADED_TEST(RunnerUnit, DISABLED_NodeThrows, "unit", "-", 1, 1000) {
  auto node = rrr::NodeContext::Create(1, "s1");
  node->Run([] { rrr::Coroutine::CreateRun([] { throw std::runtime_error("boom"); }); });
}

TEST(Runner, GradedTestOverBudgetFailsWithAMessage) {
  EXPECT_NONFATAL_FAILURE(RunGradedTest("RunnerUnit.DISABLED_SleepsPastItsBudget",
                                        &RunnerUnit_DISABLED_SleepsPastItsBudget_GradedBody),
                          "time budget exceeded: the test was still running after 250 ms");
  EXPECT_EQ(LastGradedRun().virtual_us, 250000u);
}

TEST(Runner, GradedTestFailsWhenANodeCrashes) {
  EXPECT_NONFATAL_FAILURE(
      RunGradedTest("RunnerUnit.DISABLED_NodeThrows", &RunnerUnit_DISABLED_NodeThrows_GradedBody),
      "node s1 crashed: an exception escaped one of its coroutines: boom");
}

TEST(Runner, GradedTestsAreRegisteredWithTheirMetadata) {
  const GradedTestInfo* t = FindGradedTest("RunnerUnit.DISABLED_SleepsPastItsBudget");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->lab, "unit");
  EXPECT_EQ(t->part, "-");
  EXPECT_EQ(t->points, 1);
  EXPECT_EQ(t->budget_ms, 250u);
  EXPECT_EQ(FindGradedTest("Runner.BodyRunsAsACoroutineInVirtualTime"), nullptr);
}

}  // namespace
}  // namespace harness
}  // namespace janus
