#include "deptran/communicator.h"

#include <gtest/gtest.h>

#include "rrr/net/transport.h"
#include "rrr/reactor/coroutine.h"
#include "rrr/reactor/node.h"
#include "rrr/reactor/reactor.h"
#include "rrr/rpc/rpc.h"

namespace janus {
namespace {

constexpr uint32_t kWhoAmI = 1;

// A hand-written proxy in the shape of generated ones: constructed from a Client*.
class WhoProxy {
 public:
  explicit WhoProxy(rrr::Client* cl) : cl_(cl) {}
  // Returns the error code; on success *site is the server's site id.
  int WhoAmI(int32_t* site) {
    rrr::Marshal args;
    rrr::FuturePtr f = cl_->Call(kWhoAmI, args, rrr::FutureAttr{nullptr, 1000000});
    f->Wait();
    if (f->get_error_code() == rrr::kOk) f->get_reply() >> *site;
    return f->get_error_code();
  }
  rrr::Client* client() const { return cl_; }

 private:
  rrr::Client* cl_;
};

// Another proxy type for the same sites: cached separately.
class OtherProxy {
 public:
  explicit OtherProxy(rrr::Client* cl) : cl_(cl) {}
  rrr::Client* cl_;
};

// Six sites in two partitions of three, each a node with a raw rrr::Server on the sim
// transport of a virtual-time reactor.
class CommunicatorTest : public ::testing::Test {
 protected:
  void SetUp() override {
    reactor_ = rrr::Reactor::Create(rrr::ReactorOptions{true, 7});
    config_ = std::make_shared<Config>(Config::Local("test", 2, 3));
    for (int i = 0; i < config_->NumSites(); i++) {
      nodes_.push_back(rrr::NodeContext::Create(i, config_->Site(i).name));
      servers_.emplace_back();
      StartServer(i, 0);
    }
  }
  void TearDown() override {
    commo_.reset();
    servers_.clear();
    nodes_.clear();
    reactor_.reset();
  }

  // (Re)starts site i's server on `port` (0: pick one) and records the port in the config.
  void StartServer(int i, int port) {
    rrr::NodeScope scope(nodes_[i].get());
    servers_[i] = std::make_unique<rrr::Server>();
    servers_[i]->RegHandler(kWhoAmI, [i](rrr::Marshal&, rrr::DeferredReply* reply) {
      reply->SetOutputs([i](rrr::Marshal& out) { out << int32_t(i); });
      reply->reply();
    });
    int real_port = 0;
    ASSERT_EQ(servers_[i]->Listen("127.0.0.1:" + std::to_string(port), &real_port), 0);
    config_->SetPort(i, real_port);
  }

  // Runs body as a coroutine of `node` until it finishes (virtual time budget: 60 s).
  void RunAs(int node, const std::function<void()>& body) {
    bool done = false;
    {
      rrr::NodeScope scope(nodes_[node].get());
      rrr::Coroutine::CreateRun([&] {
        body();
        done = true;
      });
    }
    ASSERT_TRUE(reactor_->RunUntil([&] { return done; }, 60000000));
  }

  void MakeCommo(int site) {
    rrr::NodeScope scope(nodes_[site].get());
    commo_ = std::make_unique<Communicator>(site, config_);
  }

