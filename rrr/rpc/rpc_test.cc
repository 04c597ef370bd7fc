// The RPC suite, run over both transports: calls, pipelining, concurrency, deferred replies.
#include <algorithm>
#include <vector>

#include "rrr/rpc/frame.h"
#include "rrr/rpc/rpc_test_util.h"

namespace rrr {
namespace testing_util {
namespace {

TEST_P(RpcTest, Echo) {
  auto server = StartServer();
  Client client;
  ASSERT_EQ(0, client.Connect(server->addr()));
  RunCo([&]() {
    FuturePtr f = client.Call(kEcho, EchoArgs("hello"));
    f->Wait();
    ASSERT_EQ(kOk, f->get_error_code());
    EXPECT_EQ("hello", EchoResult(f));
    Marshal add;
    add << int32_t{40} << int32_t{2};
    f = client.Call(kAdd, add);
    f->Wait();
    int32_t sum = 0;
    f->get_reply() >> sum;
    EXPECT_EQ(42, sum);
  });
}

TEST_P(RpcTest, EmptyAndLargePayloads) {
  auto server = StartServer();
  Client client;
  ASSERT_EQ(0, client.Connect(server->addr()));
  RunCo([&]() {
    std::string big(3 << 20, 'x');
    for (size_t i = 0; i < big.size(); i += 7919) big[i] = static_cast<char>('a' + i % 26);
    for (const std::string& s : {std::string(), big}) {
      FuturePtr f = client.Call(kEcho, EchoArgs(s));
      f->Wait();
      ASSERT_EQ(kOk, f->get_error_code());
      EXPECT_TRUE(EchoResult(f) == s);
    }
  });
}

TEST_P(RpcTest, PipelinedCallsCompleteOutOfOrderMatchedByXid) {
  auto server = StartServer();
  Client client;
  ASSERT_EQ(0, client.Connect(server->addr()));
  const int n = 50;
  std::vector<int64_t> completion;
  std::vector<FuturePtr> futures;
  for (int i = 0; i < n; i++) {
    // Later calls sleep less, so replies come back in reverse order.
    FutureAttr attr;
    attr.callback = [&completion](Future* f) {
      int64_t v = 0;
      f->get_reply() >> v;
      completion.push_back(v);
    };
    futures.push_back(client.Call(kSleepEcho, SleepArgs((n - i) * 2000, i), attr));
  }
  EXPECT_EQ(static_cast<size_t>(n), client.num_pending());
  RunUntil([&]() { return completion.size() == static_cast<size_t>(n); });
  for (int i = 0; i < n; i++) {
    ASSERT_TRUE(futures[i]->ready());
    ASSERT_EQ(kOk, futures[i]->get_error_code());
  }
  std::vector<int64_t> sorted = completion;
  std::sort(sorted.begin(), sorted.end());
  for (int i = 0; i < n; i++) EXPECT_EQ(i, sorted[i]);
  EXPECT_NE(sorted, completion) << "replies should not all arrive in call order";
  EXPECT_EQ(0u, client.num_pending());
}

TEST_P(RpcTest, ThousandConcurrentCallsFromCoroutines) {
  auto server = StartServer();
  Client client;
  ASSERT_EQ(0, client.Connect(server->addr()));
  const int n = 1000;
  int ok = 0;
  int finished = 0;
  for (int i = 0; i < n; i++) {
    Coroutine::CreateRun([&, i]() {
      Marshal m;
      m << int32_t{i} << int32_t{1};
      FuturePtr f = client.Call(kAdd, m);
      f->Wait();
      int32_t sum = -1;
      if (f->get_error_code() == kOk) f->get_reply() >> sum;
      if (sum == i + 1) ok++;
      finished++;
    });
  }
  RunUntil([&]() { return finished == n; });
  EXPECT_EQ(n, ok);
}

TEST_P(RpcTest, DeferredReplyFromAnotherCoroutine) {
  Server server;
  std::vector<DeferredReply*> parked;
  server.RegHandler(7, [&](Marshal& args, DeferredReply* r) {
    int32_t v = 0;
    args >> v;
    r->SetOutputs([v](Marshal& out) { out << static_cast<int32_t>(v * 10); });
    parked.push_back(r);  // answered later by the releaser below
  });
  ASSERT_EQ(0, server.Listen(ListenAddr()));
  Client client;
  ASSERT_EQ(0, client.Connect(server.addr()));
  std::vector<FuturePtr> fs;
  for (int i = 1; i <= 3; i++) {
    Marshal m;
    m << int32_t{i};
    fs.push_back(client.Call(7, m));
  }
  RunUntil([&]() { return parked.size() == 3; });
  EXPECT_FALSE(fs[0]->ready());
  Coroutine::CreateRun([&]() {
    Coroutine::Sleep(1000);
    for (auto it = parked.rbegin(); it != parked.rend(); ++it) (*it)->reply();
    parked.clear();
  });
  RunUntil([&]() { return fs[0]->ready() && fs[1]->ready() && fs[2]->ready(); });
  for (int i = 0; i < 3; i++) {
    int32_t v = 0;
    ASSERT_EQ(kOk, fs[i]->get_error_code());
    fs[i]->get_reply() >> v;
    EXPECT_EQ((i + 1) * 10, v);
  }
}

TEST_P(RpcTest, UnknownMethodGetsErrorAndConnectionKeepsServing) {
  auto server = StartServer();
  Client client;
  ASSERT_EQ(0, client.Connect(server->addr()));
  RunCo([&]() {
    FuturePtr bad = client.Call(0xdeadbeef, EchoArgs("x"));
    FuturePtr good = client.Call(kEcho, EchoArgs("still here"));
    bad->Wait();
    good->Wait();
    EXPECT_EQ(kErrNoMethod, bad->get_error_code());
    ASSERT_EQ(kOk, good->get_error_code());
    EXPECT_EQ("still here", EchoResult(good));
  });
  EXPECT_TRUE(client.connected());
}

TEST_P(RpcTest, UndecodableArgumentsGetBadRequest) {
  auto server = StartServer();
  Client client;
  ASSERT_EQ(0, client.Connect(server->addr()));
  RunCo([&]() {
    Marshal truncated;
    truncated << int32_t{1};  // kAdd wants two
    FuturePtr f = client.Call(kAdd, truncated);
    f->Wait();
    EXPECT_EQ(kErrBadRequest, f->get_error_code());
    f = client.Call(kEcho, EchoArgs("ok"));
    f->Wait();
    EXPECT_EQ(kOk, f->get_error_code());
  });
}

TEST_P(RpcTest, HandlersAndCallbacksRunInTheirNodes) {
  auto server_node = NodeContext::Create(1, "srv");
  auto client_node = NodeContext::Create(2, "cli");
  std::unique_ptr<Server> server;
  {
    NodeScope scope(server_node.get());
    server = std::make_unique<Server>();
  }
  int handler_node = -5;
  server->RegHandler(9, [&](Marshal&, DeferredReply* r) {
    handler_node = NodeContext::Current() ? NodeContext::Current()->id() : -1;
    r->reply();
  });
  ASSERT_EQ(0, server->Listen(ListenAddr()));
  std::unique_ptr<Client> client;
  {
    NodeScope scope(client_node.get());
    client = std::make_unique<Client>();
    ASSERT_EQ(0, client->Connect(server->addr()));
  }
  int callback_node = -5;
  FutureAttr attr;
  attr.callback = [&](Future*) {
    callback_node = NodeContext::Current() ? NodeContext::Current()->id() : -1;
  };
  {
    NodeScope scope(client_node.get());
    client->Call(9, Marshal(), attr);
  }
  RunUntil([&]() { return callback_node != -5; });
  EXPECT_EQ(1, handler_node);
  EXPECT_EQ(2, callback_node);
  NodeCounters c = transport()->Counters(2);
  EXPECT_EQ(1u, c.rpcs_sent);
  EXPECT_EQ(kRequestHeaderBytes, c.bytes_sent);
  EXPECT_EQ(1u, transport()->Counters(1).replies_sent);
}

TEST_P(RpcTest, ClientPoolCachesAndReconnects) {
  ClientPool pool;
  EXPECT_EQ(nullptr, pool.GetClient(sim() ? "nobody:5" : "127.0.0.1:1"));
  auto server = StartServer();
  std::string addr = server->addr();
  Client* c = pool.GetClient(addr);
  ASSERT_NE(nullptr, c);
  EXPECT_EQ(c, pool.GetClient(addr));
  server.reset();  // the connection dies...
  RunUntil([&]() { return !c->connected(); });
  // ...and a server restarted on the same address is reached through the same Client.
  std::unique_ptr<Server> again = std::make_unique<Server>();
  AddTestHandlers(again.get());
  ASSERT_EQ(0, again->Listen(addr));
  ASSERT_EQ(c, pool.GetClient(addr));
  RunCo([&]() {
    FuturePtr f = c->Call(kEcho, EchoArgs("back"));
    f->Wait();
    ASSERT_EQ(kOk, f->get_error_code());
    EXPECT_EQ("back", EchoResult(f));
  });
  pool.CloseAll();
  EXPECT_FALSE(c->connected());
}

TEST_P(RpcTest, FuturesComposeWithOtherEvents) {
  auto server = StartServer();
  Client client;
  ASSERT_EQ(0, client.Connect(server->addr()));
  RunCo([&]() {
    FuturePtr slow = client.Call(kSleepEcho, SleepArgs(500 * 1000, 1));
    FuturePtr fast = client.Call(kSleepEcho, SleepArgs(1000, 2));
    auto any = std::make_shared<OrEvent>(slow, fast);
    any->Wait();
    EXPECT_TRUE(fast->ready());
    EXPECT_FALSE(slow->ready());
    auto quorum = std::make_shared<QuorumEvent>(3, 2);
    for (int i = 0; i < 3; i++) {
      FutureAttr attr;
      attr.callback = [quorum](Future* f) {
        if (f->get_error_code() == kOk) {
          quorum->VoteYes();
        } else {
          quorum->VoteNo();
        }
      };
      client.Call(i == 2 ? 0xbad : kEcho, EchoArgs("vote"), attr);
    }
    quorum->Wait();
    EXPECT_TRUE(quorum->Yes());
    slow->Wait();  // leave no handler sleeping behind
  });
}

INSTANTIATE_TEST_SUITE_P(Transports, RpcTest, ::testing::Values(Net::kSim, Net::kTcp), NetName);

}  // namespace
}  // namespace testing_util
}  // namespace rrr
