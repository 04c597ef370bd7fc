#include "labs/harness/toy/toy_node.h"

#include <stdexcept>

#include "rrr/base/logging.h"
#include "rrr/reactor/event.h"

namespace janus {
namespace toy_lab {
namespace {

// Runs its action when destroyed: marks a stack as unwound.
class OnUnwind {
 public:
  explicit OnUnwind(int* counter) : counter_(counter) {}
  ~OnUnwind() { (*counter_)++; }
  OnUnwind(const OnUnwind&) = delete;
  OnUnwind& operator=(const OnUnwind&) = delete;

 private:
  int* counter_;
};

}  // namespace

ToyStats& Stats() {
  static ToyStats stats;
  return stats;
}

ToyNode::ToyNode(int index, Persister* persister, const std::vector<std::string>& addrs)
    : index_(index), persister_(persister), addrs_(addrs) {
  const std::string saved = persister_->ReadRaftState();
  if (!saved.empty()) value_ = std::stoll(saved);
  server_.RegisterService(this);
  const int err = server_.Listen(addrs_[index_]);
  if (err != 0) {
    throw std::runtime_error("toy node cannot listen on " + addrs_[index_] + ": error " +
                             std::to_string(err));
  }
  Stats().constructed++;
  Log_debug("toy: node %d up, counter %lld", index_, static_cast<long long>(value_));
}

ToyNode::~ToyNode() { Stats().destroyed++; }

std::unique_ptr<ToyNode> ToyNode::Make(int index, Persister* persister,
                                       const std::vector<std::string>& addrs) {
  return std::make_unique<ToyNode>(index, persister, addrs);
}

toy::CounterProxy ToyNode::Proxy(int peer) {
  rrr::Client* client = pool_.GetClient(addrs_.at(peer));
  return toy::CounterProxy(client != nullptr ? client : &unconnected_);
}

rrr::FutureAttr ToyNode::Attr(uint64_t timeout_us, std::function<void(rrr::Future*)> cb) const {
  rrr::FutureAttr attr;
  attr.timeout_us = timeout_us;
  attr.callback = std::move(cb);
  return attr;
}

rrr::FuturePtr ToyNode::SendAdd(int peer, int64_t delta, uint64_t timeout_us) {
  return Proxy(peer).async_Add(delta, Attr(timeout_us, nullptr));
}

rrr::FuturePtr ToyNode::SendEcho(int peer, const std::string& data, uint64_t timeout_us,
                                 std::function<void(rrr::Future*)> callback) {
  return Proxy(peer).async_Echo(data, Attr(timeout_us, std::move(callback)));
}

rrr::FuturePtr ToyNode::SendHold(int peer, uint64_t timeout_us) {
  return Proxy(peer).async_Hold(Attr(timeout_us, nullptr));
}

rrr::FuturePtr ToyNode::SendThrow(int peer, const std::string& what) {
  return Proxy(peer).async_Throw(what, Attr(0, nullptr));
}

void ToyNode::Increment(int64_t delta, uint64_t timeout_us) {
  Apply(delta);
  for (int peer = 0; peer < static_cast<int>(addrs_.size()); peer++) {
    if (peer != index_) SendAdd(peer, delta, timeout_us);
  }
}

void ToyNode::StartTicker(uint64_t period_us) {
  rrr::Coroutine::CreateRun([this, period_us] {
    OnUnwind guard(&Stats().ticker_unwound);
    while (true) {
      rrr::Coroutine::Sleep(period_us);
      ticks_++;
    }
  });
}

void ToyNode::StartBusyLoop() {
  rrr::Coroutine::CreateRun([this] {
    Log_info("toy: node %d starts spinning without yielding", index_);
    volatile uint64_t spins = 0;
    while (true) spins = spins + 1;
  });
}

void ToyNode::Apply(int64_t delta) {
  value_ += delta;
  persister_->SaveRaftState(std::to_string(value_));
}

void ToyNode::Add(const int64_t& delta, int64_t* value, rrr::DeferredReply* defer) {
  Apply(delta);
  *value = value_;
  defer->reply();
}

void ToyNode::Get(int64_t* value, rrr::DeferredReply* defer) {
  *value = value_;
  defer->reply();
}

void ToyNode::Echo(const std::string& data, std::string* out, rrr::DeferredReply* defer) {
  *out = data;
  defer->reply();
}

void ToyNode::Hold(bool* released, rrr::DeferredReply* defer) {
  OnUnwind guard(&Stats().hold_unwound);
  auto never = std::make_shared<rrr::IntEvent>();
  never->Wait();  // throws rrr::Cancelled when the node crashes
  *released = true;
  defer->reply();
}

void ToyNode::Throw(const std::string& what, rrr::DeferredReply*) {
  throw std::runtime_error(what);
}

}  // namespace toy_lab
}  // namespace janus
