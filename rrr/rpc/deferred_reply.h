// rrr::DeferredReply: the server-side handle on one request that still needs its reply.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "rrr/marshal/buffer.h"

namespace rrr {

class Connection;
class NodeContext;

// Created by the Server for each request and handed to the handler. The handler (or any later
// coroutine or callback on the same reactor) installs the output writer with SetOutputs and then
// calls reply() exactly once, or reply_error(code) instead. Either call sends the reply frame
// and releases the object (it is deleted once the handler's coroutine has also finished), so
// the pointer must not be used afterwards. A second reply while the handler's coroutine still
// runs fails a verify(); later it is a use-after-free (reported by the ASan build).
//
// Replying is always safe: if the connection closed or the Server was destroyed meanwhile, the
// reply is silently dropped, and so is any reply of a node that was cancelled (a crashed node
// answers nothing). A reply of a node that nobody sends stays valid until the node is destroyed
// (after the harness destroyed the node's objects), and is freed then.
//
// Until it is answered, a request of a node is listed in NodeContext::pending_requests() (the
// lab harness checks that these drain at the end of every test).
class DeferredReply {
 public:
  // Writes the marshalled outputs into `out` when reply() runs.
  using OutputWriter = std::function<void(Marshal& out)>;

  DeferredReply(const DeferredReply&) = delete;
  DeferredReply& operator=(const DeferredReply&) = delete;

  // Installs (or replaces) the writer of the reply payload. Without one, reply() sends an empty
  // payload. The writer may own the output variables (e.g. through a captured shared_ptr).
  void SetOutputs(OutputWriter write_outputs) { write_outputs_ = std::move(write_outputs); }

  // Sends a success reply whose payload is what the output writer produces, then deletes this.
  // If the writer throws MarshalError, or the payload would exceed the frame limit
  // (kMaxFrameBytes), an error reply kErrBadReply is sent instead.
  void reply();
  // Sends an error reply with `code` (non-zero) and an empty payload, then deletes this.
  void reply_error(int code);

  // The request's transaction id (for logs).
  uint64_t xid() const { return xid_; }

 private:
  friend class Server;
  DeferredReply(std::weak_ptr<Connection> conn, uint64_t xid)
      : conn_(std::move(conn)), xid_(xid) {}
  ~DeferredReply() = default;

  // Sends the reply frame (if the connection is still open) and drops the reply's reference.
  void Finish(int code, const Marshal& payload);
  // Drops `n` references; deletes this at zero.
  void Unref(int n = 1);
  // Ties this reply to `node` (the server's): once the node is cancelled the reply is never
  // sent, and if it is still unsent when the node is destroyed, it is freed then.
  void BelongTo(NodeContext* node);

  std::weak_ptr<Connection> conn_;
  uint64_t xid_;
  OutputWriter write_outputs_;
  bool replied_ = false;
  int refs_ = 2;  // one for the pending reply, one for the handler's coroutine
  // Request state owned here so the coroutine needs a single pointer: the arguments, the
  // handler, and the server's handler table that keeps the handler alive.
  Marshal args_;
  const std::function<void(Marshal&, DeferredReply*)>* handler_ = nullptr;
  std::shared_ptr<const void> handler_table_;
  NodeContext* node_ = nullptr;  // the owning node, while its destroy hook is registered
  uint64_t node_hook_ = 0;
  uint64_t pending_key_ = 0;  // this request in node_->pending_requests() until answered
  // Removes this request from its node's pending requests (once; no-op without a node).
  void ClearPending();
};

}  // namespace rrr
