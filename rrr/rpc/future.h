// rrr::Future: the pending result of one RPC, waitable from coroutines like any Event.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>

#include "rrr/marshal/buffer.h"
#include "rrr/reactor/event.h"

namespace rrr {

class Client;
class Future;
class NodeContext;
using FuturePtr = std::shared_ptr<Future>;

// Options of one call.
struct FutureAttr {
  // Runs once when the future completes (reply, error, timeout or connection loss), with the
  // node that was current at Call() made current again. Never runs inside Call(). Not run at
  // all if that node has been cancelled by then, or if the Client is destroyed with the call
  // pending (its waiters still wake up, with kErrNotConnected).
  std::function<void(Future*)> callback;
  // If non-zero, the call fails with kErrTimeout when no reply arrived within this time
  // (reactor clock: virtual in simulation). 0: no timeout.
  uint64_t timeout_us = 0;
};

// Completed once: then ready() is true, get_error_code() is final, and get_reply() holds the
// reply payload (empty on error). Events: IsReady() == ready(), so a Future can be waited on
// directly or be a child of OrEvent/AndEvent.
class Future : public Event {
 public:
  // Made by Client::Call only (public for make_shared).
  Future(uint64_t xid, FutureAttr attr);
  ~Future() override;

  bool IsReady() override { return done_; }

  // Waits for completion. REQUIRES: inside a coroutine.
  void Wait() { Event::Wait(); }
  // Waits at most `timeout_us`. If the future is still pending then, the call is abandoned:
  // the future completes with kErrTimeout (running the callback) and a late reply is ignored.
  // REQUIRES: inside a coroutine.
  void Wait(uint64_t timeout_us);

  // True once the reply, an error or a timeout arrived.
  bool ready() const { return done_; }
  // kOk, an error code the server sent, or a local error (kErrTimeout, kErrNotConnected,
  // kErrUnreachable; see errors.h).
  // REQUIRES: ready().
  int get_error_code() const { return error_code_; }
  // The reply payload, positioned at its first byte. REQUIRES: ready().
  Marshal& get_reply() { return reply_; }
  // Transaction id of the request (unique per Client).
  uint64_t xid() const { return xid_; }

 private:
  friend class Client;

  // Stores the outcome, wakes waiters and runs the callback. Later calls are ignored.
  void Complete(int error_code, Marshal&& reply);

  uint64_t xid_;
  bool done_ = false;
  int error_code_ = 0;
  Marshal reply_;
  std::function<void(Future*)> callback_;
  std::shared_ptr<NodeContext> node_;  // current node at creation (null: none)
  Client* client_ = nullptr;  // set while the client still tracks this call
  uint64_t timer_ = 0;        // timeout timer id, 0 if none
  uint64_t reactor_serial_;   // the reactor the timer belongs to
};

}  // namespace rrr
