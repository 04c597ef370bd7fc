// The harness's graded tests of itself, on the toy lab (CTest runs them as harness_sim and
// harness_tcp): every network control has a visible effect, counters count, crash cancels and
// destroys, restart reads the persister, and the fault-heavy scenario runs on ToyTester and
// passes its counter checks (its determinism is checked by harness_e2e_tests through --trace).
#include <algorithm>
#include <vector>

#include "labs/harness/core/cluster.h"
#include "labs/harness/core/graded_test.h"
#include "labs/harness/toy/toy_node.h"
#include "labs/harness/toy/toy_scenario.h"
#include "rrr/base/time.h"
#include "rrr/reactor/coroutine.h"

namespace janus {
namespace toy_lab {
namespace {

using harness::Cluster;
constexpr uint64_t kMs = 1000;

int64_t ReplyValue(const rrr::FuturePtr& f) {
  int64_t v = -1;
  f->get_reply() >> v;
  return v;
}

GRADED_TEST(HarnessNet, DroppedRequestFails, "harness", "net", 1, 20000) {
  Cluster<ToyNode> c(3, ToyNode::Make);
  c.Disconnect(1);
  // To a disconnected node: the network drops the request and tells the caller after at most
  // 100 ms (no long delays), well before the call's own timeout.
  uint64_t start = rrr::Time::Now();
  rrr::FuturePtr f = c.At(0, [](ToyNode& n) { return n.SendAdd(1, 5, 500 * kMs); });
  f->Wait();
  EXPECT_EQ(f->get_error_code(), rrr::kErrUnreachable);
  EXPECT_LT(rrr::Time::Now() - start, (harness::Env().sim() ? 100 : 300) * kMs);
  EXPECT_EQ(c.node(1)->value(), 0) << "a disconnected node received a request";
  // From a disconnected node: nothing leaves it either.
  f = c.At(1, [](ToyNode& n) { return n.SendAdd(0, 5, 500 * kMs); });
  f->Wait();
  EXPECT_EQ(f->get_error_code(), rrr::kErrUnreachable);
  EXPECT_EQ(c.node(0)->value(), 0) << "a disconnected node sent a request";
  // A frame already in flight when its receiver is cut off is dropped at delivery, silently:
  // the call fails by its own timeout.
  c.Connect(1);
  f = c.At(0, [](ToyNode& n) { return n.SendAdd(1, 5, 2000 * kMs); });
  f->Wait();
  ASSERT_EQ(f->get_error_code(), rrr::kOk) << "the connection is warm from here on";
  start = rrr::Time::Now();
  f = c.At(0, [](ToyNode& n) { return n.SendAdd(1, 5, 500 * kMs); });
  c.Disconnect(1);
  f->Wait();
  EXPECT_EQ(f->get_error_code(), rrr::kErrTimeout);
  EXPECT_GE(rrr::Time::Now() - start, 500 * kMs);
  EXPECT_EQ(c.node(1)->value(), 5) << "an in-flight request reached a disconnected node";
  // Reconnected, the same call goes through.
  c.Connect(1);
  f = c.At(0, [](ToyNode& n) { return n.SendAdd(1, 5, 2000 * kMs); });
  f->Wait();
  ASSERT_EQ(f->get_error_code(), rrr::kOk);
  EXPECT_EQ(ReplyValue(f), 10);
}

GRADED_TEST(HarnessNet, LongDelays, "harness", "net", 1, 20000) {
  constexpr int kCalls = 20;
  Cluster<ToyNode> c(2, ToyNode::Make);
  c.Disconnect(1);
  // The time each of kCalls calls (no timeout of their own) 0 -> 1 took to fail.
  auto fail_times = [&c]() {
    std::vector<uint64_t> took(kCalls, 0);
    std::vector<rrr::FuturePtr> f;
    const uint64_t start = rrr::Time::Now();
    c.At(0, [&](ToyNode& n) {
      for (int k = 0; k < kCalls; k++) {
        f.push_back(n.SendEcho(1, "x", 0, [&took, k, start](rrr::Future*) {
          took[k] = rrr::Time::Now() - start;
        }));
      }
    });
    for (auto& x : f) {
      x->Wait();
      EXPECT_EQ(x->get_error_code(), rrr::kErrUnreachable);
    }
    std::sort(took.begin(), took.end());
    return took;
  };
  const uint64_t slack_us = harness::Env().sim() ? 0 : 200 * kMs;  // tcp: real time, hello
  std::vector<uint64_t> quick = fail_times();
  EXPECT_LT(quick.back(), 100 * kMs + slack_us) << "without long delays, calls fail within 100 ms";
  c.SetLongDelays(true);
  std::vector<uint64_t> slow = fail_times();
  EXPECT_GT(slow.back(), 1000 * kMs) << "long delays: some calls should take seconds to fail";
  EXPECT_GT(slow[kCalls / 2], 100 * kMs) << "long delays: most calls should take over 100 ms";
  EXPECT_LT(slow.back(), 7000 * kMs + slack_us) << "long delays: every call fails within 7 s";
  EXPECT_EQ(c.net().fault_stats().drops_reported, 2u * kCalls);
}

GRADED_TEST(HarnessNet, PartitionIsolatesGroups, "harness", "net", 1, 20000) {
  constexpr int kN = 5;
  Cluster<ToyNode> c(kN, ToyNode::Make);
  const std::vector<int> group = {0, 0, 1, 1, 1};
  c.Partition({{0, 1}, {2, 3, 4}});
  for (int round = 0; round < 2; round++) {
    std::vector<std::vector<rrr::FuturePtr>> f(kN, std::vector<rrr::FuturePtr>(kN));
    for (int i = 0; i < kN; i++) {
      for (int j = 0; j < kN; j++) {
        if (i == j) continue;
        f[i][j] = c.At(i, [&](ToyNode& n) { return n.SendEcho(j, "hello", 1000 * kMs); });
      }
    }
    for (int i = 0; i < kN; i++) {
      for (int j = 0; j < kN; j++) {
        if (i == j) continue;
        f[i][j]->Wait();
        const bool expect_ok = round == 1 || group[i] == group[j];
        EXPECT_EQ(f[i][j]->get_error_code() == rrr::kOk, expect_ok)
            << "call " << i << "->" << j << " in round " << round;
      }
    }
    c.Heal();  // round 1: everyone reaches everyone
  }
}

GRADED_TEST(HarnessNet, UnreliableDropRates, "harness", "net", 1, 60000) {
  constexpr int kCalls = 10000;
  Cluster<ToyNode> c(2, ToyNode::Make);
  c.SetUnreliable(true);
  std::vector<rrr::FuturePtr> f;
  f.reserve(kCalls);
  c.At(0, [&](ToyNode& n) {
    for (int k = 0; k < kCalls; k++) f.push_back(n.SendEcho(1, "x", 3000 * kMs));
  });
  int ok = 0;
  for (auto& x : f) {
    x->Wait();
    if (x->get_error_code() == rrr::kOk) ok++;
  }
  const harness::FaultStats& s = c.net().fault_stats();
  const double requests = static_cast<double>(c.net().Counters(c.NodeId(0)).rpcs_sent);
  const double replies = static_cast<double>(c.net().Counters(c.NodeId(1)).replies_sent);
  ASSERT_EQ(requests, kCalls);
  const double req_drop = static_cast<double>(s.requests_dropped_unreliable) / requests;
  const double rep_drop = static_cast<double>(s.replies_dropped_unreliable) / replies;
  EXPECT_NEAR(req_drop, 0.10, 0.02);
  EXPECT_NEAR(rep_drop, 0.10, 0.02);
  EXPECT_NEAR(static_cast<double>(ok) / kCalls, 0.81, 0.03);
  EXPECT_GT(s.delayed, static_cast<uint64_t>(kCalls / 2)) << "requests were not delayed";
}

GRADED_TEST(HarnessNet, LongReorderingObserved, "harness", "net", 1, 30000) {
  constexpr int kCalls = 100;
  Cluster<ToyNode> c(2, ToyNode::Make);
  c.SetLongReordering(true);
  std::vector<int> arrival;
  std::vector<uint64_t> latency_us(kCalls, 0);
  std::vector<rrr::FuturePtr> f;
  const uint64_t start = rrr::Time::Now();
  c.At(0, [&](ToyNode& n) {
    for (int k = 0; k < kCalls; k++) {
      f.push_back(n.SendEcho(1, std::to_string(k), 5000 * kMs, [&, k](rrr::Future* fu) {
        if (fu->get_error_code() != rrr::kOk) return;
        arrival.push_back(k);
        latency_us[k] = rrr::Time::Now() - start;
      }));
    }
  });
  for (auto& x : f) x->Wait();
  ASSERT_EQ(arrival.size(), static_cast<size_t>(kCalls)) << "reordering must not drop replies";
  int inversions = 0;
  for (int k = 1; k < kCalls; k++) inversions += arrival[k] < arrival[k - 1] ? 1 : 0;
  EXPECT_GT(inversions, 10) << "replies arrived nearly in order";
  EXPECT_GE(*std::max_element(latency_us.begin(), latency_us.end()), 200 * kMs);
  EXPECT_GT(c.net().fault_stats().reordered, static_cast<uint64_t>(kCalls / 3));
}

GRADED_TEST(HarnessNet, CountersCountEveryRpc, "harness", "net", 1, 20000) {
  Cluster<ToyNode> c(3, ToyNode::Make);
  std::vector<rrr::FuturePtr> f;
  for (int k = 0; k < 10; k++) f.push_back(c.At(0, [](ToyNode& n) { return n.SendAdd(1, 1, 0); }));
  for (int k = 0; k < 5; k++) f.push_back(c.At(2, [](ToyNode& n) { return n.SendAdd(0, 1, 0); }));
  for (auto& x : f) x->Wait();
  EXPECT_EQ(c.RpcCount(0), 10u);
  EXPECT_EQ(c.RpcCount(1), 0u);
  EXPECT_EQ(c.RpcCount(2), 5u);
  EXPECT_EQ(c.TotalRpcs(), 15u);
  EXPECT_EQ(harness::TestEnv::rpcs(), 15u);
  EXPECT_GT(c.BytesSent(0), 10u * 8);
  EXPECT_GT(c.BytesSent(1), 0u) << "replies count as bytes sent";
}

GRADED_TEST(HarnessCrash, CrashCancelsAndDestroys, "harness", "crash", 1, 20000) {
  Cluster<ToyNode> c(3, ToyNode::Make);
  c.At(1, [](ToyNode& n) { n.StartTicker(10 * kMs); });
  rrr::FuturePtr hold = c.At(0, [](ToyNode& n) { return n.SendHold(1, 0); });
  rrr::Coroutine::Sleep(100 * kMs);
  EXPECT_GT(c.node(1)->ticks(), 0u);
  EXPECT_EQ(c.Context(1)->live_coroutines(), 2u) << "ticker and Hold handler";
  const ToyStats before = Stats();
  c.Crash(1);
  EXPECT_FALSE(c.IsUp(1));
  EXPECT_EQ(c.node(1), nullptr);
  EXPECT_EQ(c.Context(1), nullptr);
  EXPECT_EQ(Stats().destroyed, before.destroyed + 1) << "the node's destructor did not run";
  EXPECT_EQ(Stats().ticker_unwound, before.ticker_unwound + 1) << "ticker not unwound";
  EXPECT_EQ(Stats().hold_unwound, before.hold_unwound + 1) << "handler not unwound";
  // The pending call fails (its connection died with the node), as do new calls.
  hold->Wait(2000 * kMs);
  EXPECT_NE(hold->get_error_code(), rrr::kOk);
  rrr::FuturePtr f = c.At(0, [](ToyNode& n) { return n.SendAdd(1, 1, 500 * kMs); });
  f->Wait();
  EXPECT_NE(f->get_error_code(), rrr::kOk);
  // The other nodes are unaffected.
  f = c.At(0, [](ToyNode& n) { return n.SendAdd(2, 1, 2000 * kMs); });
  f->Wait();
  EXPECT_EQ(f->get_error_code(), rrr::kOk);
}

GRADED_TEST(HarnessCrash, RestartReadsPersister, "harness", "crash", 1, 20000) {
  Cluster<ToyNode> c(3, ToyNode::Make);
  rrr::FuturePtr f = c.At(0, [](ToyNode& n) { return n.SendAdd(2, 7, 2000 * kMs); });
  f->Wait();
  ASSERT_EQ(f->get_error_code(), rrr::kOk);
  Persister* old = c.GetPersister(2);
  c.Crash(2);
  rrr::Coroutine::Sleep(50 * kMs);  // peers notice the closed connections
  EXPECT_EQ(c.GetPersister(2)->ReadRaftState(), "7") << "the persister must survive a crash";
  c.Restart(2);
  ASSERT_TRUE(c.IsUp(2));
  EXPECT_EQ(c.Restarts(2), 1);
  EXPECT_EQ(c.node(2)->value(), 7) << "the restarted node did not read its persister";
  EXPECT_NE(c.GetPersister(2), old) << "a restarted node gets a copy of the persister";
  // As MIT's start1: disconnected until Connect.
  f = c.At(0, [](ToyNode& n) { return n.SendAdd(2, 1, 500 * kMs); });
  f->Wait();
  EXPECT_EQ(f->get_error_code(), rrr::kErrUnreachable);
  c.Connect(2);
  f = c.At(0, [](ToyNode& n) { return n.SendAdd(2, 1, 2000 * kMs); });
  f->Wait();
  ASSERT_EQ(f->get_error_code(), rrr::kOk);
  EXPECT_EQ(ReplyValue(f), 8);
}

GRADED_TEST(HarnessDeterminism, FaultHeavy, "harness", "det", 1, 30000) {
  RunFaultHeavyScenario(20);
}

}  // namespace
}  // namespace toy_lab
}  // namespace janus
