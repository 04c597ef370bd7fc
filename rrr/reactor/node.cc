#include "rrr/reactor/node.h"

#include <vector>

#include "rrr/base/logging.h"
#include "rrr/base/time.h"
#include "rrr/base/verify.h"
#include "rrr/reactor/coroutine.h"
#include "rrr/reactor/reactor.h"

namespace rrr {
namespace {
thread_local NodeContext* tl_node = nullptr;
}  // namespace

std::shared_ptr<NodeContext> NodeContext::Create(int id, const std::string& name) {
  return std::make_shared<NodeContext>(Key{}, id, name, Reactor::GetReactor());
}

NodeContext::NodeContext(Key, int id, const std::string& name, Reactor* reactor)
    : id_(id),
      name_(std::make_shared<const std::string>(name)),
      reactor_(reactor),
      rand_(Rand(reactor->seed())
                .Fork(Rand::Mix(static_cast<uint64_t>(static_cast<uint32_t>(id))) ^
                      reactor->NextIncarnation(id))) {}

NodeContext::~NodeContext() {
  // Coroutines hold a shared_ptr to their node, so none can be alive here.
  verify(coroutines_.empty());
  std::map<uint64_t, std::function<void()>> hooks;
  hooks.swap(destroy_hooks_);
  for (auto& entry : hooks) entry.second();
}

NodeContext* NodeContext::Current() { return tl_node; }

void NodeContext::SetCurrent(NodeContext* node) { tl_node = node; }

void NodeContext::Cancel() {
  if (!cancelled_) {
    Log_debug("cancelling node %s (%zu coroutines)", name().c_str(), coroutines_.size());
  }
  cancelled_ = true;
  reactor_->CancelNodeTimers(this);
  // Resume each waiting coroutine so that its wait throws Cancelled. Resuming one may create or
  // finish others, so re-scan (in id order) until no waiting coroutine is left untried.
  std::shared_ptr<NodeContext> keep = shared_from_this();
  uint64_t next_id = 0;
  while (true) {
    auto it = coroutines_.lower_bound(next_id);
    while (it != coroutines_.end() && it->second->state() != Coroutine::State::kSuspended) ++it;
    if (it == coroutines_.end()) break;
    std::shared_ptr<Coroutine> co = it->second->shared_from_this();
    next_id = co->id() + 1;
    co->Resume(Coroutine::WakeReason::kCancel);
  }
  // Callbacks queued or timers added by the unwinding code are dropped when they come up.
  reactor_->CancelNodeTimers(this);
}

void NodeContext::Run(const std::function<void()>& fn) {
  NodeScope scope(this);
  fn();
}

uint64_t NodeContext::AddDestroyHook(std::function<void()> hook) {
  const uint64_t key = next_hook_key_++;
  destroy_hooks_.emplace(key, std::move(hook));
  return key;
}

void NodeContext::RemoveDestroyHook(uint64_t key) { destroy_hooks_.erase(key); }

uint64_t NodeContext::AddPendingRequest(uint32_t method_id, const char* method_name) {
  const uint64_t key = next_pending_key_++;
  pending_.emplace_hint(pending_.end(), key, PendingRequest{method_id, method_name, Time::Now()});
  return key;
}

void NodeContext::RemovePendingRequest(uint64_t key) { pending_.erase(key); }

NodeScope::NodeScope(NodeContext* node) : prev_(NodeContext::Current()) {
  NodeContext::SetCurrent(node);
}

NodeScope::~NodeScope() { NodeContext::SetCurrent(prev_); }

}  // namespace rrr
