// Tests of the explanation helpers: the value display and the diff of long values. The likely
// causes are tested end to end, through the checker, in linearizability_test.cc.
#include "labs/harness/checkers/lin_explain.h"

#include <gtest/gtest.h>

namespace janus {
namespace harness {
namespace {

// "x <client> <n> y" for n = 0..count-1: the shape of the KV tests' appends.
std::string Appends(int client, int first, int count) {
  std::string s;
  for (int n = first; n < first + count; n++) {
    s += "x " + std::to_string(client) + " " + std::to_string(n) + " y";
  }
  return s;
}

TEST(LinExplain, ShowKvHeadCutsOnlyAtTheEnd) {
  EXPECT_EQ(ShowKvHead("abc"), "\"abc\"");
  const std::string v = std::string(30, 'a') + std::string(30, 'b');
  EXPECT_EQ(ShowKvHead(v), "\"" + std::string(30, 'a') + std::string(10, 'b') + "...\" (60 bytes)");
  EXPECT_EQ(ShowKvHead(v, 60), "\"" + v + "\"");
}

TEST(LinExplain, ShortValuesAreShownWhole) {
  EXPECT_EQ(DescribeMismatch("a", "b"), "\"a\" but the value was \"b\"");
  EXPECT_EQ(DescribeMismatch("", "xy"), "\"\" but the value was \"xy\"");
}

TEST(LinExplain, LongValuesShowTheDifferenceWithContext) {
  // The Get misses the middle append x 1 5 y.
  const std::string head = Appends(1, 0, 5), tail = Appends(1, 6, 4);
  const std::string expected = head + "x 1 5 y" + tail;
  const std::string got = head + tail;
  const std::string d = DescribeMismatch(got, expected, {"x 1 5 y"});
  EXPECT_EQ(d, std::to_string(got.size()) + " bytes but the value was " +
                   std::to_string(expected.size()) + " bytes: both start with the same " +
                   std::to_string(head.size()) +
                   " bytes (...\" yx 1 3 yx 1 4 y\"), then the Get has \"\" where the value has "
                   "\"x 1 5 y\", then both end with the same " +
                   std::to_string(tail.size()) + " bytes (\"x 1 6 yx 1 7 yx \"...)")
      << d;
}

TEST(LinExplain, InsertionIsAlignedOnAnAppendsText) {
  // x 2 7 y applied twice: without the hint the diff would start in the middle of an append
  // ("2 7 yx ", the repeated text can slide); with it, it is the whole append.
  const std::string head = Appends(2, 0, 7), tail = Appends(3, 0, 3);
  const std::string got = head + "x 2 7 yx 2 7 y" + tail;
  const std::string expected = head + "x 2 7 y" + tail;
  const std::string d = DescribeMismatch(got, expected, {"x 3 0 y", "x 2 7 y"});
  EXPECT_NE(d.find("then the Get has \"x 2 7 y\" where the value has \"\""), std::string::npos)
      << d;
  const std::string unaligned = DescribeMismatch(got, expected);
  EXPECT_NE(unaligned.find("then the Get has \"2 7 yx \" where the value has \"\""),
            std::string::npos)
      << unaligned;
}

TEST(LinExplain, DifferenceAtTheStartAndLongDifferencesCutAtTheEnd) {
  const std::string got = "z" + std::string(300, 'a');
  const std::string expected = std::string(300, 'a');
  const std::string d = DescribeMismatch(got, expected);
  EXPECT_NE(d.find("they differ from the first byte, then the Get has \"z\" where the value has "
                   "\"\", then both end with the same 300 bytes"),
            std::string::npos)
      << d;
  const std::string many = DescribeMismatch(std::string(500, 'b'), "");
  EXPECT_NE(many.find("then the Get has \"" + std::string(200, 'b') + "...\" (500 bytes) where"),
            std::string::npos)
      << many;
}

}  // namespace
}  // namespace harness
}  // namespace janus