  std::shared_ptr<rrr::Reactor> reactor_;
  std::shared_ptr<Config> config_;
  std::vector<std::shared_ptr<rrr::NodeContext>> nodes_;
  std::vector<std::unique_ptr<rrr::Server>> servers_;
  std::unique_ptr<Communicator> commo_;
};

TEST_F(CommunicatorTest, IdsAndPeers) {
  MakeCommo(4);
  EXPECT_EQ(commo_->site_id(), 4);
  EXPECT_EQ(commo_->partition_id(), 1);
  EXPECT_EQ(commo_->PeerIds(), (std::vector<int>{3, 5}));
  EXPECT_EQ(commo_->SiteIdsOf(0), (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(&commo_->config(), config_.get());
  EXPECT_EQ(commo_->transport(), rrr::Transport::Default());
}

TEST_F(CommunicatorTest, LazyConnectAndProxyCache) {
  MakeCommo(0);
  EXPECT_EQ(commo_->connects(), 0u);  // nothing opened at construction
  WhoProxy* p1 = commo_->GetProxy<WhoProxy>(1);
  EXPECT_EQ(commo_->connects(), 1u);
  EXPECT_EQ(commo_->GetProxy<WhoProxy>(1), p1);
  EXPECT_NE(commo_->GetProxy<WhoProxy>(2), p1);
  OtherProxy* o1 = commo_->GetProxy<OtherProxy>(1);
  EXPECT_EQ(o1->cl_, p1->client());  // one connection per site, shared by proxy types
  EXPECT_EQ(commo_->GetClient(1), p1->client());
  EXPECT_EQ(commo_->connects(), 2u);
}

TEST_F(CommunicatorTest, CallsEverySiteInBothPartitions) {
  MakeCommo(0);
  RunAs(0, [&] {
    for (int s = 0; s < config_->NumSites(); s++) {
      int32_t who = -1;
      EXPECT_EQ(commo_->GetProxy<WhoProxy>(s)->WhoAmI(&who), rrr::kOk) << "site " << s;
      EXPECT_EQ(who, s);
    }
  });
  EXPECT_EQ(commo_->connects(), 6u);
  // Traffic is attributed to the communicator's node.
  EXPECT_EQ(commo_->transport()->Counters(0).rpcs_sent, 6u);
}

TEST_F(CommunicatorTest, ClientsBelongToTheOwnerNodeWhoeverCalls) {
  MakeCommo(2);
  commo_->GetClient(0);  // outside any node: still node 2's connection
  RunAs(2, [&] {
    int32_t who = -1;
    EXPECT_EQ(commo_->GetProxy<WhoProxy>(0)->WhoAmI(&who), rrr::kOk);
  });
  EXPECT_EQ(commo_->transport()->Counters(2).rpcs_sent, 1u);
  EXPECT_EQ(commo_->transport()->Counters(rrr::kNoNode).rpcs_sent, 0u);
}

TEST_F(CommunicatorTest, ReconnectsAfterServerRestart) {
  MakeCommo(0);
  const int port = config_->Site(1).port;
  RunAs(0, [&] {
    int32_t who = -1;
    WhoProxy* p = commo_->GetProxy<WhoProxy>(1);
    EXPECT_EQ(p->WhoAmI(&who), rrr::kOk);
    servers_[1].reset();  // site 1 goes away: its connections close
    rrr::Coroutine::Sleep(10000);
    EXPECT_NE(commo_->GetProxy<WhoProxy>(1)->WhoAmI(&who), rrr::kOk);
    StartServer(1, port);  // back on the same address
    EXPECT_EQ(commo_->GetProxy<WhoProxy>(1), p);  // same proxy, re-opened connection
    who = -1;
    EXPECT_EQ(p->WhoAmI(&who), rrr::kOk);
    EXPECT_EQ(who, 1);
  });
  EXPECT_EQ(commo_->connects(), 2u);
}

TEST_F(CommunicatorTest, UnreachableSiteFailsCallsNotLookups) {
  servers_[5].reset();
  config_->SetPort(5, 4444);  // nobody listens there
  MakeCommo(3);
  RunAs(3, [&] {
    WhoProxy* p = commo_->GetProxy<WhoProxy>(5);
    ASSERT_NE(p, nullptr);
    int32_t who = -1;
    EXPECT_EQ(p->WhoAmI(&who), rrr::kErrNotConnected);
    EXPECT_EQ(who, -1);
  });
  EXPECT_EQ(commo_->connects(), 0u);
}

TEST_F(CommunicatorTest, CloseAllThenReuse) {
  MakeCommo(1);
  RunAs(1, [&] {
    int32_t who = -1;
    EXPECT_EQ(commo_->GetProxy<WhoProxy>(0)->WhoAmI(&who), rrr::kOk);
    commo_->CloseAll();
    EXPECT_EQ(commo_->connects(), 1u);
    EXPECT_EQ(commo_->GetProxy<WhoProxy>(0)->WhoAmI(&who), rrr::kOk);
  });
  EXPECT_EQ(commo_->connects(), 2u);
}

}  // namespace
}  // namespace janus
