#include "labs/harness/core/options.h"

#include <gtest/gtest.h>

#include <vector>

namespace janus {
namespace harness {
namespace {

// Parses a command line given as strings; returns the args left for googletest.
std::vector<std::string> Parse(std::vector<std::string> args, DriverOptions* opt, bool* ok,
                               std::string* error) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(&a[0]);
  argv.push_back(nullptr);
  int argc = static_cast<int>(args.size());
  *ok = ParseDriverFlags(&argc, argv.data(), opt, error);
  std::vector<std::string> rest;
  for (int i = 0; i < argc; i++) rest.push_back(argv[i]);
  return rest;
}

TEST(Options, ParsesDriverFlagsAndKeepsGtestFlags) {
  DriverOptions opt;
  bool ok = false;
  std::string error;
  auto rest = Parse({"drv", "--net=tcp", "--seed=42", "--gtest_filter=A.*", "--repeat=3",
                     "--log-level=debug", "--trace=/tmp/t", "--watchdog-ms=500", "--list"},
                    &opt, &ok, &error);
  ASSERT_TRUE(ok) << error;
  EXPECT_EQ(opt.net, NetMode::kTcp);
  EXPECT_EQ(opt.seed, 42u);
  EXPECT_TRUE(opt.seed_given);
  EXPECT_EQ(opt.repeat, 3);
  EXPECT_EQ(opt.log_level, "debug");
  EXPECT_EQ(opt.trace_path, "/tmp/t");
  EXPECT_EQ(opt.watchdog_ms, 500u);
  EXPECT_TRUE(opt.list);
  EXPECT_EQ(opt.program, "drv");
  EXPECT_EQ(rest, (std::vector<std::string>{"drv", "--gtest_filter=A.*"}));
}

TEST(Options, RejectsBadValues) {
  for (const char* bad : {"--net=udp", "--seed=-1", "--seed=x", "--repeat=0", "--log-level=loud",
                          "--trace=", "--bogus"}) {
    DriverOptions opt;
    bool ok = true;
    std::string error;
    Parse({"drv", bad}, &opt, &ok, &error);
    EXPECT_FALSE(ok) << bad;
    EXPECT_FALSE(error.empty()) << bad;
  }
}

TEST(Options, ErrorsNameTheFlagAndHelpIsTheUsage) {
  DriverOptions opt;
  bool ok = true;
  std::string error;
  Parse({"drv", "--net=udp"}, &opt, &ok, &error);
  EXPECT_EQ(error, "--net: expected sim or tcp, got 'udp'");
  Parse({"drv", "--seed"}, &opt, &ok, &error);
  EXPECT_EQ(error, "--seed needs a value");
  Parse({"drv", "--bogus"}, &opt, &ok, &error);
  EXPECT_EQ(error, "unknown flag '--bogus'\n" + DriverUsage());  // the usage follows
  Parse({"drv", "--help"}, &opt, &ok, &error);
  EXPECT_FALSE(ok);
  EXPECT_EQ(error, DriverUsage());  // driver_main exits 0 for this one
}

TEST(Options, SeparateValuesAndGtestFlagsInOrder) {
  DriverOptions opt;
  bool ok = false;
  std::string error;
  auto rest = Parse({"drv", "-gtest_repeat=1", "--seed", "9", "--gtest_filter=A.*", "--net", "tcp"},
                    &opt, &ok, &error);
  ASSERT_TRUE(ok) << error;
  EXPECT_EQ(opt.seed, 9u);
  EXPECT_EQ(opt.net, NetMode::kTcp);
  EXPECT_EQ(rest, (std::vector<std::string>{"drv", "-gtest_repeat=1", "--gtest_filter=A.*"}));
}

TEST(Options, FreshSeedWhenNoneGiven) {
  DriverOptions a, b;
  bool ok;
  std::string error;
  Parse({"drv"}, &a, &ok, &error);
  Parse({"drv"}, &b, &ok, &error);
  EXPECT_FALSE(a.seed_given);
  EXPECT_LT(a.seed, uint64_t{1} << 48);
  EXPECT_NE(a.seed, b.seed);  // 2^-48 chance of a false failure
}

TEST(Options, SeedsDerivePerIterationAndPerTest) {
  EXPECT_EQ(IterationSeed(100, 0), 100u);
  EXPECT_EQ(IterationSeed(100, 2), 102u);
  EXPECT_EQ(TestSeed(7, "A.B"), TestSeed(7, "A.B"));
  EXPECT_NE(TestSeed(7, "A.B"), TestSeed(7, "A.C"));
  EXPECT_NE(TestSeed(7, "A.B"), TestSeed(8, "A.B"));
  // Pinned: printed seeds replay only while these stay the same.
  EXPECT_EQ(TestSeed(7, "A.B"), 0x3403ef2075cbe475ull);
  EXPECT_EQ(TestSeed(101, "RaftA.InitialElection"), 0xeaae6a537a1b0437ull);
}

}  // namespace
}  // namespace harness
}  // namespace janus
