// Network policy hook: the one place where fault injection (partitions, unreliable links,
// reordering) plugs into both transports, and the per-node traffic counters.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

namespace rrr {

// Node id used for an endpoint that belongs to no node (e.g. a test's main code).
constexpr int kNoNode = -1;

// What happens to one frame. The default value delivers it without extra delay.
//
// A dropped frame normally disappears silently: the sender learns nothing (a lost reply, say,
// is noticed only by the caller's own timeout). With notify_sender, the drop is reported
// instead: fail_after_us after the Send, on the reactor and outside any node, the transport
// hands the dropped frame to the sending connection's DropHandler (Connection::SetDropHandler),
// unless that connection has been closed or has no handler by then. rrr::Client uses this to
// fail the call with kErrUnreachable when the report comes, like a network that reports an
// unreachable host after a while. The delay is measured from the Send (the transport's latency is not added), on
// the reactor's clock: exact in virtual time, with equal deadlines reported in send order.
struct FrameFate {
  bool drop = false;            // true: the frame does not reach the receiver
  uint64_t extra_delay_us = 0;  // added to the transport's own latency (reorders frames)
  bool notify_sender = false;   // with drop: report the drop to the sender...
  uint64_t fail_after_us = 0;   // ...this long after the Send
  // Without drop: the receiver gets a second copy of the frame, duplicate_delay_us after the
  // first (both go through Deliverable; a duplicated request is handled, and answered, twice).
  bool duplicate = false;
  uint64_t duplicate_delay_us = 0;
};

// Traffic sent by one node through one transport. Every frame handed to a connection's Send
// counts, also frames that the policy then drops (like a lossy wire).
struct NodeCounters {
  uint64_t rpcs_sent = 0;       // request frames (connections opened by Connect)
  uint64_t replies_sent = 0;    // reply frames (connections accepted by a listener)
  uint64_t bytes_sent = 0;      // frame bytes of both kinds, without the 4-byte length prefix
  uint64_t frames_dropped = 0;  // frames this node sent that the policy dropped (send or delivery)
};

// Interface implemented by the harness (labs/harness) and installed with
// Transport::SetPolicy. Both transports call it on the reactor thread, in a deterministic order
// in simulation, for every frame after the connection's hello (tcp) / setup (sim).
// Frames from a connection opened by Connect are requests (is_reply == false); frames from an
// accepted connection are replies.
class NetPolicy {
 public:
  virtual ~NetPolicy() = default;

  // Called once when `from_node` sends a frame of `bytes` bytes to `to_node`. Returns whether the
  // frame is dropped (and whether the sender hears of it, see FrameFate), and how much extra
  // delay it gets before it enters the wire (tcp) or before delivery (sim). Either node id may
  // be kNoNode.
  virtual FrameFate Decide(int from_node, int to_node, bool is_reply, size_t bytes) = 0;

  // Called again right before the frame is handed to the receiver. Returning false drops it
  // silently, like a frame lost on the wire (e.g. the link was cut while the frame was in
  // flight). Default: deliver.
  virtual bool Deliverable(int from_node, int to_node, bool is_reply) {
    (void)from_node;
    (void)to_node;
    (void)is_reply;
    return true;
  }

  // What the transports actually call: the same decisions, given the frame itself (`head`
  // followed by `body` is the whole frame body, as Connection::Send got it; `frame` at
  // delivery). A policy that records traffic (the harness's trace) overrides these to see the
  // frame's bytes; the defaults forward to Decide and Deliverable above.
  virtual FrameFate DecideFrame(int from_node, int to_node, bool is_reply, std::string_view head,
                                std::string_view body) {
    return Decide(from_node, to_node, is_reply, head.size() + body.size());
  }
  virtual bool DeliverableFrame(int from_node, int to_node, bool is_reply,
                                std::string_view frame) {
    (void)frame;
    return Deliverable(from_node, to_node, is_reply);
  }
};

}  // namespace rrr
