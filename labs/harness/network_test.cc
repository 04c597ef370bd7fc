// FaultyNetwork's decisions, called directly (the transports call it the same way).
#include "labs/harness/network.h"

#include <gtest/gtest.h>

namespace janus {
namespace harness {
namespace {

TEST(FaultyNetwork, EveryoneReachesEveryoneAtFirst) {
  FaultyNetwork net(1);
  for (int a = -1; a < 4; a++) {
    for (int b = -1; b < 4; b++) EXPECT_TRUE(net.Reachable(a, b)) << a << "->" << b;
  }
}

TEST(FaultyNetwork, PartitionIsolatesExactlyItsGroups) {
  FaultyNetwork net(1);
  net.Partition({{0, 1}, {2, 3}});  // 4 and 5 are named nowhere: a group of their own
  const int group[] = {1, 1, 2, 2, 0, 0};
  for (int a = 0; a < 6; a++) {
    for (int b = 0; b < 6; b++) {
      EXPECT_EQ(net.Reachable(a, b), group[a] == group[b]) << a << "->" << b;
    }
  }
  EXPECT_TRUE(net.Reachable(rrr::kNoNode, 2)) << "test code is in no partition";
  net.Heal();
  EXPECT_TRUE(net.Reachable(0, 3));
}

TEST(FaultyNetwork, DisconnectedNodeNeitherSendsNorReceives) {
  FaultyNetwork net(1);
  net.Disconnect(2);
  EXPECT_FALSE(net.IsConnected(2));
  EXPECT_FALSE(net.Reachable(2, 0));
  EXPECT_FALSE(net.Reachable(0, 2));
  EXPECT_FALSE(net.Reachable(rrr::kNoNode, 2));
  EXPECT_TRUE(net.Decide(0, 2, false, 10).drop);
  EXPECT_TRUE(net.Decide(2, 0, true, 10).drop);
  EXPECT_FALSE(net.Deliverable(0, 2, false)) << "in-flight frames are dropped at delivery";
  net.Connect(2);
  EXPECT_FALSE(net.Decide(0, 2, false, 10).drop);
  EXPECT_TRUE(net.Deliverable(0, 2, false));
}

TEST(FaultyNetwork, BlockedLinkIsDirected) {
  FaultyNetwork net(1);
  net.SetLink(0, 1, false);
  EXPECT_FALSE(net.Reachable(0, 1));
  EXPECT_TRUE(net.Reachable(1, 0));
  net.SetLink(0, 1, true);
  EXPECT_TRUE(net.Reachable(0, 1));
}

TEST(FaultyNetwork, CountsEveryFrameSent) {
  FaultyNetwork net(1);
  net.Decide(0, 1, false, 100);
  net.Decide(0, 1, false, 50);
  net.Decide(1, 0, true, 20);
  net.Disconnect(1);
  net.Decide(0, 1, false, 30);  // dropped, still sent
  EXPECT_EQ(net.Counters(0).rpcs_sent, 3u);
  EXPECT_EQ(net.Counters(0).bytes_sent, 180u);
  EXPECT_EQ(net.Counters(0).frames_dropped, 1u);
  EXPECT_EQ(net.Counters(1).replies_sent, 1u);
  EXPECT_EQ(net.Counters(1).rpcs_sent, 0u);
  EXPECT_EQ(net.TotalRpcs(), 3u);
  EXPECT_EQ(net.TotalBytes(), 200u);
  net.ResetCounters();
  EXPECT_EQ(net.TotalRpcs(), 0u);
}

TEST(FaultyNetwork, UnreliableDropsAndDelaysAtTheConfiguredRates) {
  constexpr int kFrames = 100000;
  FaultyNetwork net(7);
  net.SetUnreliable(true);
  int req_drops = 0, rep_drops = 0;
  uint64_t max_delay = 0;
  for (int k = 0; k < kFrames; k++) {
    rrr::FrameFate f = net.Decide(0, 1, false, 8);
    req_drops += f.drop;
    if (!f.drop) max_delay = std::max(max_delay, f.extra_delay_us);
    rrr::FrameFate g = net.Decide(1, 0, true, 8);
    rep_drops += g.drop;
    EXPECT_EQ(g.extra_delay_us, 0u) << "replies are not delayed without reordering";
  }
  EXPECT_NEAR(req_drops / double(kFrames), 0.10, 0.01);
  EXPECT_NEAR(rep_drops / double(kFrames), 0.10, 0.01);
  EXPECT_LE(max_delay, 27000u);
  EXPECT_GE(max_delay, 26000u);
  EXPECT_EQ(net.fault_stats().requests_dropped_unreliable, static_cast<uint64_t>(req_drops));
  // Test code (no node) is never subject to random faults.
  for (int k = 0; k < 1000; k++) EXPECT_FALSE(net.Decide(rrr::kNoNode, 1, false, 8).drop);
}

TEST(FaultyNetwork, LongReorderingHoldsBackRepliesOnly) {
  constexpr int kFrames = 30000;
  FaultyNetwork net(9);
  net.SetLongReordering(true);
  int held = 0;
  uint64_t lo = UINT64_MAX, hi = 0;
  for (int k = 0; k < kFrames; k++) {
    EXPECT_EQ(net.Decide(0, 1, false, 8).extra_delay_us, 0u);
    rrr::FrameFate f = net.Decide(1, 0, true, 8);
    EXPECT_FALSE(f.drop);
    if (f.extra_delay_us > 0) {
      held++;
      lo = std::min(lo, f.extra_delay_us);
      hi = std::max(hi, f.extra_delay_us);
    }
  }
  EXPECT_NEAR(held / double(kFrames), 2.0 / 3.0, 0.02);
  EXPECT_GE(lo, 200000u);
  EXPECT_LE(hi, 2200000u);
  EXPECT_GT(hi, 1500000u);
}

TEST(FaultyNetwork, SameSeedSameDecisions) {
  FaultyNetwork a(11), b(11), c(12);
  for (FaultyNetwork* n : {&a, &b, &c}) {
    n->SetUnreliable(true);
    n->SetLongReordering(true);
  }
  bool differs = false;
  for (int k = 0; k < 1000; k++) {
    rrr::FrameFate fa = a.Decide(0, 1, k % 2 == 1, 8);
    rrr::FrameFate fb = b.Decide(0, 1, k % 2 == 1, 8);
    rrr::FrameFate fc = c.Decide(0, 1, k % 2 == 1, 8);
    ASSERT_EQ(fa.drop, fb.drop);
    ASSERT_EQ(fa.extra_delay_us, fb.extra_delay_us);
    differs |= fa.drop != fc.drop || fa.extra_delay_us != fc.extra_delay_us;
  }
  EXPECT_TRUE(differs);
}

}  // namespace
}  // namespace harness
}  // namespace janus
