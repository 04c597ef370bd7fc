// The lifetime rule of a crashed node, as the lab harness crashes one (Cluster::Crash cancels the
// node, then destroys its objects, then drops the node): none of the node's code runs again,
// even a request that was already woken; a reply the node's objects still hold may be answered
// (it is dropped) or forgotten (it is freed with the node). Over both transports.
#include <memory>
#include <vector>

#include "rrr/rpc/rpc_test_util.h"

namespace rrr {
namespace testing_util {
namespace {

constexpr uint32_t kWaitThenReply = 21;  // waits on the store's event, then replies
constexpr uint32_t kPark = 22;           // parks its reply in the store and returns
constexpr uint32_t kParkThenWait = 23;   // parks its reply, then waits for ever

// Stands for a lab's server object: built under the node, destroyed by the "crash".
struct Store {
  std::shared_ptr<IntEvent> ready = std::make_shared<IntEvent>();
  std::vector<DeferredReply*> parked;
};

class RpcLifetimeTest : public RpcTest {
 protected:
  // A server of `node` whose handlers use `store` (a raw pointer, as lab code does), counting
  // in resumed_ the handlers that got past their wait.
  std::unique_ptr<Server> StartStoreServer(NodeContext* node, Store* store) {
    NodeScope scope(node);
    auto s = std::make_unique<Server>();
    s->RegHandler(kWaitThenReply, [this, store](Marshal&, DeferredReply* r) {
      store->ready->Wait();
      resumed_++;
      r->reply();
    });
    s->RegHandler(kPark, [this, store](Marshal&, DeferredReply* r) {
      r->SetOutputs([token = token_](Marshal&) {});
      store->parked.push_back(r);
    });
    s->RegHandler(kParkThenWait, [this, store](Marshal&, DeferredReply* r) {
      r->SetOutputs([token = token_](Marshal&) {});
      store->parked.push_back(r);
      std::make_shared<IntEvent>()->Wait();
      resumed_++;
    });
    EXPECT_EQ(0, s->Listen(ListenAddr()));
    return s;
  }
  static FutureAttr ShortTimeout() {
    FutureAttr attr;
    attr.timeout_us = 100 * 1000;
    return attr;
  }

  int resumed_ = 0;
  std::shared_ptr<int> token_ = std::make_shared<int>(0);  // held by each parked reply's writer
};

TEST_P(RpcLifetimeTest, AWokenRequestOfACrashedNodeNeverRuns) {
  auto node = NodeContext::Create(8, "doomed");
  auto store = std::make_unique<Store>();
  auto server = StartStoreServer(node.get(), store.get());
  Client client;
  ASSERT_EQ(0, client.Connect(server->addr()));
  FuturePtr f = client.Call(kWaitThenReply, Marshal(), ShortTimeout());
  RunUntil([&]() { return node->live_coroutines() == 1; });
  store->ready->Set(1);  // the handler is woken: its resume is queued, not run yet
  // The crash, as Cluster::Crash does it, before the queued resume comes up.
  node->Cancel();
  EXPECT_EQ(0u, node->live_coroutines()) << "the woken handler was unwound instead";
  server.reset();
  store.reset();
  node.reset();
  RunUntil([&]() { return f->ready(); });
  EXPECT_NE(kOk, f->get_error_code());
  reactor_->RunFor(200 * 1000);
  EXPECT_EQ(0, resumed_);
}

TEST_P(RpcLifetimeTest, RepliesOfACrashedNodeAreDroppedThenFreed) {
  auto node = NodeContext::Create(9, "doomed");
  auto store = std::make_unique<Store>();
  auto server = StartStoreServer(node.get(), store.get());
  Client client;
  ASSERT_EQ(0, client.Connect(server->addr()));
  FuturePtr parked = client.Call(kPark, Marshal(), ShortTimeout());
  FuturePtr forgotten = client.Call(kPark, Marshal(), ShortTimeout());
  FuturePtr waiting = client.Call(kParkThenWait, Marshal(), ShortTimeout());
  RunUntil([&]() { return store->parked.size() == 3; });
  EXPECT_EQ(4, token_.use_count());
  node->Cancel();  // unwinds the waiting handler; its parked reply stays valid
  EXPECT_EQ(0, resumed_);
  // The store's shutdown answers two of its parked replies (one of them belongs to the handler
  // that was just cancelled): a crashed node answers nothing, so both are dropped, even though
  // the server and its connection are still up.
  ASSERT_EQ(3u, store->parked.size());
  store->parked[0]->reply();
  store->parked[2]->reply_error(kErrShutdown);
  EXPECT_EQ(2, token_.use_count()) << "answered replies are freed at once";
  RunUntil([&]() { return parked->ready() && waiting->ready() && forgotten->ready(); });
  EXPECT_EQ(kErrTimeout, parked->get_error_code());
  EXPECT_EQ(kErrTimeout, waiting->get_error_code());
  // The reply nobody answered is freed with the node, after the node's objects are gone.
  server.reset();
  store.reset();
  EXPECT_EQ(2, token_.use_count());
  node.reset();
  EXPECT_EQ(1, token_.use_count());
}

INSTANTIATE_TEST_SUITE_P(Transports, RpcLifetimeTest, ::testing::Values(Net::kSim, Net::kTcp),
                         NetName);

}  // namespace
}  // namespace testing_util
}  // namespace rrr
