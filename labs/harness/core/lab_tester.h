// LabTester<Node>: the base of every lab's test fixture (RaftTester, KvTester, the toy lab's
// ToyTester). It owns, once for all labs, what a scenario does to a Cluster<Node>: failures,
// time, the test's random stream, the network and crash controls, coroutines of the test, and
// the final check. A lab's tester derives from it and adds only what is its own (Raft: the
// apply checker; KV: clerks, the recorded history, the workload).
//
//   class ToyTester : public harness::LabTester<ToyNode> {
//    public:
//     explicit ToyTester(int n) : LabTester(n) { StartCluster(ToyNode::Make); }
//     ~ToyTester() override { StopCluster(); }  // before the members the nodes use go away
//    protected:
//     void EndChecks(const char* file, int line) override;  // the lab's final checks
//   };
//
//   GRADED_TEST(Toy, Counters, "toy", "A", 5, 10000) {
//     ToyTester t(3);
//     t.Disconnect(1);
//     ...
//     t.End();
//   }
//
// Failures: a helper that finds a problem records a googletest failure at the line of the test
// that called it (its `file`/`line` parameters default to the caller's, via __builtin_FILE and
// __builtin_LINE) and throws ScenarioFailure, which ends the scenario: the graded-test runner
// absorbs it, and a coroutine started by Go ends alone (Join then ends the scenario).
//
// Events: each fault the tester injects is passed to Note(), which logs it; a lab's tester may
// also record it (KvTester draws it on the history's timeline). Log lines start with the
// tester's log name ("test", "kv test").
//
// The end: End() runs the lab's final checks, then checks that no request handler is left
// waiting. If a node that is up still holds a request it has not answered (a `defer` handler
// waiting for an event), End heals the network completely (everyone connected, no partition,
// reliable) and waits up to kPendingDrainUs for every such request to be answered; one still
// pending then fails the test, naming each node and its methods ("s1: KvService.Put x2"). A
// request that arrives after the heal is not held against the node. Crashed nodes are not
// checked, and neither is a cluster with fewer than a majority of its nodes up (a correct
// leader may then wait for ever). When nothing is pending, End changes nothing and takes no
// time, so a test's run does not change.
//
// Teardown: the derived destructor stops what uses its own members (its clients, then
// StopCoroutines(), then StopCluster()); the base destructor stops whatever is left.
//
// Everything runs on the test's reactor, in coroutines: no threads, no locks.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "labs/harness/core/cluster.h"
#include "labs/harness/core/co_group.h"
#include "labs/harness/core/graded_test.h"
#include "labs/harness/core/pending_requests.h"
#include "labs/harness/core/scenario_failure.h"
#include "labs/harness/core/trace_event.h"
#include "rrr/base/rand.h"
#include "rrr/base/time.h"
#include "rrr/reactor/coroutine.h"
#include "rrr/reactor/node.h"

namespace janus {
namespace harness {

template <typename Node>
class LabTester {
 public:
  using Factory = typename Cluster<Node>::Factory;

  LabTester(const LabTester&) = delete;
  LabTester& operator=(const LabTester&) = delete;
  virtual ~LabTester() {
    StopCoroutines();
    StopCluster();
  }

  int n() const { return n_; }
  Cluster<Node>& cluster() { return *cluster_; }

  // ---- Failures, time, randomness. ----
  // Records `message` as a failure at file:line (default: the caller's), logs its first line
  // and throws ScenarioFailure (see FailScenario).
  [[noreturn]] void Fail(const std::string& message, const char* file = __builtin_FILE(),
                         int line = __builtin_LINE()) {
    FailScenario(message, file, line, log_name_);
  }
  // Sleeps in the calling coroutine (reactor time), then runs CheckBackground().
  void Sleep(uint64_t us) {
    rrr::Coroutine::Sleep(us);
    CheckBackground();
  }
  // Reactor time now, in microseconds.
  uint64_t Now() const { return rrr::Time::Now(); }
  // Uniform in [lo, hi]. In a graded test, from the test's own stream (Env().rand(), seeded from
  // the test seed, independent of the nodes' streams). Outside one (a tester in a plain TEST on
  // RunOnFreshReactor), from rrr::Rand::Current(): the current node's or the reactor's stream,
  // so a run is still a function of the reactor's seed.
  int64_t Rand(int64_t lo, int64_t hi) {
    if (TestEnv* env = CurrentEnvOrNull()) return env->rand().Range(lo, hi);
    return rrr::Rand::Int(lo, hi);
  }

