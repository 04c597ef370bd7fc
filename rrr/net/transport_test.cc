// Transport behaviour common to tcp and sim, plus what is specific to each.
#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "rrr/base/time.h"
#include "rrr/net/sim_transport.h"
#include "rrr/net/tcp_transport.h"
#include "rrr/reactor/event.h"

namespace rrr {
namespace {

// Collects what arrives at one end.
struct Sink {
  std::vector<std::string> frames;
  std::vector<uint64_t> times;
  int closes = 0;
  void Attach(const ConnectionPtr& c) {
    c->SetHandlers(
        [this](std::string&& f) {
          frames.push_back(std::move(f));
          times.push_back(Time::Now());
        },
        [this]() { closes++; });
  }
};

class TransportTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    ReactorOptions o;
    o.virtual_time = GetParam();
    reactor_ = Reactor::Create(o);
  }
  bool sim() const { return GetParam(); }
  Transport* t() { return Transport::Default(); }
  void Run(const std::function<bool()>& pred) {
    ASSERT_TRUE(reactor_->RunUntil(pred, 5 * 1000 * 1000));
  }
  // Listens for node 1 and connects node 2 to it.
  void Pair() {
    ASSERT_EQ(0, t()->Listen(sim() ? "srv:0" : "127.0.0.1:0", 1,
                             [this](ConnectionPtr c) {
                               server_end_ = c;
                               server_sink_.Attach(c);
                             },
                             &listener_));
    ASSERT_EQ(0, t()->Connect(listener_->addr(), 2, &client_end_));
    client_sink_.Attach(client_end_);
  }

  std::shared_ptr<Reactor> reactor_;
  std::unique_ptr<Listener> listener_;
  ConnectionPtr server_end_, client_end_;
  Sink server_sink_, client_sink_;
};

TEST_P(TransportTest, DefaultMatchesTheClock) {
  EXPECT_STREQ(sim() ? "sim" : "tcp", t()->name());
  EXPECT_EQ(t(), Transport::Default());
}

TEST_P(TransportTest, FramesBothWaysInOrderWithNodeIds) {
  Pair();
  EXPECT_NE(0, listener_->port());
  EXPECT_TRUE(client_end_->outbound());
  for (int i = 0; i < 100; i++) client_end_->Send("req", std::to_string(i));
  Run([&]() { return server_sink_.frames.size() == 100; });
  for (int i = 0; i < 100; i++) EXPECT_EQ("req" + std::to_string(i), server_sink_.frames[i]);
  EXPECT_FALSE(server_end_->outbound());
  EXPECT_EQ(2, server_end_->remote_node());
  EXPECT_EQ(1, server_end_->local_node());
  server_end_->Send("reply");
  Run([&]() { return client_sink_.frames.size() == 1; });
  EXPECT_EQ(1, client_end_->remote_node());
  EXPECT_EQ(100u, t()->Counters(2).rpcs_sent);
  EXPECT_EQ(1u, t()->Counters(1).replies_sent);
  EXPECT_EQ(5u, t()->Counters(1).bytes_sent);
  t()->ResetCounters();
  EXPECT_EQ(0u, t()->Counters(2).rpcs_sent);
}

TEST_P(TransportTest, CloseNotifiesThePeerOnly) {
  Pair();
  client_end_->Send("first");
  Run([&]() { return server_sink_.frames.size() == 1; });
  client_end_->Send("last words");
  client_end_->Close();
  EXPECT_TRUE(client_end_->closed());
  Run([&]() { return server_sink_.closes == 1; });
  EXPECT_EQ(2u, server_sink_.frames.size());  // sent before the close: still delivered
  EXPECT_EQ(0, client_sink_.closes);
  client_end_->Send("ignored");  // no-op on a closed end
}

TEST_P(TransportTest, DroppingTheLastReferenceClosesToo) {
  Pair();
  Run([&]() { return server_end_ != nullptr; });
  server_end_.reset();
  Run([&]() { return client_sink_.closes == 1; });
}

TEST_P(TransportTest, ListenerCloseRefusesNewConnections) {
  Pair();
  std::string addr = listener_->addr();
  listener_.reset();
  ConnectionPtr c;
  EXPECT_NE(0, t()->Connect(addr, 2, &c));
  EXPECT_EQ(EINVAL, t()->Connect("no-port", 2, &c));
}

