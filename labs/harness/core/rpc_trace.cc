#include "labs/harness/core/rpc_trace.h"

#include <cstring>
#include <string>

#include "labs/harness/core/trace_event.h"
#include "rrr/marshal/buffer.h"
#include "rrr/net/frame.h"
#include "rrr/rpc/errors.h"
#include "rrr/rpc/frame.h"
#include "rrr/rpc/method_info.h"

namespace janus {
namespace harness {
namespace {

uint64_t Xid(std::string_view head) {
  uint64_t lo = rrr::GetU32(head.data()), hi = rrr::GetU32(head.data() + 4);
  return lo | (hi << 32);
}

}  // namespace

const char* TraceDropReason(const char* why) {
  if (why == nullptr) return "unreliable";
  if (std::strstr(why, "disconnected") != nullptr) return "disconnected";
  if (std::strstr(why, "blocked") != nullptr) return "blocked";
  if (std::strstr(why, "partition") != nullptr) return "partitioned";
  return why;
}

bool RpcTrace::Pop(Queue* q, const Key& key, Call* out) {
  auto it = q->find(key);
  if (it == q->end()) return false;
  *out = it->second.front();
  it->second.pop_front();
  if (it->second.empty()) q->erase(it);
  return true;
}

void RpcTrace::ForgetIn(Queue* q, int node) {
  for (auto it = q->begin(); it != q->end();) {
    if (std::get<0>(it->first) == node || std::get<1>(it->first) == node) {
      it = q->erase(it);
    } else {
      ++it;
    }
  }
}

void RpcTrace::ForgetNode(int node) {
  ForgetIn(&requests_, node);
  ForgetIn(&handling_, node);
  ForgetIn(&replies_, node);
}

void RpcTrace::OnSend(int from, int to, bool is_reply, std::string_view head,
                      std::string_view body, const rrr::FrameFate& fate, const Why& why) {
  if (head.size() < rrr::kRequestHeaderBytes) return;  // not an RPC frame
  const uint64_t xid = Xid(head);
  const uint32_t word = rrr::GetU32(head.data() + 8);  // method id, or error code
  const uint64_t bytes = head.size() + body.size();
  const char* what = is_reply ? "reply" : "request";
  Call call;
  rrr::MethodInfo info;
  if (!is_reply) {
    call.id = NextTraceFrameId();
    call.method_id = word;
    const bool known = rrr::FindMethodInfo(word, &info);
    char unknown[16];
    std::snprintf(unknown, sizeof(unknown), "0x%08x", word);
    TraceEvent("send")
        .Uint("id", call.id)
        .Int("from", from)
        .Int("to", to)
        .Str("service", known ? info.service : "?")
        .Str("method", known ? info.method : unknown)
        .Uint("bytes", bytes)
        .Str("args", known ? rrr::SummarizePayload(info.args, body.data(), body.size()) : "")
        .Emit();
  } else {
    if (!Pop(&handling_, Key{from, to, xid}, &call)) return;  // a request we never saw
    const int32_t code = static_cast<int32_t>(word);
    std::string result;
    if (code != rrr::kOk) {
      result = "error " + std::to_string(code);
    } else if (rrr::FindMethodInfo(call.method_id, &info)) {
      result = rrr::SummarizePayload(info.results, body.data(), body.size());
    }
    TraceEvent("reply").Uint("id", call.id).Uint("bytes", bytes).Str("result", result).Emit();
  }
  Queue* flight = is_reply ? &replies_ : &requests_;
  if (fate.drop) {
    TraceEvent e("drop");
    e.Uint("id", call.id).Str("what", what).Str("at", "send").Str("reason", why.drop ? why.drop : "unreliable");
    if (fate.notify_sender) e.Uint("fail_after_us", fate.fail_after_us);
    e.Emit();
    return;
  }
  if (fate.extra_delay_us > 0) {
    TraceEvent("delay")
        .Uint("id", call.id)
        .Str("what", what)
        .Uint("delay_us", fate.extra_delay_us)
        .Str("reason", why.delay ? why.delay : "unreliable")
        .Emit();
  }
  (*flight)[Key{from, to, xid}].push_back(call);
  if (fate.duplicate) {
    Call copy{NextTraceFrameId(), call.method_id};
    TraceEvent("duplicate")
        .Uint("id", call.id)
        .Uint("copy_id", copy.id)
        .Uint("delay_us", fate.duplicate_delay_us)
        .Emit();
    (*flight)[Key{from, to, xid}].push_back(copy);
  }
}

void RpcTrace::OnDeliver(int from, int to, bool is_reply, std::string_view frame, bool delivered,
                         const char* drop_reason) {
  if (frame.size() < rrr::kRequestHeaderBytes) return;
  const Key key{from, to, Xid(frame)};
  Call call;
  if (!Pop(is_reply ? &replies_ : &requests_, key, &call)) return;
  if (!delivered) {
    TraceEvent("drop")
        .Uint("id", call.id)
        .Str("what", is_reply ? "reply" : "request")
        .Str("at", "delivery")
        .Str("reason", drop_reason)
        .Emit();
    return;
  }
  TraceEvent(is_reply ? "reply_deliver" : "deliver").Uint("id", call.id).Emit();
  if (!is_reply) handling_[Key{to, from, std::get<2>(key)}].push_back(call);
}

}  // namespace harness
}  // namespace janus
