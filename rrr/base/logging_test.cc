#include "rrr/base/logging.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rrr/base/verify.h"

namespace rrr {
namespace {

// Captures lines through the sink and restores the defaults afterwards.
class LoggingTest : public ::testing::Test {
 protected:
  void SetUp() override {
    Log::SetLevel(LogLevel::kInfo);
    Log::SetSink([this](LogLevel level, const std::string& line) {
      levels_.push_back(level);
      lines_.push_back(line);
    });
  }
  void TearDown() override {
    Log::SetSink(nullptr);
    Log::SetLevel(LogLevel::kInfo);
  }
  std::vector<LogLevel> levels_;
  std::vector<std::string> lines_;
};

TEST_F(LoggingTest, FormatsPrintfStyle) {
  Log_info("x=%d s=%s", 42, "hi");
  ASSERT_EQ(lines_.size(), 1u);
  // No reactor in this binary: no time/node/coroutine prefix.
  EXPECT_EQ(lines_[0], "[INFO] x=42 s=hi");
  EXPECT_EQ(levels_[0], LogLevel::kInfo);
}

TEST_F(LoggingTest, FormatWithFullContext) {
  LogContext ctx;
  ctx.has_time = true;
  ctx.time_us = 1500;
  ctx.node = "s2";
  ctx.coroutine = 7;
  EXPECT_EQ(Log::Format(LogLevel::kWarn, ctx, "hello"), "[1500] [WARN] [s2] [co 7] hello");
  LogContext partial;
  partial.coroutine = 3;
  EXPECT_EQ(Log::Format(LogLevel::kError, partial, "m"), "[ERROR] [co 3] m");
}

TEST_F(LoggingTest, LevelFiltersAndSkipsArgumentEvaluation) {
  int evaluated = 0;
  auto count = [&evaluated] { return ++evaluated; };
  Log_debug("hidden %d", count());
  EXPECT_EQ(evaluated, 0);
  EXPECT_TRUE(lines_.empty());
  Log::SetLevel(LogLevel::kDebug);
  Log_debug("shown %d", count());
  EXPECT_EQ(evaluated, 1);
  ASSERT_EQ(lines_.size(), 1u);
  EXPECT_EQ(lines_[0], "[DEBUG] shown 1");
  Log::SetLevel(LogLevel::kError);
  Log_warn("dropped");
  Log_error("kept");
  ASSERT_EQ(lines_.size(), 2u);
  EXPECT_EQ(lines_[1], "[ERROR] kept");
}

TEST_F(LoggingTest, LongMessagesAreNotTruncated) {
  std::string big(5000, 'z');
  Log_info("%s!", big.c_str());
  ASSERT_EQ(lines_.size(), 1u);
  EXPECT_EQ(lines_[0], "[INFO] " + big + "!");
}

TEST_F(LoggingTest, ContextHookSuppliesPrefix) {
  Log::SetContextHook([](LogContext* ctx) {
    ctx->has_time = true;
    ctx->time_us = 99;
    ctx->node = "n1";
  });
  Log_info("m");
  Log::SetContextHook(nullptr);
  Log_info("m");
  ASSERT_EQ(lines_.size(), 2u);
  EXPECT_EQ(lines_[0], "[99] [INFO] [n1] m");
  EXPECT_EQ(lines_[1], "[INFO] m");
}

TEST(LogLevelTest, ParseAndName) {
  LogLevel l = LogLevel::kInfo;
  EXPECT_TRUE(Log::ParseLevel("debug", &l));
  EXPECT_EQ(l, LogLevel::kDebug);
  EXPECT_TRUE(Log::ParseLevel("error", &l));
  EXPECT_EQ(l, LogLevel::kError);
  EXPECT_FALSE(Log::ParseLevel("loud", &l));
  EXPECT_EQ(l, LogLevel::kError);
  EXPECT_STREQ(Log::LevelName(LogLevel::kWarn), "WARN");
}

TEST(LogDeathTest, VerifyReachesStderrEvenWithCustomSink) {
  Log::SetSink([](LogLevel, const std::string&) {});
  EXPECT_DEATH(verify(1 + 1 == 3), "verify failed: 1 \\+ 1 == 3");
  Log::SetSink(nullptr);
}

TEST(LogDeathTest, FatalAborts) { EXPECT_DEATH(Log_fatal("bad %d", 7), "\\[FATAL\\] bad 7"); }

TEST(VerifyDeathTest, PrintsExpressionLocationAndBacktrace) {
  int x = 1;
  EXPECT_DEATH(verify(x == 2), "verify failed: x == 2 at .*logging_test.cc:[0-9]+(.|\n)*backtrace");
  EXPECT_DEATH(verify_msg(x == 3, "why"), "x == 3 at .*: why");
  verify(x == 1);  // passes silently
}

}  // namespace
}  // namespace rrr
