// Cluster<Node>: N nodes of a lab in one process, on the current reactor, over the reactor's
// default transport (sim in --net=sim, loopback tcp in --net=tcp), behind a FaultyNetwork.
// The test scenario runs as a coroutine on the same reactor (a GRADED_TEST body) and calls the
// nodes directly.
//
//   std::unique_ptr<RaftNode> MakeRaft(int index, janus::Persister* persister,
//                                      const std::vector<std::string>& addrs);
//   Cluster<RaftNode> c(3, MakeRaft);
//   c.At(0, [&](RaftNode& r) { r.Start(cmd, &index, &term); });
//   c.Disconnect(0); ... c.Crash(1); c.Restart(1); c.Connect(1);
//
// Node factory contract: make(index, persister, addrs) builds node `index` of the cluster and
// everything it owns (rrr::Server listening on addrs[index], its services, its clients/commo
// to the peers at the other addrs). It runs with the node's rrr::NodeContext current, so every
// coroutine, timer, RPC handler and connection the node creates belongs to that node. The
// persister stays valid until the node is destroyed; it holds what the previous incarnation
// saved. Addresses are fixed for the cluster's life (a restarted node listens on the same
// one). The factory may throw: the test fails with the message and the node stays down.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

#include "deptran/persister.h"
#include "labs/harness/core/network.h"
#include "rrr/base/verify.h"
#include "rrr/reactor/node.h"

namespace janus {
namespace harness {

struct ClusterOptions {
  // Node i is named name_prefix + i (shown in logs and failure messages).
  std::string name_prefix = "s";
  // NodeContext/network id of node 0; node i has id first_id + i. Clusters sharing a reactor
  // (e.g. shard groups) need disjoint id ranges.
  int first_id = 0;
  // Network shared with other clusters on the reactor; null: install a new one.
  std::shared_ptr<FaultyNetwork> network;
};

// The type-independent part of Cluster<Node> (see the file comment).
class ClusterBase {
 public:
  using ErasedFactory = std::function<std::shared_ptr<void>(
      int index, Persister* persister, const std::vector<std::string>& addrs)>;

  // Builds and starts n nodes. REQUIRES: a reactor is current (normally inside a graded test).
  ClusterBase(int n, ErasedFactory make, ClusterOptions options);
  // Crashes every live node (cancels and destroys it) and, if this cluster installed the
  // network, removes it from the transport.
  virtual ~ClusterBase();
  ClusterBase(const ClusterBase&) = delete;
  ClusterBase& operator=(const ClusterBase&) = delete;

  int n() const { return static_cast<int>(slots_.size()); }
  // Listening address of every node, by index.
  const std::vector<std::string>& addrs() const { return addrs_; }
  // NodeContext/network id of node i.
  int NodeId(int i) const { return first_id_ + i; }
  const std::string& NodeName(int i) const { return slot(i).name; }
  // False between Crash(i) and Restart(i).
  bool IsUp(int i) const { return slot(i).object != nullptr; }
  // The running incarnation's context, or null while crashed.
  rrr::NodeContext* Context(int i) const { return slot(i).context.get(); }
  // The persister of node i (of its running incarnation, or what a restart will copy).
  Persister* GetPersister(int i) const { return slot(i).persister.get(); }
  // How many times node i was restarted.
  int Restarts(int i) const { return slot(i).restarts; }

  // Crash: disconnects node i, cancels its coroutines (their waits throw rrr::Cancelled and
  // their stacks unwind), destroys its objects and keeps its persister. No-op if already down.
  // REQUIRES: not called from a coroutine of node i.
  void Crash(int i);
  // Builds node i anew (new NodeContext, a copy of its persister). As with MIT's start1, the
  // node stays disconnected until Connect(i). REQUIRES: !IsUp(i).
  void Restart(int i);

  // Network controls by node index (see FaultyNetwork).
  void Connect(int i);
  void Disconnect(int i);
  bool IsConnected(int i) const;
  // Groups of node indices; nodes not named form one more group.
  void Partition(const std::vector<std::vector<int>>& groups);
  void Heal();
  void SetUnreliable(bool on) { net_->SetUnreliable(on); }
  void SetLongReordering(bool on) { net_->SetLongReordering(on); }
  void SetLongDelays(bool on) { net_->SetLongDelays(on); }
  FaultyNetwork& net() { return *net_; }

  // RPC requests / bytes sent by node i (all its incarnations), and totals over every node.
  uint64_t RpcCount(int i) const { return net_->Counters(NodeId(i)).rpcs_sent; }
  uint64_t BytesSent(int i) const { return net_->Counters(NodeId(i)).bytes_sent; }
  uint64_t TotalRpcs() const { return net_->TotalRpcs(); }
  uint64_t TotalBytes() const { return net_->TotalBytes(); }

  // A context for a client of the cluster (e.g. a KV clerk), with a fresh id above the
  // nodes' ids (first_id + 1000 + k), so the network controls apply to it by that id.
  std::shared_ptr<rrr::NodeContext> NewClientContext(const std::string& name);

 protected:
  struct Slot {
    std::string name;
    std::shared_ptr<rrr::NodeContext> context;
    std::shared_ptr<Persister> persister;
    std::shared_ptr<void> object;
    int restarts = 0;
  };
  const Slot& slot(int i) const {
    verify_msg(i >= 0 && i < n(), "Cluster: node index out of range");
    return slots_[i];
  }
  // Type-erased node object of node i (null while crashed).
  const std::shared_ptr<void>& object(int i) const { return slot(i).object; }

 private:
  void Build(int i);

  ErasedFactory make_;
  int first_id_;
  int next_client_ = 0;
  std::vector<Slot> slots_;
  std::vector<std::string> addrs_;
  std::shared_ptr<FaultyNetwork> net_;
  bool owns_net_ = false;
  void* transport_ = nullptr;  // rrr::Transport* whose policy we installed
};

template <typename Node>
class Cluster : public ClusterBase {
 public:
  // Builds node `index`; see the file comment.
  using Factory = std::function<std::unique_ptr<Node>(int index, Persister* persister,
                                                      const std::vector<std::string>& addrs)>;

  Cluster(int n, Factory make, ClusterOptions options = ClusterOptions())
      : ClusterBase(n, Erase(std::move(make)), std::move(options)) {}

  // Node i, or null while it is crashed. Calling a method that creates coroutines, timers or
  // RPCs should go through At() so that they belong to the node.
  Node* node(int i) const { return static_cast<Node*>(object(i).get()); }

  // Runs f(node i) with node i's context current and returns its result. f should not wait
  // (or node i must not be crashed while it waits). REQUIRES: IsUp(i).
  template <typename F>
  auto At(int i, F&& f) -> decltype(f(std::declval<Node&>())) {
    Node* n = node(i);
    verify_msg(n != nullptr, "Cluster::At on a crashed node");
    rrr::NodeScope scope(Context(i));
    return f(*n);
  }

 private:
  static ErasedFactory Erase(Factory make) {
    return [make](int index, Persister* p, const std::vector<std::string>& addrs) {
      return std::shared_ptr<void>(make(index, p, addrs));
    };
  }
};

}  // namespace harness
}  // namespace janus
