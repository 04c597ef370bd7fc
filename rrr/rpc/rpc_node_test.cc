// The RPC suite, continued: nodes (whose handlers and callbacks run where, node ids reaching
// the policy, cancelled nodes) and handler exceptions, over both transports.
#include <stdexcept>
#include <string>
#include <vector>

#include "rrr/rpc/rpc_test_util.h"

namespace rrr {
namespace testing_util {
namespace {

TEST_P(RpcTest, PeerNodeIdsReachThePolicy) {
  auto policy = std::make_shared<ScriptedPolicy>();
  transport()->SetPolicy(policy);
  auto a = NodeContext::Create(3, "a");
  auto b = NodeContext::Create(4, "b");
  auto server = StartServer(b.get());
  std::unique_ptr<Client> client;
  {
    NodeScope scope(a.get());
    client = std::make_unique<Client>();
  }
  ASSERT_EQ(0, client->Connect(server->addr()));
  FuturePtr f = client->Call(kEcho, EchoArgs("ids"));
  RunUntil([&]() { return f->ready(); });
  EXPECT_EQ(kOk, f->get_error_code());
  // The last decision was the reply: from b to a.
  EXPECT_EQ(4, policy->last_from);
  EXPECT_EQ(3, policy->last_to);
  transport()->SetPolicy(nullptr);
}

TEST_P(RpcTest, ADuplicatedRequestRunsTwiceAndItsSecondReplyIsDropped) {
  auto policy = std::make_shared<ScriptedPolicy>();
  transport()->SetPolicy(policy);
  Server server;
  int runs = 0;
  server.RegHandler(kEcho, [&runs](Marshal&, DeferredReply* r) {
    runs++;
    r->reply();
  });
  ASSERT_EQ(0, server.Listen(ListenAddr()));
  Client client;
  ASSERT_EQ(0, client.Connect(server.addr()));
  FuturePtr warm = client.Call(kEcho, Marshal());  // tcp: hello exchange first
  RunUntil([&]() { return warm->ready(); });
  policy->duplicate_requests = true;
  policy->duplicate_delay_us = 30 * 1000;
  FuturePtr f = client.Call(kEcho, Marshal());
  RunUntil([&]() { return f->ready(); });
  EXPECT_EQ(kOk, f->get_error_code());
  RunUntil([&]() { return runs == 3; });
  RunUntil([&]() { return client.late_replies() == 1; });
  EXPECT_EQ(0u, client.num_pending());
  transport()->SetPolicy(nullptr);
}

TEST_P(RpcTest, ANodesUnansweredRequestsAreListedWithTheirMethod) {
  auto node = NodeContext::Create(7, "slow");
  auto server = StartServer(node.get());
  constexpr uint32_t kNamed = 31;
  server->RegHandler(kNamed, "Test.Named", [](Marshal& args, DeferredReply* r) {
    uint64_t us = 0;
    args >> us;
    Coroutine::Sleep(us);
    r->reply();
  });
  Client client;
  ASSERT_EQ(0, client.Connect(server->addr()));
  Marshal named_args;
  named_args << static_cast<uint64_t>(80 * 1000);
  FuturePtr f = client.Call(kSleepEcho, SleepArgs(50 * 1000, 1));
  FuturePtr g = client.Call(kNamed, named_args);
  RunUntil([&]() { return node->pending_requests().size() == 2; });
  auto it = node->pending_requests().begin();
  EXPECT_EQ(kSleepEcho, it->second.method_id);
  EXPECT_EQ(nullptr, it->second.method_name);
  ++it;
  EXPECT_EQ(kNamed, it->second.method_id);
  EXPECT_STREQ("Test.Named", it->second.method_name);
  RunUntil([&]() { return f->ready(); });
  EXPECT_EQ(1u, node->pending_requests().size()) << "answered: no longer pending";
  RunUntil([&]() { return g->ready(); });
  EXPECT_TRUE(node->pending_requests().empty());
}

TEST_P(RpcTest, CancelledServerNodeAnswersNothing) {
  auto node = NodeContext::Create(5, "doomed");
  auto server = StartServer(node.get());
  Client client;
  ASSERT_EQ(0, client.Connect(server->addr()));
  FutureAttr attr;
  attr.timeout_us = 100 * 1000;
  FuturePtr f = client.Call(kSleepEcho, SleepArgs(50 * 1000, 1), attr);
  reactor_->RunFor(5 * 1000);
  EXPECT_EQ(1u, node->live_coroutines());
  node->Cancel();  // unwinds the sleeping handler; its DeferredReply is freed unanswered
  EXPECT_EQ(0u, node->live_coroutines());
  RunUntil([&]() { return f->ready(); });
  EXPECT_EQ(kErrTimeout, f->get_error_code());
  FuturePtr g = client.Call(kEcho, EchoArgs("anyone?"), attr);
  RunUntil([&]() { return g->ready(); });
  EXPECT_EQ(kErrTimeout, g->get_error_code());
  server.reset();
  RunUntil([&]() { return !client.connected(); });
}

TEST_P(RpcTest, HandlerExceptionAnswersShutdownAndReportsACrash) {
  std::vector<std::string> crashes;
  reactor_->SetCrashHandler(
      [&](NodeContext*, const std::string& what) { crashes.push_back(what); });
  Server server;
  server.RegHandler(11, [](Marshal&, DeferredReply*) { throw std::runtime_error("boom"); });
  ASSERT_EQ(0, server.Listen(ListenAddr()));
  EXPECT_EQ(EEXIST, server.RegHandler(11, [](Marshal&, DeferredReply* r) { r->reply(); }));
  Client client;
  ASSERT_EQ(0, client.Connect(server.addr()));
  FuturePtr f = client.Call(11, Marshal());
  RunUntil([&]() { return f->ready(); });
  EXPECT_EQ(kErrShutdown, f->get_error_code());
  ASSERT_EQ(1u, crashes.size());
  EXPECT_NE(std::string::npos, crashes[0].find("boom"));
}

TEST_P(RpcTest, CallbacksOfACancelledCallerNodeAreSkipped) {
  auto server = StartServer();
  auto node = NodeContext::Create(6, "caller");
  std::unique_ptr<Client> client;
  int callbacks = 0;
  FuturePtr f;
  {
    NodeScope scope(node.get());
    client = std::make_unique<Client>();
    ASSERT_EQ(0, client->Connect(server->addr()));
    FutureAttr attr;
    attr.callback = [&](Future*) { callbacks++; };
    f = client->Call(kSleepEcho, SleepArgs(10 * 1000, 1), attr);
  }
  node->Cancel();
  RunUntil([&]() { return f->ready(); });
  EXPECT_EQ(kOk, f->get_error_code());
  EXPECT_EQ(0, callbacks);
}

}  // namespace
}  // namespace testing_util
}  // namespace rrr
