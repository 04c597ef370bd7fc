// Resource limits of the tcp transport: what one hostile or broken peer may cost a server.
// deptran_server reads them from the `options:` map of its YAML config (deptran/net_options.h);
// every field's name there is the field's name here.
//
// Which connection each limit applies to:
//   hello_frame_bytes_max   every connection, until the peer's hello arrived: a longer first
//                           frame is a protocol error (the hello body is 8 bytes)
//   frame_bytes_max         every connection, after the hello
//   hello_timeout_ms        every connection: no valid hello within this long -> closed
//   idle_timeout_ms         every connection, but only while a frame is in progress: if bytes
//                           of an unfinished frame are buffered and no complete frame arrived
//                           for this long (a slowloris sender), the connection is closed. A
//                           connection with nothing buffered is never idle-closed, so quiet
//                           Raft peer links and clients between requests stay up; this also
//                           means a whole frame must arrive at frame_bytes_max /
//                           idle_timeout_ms bytes per second or better.
//   max_connections         accepted connections per listening address. At the cap, a new
//                           connection replaces the one that has received no complete frame
//                           for the longest time if that is at least hello_timeout_ms (quiet
//                           clients and peers reconnect when they next call); otherwise the new
//                           one is closed at once (with a rate-limited log line)
//   server_buffer_bytes_max bytes of unfinished frames buffered by all accepted connections of
//                           one listening address together; when a read finds no room, the
//                           connection holding the most buffered bytes is closed
//   accept_backoff_ms       when accept(2) fails for lack of resources (EMFILE, ENFILE,
//                           ENOBUFS, ENOMEM), the listener stops accepting for this long
//                           instead of spinning, and logs once per pause
#pragma once

#include <cstdint>

#include "rrr/net/frame.h"

namespace rrr {

struct TcpLimits {
  uint32_t hello_frame_bytes_max = 64;
  uint32_t frame_bytes_max = kMaxFrameBytes;                  // 64 MiB
  uint64_t hello_timeout_ms = 10 * 1000;
  uint64_t idle_timeout_ms = 60 * 1000;
  uint32_t max_connections = 1024;
  uint64_t server_buffer_bytes_max = uint64_t{256} << 20;     // 256 MiB
  uint64_t accept_backoff_ms = 100;
};

}  // namespace rrr
