// main() of every lab's graded test driver (library harness_main, linked instead of
// gtest_main). Parses the driver flags (labs/harness/core/options.h), prints the graded test table
// for --list, otherwise runs the selected tests with the protocol printer (report.h) and the
// watchdog, and exits 0 iff no test failed.
#include <gtest/gtest.h>

#include <cstdio>
#include <string>

#include "labs/harness/core/graded_test.h"
#include "labs/harness/core/options.h"
#include "labs/harness/core/report.h"
#include "labs/harness/core/trace.h"
#include "labs/harness/core/watchdog.h"

int main(int argc, char** argv) {
  using namespace janus::harness;
  DriverOptions& opt = Options();
  std::string error;
  if (!ParseDriverFlags(&argc, argv, &opt, &error)) {
    std::fprintf(stderr, "%s%s", error.c_str(), error.back() == '\n' ? "" : "\n");
    return error == DriverUsage() ? 0 : 2;
  }
  if (opt.list) {
    PrintGradedTestList(stdout);
    return 0;
  }
  ::testing::InitGoogleTest(&argc, argv);
  if (argc > 1) {
    std::fprintf(stderr, "unexpected argument '%s'\n%s", argv[1], DriverUsage().c_str());
    return 2;
  }
  if (opt.repeat > 1) GTEST_FLAG_SET(repeat, opt.repeat);
  if (!SetupLogging(opt.log_level, opt.trace_path, &error)) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 2;
  }
  InstallResultPrinter();
  Watchdog::Start(opt.watchdog_ms, EmergencyFail);

  std::printf("harness: net=%s seed=%llu%s\n", NetModeName(opt.net),
              static_cast<unsigned long long>(opt.seed),
              opt.repeat > 1 ? (" repeat=" + std::to_string(opt.repeat)).c_str() : "");
  std::fflush(stdout);
  TraceLine("harness: net=" + std::string(NetModeName(opt.net)) +
            " seed=" + std::to_string(opt.seed));
  TraceMeta(opt.program, opt.seed, NetModeName(opt.net));
  const int gtest_status = RUN_ALL_TESTS();
  Watchdog::Stop();
  ResultPrinter* printer = TheResultPrinter();
  printer->PrintSummary();
  CloseTrace();
  return (gtest_status == 0 && printer->failed() == 0) ? 0 : 1;
}
