// The toy lab: a replicated counter node used to test the harness (network controls, crash
// and restart, determinism, the watchdog). Each node keeps a counter, persists it on every
// change, and serves toy::CounterService; Increment adds locally and sends the delta to every
// peer, each of which applies it (leaderless, no retries: lost messages stay lost).
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "deptran/persister.h"
#include "rrr/rpc/rpc.h"
#include "toy_rpc.h"

namespace janus {
namespace toy_lab {

// Process-wide counts of object lifecycles, for crash tests.
struct ToyStats {
  int constructed = 0;      // ToyNode constructors run
  int destroyed = 0;        // ToyNode destructors run
  int ticker_unwound = 0;   // ticker coroutines whose stacks were unwound
  int hold_unwound = 0;     // Hold handlers whose stacks were unwound
};
ToyStats& Stats();

class ToyNode : public toy::CounterService {
 public:
  // Node `index` of a cluster whose nodes listen on `addrs`; reads its counter from
  // `persister` (which must outlive the node) and listens on addrs[index]. Throws
  // std::runtime_error if it cannot listen.
  ToyNode(int index, Persister* persister, const std::vector<std::string>& addrs);
  ~ToyNode() override;

  // The cluster's node factory.
  static std::unique_ptr<ToyNode> Make(int index, Persister* persister,
                                       const std::vector<std::string>& addrs);

  int index() const { return index_; }
  int64_t value() const { return value_; }
  // Number of ticks of the ticker coroutine so far.
  uint64_t ticks() const { return ticks_; }

  // RPCs to node `peer` (index). A reply or an error (kErrTimeout after timeout_us if > 0,
  // kErrUnreachable if the network dropped the request, kErrNotConnected if there is no
  // connection to the peer) completes the future; `callback`, if given, runs then. Call them
  // with this node's context current (Cluster::At).
  rrr::FuturePtr SendAdd(int peer, int64_t delta, uint64_t timeout_us);
  rrr::FuturePtr SendEcho(int peer, const std::string& data, uint64_t timeout_us,
                          std::function<void(rrr::Future*)> callback = nullptr);
  rrr::FuturePtr SendHold(int peer, uint64_t timeout_us);
  rrr::FuturePtr SendThrow(int peer, const std::string& what);

  // Adds delta to the local counter and sends Add(delta) to every peer (without waiting).
  void Increment(int64_t delta, uint64_t timeout_us);

  // Starts a coroutine that wakes every period_us and counts a tick, forever.
  void StartTicker(uint64_t period_us);
  // Starts a coroutine that spins without ever yielding (to trip the watchdog).
  void StartBusyLoop();

  // toy::CounterService.
  void Add(const int64_t& delta, int64_t* value, rrr::DeferredReply* defer) override;
  void Get(int64_t* value, rrr::DeferredReply* defer) override;
  void Echo(const std::string& data, std::string* out, rrr::DeferredReply* defer) override;
  void Hold(bool* released, rrr::DeferredReply* defer) override;
  void Throw(const std::string& what, rrr::DeferredReply* defer) override;

 private:
  toy::CounterProxy Proxy(int peer);
  rrr::FutureAttr Attr(uint64_t timeout_us, std::function<void(rrr::Future*)> cb) const;
  void Apply(int64_t delta);

  int index_;
  Persister* persister_;
  std::vector<std::string> addrs_;
  int64_t value_ = 0;
  uint64_t ticks_ = 0;
  rrr::Server server_;
  rrr::ClientPool pool_;
  rrr::Client unconnected_;  // stands in for a peer that refuses connections
};

}  // namespace toy_lab
}  // namespace janus
