// The RPC suite, continued: failures, timeouts and the network policy, over both transports.
#include <stdexcept>
#include <vector>

#include "rrr/net/frame.h"
#include "rrr/rpc/rpc_test_util.h"

namespace rrr {
namespace testing_util {
namespace {

TEST_P(RpcTest, ConnectToNobodyFails) {
  Client client;
  EXPECT_NE(0, client.Connect(sim() ? "nobody:1" : "127.0.0.1:1"));
  EXPECT_FALSE(client.connected());
  RunCo([&]() {
    FuturePtr f = client.Call(kEcho, EchoArgs("x"));
    EXPECT_FALSE(f->ready());  // completed from a Post, never inside Call
    f->Wait();
    EXPECT_EQ(kErrNotConnected, f->get_error_code());
  });
}

TEST_P(RpcTest, ServerDestroyedMidCallFailsPendingCalls) {
  auto server = StartServer();
  Client client;
  ASSERT_EQ(0, client.Connect(server->addr()));
  FuturePtr slow = client.Call(kSleepEcho, SleepArgs(200 * 1000, 1));
  int callbacks = 0;
  FutureAttr attr;
  attr.callback = [&](Future* f) {
    EXPECT_EQ(kErrNotConnected, f->get_error_code());
    callbacks++;
  };
  FuturePtr slow2 = client.Call(kSleepEcho, SleepArgs(200 * 1000, 2), attr);
  reactor_->RunFor(10 * 1000);  // the handlers are now sleeping
  ASSERT_FALSE(slow->ready());
  server.reset();
  RunCo([&]() {
    slow->Wait();
    EXPECT_EQ(kErrNotConnected, slow->get_error_code());
  });
  EXPECT_EQ(1, callbacks);
  EXPECT_FALSE(client.connected());
  // The orphaned handlers wake up and reply into the void.
  reactor_->RunFor(300 * 1000);
}

TEST_P(RpcTest, ClientCloseFailsPendingAndLateReplyIsHarmless) {
  auto server = StartServer();
  Client client;
  ASSERT_EQ(0, client.Connect(server->addr()));
  FuturePtr f = client.Call(kSleepEcho, SleepArgs(50 * 1000, 1));
  reactor_->RunFor(5 * 1000);
  client.Close();
  EXPECT_TRUE(f->ready());
  EXPECT_EQ(kErrNotConnected, f->get_error_code());
  reactor_->RunFor(100 * 1000);  // the handler replies to a closed connection
  RunUntil([&]() { return server->num_connections() == 0; });
  // The server still serves others, and the client can reconnect.
  ASSERT_EQ(0, client.Connect(server->addr()));
  RunCo([&]() {
    FuturePtr g = client.Call(kEcho, EchoArgs("again"));
    g->Wait();
    ASSERT_EQ(kOk, g->get_error_code());
    EXPECT_EQ("again", EchoResult(g));
  });
}

TEST_P(RpcTest, CallTimeoutFromAttr) {
  auto server = StartServer();
  Client client;
  ASSERT_EQ(0, client.Connect(server->addr()));
  RunCo([&]() {
    FutureAttr attr;
    attr.timeout_us = 20 * 1000;
    uint64_t start = Time::Now();
    FuturePtr f = client.Call(kSleepEcho, SleepArgs(300 * 1000, 1), attr);
    f->Wait();
    EXPECT_EQ(kErrTimeout, f->get_error_code());
    uint64_t waited = Time::Now() - start;
    EXPECT_GE(waited, 20u * 1000);
    EXPECT_LT(waited, 250u * 1000);
    if (sim()) {
      EXPECT_EQ(20u * 1000, waited);
    }
    EXPECT_EQ(0u, client.num_pending());
  });
  reactor_->RunFor(400 * 1000);  // the late reply is ignored
  EXPECT_TRUE(client.connected());
}

TEST_P(RpcTest, WaitWithTimeoutAbandonsTheCall) {
  auto server = StartServer();
  Client client;
  ASSERT_EQ(0, client.Connect(server->addr()));
  int callbacks = 0;
  RunCo([&]() {
    FutureAttr attr;
    attr.callback = [&](Future* f) {
      EXPECT_EQ(kErrTimeout, f->get_error_code());
      callbacks++;
    };
    FuturePtr f = client.Call(kSleepEcho, SleepArgs(300 * 1000, 1), attr);
    f->Wait(10 * 1000);
    EXPECT_TRUE(f->ready());
    EXPECT_EQ(kErrTimeout, f->get_error_code());
    FuturePtr g = client.Call(kEcho, EchoArgs("quick"));
    g->Wait(5 * 1000 * 1000);
    EXPECT_EQ(kOk, g->get_error_code());
  });
  reactor_->RunFor(400 * 1000);
  EXPECT_EQ(1, callbacks);
}

TEST_P(RpcTest, PolicyDropMakesTheRequestTimeOut) {
  auto policy = std::make_shared<ScriptedPolicy>();
  transport()->SetPolicy(policy);
  auto server = StartServer();
  Client client;
  ASSERT_EQ(0, client.Connect(server->addr()));
  RunCo([&]() {
    policy->drop_requests = true;
    FutureAttr attr;
    attr.timeout_us = 50 * 1000;
    FuturePtr f = client.Call(kEcho, EchoArgs("lost"), attr);
    f->Wait();
    EXPECT_EQ(kErrTimeout, f->get_error_code());
    policy->drop_requests = false;
    policy->drop_replies = true;
    f = client.Call(kEcho, EchoArgs("lost reply"), attr);
    f->Wait();
    EXPECT_EQ(kErrTimeout, f->get_error_code());
    policy->drop_replies = false;
    policy->deliverable = false;  // cut at delivery time
    f = client.Call(kEcho, EchoArgs("cut"), attr);
    f->Wait();
    EXPECT_EQ(kErrTimeout, f->get_error_code());
    policy->deliverable = true;
    f = client.Call(kEcho, EchoArgs("through"), attr);
    f->Wait();
    EXPECT_EQ(kOk, f->get_error_code());
  });
  NodeCounters c = transport()->Counters(kNoNode);
  EXPECT_EQ(4u, c.rpcs_sent);
  EXPECT_EQ(3u, c.frames_dropped);
  transport()->SetPolicy(nullptr);
}

TEST_P(RpcTest, ReportedDropFailsTheCallAsUnreachable) {
  auto policy = std::make_shared<ScriptedPolicy>();
  transport()->SetPolicy(policy);
  int handled = 0;
  auto server = StartServer();
  server->RegHandler(20, [&](Marshal&, DeferredReply* r) {
    handled++;
    r->reply();
  });
  Client client;
  ASSERT_EQ(0, client.Connect(server->addr()));
  RunCo([&]() {
    FuturePtr warm = client.Call(kEcho, EchoArgs("warm"));  // tcp: hello exchange first
    warm->Wait();
    ASSERT_EQ(kOk, warm->get_error_code());
    policy->drop_requests = true;
    policy->notify_drops = true;
    policy->fail_after_us = 30 * 1000;
    // No timeout of its own: the report alone completes the call.
    int callbacks = 0;
    FutureAttr attr;
    attr.callback = [&](Future* f) {
      EXPECT_EQ(kErrUnreachable, f->get_error_code());
      callbacks++;
    };
    uint64_t start = Time::Now();
    FuturePtr f = client.Call(20, Marshal(), attr);
    FuturePtr g = client.Call(20, Marshal());
    f->Wait();
    g->Wait();
    uint64_t waited = Time::Now() - start;
    EXPECT_EQ(kErrUnreachable, f->get_error_code());
    EXPECT_EQ(kErrUnreachable, g->get_error_code());
    EXPECT_EQ(1, callbacks);
    EXPECT_EQ(0u, client.num_pending());
    if (sim()) {
      EXPECT_EQ(30u * 1000, waited);
    } else {
      EXPECT_GE(waited, 30u * 1000);
      EXPECT_LT(waited, 1000u * 1000);
    }
    // A call whose own timeout comes first times out; the later report is ignored.
    FutureAttr short_attr;
    short_attr.timeout_us = 10 * 1000;
    f = client.Call(20, Marshal(), short_attr);
    f->Wait();
    EXPECT_EQ(kErrTimeout, f->get_error_code());
    Coroutine::Sleep(50 * 1000);
    EXPECT_EQ(kErrTimeout, f->get_error_code());
    // A dropped reply is not reported (the server end has no drop handler): the caller's
    // timeout handles it.
    policy->drop_requests = false;
    policy->drop_replies = true;
    FutureAttr attr50;
    attr50.timeout_us = 50 * 1000;
    f = client.Call(20, Marshal(), attr50);
    f->Wait();
    EXPECT_EQ(kErrTimeout, f->get_error_code());
    EXPECT_EQ(1, handled) << "only the request whose reply was dropped reached the server";
    policy->drop_replies = false;
    f = client.Call(kEcho, EchoArgs("through"));
    f->Wait();
    EXPECT_EQ(kOk, f->get_error_code());
  });
  EXPECT_TRUE(client.connected());
  transport()->SetPolicy(nullptr);
}

TEST_P(RpcTest, ReportAfterCloseIsIgnored) {
  auto policy = std::make_shared<ScriptedPolicy>();
  transport()->SetPolicy(policy);
  auto server = StartServer();
  Client client;
  ASSERT_EQ(0, client.Connect(server->addr()));
  RunCo([&]() {
    FuturePtr warm = client.Call(kEcho, EchoArgs("warm"));
    warm->Wait();
    policy->drop_requests = true;
    policy->notify_drops = true;
    policy->fail_after_us = 20 * 1000;
    FuturePtr f = client.Call(kEcho, EchoArgs("lost"));
    client.Close();
    EXPECT_EQ(kErrNotConnected, f->get_error_code());
    // Reconnected at once: the report of the old connection's request must not touch the
    // new connection's calls (whose xids continue, so they never collide anyway).
    policy->drop_requests = false;
    ASSERT_EQ(0, client.Connect(server->addr()));
    FuturePtr g = client.Call(kSleepEcho, SleepArgs(40 * 1000, 7));
    g->Wait();
    EXPECT_EQ(kOk, g->get_error_code());
  });
  transport()->SetPolicy(nullptr);
}

TEST_P(RpcTest, PolicyDelayIsObserved) {
  auto policy = std::make_shared<ScriptedPolicy>();
  policy->extra_delay_us = 30 * 1000;
  transport()->SetPolicy(policy);
  auto server = StartServer();
  Client client;
  ASSERT_EQ(0, client.Connect(server->addr()));
  RunCo([&]() {
    FuturePtr warm = client.Call(kEcho, EchoArgs("warm"));  // tcp: hello exchange first
    warm->Wait();
    uint64_t start = Time::Now();
    FuturePtr f = client.Call(kEcho, EchoArgs("slow"));
    f->Wait();
    EXPECT_EQ(kOk, f->get_error_code());
    uint64_t rtt = Time::Now() - start;
    EXPECT_GE(rtt, 60u * 1000);  // request and reply are each delayed
    if (sim()) {
      auto* st = static_cast<SimTransport*>(transport());
      EXPECT_EQ(60u * 1000 + 2 * st->latency_us(), rtt);
    }
  });
  EXPECT_GE(policy->decided, 4);
  transport()->SetPolicy(nullptr);
}

TEST_P(RpcTest, OversizedRequestsAndRepliesFailCleanly) {
  Server server;
  server.RegHandler(12, [](Marshal&, DeferredReply* r) {
    r->SetOutputs([](Marshal& out) {
      std::string big(kMaxFrameBytes, 'r');
      out.Write(big.data(), big.size());
    });
    r->reply();
  });
  ASSERT_EQ(0, server.Listen(ListenAddr()));
  Client client;
  ASSERT_EQ(0, client.Connect(server.addr()));
  RunCo([&]() {
    Marshal huge;
    std::string bytes(kMaxFrameBytes, 'q');
    huge.Write(bytes.data(), bytes.size());
    FuturePtr f = client.Call(12, huge);
    f->Wait();
    EXPECT_EQ(kErrBadRequest, f->get_error_code());
    f = client.Call(12, Marshal());
    f->Wait();
    EXPECT_EQ(kErrBadReply, f->get_error_code());
  });
  EXPECT_TRUE(client.connected());
}

}  // namespace
}  // namespace testing_util
}  // namespace rrr
