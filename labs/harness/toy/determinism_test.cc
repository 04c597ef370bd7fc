// In simulation a run is a pure function of its seed: the same seed gives the same trace byte
// for byte, a different seed a different one.
#include <gtest/gtest.h>

#include <cstdio>
#include <fstream>
#include <functional>
#include <sstream>
#include <string>

#include "labs/harness/core/runner.h"
#include "labs/harness/core/testutil.h"
#include "labs/harness/toy/toy_scenario.h"
#include "rrr/base/logging.h"

namespace janus {
namespace harness {
namespace {

using testing_util::LinesStartingWith;
using testing_util::RunCommand;

// Runs the fault-heavy toy scenario on a fresh simulated reactor and returns every log line.
std::string TraceOfScenario(uint64_t seed) {
  std::string trace;
  const rrr::LogLevel old_level = rrr::Log::Level();
  rrr::Log::SetLevel(rrr::LogLevel::kDebug);
  rrr::Log::SetSink([&](rrr::LogLevel, const std::string& line) { trace += line + "\n"; });
  RunSpec spec;
  spec.seed = seed;
  spec.limit_us = 60 * 1000000ull;
  RunOutcome out = RunOnFreshReactor(spec, [] { toy_lab::RunFaultHeavyScenario(12); });
  rrr::Log::SetSink(nullptr);
  rrr::Log::SetLevel(old_level);
  EXPECT_TRUE(out.finished);
  return trace;
}

TEST(Determinism, SameSeedSameTraceInProcess) {
  const std::string a = TraceOfScenario(2024);
  const std::string b = TraceOfScenario(2024);
  const std::string c = TraceOfScenario(2025);
  EXPECT_GT(a.size(), 10000u);
  EXPECT_NE(a.find("net: drop"), std::string::npos) << "the scenario injected no faults";
  EXPECT_NE(a.find("cluster: crash"), std::string::npos);
  EXPECT_EQ(std::hash<std::string>()(a), std::hash<std::string>()(b));
  EXPECT_TRUE(a == b) << "same seed, different traces";
  EXPECT_NE(a, c) << "different seeds, same trace";
}

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// End to end through the driver: --trace of one graded test, replayed with the same seed.
TEST(Determinism, SameSeedSameTraceFileFromTheDriver) {
  const std::string dir = ::testing::TempDir();
  const std::string t1 = dir + "harness_trace_1.txt", t2 = dir + "harness_trace_2.txt",
                    t3 = dir + "harness_trace_3.txt";
  const std::string cmd = std::string(HARNESS_TEST_PATH) +
                          " --gtest_filter=HarnessDeterminism.FaultHeavy --trace=";
  auto r1 = RunCommand(cmd + t1 + " --seed=31");
  auto r2 = RunCommand(cmd + t2 + " --seed=31");
  auto r3 = RunCommand(cmd + t3 + " --seed=32");
  EXPECT_EQ(r1.exit_code(), 0) << r1.out;
  const std::string a = ReadFile(t1), b = ReadFile(t2), c = ReadFile(t3);
  EXPECT_GT(a.size(), 10000u);
  EXPECT_NE(a.find("[harness] test HarnessDeterminism.FaultHeavy start"), std::string::npos);
  EXPECT_TRUE(a == b) << "same seed, different trace files";
  EXPECT_NE(a, c);
  // The result lines agree except for the wall-clock time.
  auto strip_wall = [](std::string line) {
    size_t w = line.find("wall ");
    return line.substr(0, w) + line.substr(line.find("  rpcs"));
  };
  auto p1 = LinesStartingWith(r1.out, "[PASS]"), p2 = LinesStartingWith(r2.out, "[PASS]");
  ASSERT_EQ(p1.size(), 1u);
  ASSERT_EQ(p2.size(), 1u);
  EXPECT_EQ(strip_wall(p1[0]), strip_wall(p2[0]));
  std::remove(t1.c_str());
  std::remove(t2.c_str());
  std::remove(t3.c_str());
}

}  // namespace
}  // namespace harness
}  // namespace janus
