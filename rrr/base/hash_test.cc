#include "rrr/base/hash.h"

#include <gtest/gtest.h>

namespace rrr {
namespace {

// The published FNV-1a test vectors ("", "a", "foobar").
TEST(HashTest, Fnv1a32KnownValues) {
  EXPECT_EQ(Fnv1a32(""), 0x811c9dc5u);
  EXPECT_EQ(Fnv1a32("a"), 0xe40c292cu);
  EXPECT_EQ(Fnv1a32("foobar"), 0xbf9cf968u);
  // An rpcgen method id: generated headers and running peers depend on it.
  EXPECT_EQ(Fnv1a32("janus.RaftService.RequestVote"), 0xeea0830du);
}

TEST(HashTest, Fnv1a64KnownValues) {
  EXPECT_EQ(Fnv1a64(""), 0xcbf29ce484222325ull);
  EXPECT_EQ(Fnv1a64("a"), 0xaf63dc4c8601ec8cull);
  EXPECT_EQ(Fnv1a64("foobar"), 0x85944171f73967e8ull);
}

// The harness's basis: per-test seeds are derived from these values.
TEST(HashTest, HarnessBasisKnownValues) {
  EXPECT_EQ(kHarnessFnvOffset, 1469598103934665603ull);
  EXPECT_EQ(Fnv1a64("", kHarnessFnvOffset), kHarnessFnvOffset);
  EXPECT_EQ(Fnv1a64("RaftA.InitialElection", kHarnessFnvOffset), 0xb837a50bc7e2cefeull);
}

TEST(HashTest, WordSteps) {
  uint64_t h = kHarnessFnvOffset;
  for (uint64_t w : {3, 5, 7}) h = Fnv1a64Word(h, w);
  EXPECT_EQ(h, 0x8f58cb4f2be8ba68ull);
  EXPECT_EQ(Fnv1a64Word(kFnv1a64Offset, 'a'), Fnv1a64("a"));  // one byte: the same step
}

// Usable at compile time (e.g. for constants).
static_assert(Fnv1a32("a") == 0xe40c292cu, "Fnv1a32 is constexpr");
static_assert(Fnv1a64("a") == 0xaf63dc4c8601ec8cull, "Fnv1a64 is constexpr");

}  // namespace
}  // namespace rrr
