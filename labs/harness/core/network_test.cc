// FaultyNetwork's decisions, called directly (the transports call it the same way).
#include "labs/harness/core/network.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>

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

TEST(FaultyNetwork, UnreachableRequestsAreReportedAfterShortOrLongDelays) {
  FaultyNetwork net(3);
  net.Partition({{0}, {1}});
  uint64_t short_max = 0, long_max = 0;
  int long_over_100ms = 0;
  for (int k = 0; k < 1000; k++) {
    rrr::FrameFate f = net.Decide(0, 1, false, 8);
    EXPECT_TRUE(f.drop);
    EXPECT_TRUE(f.notify_sender);
    short_max = std::max(short_max, f.fail_after_us);
    rrr::FrameFate r = net.Decide(1, 0, true, 8);
    EXPECT_TRUE(r.drop);
    EXPECT_FALSE(r.notify_sender) << "dropped replies stay silent";
  }
  EXPECT_LT(short_max, 100000u);
  EXPECT_GT(short_max, 90000u);
  net.SetLongDelays(true);
  for (int k = 0; k < 1000; k++) {
    rrr::FrameFate f = net.Decide(0, 1, false, 8);
    EXPECT_TRUE(f.notify_sender);
    long_max = std::max(long_max, f.fail_after_us);
    long_over_100ms += f.fail_after_us > 100000 ? 1 : 0;
  }
  EXPECT_LT(long_max, 7000000u);
  EXPECT_GT(long_max, 6900000u);
  EXPECT_GT(long_over_100ms, 950);
  EXPECT_EQ(net.fault_stats().drops_reported, 2000u);
  // Reachable: no report, whatever the setting.
  net.Heal();
  EXPECT_FALSE(net.Decide(0, 1, false, 8).notify_sender);
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
    // A dropped request is reported to its caller after its would-be delay.
    EXPECT_EQ(f.notify_sender, f.drop);
    if (f.drop) {
      EXPECT_LE(f.fail_after_us, 27000u);
    }
    rrr::FrameFate g = net.Decide(1, 0, true, 8);
    rep_drops += g.drop;
    EXPECT_EQ(g.extra_delay_us, 0u) << "replies are not delayed without reordering";
    EXPECT_FALSE(g.notify_sender) << "a dropped reply is left to the caller's timeout";
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

TEST(FaultyNetwork, RequestReorderingHoldsBackRequestsOnly) {
  constexpr int kFrames = 30000;
  FaultyNetwork net(13);
  net.SetRequestReordering(true);
  int held = 0;
  uint64_t lo = UINT64_MAX, hi = 0;
  for (int k = 0; k < kFrames; k++) {
    EXPECT_EQ(net.Decide(1, 0, true, 8).extra_delay_us, 0u);
    rrr::FrameFate f = net.Decide(0, 1, false, 8);
    EXPECT_FALSE(f.drop);
    EXPECT_FALSE(f.duplicate);
    if (f.extra_delay_us > 0) {
      held++;
      lo = std::min(lo, f.extra_delay_us);
      hi = std::max(hi, f.extra_delay_us);
    }
  }
  EXPECT_NEAR(held / double(kFrames), 0.2, 0.02);
  EXPECT_GE(lo, 100000u);
  EXPECT_LE(hi, 1100000u);
  EXPECT_GT(hi, 800000u);
  EXPECT_EQ(net.fault_stats().requests_reordered, static_cast<uint64_t>(held));
  EXPECT_EQ(net.fault_stats().reordered, 0u) << "that counter is the replies'";
}

TEST(FaultyNetwork, DuplicationSendsSomeRequestsTwice) {
  constexpr int kFrames = 30000;
  FaultyNetwork net(17);
  net.SetDuplication(true);
  int twice = 0;
  uint64_t hi = 0;
  for (int k = 0; k < kFrames; k++) {
    EXPECT_FALSE(net.Decide(1, 0, true, 8).duplicate) << "replies are never duplicated";
    rrr::FrameFate f = net.Decide(0, 1, false, 8);
    EXPECT_FALSE(f.drop);
    EXPECT_EQ(f.extra_delay_us, 0u);
    if (f.duplicate) {
      twice++;
      hi = std::max(hi, f.duplicate_delay_us);
    } else {
      EXPECT_EQ(f.duplicate_delay_us, 0u);
    }
  }
  EXPECT_NEAR(twice / double(kFrames), 0.1, 0.01);
  EXPECT_LE(hi, 1000000u);
  EXPECT_GT(hi, 500000u);
  EXPECT_EQ(net.fault_stats().duplicated, static_cast<uint64_t>(twice));
  // Test code (no node) and unreachable nodes: never duplicated.
  for (int k = 0; k < 1000; k++) EXPECT_FALSE(net.Decide(rrr::kNoNode, 1, false, 8).duplicate);
  net.Disconnect(1);
  for (int k = 0; k < 1000; k++) EXPECT_FALSE(net.Decide(0, 1, false, 8).duplicate);
}

TEST(FaultyNetwork, HealAllUndoesEveryFault) {
  FaultyNetwork net(19);
  net.Disconnect(0);
  net.Partition({{1}, {2}});
  net.SetLink(3, 4, false);
  net.SetUnreliable(true);
  net.SetLongReordering(true);
  net.SetRequestReordering(true);
  net.SetDuplication(true);
  net.SetLongDelays(true);
  net.HealAll();
  for (int a = 0; a < 5; a++) {
    for (int b = 0; b < 5; b++) EXPECT_TRUE(net.Reachable(a, b)) << a << "->" << b;
  }
  EXPECT_FALSE(net.unreliable() || net.long_reordering() || net.request_reordering() ||
               net.duplication() || net.long_delays());
  for (int k = 0; k < 1000; k++) {
    rrr::FrameFate f = net.Decide(0, 1, k % 2 == 1, 8);
    EXPECT_FALSE(f.drop || f.duplicate || f.extra_delay_us > 0);
  }
}

TEST(FaultyNetwork, SameSeedSameDecisions) {
  FaultyNetwork a(11), b(11), c(12);
  for (FaultyNetwork* n : {&a, &b, &c}) {
    n->SetUnreliable(true);
    n->SetLongReordering(true);
    n->SetRequestReordering(true);
    n->SetDuplication(true);
  }
  bool differs = false;
  for (int k = 0; k < 1000; k++) {
    rrr::FrameFate fa = a.Decide(0, 1, k % 2 == 1, 8);
    rrr::FrameFate fb = b.Decide(0, 1, k % 2 == 1, 8);
    rrr::FrameFate fc = c.Decide(0, 1, k % 2 == 1, 8);
    ASSERT_EQ(fa.drop, fb.drop);
    ASSERT_EQ(fa.extra_delay_us, fb.extra_delay_us);
    ASSERT_EQ(fa.fail_after_us, fb.fail_after_us);
    ASSERT_EQ(fa.duplicate, fb.duplicate);
    ASSERT_EQ(fa.duplicate_delay_us, fb.duplicate_delay_us);
    differs |= fa.drop != fc.drop || fa.extra_delay_us != fc.extra_delay_us;
  }
  EXPECT_TRUE(differs);
}

}  // namespace
}  // namespace harness
}  // namespace janus
