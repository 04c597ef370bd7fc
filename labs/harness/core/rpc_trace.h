// RpcTrace: turns the frames FaultyNetwork sees into the structured trace's RPC events (send,
// deliver, reply, reply_deliver, drop, delay, duplicate; docs/trace-format.md). It reads the
// RPC header of each frame (rrr/rpc/frame.h) and names and summarizes the method through the
// table generated services fill (rrr/rpc/method_info.h). Only called while StructuredTrace().
//
// A frame is matched to its request by (sender, receiver, xid) in the order frames were sent:
// exact unless two clients of one node call the same peer with equal transaction ids at once
// (rrr numbers calls per client), which the labs do not do; ForgetNode clears what a crashed
// node will never deliver or answer, so a restarted node's calls start clean.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <string_view>
#include <tuple>

#include "rrr/net/policy.h"

namespace janus {
namespace harness {

class RpcTrace {
 public:
  // Why the policy dropped or delayed a frame, in the trace's words (`reason` fields).
  struct Why {
    const char* drop = nullptr;   // "partitioned", "disconnected", "blocked", "unreliable"
    const char* delay = nullptr;  // "unreliable", "reordering"
  };

  // A frame (`head` + `body`) was sent from -> to and the policy gave it `fate`: writes its
  // send (request) or reply event and the fault events.
  void OnSend(int from, int to, bool is_reply, std::string_view head, std::string_view body,
              const rrr::FrameFate& fate, const Why& why);
  // A frame from -> to reaches its receiver (`delivered`) or is dropped there for `drop_reason`.
  void OnDeliver(int from, int to, bool is_reply, std::string_view frame, bool delivered,
                 const char* drop_reason);
  // Node `node` crashed: forget the frames it will never deliver or answer.
  void ForgetNode(int node);

 private:
  struct Call {
    uint64_t id = 0;
    uint32_t method_id = 0;
  };
  // (sender, receiver, xid) of a frame.
  using Key = std::tuple<int, int, uint64_t>;
  using Queue = std::map<Key, std::deque<Call>>;

  static bool Pop(Queue* q, const Key& key, Call* out);
  static void ForgetIn(Queue* q, int node);

  Queue requests_;  // sent, not yet delivered (key: client, server, xid)
  Queue handling_;  // delivered, not yet answered (key: server, client, xid)
  Queue replies_;   // answered, reply not yet delivered (key: server, client, xid)
};

// The trace's drop reason for FaultyNetwork's connectivity verdict ("partitioned", ...).
const char* TraceDropReason(const char* unreachable_why);

}  // namespace harness
}  // namespace janus
