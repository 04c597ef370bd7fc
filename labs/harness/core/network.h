// FaultyNetwork: the harness's rrr::NetPolicy. It decides the fate of every frame on every
// directed link, in both transports: disconnected nodes, partitions, blocked links, an
// unreliable network (dropped requests and replies, extra delay), long reordering of replies,
// long reordering of requests and duplicated requests; and it counts each node's traffic. All
// randomness comes from its own seeded rrr::Rand (a mode that is off draws nothing), and every
// fault decision is logged at debug level (so it lands in a text --trace) and counted in
// FaultStats. With a structured trace (trace_event.h) it writes typed events instead: every
// RPC frame's send/deliver/reply with its fate, and every connectivity or mode change.
//
// Reordering and duplication of requests (SetRequestReordering, SetDuplication; both off by
// default) model a network that delivers an AppendEntries long after newer ones, or twice: a
// held-back request arrives 100 ms to 1.1 s late; a duplicated request is delivered a second
// time up to 1 s after the first (each copy is handled by the receiver and answered; the
// caller's rrr::Client drops the second reply, counting it in Client::late_replies()).
//
// Node ids are the ids of rrr::NodeContext (the senders/receivers the transports report).
// Frames with an endpoint of no node (rrr::kNoNode: test code that is not a node) are never
// faulted, only counted. Reachability is checked when a frame is sent and again when it is
// delivered, so frames in flight to or from a node that is cut off meanwhile are dropped.
//
// Which drops the caller hears of (MIT labrpc's semantics): a REQUEST dropped when it is sent,
// because its link is down (a disconnected node, a partition, a blocked link) or by the
// unreliable setting, is reported back to the sender (rrr::FrameFate::notify_sender), so the
// call fails with rrr::kErrUnreachable after a random delay: 0-100 ms for an unreachable node
// (0-7 s with SetLongDelays(true)), and the request's own 0-27 ms unreliable delay for a random
// drop. Everything else is silent and left to the caller's own timeout
// (FutureAttr::timeout_us or Wait(timeout_us)): dropped replies, and frames dropped at delivery
// because the link went down while they were in flight.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <utility>
#include <vector>

#include "labs/harness/core/rpc_trace.h"
#include "rrr/base/rand.h"
#include "rrr/net/policy.h"

namespace rrr {
class Transport;
}

namespace janus {
namespace harness {

// Probabilities and delays of the unreliable and reordering modes (defaults: MIT's).
struct FaultParams {
  double request_drop = 0.10;             // unreliable: chance a request is dropped
  double reply_drop = 0.10;               // unreliable: chance a reply is dropped
  uint64_t request_delay_max_us = 27000;  // unreliable: requests get 0..this extra delay
  double reorder_chance = 2.0 / 3.0;      // long reordering: chance a reply is held back
  uint64_t reorder_min_us = 200000;       // ...by at least this long
  uint64_t reorder_spread_us = 2000000;   // ...plus a skewed random part up to this
  double request_reorder_chance = 0.2;     // request reordering: chance a request is held back
  uint64_t request_reorder_min_us = 100000;     // ...by at least this long
  uint64_t request_reorder_spread_us = 1000000; // ...plus a skewed random part up to this
  double duplicate_chance = 0.1;               // duplication: chance a request is sent twice
  uint64_t duplicate_delay_max_us = 1000000;   // the copy comes a skewed 0..this after it
  uint64_t unreachable_fail_max_us = 100000;  // a request to an unreachable node fails after a
                                              // random 0..this (exclusive) ...
  uint64_t long_delay_fail_max_us = 7000000;  // ... or 0..this with SetLongDelays(true)
};

// Totals of the faults injected so far (for tests and reports).
struct FaultStats {
  uint64_t dropped_unreachable = 0;  // disconnected node, partition or blocked link
  uint64_t drops_reported = 0;       // dropped requests whose fate asks to tell the caller
  uint64_t dropped_unreliable = 0;   // random drops (requests and replies)
  uint64_t requests_dropped_unreliable = 0;
  uint64_t replies_dropped_unreliable = 0;
  uint64_t delayed = 0;              // frames given extra delay (unreliable)
  uint64_t reordered = 0;            // replies held back (long reordering)
  uint64_t requests_reordered = 0;   // requests held back (request reordering)
  uint64_t duplicated = 0;           // requests delivered twice (duplication)
};

class FaultyNetwork : public rrr::NetPolicy {
 public:
  // All random decisions come from a stream seeded with `seed`.
  explicit FaultyNetwork(uint64_t seed);

  // Makes a FaultyNetwork seeded from the current reactor's seed and installs it as the policy
  // of `transport` (nullptr: rrr::Transport::Default()). The transport shares ownership.
  static std::shared_ptr<FaultyNetwork> Install(rrr::Transport* transport = nullptr);

