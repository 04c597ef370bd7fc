// The driver protocol, checked on the toy driver run as a subprocess.
#include "labs/harness/core/report.h"

#include <gtest/gtest.h>

#include <signal.h>

#include <regex>

#include "labs/harness/core/testutil.h"

namespace janus {
namespace harness {
namespace {

using testing_util::LinesStartingWith;
using testing_util::RunCommand;

const std::string kToy = TOY_TEST_PATH;

TEST(Report, FormatsTheResultLine) {
  EXPECT_EQ(FormatResultLine(true, "raft", "A", "InitialElection", 5, 5, 2310000, 52000, 42,
                             12345),
            "[PASS] raft/A InitialElection  5/5 pts  virt 2.310s  wall 0.052s  rpcs 42  "
            "seed 12345");
  EXPECT_EQ(FormatResultLine(false, "kv", "B", "Speed", 0, 10, 0, 1, 0, 9),
            "[FAIL] kv/B Speed  0/10 pts  virt 0.000s  wall 0.000s  rpcs 0  seed 9");
}

TEST(ReportProcess, ListPrintsOneTsvLinePerGradedTest) {
  auto r = RunCommand(kToy + " --list");
  EXPECT_EQ(r.exit_code(), 0);
  EXPECT_EQ(r.out,
            "ToyPass.Pass\ttoy\tA\tPass\t5\t5000\n"
            "ToyFail.Fail\ttoy\tA\tFail\t5\t5000\n"
            "ToyCrash.Crash\ttoy\tB\tCrash\t5\t5000\n"
            "ToyHang.Hang\ttoy\tB\tHang\t5\t5000\n");
}

TEST(ReportProcess, PassAndFailLinesScoreAndReplay) {
  auto r = RunCommand(kToy + " --seed=9 --gtest_filter=ToyPass.*:ToyFail.*");
  EXPECT_EQ(r.exit_code(), 1) << r.out;
  const std::regex pass(
      R"(\[PASS\] toy/A Pass  5/5 pts  virt \d+\.\d{3}s  wall \d+\.\d{3}s  rpcs 1  seed 9)");
  auto passes = LinesStartingWith(r.out, "[PASS] ");
  ASSERT_EQ(passes.size(), 1u) << r.out;
  EXPECT_TRUE(std::regex_match(passes[0], pass)) << passes[0];
  auto fails = LinesStartingWith(r.out, "[FAIL] ");
  ASSERT_EQ(fails.size(), 1u) << r.out;
  EXPECT_EQ(fails[0].compare(0, 25, "[FAIL] toy/A Fail  0/5 pt"), 0) << fails[0];
  // Failure messages (a node crash and an expectation), then the replay command, indented.
  EXPECT_NE(r.out.find("\n       node s1 crashed: an exception escaped one of its coroutines: "
                       "toy handler gave up\n"),
            std::string::npos)
      << r.out;
  EXPECT_NE(r.out.find("the toy counter never reaches 42"), std::string::npos) << r.out;
  auto replays = LinesStartingWith(r.out, "       replay: ");
  ASSERT_EQ(replays.size(), 1u) << r.out;
  EXPECT_NE(replays[0].find("toy_test --net=sim --seed=9 --gtest_filter=ToyFail.Fail"),
            std::string::npos)
      << replays[0];
  EXPECT_EQ(LinesStartingWith(r.out, "Score: 5/10 points").size(), 1u) << r.out;
  // The closing line is the last line.
  EXPECT_EQ(r.out.substr(r.out.size() - 19), "1 passed, 1 failed\n") << r.out;

  // The replay command reproduces the failure.
  auto replay = RunCommand(replays[0].substr(15));
  EXPECT_EQ(replay.exit_code(), 1);
  EXPECT_EQ(LinesStartingWith(replay.out, "[FAIL] toy/A Fail").size(), 1u) << replay.out;
  EXPECT_EQ(replay.out.substr(replay.out.size() - 19), "0 passed, 1 failed\n");
}

TEST(ReportProcess, AllPassingExitsZero) {
  auto r = RunCommand(kToy + " --gtest_filter=ToyPass.* --repeat=3 --seed=100");
  EXPECT_EQ(r.exit_code(), 0) << r.out;
  auto passes = LinesStartingWith(r.out, "[PASS] toy/A Pass");
  ASSERT_EQ(passes.size(), 3u) << r.out;
  EXPECT_NE(passes[0].find("seed 100"), std::string::npos);
  EXPECT_NE(passes[1].find("seed 101"), std::string::npos);
  EXPECT_NE(passes[2].find("seed 102"), std::string::npos);
  EXPECT_EQ(LinesStartingWith(r.out, "Score: 15/15 points").size(), 1u) << r.out;
  EXPECT_EQ(LinesStartingWith(r.out, "3 passed, 0 failed").size(), 1u) << r.out;
  EXPECT_EQ(LinesStartingWith(r.out, "harness: net=sim seed=100").size(), 1u) << r.out;
}

TEST(ReportProcess, CrashPrintsAFailLineThenDiesOfTheSignal) {
  auto r =
      RunCommand("env HARNESS_TOY_CRASH_HANG=1 " + kToy + " --seed=4 --gtest_filter=ToyCrash.*");
  EXPECT_EQ(r.signal(), SIGSEGV) << r.out;
  auto fails = LinesStartingWith(r.out, "[FAIL] toy/B Crash  0/5 pts  virt ");
  ASSERT_EQ(fails.size(), 1u) << r.out;
  EXPECT_NE(fails[0].find("seed 4"), std::string::npos) << fails[0];
  EXPECT_NE(r.out.find("       crashed: signal 11 ("), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("replay: "), std::string::npos) << r.out;
  EXPECT_EQ(LinesStartingWith(r.out, "0 passed, 1 failed").size(), 1u) << r.out;
}

TEST(ReportProcess, BadFlagIsAUsageError) {
  auto r = RunCommand(kToy + " --net=carrier-pigeon");
  EXPECT_EQ(r.exit_code(), 2);
  EXPECT_EQ(RunCommand(kToy + " --help").exit_code(), 0);
}

}  // namespace
}  // namespace harness
}  // namespace janus
