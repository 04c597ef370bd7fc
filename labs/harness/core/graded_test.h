// Graded tests: a googletest test declared once with its lab, part, points and virtual-time
// budget, whose body runs as a coroutine on a fresh reactor.
//
//   GRADED_TEST(RaftA, InitialElection, "raft", "A", /*points=*/5, /*budget_ms=*/10000) {
//     RaftTester t(3, /*unreliable=*/false);
//     t.CheckOneLeader();
//     t.End();
//   }
//
// The body is an ordinary void function. Failures are googletest EXPECT_*/ASSERT_* (a message
// and, for ASSERT, a return; never an abort), or the checks of a lab tester (lab_tester.h),
// which record a failure and throw harness::ScenarioFailure: the runner absorbs that exception,
// so the body ends there and the test fails with the recorded message. The body runs inside a
// coroutine, so it may Sleep and Wait; in --net=sim the reactor uses virtual time, in --net=tcp
// real time. The reactor is seeded with harness::Env().seed(), derived from the run seed and the
// test's name, so `--seed=S --gtest_filter=Suite.Name` replays one test exactly. A body still
// running after budget_ms of reactor time (sim), or kTcpBudgetFactor times that (tcp), fails the
// test with a message and is unwound (its objects are destroyed).
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "labs/harness/core/options.h"
#include "rrr/base/rand.h"

namespace janus {
namespace harness {

// How much longer than its virtual budget a test may run in real time over tcp.
constexpr uint64_t kTcpBudgetFactor = 2;

// What a graded test was declared with.
struct GradedTestInfo {
  std::string suite;      // googletest suite name (first macro argument)
  std::string name;       // googletest test name (second macro argument)
  std::string lab;        // e.g. "raft"
  std::string part;       // e.g. "A"
  int points = 0;         // earned only if the test passes
  uint64_t budget_ms = 0; // virtual-time budget of one run

  // "Suite.Name", the googletest full name (what --gtest_filter matches).
  std::string full_name() const { return suite + "." + name; }
};

// Records a graded test (called by GRADED_TEST during static initialization). Returns true.
// A duplicate full name is a programming error (verify).
bool RegisterGradedTest(const char* suite, const char* name, const char* lab, const char* part,
                        int points, uint64_t budget_ms);

// Every graded test in registration order (declaration order within a file).
const std::vector<GradedTestInfo>& GradedTests();

// The graded test with googletest full name `full_name`, or null (e.g. a plain TEST).
const GradedTestInfo* FindGradedTest(const std::string& full_name);

// Prints the --list table: one line per graded test,
// "<full name>\t<lab>\t<part>\t<name>\t<points>\t<budget_ms>".
void PrintGradedTestList(std::FILE* out);

// What the body of the running graded test can ask about its run.
class TestEnv {
 public:
  TestEnv(const GradedTestInfo* info, NetMode net, uint64_t iteration_seed, uint64_t seed);

  const GradedTestInfo& info() const { return *info_; }
  NetMode net() const { return net_; }
  bool sim() const { return net_ == NetMode::kSim; }
  // Seed of the run iteration (what the result line prints and --seed replays).
  uint64_t iteration_seed() const { return iteration_seed_; }
  // Seed of this test's reactor (derived from iteration_seed() and the test's name).
  uint64_t seed() const { return seed_; }
  // A random stream for the test scenario itself (independent of the nodes' streams).
  rrr::Rand& rand() { return rand_; }

  // RPC requests sent during the test (counted by FaultyNetwork); printed as "rpcs N".
  static void CountRpc();
  static uint64_t rpcs();

 private:
  const GradedTestInfo* info_;
  NetMode net_;
  uint64_t iteration_seed_;
  uint64_t seed_;
  rrr::Rand rand_;
};

// The running graded test's environment. REQUIRES: InGradedTest().
TestEnv& Env();
// True while a graded test body (or its reactor teardown) runs on this process.
bool InGradedTest();
// Env() if a graded test runs, else null (for harness code usable outside graded tests).
TestEnv* CurrentEnvOrNull();

// Measurements of the most recent graded test run, for the result printer.
struct GradedRunStats {
  std::string full_name;        // "" before the first graded test
  uint64_t virtual_us = 0;      // reactor time the body took (the budget if it ran over)
  uint64_t rpcs = 0;            // RPC requests counted during the run
  uint64_t iteration_seed = 0;  // seed that replays it
};
const GradedRunStats& LastGradedRun();

// Runs the graded test `full_name` (registered) with `body`: called by the TEST that
// GRADED_TEST generates; not for direct use.
void RunGradedTest(const char* full_name, void (*body)());

}  // namespace harness
}  // namespace janus

// Declares a graded test; the braces that follow are its body (see the file comment).
// `suite` and `name` are googletest identifiers; `lab` and `part` are strings; `points` an int;
// `budget_ms` the virtual-time budget in milliseconds.
#define GRADED_TEST(suite, name, lab, part, points, budget_ms)                                \
  static void suite##_##name##_GradedBody();                                                 \
  [[maybe_unused]] static const bool suite##_##name##_graded_registered =                    \
      ::janus::harness::RegisterGradedTest(#suite, #name, lab, part, points, budget_ms);      \
  TEST(suite, name) {                                                                        \
    ::janus::harness::RunGradedTest(#suite "." #name, &suite##_##name##_GradedBody);          \
  }                                                                                          \
  static void suite##_##name##_GradedBody()
