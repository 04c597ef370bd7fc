// Tests of the counter example, each run twice: over the simulated network in virtual time
// (deterministic, instant) and over real TCP on loopback. Lab tests work the same way.
//
// The pattern to copy:
//   - make a fresh Reactor per test (virtual_time picks sim, real time picks tcp),
//   - create the Server (with its services) and a Client connected to it,
//   - run the test body in a coroutine, since waiting calls must run in one,
//   - drive the reactor until the body is done.
#include <gtest/gtest.h>

#include <memory>

#include "rrr/base/time.h"
#include "rrr/examples/counter_impl.h"
#include "rrr/reactor/coroutine.h"
#include "rrr/reactor/reactor.h"
#include "rrr/rpc/rpc.h"

namespace example {
namespace {

class CounterTest : public ::testing::TestWithParam<bool> {
 protected:
  bool sim() const { return GetParam(); }

  void SetUp() override {
    rrr::ReactorOptions options;
    options.virtual_time = sim();
    reactor_ = rrr::Reactor::Create(options);
    counter_ = std::make_unique<CounterImpl>();
    server_ = std::make_unique<rrr::Server>();
    server_->RegisterService(counter_.get());
    // Sim addresses are names with a fake port; tcp needs a real interface.
    ASSERT_EQ(0, server_->Listen(sim() ? "counter:0" : "127.0.0.1:0"));
    client_ = std::make_unique<rrr::Client>();
    ASSERT_EQ(0, client_->Connect(server_->addr()));
    proxy_ = std::make_unique<CounterProxy>(client_.get());
  }

  void TearDown() override {
    proxy_.reset();
    client_.reset();
    server_.reset();
    counter_.reset();
    reactor_.reset();
  }

  // Runs body in a coroutine and the reactor until body returns (fails after 10 s).
  void Run(const std::function<void()>& body) {
    bool done = false;
    rrr::Coroutine::CreateRun([&]() {
      body();
      done = true;
    });
    ASSERT_TRUE(reactor_->RunUntil([&]() { return done; }, 10 * 1000 * 1000)) << "hung";
  }

  std::shared_ptr<rrr::Reactor> reactor_;
  std::unique_ptr<CounterImpl> counter_;
  std::unique_ptr<rrr::Server> server_;
  std::unique_ptr<rrr::Client> client_;
  std::unique_ptr<CounterProxy> proxy_;
};

TEST_P(CounterTest, AddThenGet) {
  Run([&]() {
    int64_t value = 0;
    ASSERT_EQ(rrr::kOk, proxy_->Add("alice", 5, &value));
    EXPECT_EQ(5, value);
    ASSERT_EQ(rrr::kOk, proxy_->Add("bob", -7, &value));
    EXPECT_EQ(-2, value);
    CounterState state;
    ASSERT_EQ(rrr::kOk, proxy_->Get(&state));
    EXPECT_EQ((CounterState{-2, 2, "bob"}), state);
  });
  EXPECT_EQ(2u, counter_->state().adds);
}

TEST_P(CounterTest, SlowHandlersDoNotBlockOthers) {
  Run([&]() {
    uint64_t start_us = rrr::Time::Now();
    rrr::FuturePtr slow = proxy_->async_Echo("slow", 200 * 1000);
    int64_t value = 0;
    ASSERT_EQ(rrr::kOk, proxy_->Add("x", 1, &value));  // answered while Echo sleeps
    EXPECT_FALSE(slow->ready());
    slow->Wait();
    example::CounterProxy::EchoReply r = example::CounterProxy::DecodeEcho(slow);
    ASSERT_EQ(rrr::kOk, r.error_code);
    EXPECT_EQ("slow", r.echoed);
    uint64_t elapsed_us = rrr::Time::Now() - start_us;
    EXPECT_GE(elapsed_us, 200u * 1000);
    // In simulation time is exact: the sleep plus two one-way latencies of the sim network.
    if (sim()) {
      EXPECT_LT(elapsed_us, 201u * 1000);
    }
  });
}

TEST_P(CounterTest, WaitForIsAnsweredByALaterAdd) {
  Run([&]() {
    rrr::FuturePtr wait = proxy_->async_WaitFor(10);
    int64_t value = 0;
    ASSERT_EQ(rrr::kOk, proxy_->Add("x", 6, &value));
    EXPECT_FALSE(wait->ready());
    EXPECT_EQ(1u, counter_->num_waiting());
    ASSERT_EQ(rrr::kOk, proxy_->Add("x", 6, &value));  // 12 >= 10: this Add replies to WaitFor
    wait->Wait();
    ASSERT_EQ(rrr::kOk, wait->get_error_code());
    int64_t seen = 0;
    wait->get_reply() >> seen;  // by hand, in .rpc order: still works
    EXPECT_EQ(12, seen);
    // Already reached: answered at once.
    ASSERT_EQ(rrr::kOk, proxy_->WaitFor(3, &seen));
    EXPECT_EQ(12, seen);
  });
  EXPECT_EQ(0u, counter_->num_waiting());
}

TEST_P(CounterTest, TimeoutFailsTheCall) {
  Run([&]() {
    rrr::FutureAttr attr;
    attr.timeout_us = 10 * 1000;
    rrr::FuturePtr f = proxy_->async_Echo("late", 500 * 1000, attr);
    f->Wait();
    EXPECT_EQ(rrr::kErrTimeout, f->get_error_code());
  });
}

TEST_P(CounterTest, PendingWaitersFailWhenTheServiceGoesAway) {
  rrr::FuturePtr wait = proxy_->async_WaitFor(100);
  ASSERT_TRUE(reactor_->RunUntil([&]() { return counter_->num_waiting() == 1; }, 1000 * 1000));
  // The service answers its parked call as it is destroyed. (The server stays up here but gets
  // no more calls: a real server must outlive nothing it calls.)
  counter_.reset();
  Run([&]() { wait->Wait(); });
  EXPECT_EQ(rrr::kErrShutdown, wait->get_error_code());
}

INSTANTIATE_TEST_SUITE_P(Nets, CounterTest, ::testing::Values(true, false),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "sim" : "tcp";
                         });

}  // namespace
}  // namespace example