  // ---- Network (see Cluster and FaultyNetwork). Each change is passed to Note(). ----
  void Connect(int i) {
    cluster_->Connect(i);
    Note("connect " + NodeName(i));
  }
  void Disconnect(int i) {
    cluster_->Disconnect(i);
    Note("disconnect " + NodeName(i));
  }
  bool IsConnected(int i) const { return cluster_->IsConnected(i); }
  // Splits the nodes into groups: only nodes of one group reach each other (nodes not named form
  // one more group). Connect/Disconnect still apply on top; Heal() undoes the split.
  void Partition(const std::vector<std::vector<int>>& groups) {
    cluster_->Partition(groups);
    std::string text = "partition";
    for (const auto& g : groups) text += " " + ListNodes(g);
    Note(text);
  }
  void Heal() {
    cluster_->Heal();
    Note("heal the partition");
  }
  // Splits the nodes into two groups `a` and `b` that cannot reach each other, leaving the links
  // of the tester's client nodes (clerks) as they are, unlike Partition. REQUIRES: every node in
  // exactly one group.
  void PartitionServers(const std::vector<int>& a, const std::vector<int>& b) {
    std::vector<int> side(n_, -1);
    for (int i : a) side.at(i) = 0;
    for (int i : b) {
      verify_msg(side.at(i) == -1, "LabTester::PartitionServers: a node in both groups");
      side.at(i) = 1;
    }
    for (int i = 0; i < n_; i++) {
      verify_msg(side[i] != -1, "LabTester::PartitionServers: a node in no group");
      for (int j = i + 1; j < n_; j++) SetNodeLink(i, j, side[i] == side[j]);
    }
    Note("partition " + ListNodes(a) + " " + ListNodes(b));
  }
  // Undoes PartitionServers and connects every disconnected node again.
  void ConnectAllServers() {
    for (int i = 0; i < n_; i++) {
      for (int j = i + 1; j < n_; j++) SetNodeLink(i, j, true);
      cluster_->Connect(i);
    }
    Note("heal: every server connected");
  }
  // Random drops and delays of requests and replies.
  void SetUnreliable(bool on) {
    cluster_->SetUnreliable(on);
    Note(on ? "network unreliable" : "network reliable");
  }
  // Some requests held back by 100..1100 ms (e.g. an AppendEntries arrives after newer ones).
  void SetRequestReordering(bool on) {
    cluster_->net().SetRequestReordering(on);
    Note(on ? "requests reordered" : "requests in order");
  }
  // Some requests delivered twice, the copy later.
  void SetDuplication(bool on) {
    cluster_->net().SetDuplication(on);
    Note(on ? "requests duplicated" : "requests not duplicated");
  }

  // ---- Nodes. ----
  bool IsUp(int i) const { return cluster_->IsUp(i); }
  // The nodes that are up and connected, in index order.
  std::vector<int> Connected() const {
    std::vector<int> out;
    for (int i = 0; i < n_; i++) {
      if (cluster_->IsUp(i) && cluster_->IsConnected(i)) out.push_back(i);
    }
    return out;
  }
  // Crashes node i (its persister survives; no-op if it is down).
  virtual void Crash(int i) {
    cluster_->Crash(i);
    Note("crash " + NodeName(i));
  }
  // Restarts node i from a copy of its persister; it stays disconnected until Connect(i).
  // REQUIRES: node i is down.
  virtual void Restart(int i) {
    cluster_->Restart(i);
    Note("restart " + NodeName(i));
  }

