// TCP transport on the current reactor's libevent base: non-blocking sockets, TCP_NODELAY,
// u32 length-prefixed frames, writes batched into one flush per reactor turn, and a hello frame
// at connect so both ends know each other's node id.
#pragma once

#include "rrr/net/tcp_limits.h"
#include "rrr/net/transport.h"

namespace rrr {

class TcpTransport : public Transport {
 public:
  // Uses the calling thread's current reactor (Reactor::GetReactor()), which must outlive the
  // transport and everything it created. REQUIRES: a real-time reactor.
  TcpTransport();
  ~TcpTransport() override;

  // Limits for listeners and connections created from now on (see tcp_limits.h); those
  // already created keep theirs.
  void SetLimits(const TcpLimits& limits) { limits_ = limits; }
  const TcpLimits& limits() const { return limits_; }

  // `addr` is "ipv4:port" or "localhost:port"; "127.0.0.1:0" binds a free port, reported by
  // the Listener. Malformed frames, oversized frames, a bad or late hello, a stalled frame and
  // connections beyond the limits close that connection only (logged, rate-limited).
  int Listen(const std::string& addr, int local_node, AcceptHandler on_accept,
             std::unique_ptr<Listener>* listener) override;
  // Connects with a blocking connect(2) (fast on loopback; a refused connection fails at once),
  // then switches the socket to non-blocking mode and sends the hello.
  int Connect(const std::string& addr, int local_node, ConnectionPtr* conn) override;
  const char* name() const override { return "tcp"; }

 private:
  TcpLimits limits_;
};

}  // namespace rrr
