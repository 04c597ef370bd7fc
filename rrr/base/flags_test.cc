#include "rrr/base/flags.h"

#include <gtest/gtest.h>

namespace rrr {
namespace {

// A parser with one flag of each kind, and what it stores.
struct Fixture {
  std::string name, file, net = "sim";
  uint64_t seed = 0;
  int repeat = 1;
  bool list = false;
  std::string level, log_level;
  FlagParser flags;
  std::vector<std::string> rest;
  std::string error;

  Fixture() {
    flags.String("name", &name);
    flags.NonEmptyString("file", &file);
    flags.Choice("net", {"sim", "tcp"}, &net);
    flags.Uint64("seed", &seed);
    flags.Int("repeat", &repeat, 1, 1000);
    flags.Switch("list", &list);
    flags.LogLevelName("log-level", &log_level);
    flags.Custom("level", [this](const std::string& v) {
      if (v != "debug" && v != "info") return std::string("expected debug or info");
      level = v;
      return std::string();
    });
  }
  bool Parse(const std::vector<std::string>& args) { return flags.Parse(args, &rest, &error); }
};

TEST(FlagParserTest, BothSpellingsAndSwitches) {
  Fixture f;
  ASSERT_TRUE(
      f.Parse({"--name", "x", "--file=/tmp/a", "--net=tcp", "--seed", "18446744073709551615",
               "--repeat=3", "--list", "--level", "debug", "--log-level=warn"}))
      << f.error;
  EXPECT_EQ(f.name, "x");
  EXPECT_EQ(f.file, "/tmp/a");
  EXPECT_EQ(f.net, "tcp");
  EXPECT_EQ(f.seed, UINT64_MAX);
  EXPECT_EQ(f.repeat, 3);
  EXPECT_TRUE(f.list);
  EXPECT_EQ(f.level, "debug");
  EXPECT_EQ(f.log_level, "warn");
  EXPECT_TRUE(f.rest.empty());
  EXPECT_TRUE(f.flags.Seen("seed"));
  EXPECT_FALSE(f.flags.Seen("bogus"));
}

TEST(FlagParserTest, LastValueWinsAndEmptyStringAllowed) {
  Fixture f;
  ASSERT_TRUE(f.Parse({"--seed=1", "--seed=2", "--name="})) << f.error;
  EXPECT_EQ(f.seed, 2u);
  EXPECT_EQ(f.name, "");
  EXPECT_FALSE(f.flags.Seen("list"));
}

TEST(FlagParserTest, OneLineErrorsNamingTheFlag) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--bogus"}, "unknown flag '--bogus'"},
      {{"--bogus=1"}, "unknown flag '--bogus'"},
      {{"--seed"}, "--seed needs a value"},
      {{"--seed", "--list"}, "--seed needs a value"},
      {{"--seed=x"}, "--seed: expected a non-negative integer, got 'x'"},
      {{"--seed=-1"}, "--seed: expected a non-negative integer, got '-1'"},
      {{"--seed=18446744073709551616"},
       "--seed: expected a non-negative integer, got "
       "'18446744073709551616'"},
      {{"--seed= 1"}, "--seed: expected a non-negative integer, got ' 1'"},
      {{"--repeat=0"}, "--repeat: expected an integer in 1..1000, got '0'"},
      {{"--repeat=1001"}, "--repeat: expected an integer in 1..1000, got '1001'"},
      {{"--net=udp"}, "--net: expected sim or tcp, got 'udp'"},
      {{"--file="}, "--file: expected a non-empty value, got ''"},
      {{"--list=yes"}, "--list takes no value"},
      {{"--level=loud"}, "--level: expected debug or info, got 'loud'"},
      {{"stray"}, "unexpected argument 'stray'"},
      {{"--log-level=loud"}, "--log-level: expected debug, info, warn or error, got 'loud'"},
  };
  for (const auto& c : cases) {
    Fixture f;
    EXPECT_FALSE(f.Parse(c.first)) << c.second;
    EXPECT_EQ(f.error, c.second);
    EXPECT_EQ(f.error.find('\n'), std::string::npos);
    EXPECT_FALSE(f.flags.help_requested());
  }
}

TEST(FlagParserTest, Help) {
  for (const char* h : {"--help", "-h"}) {
    Fixture f;
    EXPECT_FALSE(f.Parse({"--list", h, "--bogus"}));
    EXPECT_TRUE(f.flags.help_requested());
    EXPECT_EQ(f.error, "");
  }
}

TEST(FlagParserTest, PassThroughAndPositionals) {
  Fixture f;
  f.flags.PassThrough("--gtest_");
  f.flags.PassThrough("-gtest_");
  ASSERT_TRUE(f.Parse({"--gtest_filter=A.*", "--seed=4", "-gtest_repeat=2"})) << f.error;
  EXPECT_EQ(f.rest, (std::vector<std::string>{"--gtest_filter=A.*", "-gtest_repeat=2"}));
  EXPECT_FALSE(f.Parse({"put"}));
  EXPECT_EQ(f.error, "unexpected argument 'put'");

  Fixture g;
  g.flags.AllowPositional();
  ASSERT_TRUE(g.Parse({"put", "--name", "n", "k", "-5", "--", "--list", "-h"})) << g.error;
  EXPECT_EQ(g.rest, (std::vector<std::string>{"put", "k", "-5", "--list", "-h"}));
  EXPECT_EQ(g.name, "n");
  EXPECT_FALSE(g.list);
}

TEST(FlagParserTest, ParseDecimalU64) {
  uint64_t v = 9;
  EXPECT_TRUE(ParseDecimalU64("0", &v));
  EXPECT_EQ(v, 0u);
  EXPECT_TRUE(ParseDecimalU64("007", &v));
  EXPECT_EQ(v, 7u);
  for (const char* bad : {"", "+1", "-1", "1 ", "0x10", "1e3", "99999999999999999999"}) {
    EXPECT_FALSE(ParseDecimalU64(bad, &v)) << bad;
  }
}

}  // namespace
}  // namespace rrr
