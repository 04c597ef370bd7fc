// Shared fixture of the rpc tests: one parameterised suite run over the sim transport (virtual
// time) and the tcp transport (real time, loopback).
#pragma once

#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>

#include "rrr/base/time.h"
#include "rrr/marshal/marshal.h"
#include "rrr/net/policy.h"
#include "rrr/net/sim_transport.h"
#include "rrr/net/transport.h"
#include "rrr/reactor/event.h"
#include "rrr/rpc/rpc.h"

namespace rrr {
namespace testing_util {

enum class Net { kSim, kTcp };

inline std::string NetName(const ::testing::TestParamInfo<Net>& info) {
  return info.param == Net::kSim ? "sim" : "tcp";
}

constexpr uint32_t kEcho = 1;      // string -> the same string
constexpr uint32_t kAdd = 2;       // i32 a, i32 b -> i32 a + b
constexpr uint32_t kSleepEcho = 3;  // u64 sleep_us, i64 v -> v, after sleeping

// A policy whose decisions a test sets directly.
class ScriptedPolicy : public NetPolicy {
 public:
  FrameFate Decide(int from, int to, bool is_reply, size_t bytes) override {
    decided++;
    last_from = from;
    last_to = to;
    (void)bytes;
    FrameFate fate;
    fate.drop = is_reply ? drop_replies : drop_requests;
    fate.extra_delay_us = extra_delay_us;
    fate.notify_sender = fate.drop && notify_drops;
    fate.fail_after_us = fail_after_us;
    fate.duplicate = !is_reply && duplicate_requests;
    fate.duplicate_delay_us = fate.duplicate ? duplicate_delay_us : 0;
    return fate;
  }
  bool Deliverable(int from, int to, bool is_reply) override {
    (void)from;
    (void)to;
    (void)is_reply;
    return deliverable;
  }
  bool drop_requests = false;
  bool drop_replies = false;
  bool deliverable = true;
  uint64_t extra_delay_us = 0;
  bool notify_drops = false;   // dropped frames are reported to their sender...
  uint64_t fail_after_us = 0;  // ...after this long
  bool duplicate_requests = false;  // requests are delivered twice...
  uint64_t duplicate_delay_us = 0;  // ...the copy this long after the first
  int decided = 0;
  int last_from = kNoNode;
  int last_to = kNoNode;
};

class RpcTest : public ::testing::TestWithParam<Net> {
 protected:
  void SetUp() override {
    ReactorOptions opts;
    opts.virtual_time = sim();
    opts.seed = 42;
    reactor_ = Reactor::Create(opts);
  }
  void TearDown() override { reactor_.reset(); }

  bool sim() const { return GetParam() == Net::kSim; }
  Transport* transport() { return Transport::Default(); }
  std::string ListenAddr() const { return sim() ? "server:0" : "127.0.0.1:0"; }

  // Registers kEcho, kAdd and kSleepEcho on `s`.
  static void AddTestHandlers(Server* s) {
    s->RegHandler(kEcho, [](Marshal& args, DeferredReply* r) {
      std::string v;
      args >> v;
      r->SetOutputs([v](Marshal& out) { out << v; });
      r->reply();
    });
    s->RegHandler(kAdd, [](Marshal& args, DeferredReply* r) {
      int32_t a = 0, b = 0;
      args >> a >> b;
      r->SetOutputs([a, b](Marshal& out) { out << static_cast<int32_t>(a + b); });
      r->reply();
    });
    s->RegHandler(kSleepEcho, [](Marshal& args, DeferredReply* r) {
      uint64_t us = 0;
      int64_t v = 0;
      args >> us >> v;
      Coroutine::Sleep(us);
      r->SetOutputs([v](Marshal& out) { out << v; });
      r->reply();
    });
  }

  // Makes a listening server with the test handlers, for node `node` (none if null).
  std::unique_ptr<Server> StartServer(NodeContext* node = nullptr) {
    NodeScope scope(node);
    auto s = std::make_unique<Server>();
    AddTestHandlers(s.get());
    EXPECT_EQ(0, s->Listen(ListenAddr()));
    return s;
  }

  // Runs fn in a coroutine and the reactor until it returns; fails after timeout_us.
  void RunCo(const std::function<void()>& fn, uint64_t timeout_us = 20 * 1000 * 1000) {
    bool done = false;
    Coroutine::CreateRun([&]() {
      fn();
      done = true;
    });
    ASSERT_TRUE(reactor_->RunUntil([&]() { return done; }, timeout_us)) << "coroutine hung";
  }

  // Runs the reactor until pred() holds (fails after timeout_us).
  void RunUntil(const std::function<bool()>& pred, uint64_t timeout_us = 20 * 1000 * 1000) {
    ASSERT_TRUE(reactor_->RunUntil(pred, timeout_us)) << "condition never held";
  }

  static Marshal EchoArgs(const std::string& s) {
    Marshal m;
    m << s;
    return m;
  }
  static std::string EchoResult(const FuturePtr& f) {
    std::string out;
    f->get_reply() >> out;
    return out;
  }
  static Marshal SleepArgs(uint64_t us, int64_t v) {
    Marshal m;
    m << us << v;
    return m;
  }

  std::shared_ptr<Reactor> reactor_;
};

}  // namespace testing_util
}  // namespace rrr
