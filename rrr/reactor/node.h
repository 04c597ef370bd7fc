// Nodes: the unit of crash/restart. A NodeContext groups the coroutines, timers and posted
// callbacks created while it was current, gives them a private random stream, and can cancel
// them all at once.
#ifndef RRR_REACTOR_NODE_H_
#define RRR_REACTOR_NODE_H_

#include <cstdint>
#include <exception>
#include <functional>
#include <map>
#include <memory>
#include <string>

#include "rrr/base/rand.h"

namespace rrr {

class Coroutine;
class Reactor;

// Thrown from Wait/Sleep/Yield in a coroutine whose node was cancelled (or whose reactor is being
// destroyed). Escaping a coroutine body it is swallowed silently. Lab code may catch it to clean
// up but must let it propagate (or return) afterwards.
class Cancelled : public std::exception {
 public:
  const char* what() const noexcept override { return "rrr::Cancelled"; }
};

class NodeContext : public std::enable_shared_from_this<NodeContext> {
 public:
  // Makes a node on the current reactor. Its Rand stream is derived from the reactor's seed, `id`
  // and how many nodes with this id were made before (a restarted node gets a fresh stream).
  static std::shared_ptr<NodeContext> Create(int id, const std::string& name);
  // The current node (set by NodeScope and while a node's coroutine/timer/callback runs), or null.
  static NodeContext* Current();

  ~NodeContext();
  NodeContext(const NodeContext&) = delete;
  NodeContext& operator=(const NodeContext&) = delete;

  int id() const { return id_; }
  const std::string& name() const { return *name_; }
  // Shared copy of the name, safe to hand to another thread.
  std::shared_ptr<const std::string> shared_name() const { return name_; }
  // This node's random stream (what Rand::Current() returns while the node is current).
  Rand& rand() { return rand_; }
  bool cancelled() const { return cancelled_; }
  // Number of unfinished coroutines of this node.
  size_t live_coroutines() const { return coroutines_.size(); }

  // Crashes the node's activity: drops its pending timers, marks it cancelled (its posted
  // callbacks and later timers are dropped, CreateRun under it does nothing) and resumes each of
  // its waiting coroutines, in id order, so that their wait throws rrr::Cancelled and their stacks
  // unwind before Cancel returns. A coroutine of the node that is running (e.g. the caller)
  // throws at its next wait. Irreversible: a restarted node needs a new NodeContext.
  void Cancel();

  // Runs fn now with this node current (a NodeScope around fn).
  void Run(const std::function<void()>& fn);

  // Registers `hook` to run when this node is destroyed, that is once nothing holds it any more:
  // its coroutines have finished and (in the harness) the objects built under it are gone. Hooks
  // run in registration order. The rpc server uses this to free the replies a crashed node never
  // sent. Returns a key for RemoveDestroyHook.
  uint64_t AddDestroyHook(std::function<void()> hook);
  // Forgets a hook that has not run yet (unknown keys are ignored).
  void RemoveDestroyHook(uint64_t key);

  // ---- Requests this node received and has not answered yet (rrr::Server adds one per
  // request it hands to a handler and removes it when the reply is sent), so that a test can
  // find handlers that are never woken. ----
  struct PendingRequest {
    uint32_t method_id = 0;
    const char* method_name = nullptr;  // static storage ("KvService.Put"), or null if unnamed
    uint64_t since_us = 0;              // rrr::Time::Now() when the request arrived
  };
  // Records a request now pending; returns its key for RemovePendingRequest.
  uint64_t AddPendingRequest(uint32_t method_id, const char* method_name);
  // Forgets a pending request (unknown keys are ignored).
  void RemovePendingRequest(uint64_t key);
  // The pending requests, oldest first (by key, i.e. arrival order).
  const std::map<uint64_t, PendingRequest>& pending_requests() const { return pending_; }

 private:
  friend class Coroutine;
  friend class NodeScope;
  struct Key {};

 public:
  NodeContext(Key, int id, const std::string& name, Reactor* reactor);  // use Create()

 private:
  static void SetCurrent(NodeContext* node);

  int id_;
  std::shared_ptr<const std::string> name_;
  Reactor* reactor_;
  Rand rand_;
  bool cancelled_ = false;
  std::map<uint64_t, Coroutine*> coroutines_;  // live coroutines by id
  std::map<uint64_t, std::function<void()>> destroy_hooks_;  // by key, i.e. registration order
  uint64_t next_hook_key_ = 1;
  std::map<uint64_t, PendingRequest> pending_;  // by key: arrival order
  uint64_t next_pending_key_ = 1;
};

// Makes `node` (may be null: no node) current for the guard's scope, then restores the previous.
class NodeScope {
 public:
  explicit NodeScope(NodeContext* node);
  ~NodeScope();
  NodeScope(const NodeScope&) = delete;
  NodeScope& operator=(const NodeScope&) = delete;

 private:
  NodeContext* prev_;
};

// Runs start(); if it throws, cancels the current node (when there is one) and rethrows. For
// the constructor of a node object: a node that fails to start is a crashed node, so its
// coroutines (e.g. Raft's loops) unwind while the members they wait on still exist, before the
// exception destroys those members.
template <class Start>
void CancelNodeIfStartThrows(Start&& start) {
  try {
    start();
  } catch (...) {
    if (NodeContext* node = NodeContext::Current()) node->Cancel();
    throw;
  }
}

}  // namespace rrr

#endif  // RRR_REACTOR_NODE_H_