// Drops every frame of at most 3 bytes (in both directions), asking the transport to report
// each drop to the sender after fail_after_us; longer frames pass.
class DropAndReport : public NetPolicy {
 public:
  explicit DropAndReport(uint64_t fail_after_us) : fail_after_us_(fail_after_us) {}
  FrameFate Decide(int, int, bool, size_t bytes) override {
    FrameFate f;
    if (bytes <= 3) {
      f.drop = true;
      f.notify_sender = true;
      f.fail_after_us = fail_after_us_;
    }
    return f;
  }

 private:
  uint64_t fail_after_us_;
};

TEST_P(TransportTest, ReportedDropsReachTheSendersDropHandler) {
  constexpr uint64_t kFailAfterUs = 20 * 1000;
  Pair();
  client_end_->Send("hello");  // tcp: lets the hello exchange finish before the policy applies
  Run([&]() { return server_sink_.frames.size() == 1; });
  t()->SetPolicy(std::make_shared<DropAndReport>(kFailAfterUs));
  std::vector<std::string> reported;
  std::vector<uint64_t> reported_at;
  client_end_->SetDropHandler([&](std::string&& f) {
    reported.push_back(std::move(f));
    reported_at.push_back(Time::Now());
  });
  const uint64_t start = Time::Now();
  client_end_->Send("x", "1");
  client_end_->Send("longer frame");
  client_end_->Send("x2");
  EXPECT_TRUE(reported.empty()) << "never reported inside Send";
  Run([&]() { return reported.size() == 2 && server_sink_.frames.size() == 2; });
  EXPECT_EQ((std::vector<std::string>{"x1", "x2"}), reported);
  EXPECT_EQ("longer frame", server_sink_.frames[1]);
  EXPECT_EQ(2u, t()->Counters(2).frames_dropped);
  for (uint64_t at : reported_at) {
    EXPECT_GE(at - start, kFailAfterUs);
    if (sim()) {
      EXPECT_EQ(start + kFailAfterUs, at);
    }
  }
  // An end without a drop handler drops silently; a closed end never reports.
  server_end_->Send("x3");
  client_end_->Send("x4");
  client_end_->Close();
  reactor_->RunFor(2 * kFailAfterUs);
  EXPECT_EQ(2u, reported.size());
  EXPECT_TRUE(client_sink_.frames.empty());
  t()->SetPolicy(nullptr);
}

INSTANTIATE_TEST_SUITE_P(Both, TransportTest, ::testing::Values(true, false),
                         [](const ::testing::TestParamInfo<bool>& i) {
                           return i.param ? "sim" : "tcp";
                         });

class SimOnlyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ReactorOptions o;
    o.virtual_time = true;
    reactor_ = Reactor::Create(o);
  }
  std::shared_ptr<Reactor> reactor_;
};

class DelayEveryOther : public NetPolicy {
 public:
  FrameFate Decide(int, int, bool, size_t) override {
    FrameFate f;
    f.extra_delay_us = (n_++ % 2 == 0) ? 1000 : 0;
    return f;
  }

 private:
  int n_ = 0;
};

TEST_F(SimOnlyTest, LatencyAndPolicyDelayInVirtualTime) {
  SimTransport t;
  t.set_latency_us(250);
  t.SetPolicy(std::make_shared<DelayEveryOther>());
  std::unique_ptr<Listener> l;
  Sink sink;
  ConnectionPtr server_end, c;
  ASSERT_EQ(0, t.Listen("a:0", 1, [&](ConnectionPtr s) { server_end = s; sink.Attach(s); }, &l));
  EXPECT_EQ("a:10000", l->addr());
  ASSERT_EQ(0, t.Connect("a:10000", 2, &c));
  ASSERT_NE(nullptr, server_end);  // accepted synchronously
  uint64_t t0 = Time::Now();
  for (int i = 0; i < 4; i++) c->Send(std::to_string(i));
  reactor_->RunUntil([&]() { return sink.frames.size() == 4; }, 1000000);
  // Frames 1 and 3 are not delayed, so they overtake 0 and 2.
  EXPECT_EQ((std::vector<std::string>{"1", "3", "0", "2"}), sink.frames);
  EXPECT_EQ(t0 + 250, sink.times[0]);
  EXPECT_EQ(t0 + 1250, sink.times[3]);
  ConnectionPtr refused;
  EXPECT_EQ(ECONNREFUSED, t.Connect("a:1", 2, &refused));
  std::unique_ptr<Listener> dup;
  EXPECT_EQ(EADDRINUSE, t.Listen("a:10000", 1, [](ConnectionPtr) {}, &dup));
  c.reset();
  server_end.reset();
}

}  // namespace
}  // namespace rrr
