#include "rrr/rpc/deferred_reply.h"

#include "rrr/base/logging.h"
#include "rrr/base/verify.h"
#include "rrr/net/frame.h"
#include "rrr/net/transport.h"
#include "rrr/reactor/node.h"
#include "rrr/rpc/errors.h"
#include "rrr/rpc/frame.h"

namespace rrr {

void DeferredReply::reply() {
  verify_msg(!replied_, "DeferredReply replied twice");
  Marshal out;
  if (write_outputs_) {
    try {
      write_outputs_(out);
    } catch (const MarshalError& e) {
      Log_error("rpc: xid %llu: outputs do not marshal: %s",
                static_cast<unsigned long long>(xid_), e.what());
      out.Clear();
      Finish(kErrBadReply, out);
      return;
    }
  }
  Finish(kOk, out);
}

void DeferredReply::reply_error(int code) {
  verify_msg(!replied_, "DeferredReply replied twice");
  verify(code != kOk);
  Finish(code, Marshal());
}

void DeferredReply::Finish(int code, const Marshal& payload) {
  replied_ = true;
  ClearPending();
  write_outputs_ = nullptr;  // frees the outputs now
  const bool node_died = node_ != nullptr && node_->cancelled();
  if (auto conn = node_died ? nullptr : conn_.lock()) {
    std::string_view body(payload.data(), payload.ContentSize());
    if (body.size() > kMaxFrameBytes - kReplyHeaderBytes) {
      Log_error("rpc: xid %llu: reply of %zu bytes exceeds the frame limit; sending an error",
                static_cast<unsigned long long>(xid_), body.size());
      code = kErrBadReply;
      body = {};
    }
    char header[kReplyHeaderBytes];
    EncodeReplyHeader(ReplyHeader{xid_, code}, header);
    conn->Send(std::string_view(header, sizeof(header)), body);
  }
  Unref();
}

void DeferredReply::Unref(int n) {
  refs_ -= n;
  if (refs_ > 0) return;
  ClearPending();
  if (node_ != nullptr) node_->RemoveDestroyHook(node_hook_);
  delete this;
}

void DeferredReply::ClearPending() {
  if (node_ != nullptr && pending_key_ != 0) node_->RemovePendingRequest(pending_key_);
  pending_key_ = 0;
}

void DeferredReply::BelongTo(NodeContext* node) {
  verify(node_ == nullptr && node != nullptr);
  node_ = node;
  node_hook_ = node->AddDestroyHook([this] {
    node_ = nullptr;  // the node is going away: do not unregister from it
    delete this;
  });
}

}  // namespace rrr