  // ---- Connectivity. Every node starts connected, in one partition, with no blocked link. ----

  // A disconnected node neither sends nor receives anything (frames in flight are dropped).
  void Connect(int node);
  void Disconnect(int node);
  bool IsConnected(int node) const;

  // Splits the nodes into groups: frames flow only between nodes of the same group. Nodes not
  // named in any group together form one more group. REQUIRES: no node in two groups.
  void Partition(const std::vector<std::vector<int>>& groups);
  // Undoes Partition: one group again (disconnected nodes stay disconnected).
  void Heal();

  // Blocks (up == false) or unblocks the directed link from -> to, independently of the above.
  void SetLink(int from, int to, bool up);

  // True if a frame from -> to would currently pass connectivity (ignoring random faults).
  bool Reachable(int from, int to) const;

  // ---- Random faults (apply to links between two nodes). ----

  // Drops requests and replies at random and delays requests (FaultParams).
  void SetUnreliable(bool on);
  bool unreliable() const { return unreliable_; }
  // Holds back many replies by 200..2200 ms so they arrive out of order.
  void SetLongReordering(bool on);
  bool long_reordering() const { return long_reordering_; }
  // Holds back some requests by 100..1100 ms, so that e.g. an AppendEntries arrives after the
  // newer ones sent after it (FaultParams::request_reorder_*).
  void SetRequestReordering(bool on);
  bool request_reordering() const { return request_reordering_; }
  // Delivers some requests twice, the copy later (FaultParams::duplicate_*).
  void SetDuplication(bool on);
  bool duplication() const { return duplication_; }
  // Undoes every fault: all nodes connected, one partition, no blocked link, and every random
  // mode off (unreliable, long and request reordering, duplication, long delays).
  void HealAll();
  // Calls to unreachable nodes fail after up to 7 s instead of up to 100 ms (MIT's
  // setlongdelays: a leader that waits for each reply in turn gets stuck behind a dead peer).
  void SetLongDelays(bool on);
  bool long_delays() const { return long_delays_; }
  void set_params(const FaultParams& p) { params_ = p; }
  const FaultParams& params() const { return params_; }

  // ---- Counters (every frame sent counts, also those then dropped). ----

  // Traffic sent by `node` (zeros if none).
  rrr::NodeCounters Counters(int node) const;
  // Sums over all nodes (kNoNode included).
  uint64_t TotalRpcs() const;
  uint64_t TotalBytes() const;
  const FaultStats& fault_stats() const { return stats_; }
  // Zeroes the traffic counters and fault stats.
  void ResetCounters();

  // Node `node` crashed (the cluster calls this after Disconnect): only the trace cares.
  void NodeCrashed(int node);

  // rrr::NetPolicy.
  rrr::FrameFate Decide(int from_node, int to_node, bool is_reply, size_t bytes) override;
  bool Deliverable(int from_node, int to_node, bool is_reply) override;
  // Same decisions as above; with a structured trace they also write the frame's events.
  rrr::FrameFate DecideFrame(int from_node, int to_node, bool is_reply, std::string_view head,
                             std::string_view body) override;
  bool DeliverableFrame(int from_node, int to_node, bool is_reply,
                        std::string_view frame) override;

 private:
  // Connectivity verdict: nullptr if reachable, else why not.
  const char* Unreachable(int from, int to) const;
  int GroupOf(int node) const;
  // Marks a dropped request's fate to be reported to its sender after fail_after_us.
  void ReportDrop(rrr::FrameFate* fate, uint64_t fail_after_us);
  // A random delay in [0, max_us], skewed towards short ones (MIT's long reordering).
  uint64_t Skewed(uint64_t max_us);
  // The random faults of a request that is not dropped: reordering and duplication.
  void ReorderOrDuplicate(int from, int to, size_t bytes, rrr::FrameFate* fate);
  // Writes a net_mode event (structured trace only).
  static void TraceMode(const char* mode, bool on);

  rrr::Rand rand_;
  FaultParams params_;
  bool unreliable_ = false;
  bool long_reordering_ = false;
  bool long_delays_ = false;
  bool request_reordering_ = false;
  bool duplication_ = false;
  std::set<int> disconnected_;
  std::map<int, int> group_;               // node -> group (absent: the unnamed group 0)
  std::set<std::pair<int, int>> blocked_;  // directed links
  std::map<int, rrr::NodeCounters> counters_;
  FaultStats stats_;
  RpcTrace rpc_trace_;
  RpcTrace::Why why_;  // reasons of the frame being decided (for the trace)
  const char* undeliverable_why_ = nullptr;  // reason of the last Deliverable == false
};

}  // namespace harness
}  // namespace janus
