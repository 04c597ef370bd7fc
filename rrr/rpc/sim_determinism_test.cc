// A simulated run is a pure function of its seed: same seed, same trace, to the microsecond.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rrr/base/rand.h"
#include "rrr/base/time.h"
#include "rrr/reactor/event.h"
#include "rrr/rpc/rpc.h"

namespace rrr {
namespace {

// Random per-frame delays and drops, drawn from the reactor's seeded stream.
class RandomLinks : public NetPolicy {
 public:
  FrameFate Decide(int, int, bool, size_t) override {
    FrameFate f;
    f.drop = Rand::Current().Chance(0.1);
    f.extra_delay_us = Rand::Current().Below(5000);
    return f;
  }
};

std::vector<std::string> RunOnce(uint64_t seed) {
  ReactorOptions o;
  o.virtual_time = true;
  o.seed = seed;
  auto reactor = Reactor::Create(o);
  Transport::Default()->SetPolicy(std::make_shared<RandomLinks>());
  std::vector<std::string> trace;
  auto srv_node = NodeContext::Create(1, "s");
  std::unique_ptr<Server> server;
  {
    NodeScope scope(srv_node.get());
    server = std::make_unique<Server>();
    server->RegHandler(1, [](Marshal& args, DeferredReply* r) {
      int32_t v = 0;
      args >> v;
      Coroutine::Sleep(Rand::Current().Below(3000));
      r->SetOutputs([v](Marshal& out) { out << v; });
      r->reply();
    });
    EXPECT_EQ(0, server->Listen("s:0"));
  }
  std::vector<std::unique_ptr<Client>> clients;
  for (int c = 0; c < 3; c++) {
    auto node = NodeContext::Create(10 + c, "c" + std::to_string(c));
    NodeScope scope(node.get());
    clients.push_back(std::make_unique<Client>());
    EXPECT_EQ(0, clients.back()->Connect(server->addr()));
    Client* cl = clients.back().get();
    Coroutine::CreateRun([cl, c, &trace]() {
      for (int i = 0; i < 20; i++) {
        Marshal m;
        m << int32_t{c * 100 + i};
        FutureAttr attr;
        attr.timeout_us = 8000;
        FuturePtr f = cl->Call(1, m, attr);
        f->Wait();
        trace.push_back(std::to_string(Time::Now()) + " c" + std::to_string(c) + " " +
                        std::to_string(i) + " ec " + std::to_string(f->get_error_code()));
      }
    });
  }
  reactor->RunFor(10 * 1000 * 1000);
  trace.push_back("rpcs " + std::to_string(Transport::Default()->Counters(10).rpcs_sent));
  clients.clear();
  server.reset();
  return trace;
}

TEST(SimDeterminismTest, SameSeedSameTrace) {
  std::vector<std::string> a = RunOnce(5), b = RunOnce(5), c = RunOnce(6);
  EXPECT_EQ(61u, a.size());
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
}

}  // namespace
}  // namespace rrr
