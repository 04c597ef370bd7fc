// TcpConnection: one end of a tcp connection of TcpTransport (internal to rrr/net).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "rrr/net/frame.h"
#include "rrr/net/tcp_limits.h"
#include "rrr/net/transport.h"

struct event;
struct event_base;

namespace rrr {

class TcpTransport;
class TcpConnection;

// Shared by a listener and the connections it accepted: the limits and what they use now.
struct TcpServerState {
  TcpLimits limits;
  std::string addr;                           // the listening address, for log lines
  uint64_t buffered_bytes = 0;                // unfinished-frame bytes of all accepted connections
  std::map<uint64_t, TcpConnection*> conns;   // live accepted connections, by accept order
  uint64_t next_id = 1;
};

// Output is accumulated in out_ and written by one flush per reactor turn (a reactor Post made
// by the first Send of the turn); what the kernel does not take waits for EV_WRITE.
// Input is split into frames by a FrameDecoder; the first frame must be the peer's hello, and
// frames sent before it arrived are held (the policy needs the peer's node id).
// The limits of tcp_limits.h are enforced here: frame sizes, hello and idle timeouts, and (for a
// connection accepted by a listener, `server` non-null) the listener's input-buffer budget.
class TcpConnection : public Connection {
 public:
  // Takes ownership of the connected non-blocking socket `fd` and queues the hello. `server`:
  // the accepting listener's shared state (registers there), or nullptr for Connect's ends.
  TcpConnection(TcpTransport* t, event_base* base, int fd, int local_node, bool outbound,
                const TcpLimits& limits, std::shared_ptr<TcpServerState> server);
  ~TcpConnection() override;

  // Flushes the hello and starts the hello timeout. REQUIRES: called once, right after
  // make_shared.
  void Start();

  void Send(std::string_view head, std::string_view body) override;
  void Close() override;

  // Reactor time of the last complete frame received (the connection's creation before one).
  uint64_t last_frame_us() const { return last_frame_us_; }
  // Closes the connection as a failure logged with `why` (the listener's eviction at
  // max_connections).
  void Evict(const std::string& why) { Fail(why); }

 private:
  // Appends one frame (prefix + head + body) to the output buffer and schedules a flush.
  void Enqueue(std::string_view head, std::string_view body);
  // Enqueues `frame` after delay_us (the policy's extra delay), if still open then.
  void SendLater(std::string frame, uint64_t delay_us);
  void ScheduleFlush();
  // Writes as much of out_ as the kernel takes; waits for EV_WRITE for the rest.
  void Flush();
  // Reads what the socket has and hands over every whole frame.
  void ReadAndDispatch();
  // Takes the peer's node id from its hello; false (connection failed) if it is not one.
  bool OnHello(const std::string& frame);
  // Logs why, closes the socket and tells the owner (malformed input or an I/O error).
  void Fail(const std::string& why);
  // Closes the socket and gives back this connection's share of the listener's budget.
  void CloseFd();
  // Bytes this connection may still read into its buffer (SIZE_MAX without a listener); when
  // the listener's budget is used up, first closes the accepted connection holding the most.
  size_t ReadRoom();
  // Brings this connection's charge on the listener's budget to what it buffers now.
  void Charge();
  // Closes the connection unless its hello arrived (runs hello_timeout_ms after Start).
  void OnHelloTimeout();
  // Schedules the idle check for the unfinished frame in progress (if not scheduled yet).
  void ArmIdleTimer();
  void OnIdleTimer();

  static void OnWritable(int fd, short what, void* arg);
  static void OnReadable(int fd, short what, void* arg);

  int fd_;
  event* read_ev_;
  event* write_ev_;
  FrameDecoder in_;
  std::string out_;
  size_t out_pos_ = 0;
  bool flush_scheduled_ = false;
  bool write_pending_ = false;
  bool hello_received_ = false;
  std::vector<std::string> held_;  // frames sent before the peer's hello
  TcpLimits limits_;
  std::shared_ptr<TcpServerState> server_;  // null for outbound ends
  uint64_t server_id_ = 0;                  // key in server_->conns
  uint64_t charged_ = 0;                    // bytes counted in server_->buffered_bytes
  uint64_t progress_us_ = 0;  // last complete frame, or start of the unfinished one
  uint64_t last_frame_us_ = 0;
  bool idle_armed_ = false;
};

}  // namespace rrr
