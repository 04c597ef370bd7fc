// The tester base (labs/harness/core/lab_tester.h) through the toy lab's ToyTester: a failed
// check is recorded once, at the line of the test that called it, and ends the scenario (the
// runner absorbs harness::ScenarioFailure and the tester is torn down); a failure in a
// coroutine started by Go ends that coroutine only; Rand outside a graded test follows the
// reactor's seed; End runs the lab's checks.
#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

#include "labs/harness/core/runner.h"
#include "labs/harness/toy/toy_tester.h"

namespace janus {
namespace toy_lab {
namespace {

constexpr uint64_t kMs = 1000;

struct Recorded {
  harness::RunOutcome outcome;
  std::vector<::testing::TestPartResult> failures;
};

// Runs body on a fresh simulated reactor seeded with `seed`, capturing the failures it records.
Recorded RunRecorded(const std::function<void()>& body, uint64_t seed = 7) {
  Recorded r;
  ::testing::TestPartResultArray results;
  {
    ::testing::ScopedFakeTestPartResultReporter reporter(
        ::testing::ScopedFakeTestPartResultReporter::INTERCEPT_ONLY_CURRENT_THREAD, &results);
    harness::RunSpec spec;
    spec.seed = seed;
    spec.limit_us = 60 * 1000 * kMs;
    r.outcome = harness::RunOnFreshReactor(spec, body);
  }
  for (int i = 0; i < results.size(); i++) r.failures.push_back(results.GetTestPartResult(i));
  return r;
}

// True if s ends with suffix (googletest prefixes a recorded message with "Failed\n").
bool EndsWith(const char* s, const std::string& suffix) {
  const std::string str = s == nullptr ? "" : s;
  return str.size() >= suffix.size() &&
         str.compare(str.size() - suffix.size(), suffix.size(), suffix) == 0;
}

TEST(LabTester, FailIsRecordedAtTheCallersLineAndEndsTheScenario) {
  const ToyStats before = Stats();
  bool reached = false;
  int fail_line = 0;
  Recorded r = RunRecorded([&] {
    ToyTester t(3, false);
    fail_line = __LINE__ + 1;
    t.Fail("the scenario gives up");
    reached = true;
  });
  EXPECT_TRUE(r.outcome.finished);
  EXPECT_FALSE(reached) << "Fail returned";
  ASSERT_EQ(r.failures.size(), 1u) << "the runner must absorb ScenarioFailure, not report it";
  EXPECT_TRUE(EndsWith(r.failures[0].message(), "the scenario gives up"))
      << r.failures[0].message();
  EXPECT_TRUE(EndsWith(r.failures[0].file_name(), "lab_tester_test.cc"));
  EXPECT_EQ(r.failures[0].line_number(), fail_line);
  EXPECT_EQ(Stats().destroyed, before.destroyed + 3) << "the tester's cluster was not torn down";
}

TEST(LabTester, AHelpersFailureNamesTheTestLine) {
  int check_line = 0;
  Recorded r = RunRecorded([&] {
    ToyTester t(3, false);
    t.Increment(0, 2, 1000 * kMs);
    t.Sleep(100 * kMs);
    t.CheckValue(1, 2);
    check_line = __LINE__ + 1;
    t.CheckValue(2, 42);
  });
  ASSERT_EQ(r.failures.size(), 1u);
  EXPECT_TRUE(EndsWith(r.failures[0].message(), "s2's counter is 2, expected 42"))
      << r.failures[0].message();
  EXPECT_EQ(r.failures[0].line_number(), check_line);
}

TEST(LabTester, AFailureInACoroutineOfGoEndsOnlyThatCoroutine) {
  bool after_fail = false, sibling_done = false, body_done = false;
  Recorded r = RunRecorded([&] {
    ToyTester t(2, false);
    t.Go([&] {
      t.Sleep(10 * kMs);
      t.Fail("a client saw a wrong value");
      after_fail = true;
    });
    t.Go([&] {
      t.Sleep(20 * kMs);
      sibling_done = true;
    });
    t.Sleep(100 * kMs);
    body_done = true;
  });
  ASSERT_EQ(r.failures.size(), 1u);
  EXPECT_TRUE(EndsWith(r.failures[0].message(), "a client saw a wrong value"))
      << r.failures[0].message();
  EXPECT_FALSE(after_fail);
  EXPECT_TRUE(sibling_done);
  EXPECT_TRUE(body_done);
}

TEST(LabTester, RandOutsideAGradedTestFollowsTheReactorSeed) {
  auto draws = [](uint64_t seed) {
    std::vector<int64_t> out;
    RunRecorded(
        [&] {
          ToyTester t(1, false);
          for (int k = 0; k < 8; k++) out.push_back(t.Rand(0, 1000000000));
        },
        seed);
    return out;
  };
  EXPECT_EQ(draws(5), draws(5));
  EXPECT_NE(draws(5), draws(6));
}

TEST(LabTester, EndRunsTheLabsChecks) {
  int end_line = 0;
  Recorded ok = RunRecorded([] {
    ToyTester t(3, false);
    t.Increment(0, 2, 1000 * kMs);
    t.Sleep(100 * kMs);
    t.End();
  });
  EXPECT_TRUE(ok.failures.empty());
  Recorded bad = RunRecorded([&] {
    ToyTester t(3, false);
    t.Increment(0, 2, 1000 * kMs);
    t.Sleep(100 * kMs);
    t.cluster().GetPersister(1)->SaveRaftState("7");  // s1's disk disagrees with its counter
    end_line = __LINE__ + 1;
    t.End();
  });
  ASSERT_EQ(bad.failures.size(), 1u);
  EXPECT_TRUE(EndsWith(bad.failures[0].message(),
                       "\ns1's counter 2 differs from what it persisted (\"7\")"))
      << bad.failures[0].message();
  EXPECT_EQ(bad.failures[0].line_number(), end_line);
}

// The pending-handler check of End: Hold's handler never replies (until its node dies).
TEST(LabTester, EndFailsNamingAHandlerThatNeverReplies) {
  int end_line = 0;
  uint64_t waited = 0;
  Recorded r = RunRecorded([&] {
    ToyTester t(3, false);
    t.cluster().At(0, [](ToyNode& n) { return n.SendHold(1, 0); });
    t.Sleep(100 * kMs);
    t.Disconnect(0);  // End heals the network before it waits
    const uint64_t start = t.Now();
    end_line = __LINE__ + 1;
    t.End();
    waited = t.Now() - start;  // not reached
  });
  ASSERT_EQ(r.failures.size(), 1u);
  const std::string message = r.failures[0].message();
  EXPECT_NE(message.find("pending handlers: requests still unanswered 5 s after the end of the "
                         "test (network healed): s1: CounterService.Hold x1\n"),
            std::string::npos)
      << message;
  EXPECT_EQ(r.failures[0].line_number(), end_line);
  EXPECT_EQ(waited, 0u);
}

TEST(LabTester, EndSkipsCrashedNodesAndTakesNoTimeWhenNothingIsPending) {
  uint64_t waited = 1;
  Recorded r = RunRecorded([&] {
    ToyTester t(3, false);
    t.cluster().At(0, [](ToyNode& n) { return n.SendHold(1, 0); });
    t.Sleep(100 * kMs);
    t.Crash(1);  // its unanswered Hold goes with it
    t.Increment(0, 1, 1000 * kMs);
    t.Sleep(100 * kMs);
    const uint64_t start = t.Now();
    t.End();
    waited = t.Now() - start;
  });
  EXPECT_TRUE(r.failures.empty()) << r.failures[0].message();
  EXPECT_EQ(waited, 0u) << "with nothing pending End takes no time";
}

TEST(LabTester, EndSkipsTheCheckWithoutAMajorityUp) {
  Recorded r = RunRecorded([&] {
    ToyTester t(3, false);
    t.cluster().At(0, [](ToyNode& n) { return n.SendHold(2, 0); });
    t.Sleep(100 * kMs);
    t.Crash(0);
    t.Crash(1);  // s2 alone holds an unanswered Hold: a lone node may wait for ever
    t.End();
  });
  EXPECT_TRUE(r.failures.empty()) << r.failures[0].message();
}

}  // namespace
}  // namespace toy_lab
}  // namespace janus