  // ---- Counters: RPC requests and bytes sent by every node so far. ----
  uint64_t RpcTotal() const { return cluster_->TotalRpcs(); }
  uint64_t BytesTotal() const { return cluster_->TotalBytes(); }

  // ---- Coroutines of the test (concurrent clients). ----
  // Runs fn at once in a new coroutine (on the tester's node, if it has one); a failure in it
  // ends that coroutine only.
  void Go(std::function<void()> fn, const char* file = __builtin_FILE(),
          int line = __builtin_LINE()) {
    group_.Go(tester_node_.get(), std::move(fn), file, line);
  }
  // Waits until every coroutine started by Go has finished; then throws ScenarioFailure if the
  // test has recorded a failure (in one of them or elsewhere).
  void Join() {
    group_.Wait();
    ThrowIfFailed();
  }

  // ---- The end of a scenario. ----
  // How long End waits, after healing the network, for the requests still pending on the live
  // nodes to be answered (reactor time): five times the 1 s election timeout the labs' tests
  // assume, enough for a healed cluster to elect a leader, for every deposed leader to hear of
  // the new term and for the log to catch up.
  static constexpr uint64_t kPendingDrainUs = 5 * 1000 * 1000;

  // Runs CheckBackground(), the lab's EndChecks() and CheckPendingDrain(); the scenario passed
  // if this returns.
  void End(const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
    CheckBackground();
    EndChecks(file, line);
    CheckPendingDrain(file, line);
    Log_debug("%s: passed its checks", log_name_.c_str());
  }

  // The pending-handler check (see the file comment), reported at file:line.
  void CheckPendingDrain(const char* file = __builtin_FILE(), int line = __builtin_LINE()) {
    CheckPendingDrainOf({cluster_.get()},
                        "heal the whole network and wait for the pending requests to be answered",
                        file, line);
  }

  // The same check over `clusters`, which share this tester's network (e.g. a lab's replica
  // groups, kept beside the tester's own cluster): a cluster with a majority of its nodes down is
  // skipped (noted, if it holds a pending request); if a request is pending on another, the
  // whole network is healed (noted as `heal_note`) and every such request must be answered within
  // kPendingDrainUs.
  void CheckPendingDrainOf(const std::vector<const ClusterBase*>& clusters,
                           const std::string& heal_note, const char* file = __builtin_FILE(),
                           int line = __builtin_LINE()) {
    const uint64_t start = Now();
    std::vector<const ClusterBase*> checked;
    for (const ClusterBase* c : clusters) {
      int up = 0;
      for (int i = 0; i < c->n(); i++) up += c->IsUp(i) ? 1 : 0;
      if (2 * up > c->n()) {
        checked.push_back(c);
      } else if (AnyPendingSince({c}, start)) {
        Note("pending-request check skipped: only " + std::to_string(up) + " of " +
             std::to_string(c->n()) + " nodes are up");
      }
    }
    if (!AnyPendingSince(checked, start)) return;
    cluster_->net().HealAll();
    Note(heal_note);
    while (AnyPendingSince(checked, start)) {
      if (Now() >= start + kPendingDrainUs) {
        std::string where;
        for (const ClusterBase* c : checked) {
          for (int i = 0; i < c->n(); i++) {
            rrr::NodeContext* ctx = c->Context(i);
            if (ctx == nullptr || !HasPendingSince(*ctx, start)) continue;
            where += (where.empty() ? "" : "; ") + c->NodeName(i) + ": " +
                     DescribePending(PendingByMethod(*ctx, start));
          }
        }
        Fail("pending handlers: requests still unanswered " +
                 std::to_string(kPendingDrainUs / 1000000) +
                 " s after the end of the test (network healed): " + where +
                 "\nA handler waits for an event that never comes (see \"Pending handlers\" "
                 "in the lab guide).",
             file, line);
      }
      Sleep(kPendingPollUs);
    }
  }

