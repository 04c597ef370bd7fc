// rrr::Client: one connection to a server; pipelined calls matched by transaction id.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <unordered_map>

#include "rrr/marshal/buffer.h"
#include "rrr/net/transport.h"
#include "rrr/rpc/future.h"

namespace rrr {

class Client {
 public:
  // Talks through `transport` (nullptr: Transport::Default()). The node current now is the
  // sender of every request (for the network policy and the counters). REQUIRES: the client is
  // used on the reactor thread only and destroyed before the reactor and the transport.
  explicit Client(Transport* transport = nullptr);
  // Closes the connection; pending futures fail with kErrNotConnected (waiters wake up) but
  // their callbacks are not run, since what they reference may be going away too.
  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  // Connects to `addr` ("host:port"), closing any previous connection first (so a client can
  // reconnect after losing its server). Works inside or outside a coroutine and never waits for
  // the reactor. Returns 0 or an errno value (e.g. ECONNREFUSED).
  int Connect(const std::string& addr);

  // Sends a request for `method_id` with `args` (its unread bytes, not consumed) and returns
  // its future. Any number of calls may be outstanding. On a client that is not connected the
  // future fails with kErrNotConnected, and with kErrBadRequest if the request would exceed
  // kMaxFrameBytes (both completed from a reactor Post, never inside Call). If the transport's
  // policy drops the request and reports it (FrameFate::notify_sender), the future fails with
  // kErrUnreachable when the report arrives (the fate's fail_after_us after the send).
  FuturePtr Call(uint32_t method_id, const Marshal& args, const FutureAttr& attr = {});

  // Closes the connection. Every pending future fails with kErrNotConnected (their callbacks
  // run before Close returns). Idempotent. The peer closing has the same effect.
  void Close();

  // True between a successful Connect and the loss or Close of the connection.
  bool connected() const { return conn_ != nullptr; }
  // Address given to the last Connect.
  const std::string& addr() const { return addr_; }
  // Number of calls waiting for their reply.
  size_t num_pending() const { return pending_.size(); }
  // Replies that matched no waiting call and were dropped silently: the call had timed out or
  // been abandoned, or had already completed (a duplicated request is answered twice).
  uint64_t late_replies() const { return late_replies_; }

 private:
  friend class Future;

  void OnFrame(std::string&& frame);
  void OnClosed();
  // A request the network dropped and reported: fails its call with kErrUnreachable.
  void OnDropped(std::string&& frame);
  // Fails every pending call with `error_code`.
  void FailAll(int error_code);
  // Forgets `f` (timeout or abandoned wait) so a late reply is ignored.
  void Forget(Future* f);

  Transport* transport_;
  std::shared_ptr<NodeContext> node_;
  int node_id_;
  ConnectionPtr conn_;
  std::string addr_;
  uint64_t next_xid_ = 1;
  std::unordered_map<uint64_t, FuturePtr> pending_;
  bool destroying_ = false;
  uint64_t late_replies_ = 0;
};

}  // namespace rrr
