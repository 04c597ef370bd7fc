// The graded test driver's output (the "Graded test driver protocol" that scripts/grade and
// scripts/stress parse): one [PASS]/[FAIL] line per test run, failure messages and a replay
// command indented under a FAIL, then "Score: e/m points" and "N passed, M failed".
#pragma once

#include <gtest/gtest.h>

#include <cstdint>
#include <cstdio>
#include <string>

namespace janus {
namespace harness {

// Formats one result line (without newline), e.g.
// "[PASS] raft/A InitialElection  5/5 pts  virt 2.310s  wall 0.052s  rpcs 42  seed 12345".
// Tests that are not graded print lab/part "-/-", their full name and 0/0 points.
std::string FormatResultLine(bool passed, const std::string& lab, const std::string& part,
                             const std::string& name, int earned, int points,
                             uint64_t virtual_us, uint64_t wall_us, uint64_t rpcs,
                             uint64_t seed);

// `path` relative to the source tree when it lies inside it (for messages); a relative path
// loses its leading "../" and "./" steps; any other path is unchanged.
std::string ShortSourcePath(const std::string& path);

// The command that replays one test: "<driver> --net=<net> --seed=<seed> --gtest_filter=<name>".
std::string ReplayCommand(const std::string& full_name, uint64_t iteration_seed);

// googletest listener printing the protocol. Install it in place of the default printer.
class ResultPrinter : public ::testing::EmptyTestEventListener {
 public:
  explicit ResultPrinter(std::FILE* out);

  void OnTestIterationStart(const ::testing::UnitTest& unit, int iteration) override;
  void OnTestStart(const ::testing::TestInfo& info) override;
  void OnTestPartResult(const ::testing::TestPartResult& result) override;
  void OnTestEnd(const ::testing::TestInfo& info) override;

  // Prints "Score: e/m points" and "N passed, M failed".
  void PrintSummary();
  int passed() const;
  int failed() const;
};

// The process's printer, or null before InstallResultPrinter.
ResultPrinter* TheResultPrinter();

// Replaces googletest's default printer with a ResultPrinter writing to stdout, and installs
// handlers for SIGSEGV, SIGBUS, SIGFPE, SIGILL and SIGABRT that print a FAIL line (with the
// signal, the replay command and the summary) for the running test before the process dies of
// the signal.
void InstallResultPrinter();

// Ends the process from any thread because the running test is stuck: prints its FAIL line
// with `reason`, the replay command and the summary (this test counted as failed), flushes
// stdout and the trace, and calls _exit(1). Used by the watchdog.
[[noreturn]] void EmergencyFail(const std::string& reason, uint64_t virtual_us);

}  // namespace harness
}  // namespace janus
