// Tests of the windowed throughput accounting of the benchmarks (throughput_windows.h). No clock
// is involved: the times are given.
#include "test/bench/throughput_windows.h"

#include <gtest/gtest.h>

namespace janus {
namespace bench {
namespace {

constexpr uint64_t kSec = 1000000;

TEST(ThroughputWindows, CutsTheIntervalAndCountsByCompletionTime) {
  ThroughputWindows w(100 * kSec, 112 * kSec, 5 * kSec);  // 5 s, 5 s, then 2 s
  ASSERT_EQ(w.windows().size(), 3u);
  EXPECT_TRUE(w.windows()[1].full);
  EXPECT_FALSE(w.windows()[2].full);
  EXPECT_EQ(w.windows()[2].to_us, 112 * kSec);
  w.Record(99 * kSec);       // before the start (warm-up): ignored
  w.Record(100 * kSec);      // first window, inclusive start
  w.Record(105 * kSec - 1);  // still the first
  w.Record(105 * kSec);      // second
  w.Record(111 * kSec);      // third (partial)
  w.Record(112 * kSec);      // the end is exclusive: ignored
  EXPECT_EQ(w.windows()[0].ops, 2u);
  EXPECT_EQ(w.windows()[1].ops, 1u);
  EXPECT_EQ(w.windows()[2].ops, 1u);
  EXPECT_EQ(w.TotalOps(), 4u);
  EXPECT_DOUBLE_EQ(w.windows()[0].Rate(), 0.4);
  EXPECT_DOUBLE_EQ(w.windows()[2].Rate(), 0.5);  // over its own 2 s
}

TEST(ThroughputWindows, RatioIsLastFullWindowOverFirst) {
  ThroughputWindows w(0, 17 * kSec, 5 * kSec);  // three full windows and a 2 s one
  for (int i = 0; i < 100; i++) w.Record(1 * kSec);
  for (int i = 0; i < 70; i++) w.Record(6 * kSec);
  for (int i = 0; i < 40; i++) w.Record(11 * kSec);
  for (int i = 0; i < 90; i++) w.Record(16 * kSec);  // the partial window: not in the ratio
  EXPECT_DOUBLE_EQ(w.LastOverFirst(), 0.4);
  const std::string text = w.Format();
  EXPECT_NE(text.find("window  1  [   0.0,    5.0) s         20 ops/s\n"), std::string::npos) << text;
  EXPECT_NE(text.find("window  4  [  15.0,   17.0) s         45 ops/s  (partial)\n"),
            std::string::npos) << text;
  EXPECT_NE(text.find("last/first  0.40\n"), std::string::npos) << text;
}

TEST(ThroughputWindows, RatioNeedsTwoFullWindowsWithOperations) {
  ThroughputWindows one(0, 7 * kSec, 5 * kSec);  // one full window and a partial one
  one.Record(1 * kSec);
  one.Record(6 * kSec);
  EXPECT_LT(one.LastOverFirst(), 0);
  EXPECT_NE(one.Format().find("last/first  n/a"), std::string::npos);
  ThroughputWindows empty_first(0, 10 * kSec, 5 * kSec);
  empty_first.Record(6 * kSec);
  EXPECT_LT(empty_first.LastOverFirst(), 0);
}

}  // namespace
}  // namespace bench
}  // namespace janus
