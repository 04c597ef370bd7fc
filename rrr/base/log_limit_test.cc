#include "rrr/base/log_limit.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace rrr {
namespace {

TEST(LogRateLimiter, AdmitsNPerWindowThenReportsTheSuppressedCount) {
  LogRateLimiter lim(3, 1000);
  uint64_t sup = 99;
  for (int i = 0; i < 3; i++) {
    ASSERT_TRUE(lim.Admit("k", 10 + i, &sup));
    EXPECT_EQ(0u, sup);
  }
  for (int i = 0; i < 50; i++) EXPECT_FALSE(lim.Admit("k", 20 + i, &sup));
  // Another kind has its own budget.
  EXPECT_TRUE(lim.Admit("other", 30, &sup));
  // The next window: the first line carries the count of the dropped ones.
  ASSERT_TRUE(lim.Admit("k", 1010, &sup));
  EXPECT_EQ(50u, sup);
  ASSERT_TRUE(lim.Admit("k", 1011, &sup));
  EXPECT_EQ(0u, sup);
}

TEST(LogRateLimiter, AClockThatGoesBackStartsANewWindow) {
  LogRateLimiter lim(1, 1000);
  uint64_t sup = 0;
  EXPECT_TRUE(lim.Admit("k", 5000, &sup));
  EXPECT_FALSE(lim.Admit("k", 5001, &sup));
  EXPECT_TRUE(lim.Admit("k", 3, &sup));  // a fresh reactor's clock
  EXPECT_EQ(1u, sup);
}

// A flood of one kind of line writes a bounded number of lines per second of reactor time (no
// reactor here: Time::Now() is the monotonic clock, and 10000 calls take far less than 1 s).
TEST(LogRateLimiter, WriteLimitedBoundsAFlood) {
  LogRateLimiter::Global().Reset();
  std::vector<std::string> lines;
  Log::SetSink([&](LogLevel, const std::string& line) { lines.push_back(line); });
  for (int i = 0; i < 10000; i++) Log_warn_limited("test.flood", "bad request %d", i);
  Log::SetSink({});
  LogRateLimiter::Global().Reset();
  EXPECT_LE(lines.size(), 2 * LogRateLimiter::kDefaultLinesPerWindow);
  ASSERT_FALSE(lines.empty());
  EXPECT_NE(std::string::npos, lines[0].find("bad request 0"));
}

}  // namespace
}  // namespace rrr