  // Records a scenario event (a fault injected, "leader is s2", ...): logged at debug level as
  // "<log name>: <what>", and a `step` event in a structured trace.
  virtual void Note(const std::string& what) {
    Log_debug("%s: %s", log_name_.c_str(), what.c_str());
    if (StructuredTrace()) TraceEvent("step").Str("text", what).Emit();
  }

 protected:
  // A tester of n nodes whose log lines start with `log_name` ("kv test: partition ...", "kv
  // test: FAIL: ..."); the derived constructor calls StartCluster.
  explicit LabTester(int n, std::string log_name = "test")
      : n_(n), log_name_(std::move(log_name)) {}

  // Builds the cluster from `make` (see Cluster's factory contract). Called once by the derived
  // constructor, after the state that the nodes' callbacks use exists.
  void StartCluster(Factory make) {
    cluster_ = std::make_unique<Cluster<Node>>(n_, std::move(make));
  }
  // Gives the tester a node of its own, "tester" (a client context of the cluster): Go runs its
  // coroutines there, so that StopCoroutines() unwinds them. Without one they belong to no node
  // and are unwound only with the reactor. Call right after StartCluster.
  void CreateTesterNode() { tester_node_ = cluster_->NewClientContext("tester"); }
  rrr::NodeContext* tester_node() const { return tester_node_.get(); }
  // Cancels the tester node's coroutines (their stacks unwind now). Idempotent.
  void StopCoroutines() {
    if (tester_node_ != nullptr) tester_node_->Cancel();
  }
  // Crashes and destroys every node. Idempotent; the cluster is gone afterwards.
  void StopCluster() { cluster_.reset(); }

  // Hooks for the lab's tester.
  // Throws (Fail or ScenarioFailure) if a check running in the background found a problem;
  // called after every Sleep, and by End. Default: nothing to check.
  virtual void CheckBackground() {}
  // The lab's final checks, reported at file:line (the test's End call). Default: none.
  virtual void EndChecks(const char* /*file*/, int /*line*/) {}

  std::string NodeName(int i) const { return cluster_->NodeName(i); }
  // True if a live node holds a request that arrived at or before arrived_by_us, unanswered.
  bool AnyPendingSince(uint64_t arrived_by_us) const {
    return AnyPendingSince({cluster_.get()}, arrived_by_us);
  }
  // The same over the nodes of `clusters`.
  static bool AnyPendingSince(const std::vector<const ClusterBase*>& clusters,
                              uint64_t arrived_by_us) {
    for (const ClusterBase* c : clusters) {
      for (int i = 0; i < c->n(); i++) {
        rrr::NodeContext* ctx = c->Context(i);
        if (ctx != nullptr && HasPendingSince(*ctx, arrived_by_us)) return true;
      }
    }
    return false;
  }
  // "[s0 s1 s2]".
  std::string ListNodes(const std::vector<int>& nodes) const {
    std::string s = "[";
    for (size_t k = 0; k < nodes.size(); k++) s += (k ? " " : "") + NodeName(nodes[k]);
    return s + "]";
  }

 private:
  // The links between nodes i and j, both ways.
  void SetNodeLink(int i, int j, bool up) {
    cluster_->net().SetLink(cluster_->NodeId(i), cluster_->NodeId(j), up);
    cluster_->net().SetLink(cluster_->NodeId(j), cluster_->NodeId(i), up);
  }

  static constexpr uint64_t kPendingPollUs = 10 * 1000;  // CheckPendingDrain's poll period

  int n_;
  std::string log_name_;
  std::unique_ptr<Cluster<Node>> cluster_;
  std::shared_ptr<rrr::NodeContext> tester_node_;
  CoGroup group_;
};

}  // namespace harness
}  // namespace janus
