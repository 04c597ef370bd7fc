// TcpConnection: one end of a tcp connection of TcpTransport (internal to rrr/net).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "rrr/net/frame.h"
#include "rrr/net/transport.h"

struct event;
struct event_base;

namespace rrr {

class TcpTransport;

// Output is accumulated in out_ and written by one flush per reactor turn (a reactor Post made
// by the first Send of the turn); what the kernel does not take waits for EV_WRITE.
// Input is split into frames by a FrameDecoder; the first frame must be the peer's hello, and
// frames sent before it arrived are held (the policy needs the peer's node id).
class TcpConnection : public Connection {
 public:
  // Takes ownership of the connected non-blocking socket `fd` and queues the hello.
  TcpConnection(TcpTransport* t, event_base* base, int fd, int local_node, bool outbound);
  ~TcpConnection() override;

  // Flushes the hello. REQUIRES: called once, right after make_shared.
  void Start();

  void Send(std::string_view head, std::string_view body) override;
  void Close() override;

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
  void CloseFd();

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
};

}  // namespace rrr
