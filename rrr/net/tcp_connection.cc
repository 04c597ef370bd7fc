#include "rrr/net/tcp_connection.h"

#include <errno.h>
#include <event2/event.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstdint>
#include <cstring>

#include "rrr/base/log_limit.h"
#include "rrr/base/logging.h"
#include "rrr/base/time.h"
#include "rrr/base/verify.h"
#include "rrr/net/tcp_transport.h"
#include "rrr/reactor/node.h"
#include "rrr/reactor/reactor.h"

namespace rrr {

namespace {

constexpr size_t kReadChunk = 64 * 1024;
constexpr int kMaxReadsPerEvent = 4;
// An empty input buffer bigger than this is freed (one big frame does not pin its memory).
constexpr size_t kKeepBufferBytes = kReadChunk;

}  // namespace

TcpConnection::TcpConnection(TcpTransport* t, event_base* base, int fd, int local_node,
                             bool outbound, const TcpLimits& limits,
                             std::shared_ptr<TcpServerState> server)
    : Connection(t, local_node, kNoNode, outbound), fd_(fd), in_(limits.hello_frame_bytes_max),
      limits_(limits), server_(std::move(server)) {
  read_ev_ = event_new(base, fd, EV_READ | EV_PERSIST, &TcpConnection::OnReadable, this);
  write_ev_ = event_new(base, fd, EV_WRITE, &TcpConnection::OnWritable, this);
  event_add(read_ev_, nullptr);
  out_ = EncodeHello(local_node);
  last_frame_us_ = Time::Now();
  if (server_ != nullptr) {
    server_id_ = server_->next_id++;
    server_->conns[server_id_] = this;
  }
}

void TcpConnection::Start() {
  ScheduleFlush();
  std::weak_ptr<Connection> weak = shared_from_this();
  AddTransportTimer(limits_.hello_timeout_ms * 1000, [weak]() {
    auto self = std::static_pointer_cast<TcpConnection>(weak.lock());
    if (self) self->OnHelloTimeout();
  });
}

void TcpConnection::OnHelloTimeout() {
  if (closed_ || hello_received_) return;
  Fail("no hello within hello_timeout_ms=" + std::to_string(limits_.hello_timeout_ms));
}

TcpConnection::~TcpConnection() {
  CloseFd();
  event_free(read_ev_);
  event_free(write_ev_);
}

void TcpConnection::Send(std::string_view head, std::string_view body) {
  if (closed_) return;
  size_t n = head.size() + body.size();
  verify(n <= kMaxFrameBytes);
  if (!hello_received_) {
    // The peer's node id is unknown: the policy decides once the hello arrived.
    std::string frame;
    frame.reserve(n);
    frame.append(head).append(body);
    held_.push_back(std::move(frame));
    return;
  }
  FrameFate fate = DecideSend(n);
  if (fate.drop) {
    ReportDrop(fate, head, body);
    return;
  }
  if (fate.extra_delay_us > 0) {
    SendLater(std::string(head).append(body), fate.extra_delay_us);
  } else {
    Enqueue(head, body);
  }
  if (fate.duplicate) {
    SendLater(std::string(head).append(body), fate.extra_delay_us + fate.duplicate_delay_us);
  }
}

void TcpConnection::Close() {
  if (closed_) return;
  MarkClosed(false);
  if (!write_pending_ && out_pos_ < out_.size()) {
    // Best effort: whatever the kernel takes now still reaches the peer.
    (void)!send(fd_, out_.data() + out_pos_, out_.size() - out_pos_, MSG_NOSIGNAL);
  }
  CloseFd();
}

void TcpConnection::Enqueue(std::string_view head, std::string_view body) {
  char prefix[kFramePrefixBytes];
  PutU32(prefix, static_cast<uint32_t>(head.size() + body.size()));
  out_.append(prefix, kFramePrefixBytes).append(head).append(body);
  ScheduleFlush();
}

void TcpConnection::SendLater(std::string frame, uint64_t delay_us) {
  std::weak_ptr<Connection> weak = shared_from_this();
  AddTransportTimer(delay_us, [weak, frame = std::move(frame)]() {
    auto self = std::static_pointer_cast<TcpConnection>(weak.lock());
    if (self && !self->closed_) self->Enqueue(frame, {});
  });
}

void TcpConnection::ScheduleFlush() {
  if (flush_scheduled_ || closed_) return;
  flush_scheduled_ = true;
  // A posted callback runs after the work already queued on the reactor (e.g. the rest of a
  // coroutine's burst of calls) and before it polls again: one write per turn. Outside any node,
  // so that a cancelled node cannot strand bytes that were already sent.
  NodeScope no_node(nullptr);
  auto self = std::static_pointer_cast<TcpConnection>(shared_from_this());
  transport_->reactor()->Post([self]() {
    self->flush_scheduled_ = false;
    self->Flush();
  });
}

void TcpConnection::OnWritable(int, short, void* arg) {
  auto* c = static_cast<TcpConnection*>(arg);
  auto self = c->shared_from_this();
  c->write_pending_ = false;
  c->Flush();
}

void TcpConnection::Flush() {
  if (closed_ || write_pending_) return;
  while (out_pos_ < out_.size()) {
    ssize_t n = send(fd_, out_.data() + out_pos_, out_.size() - out_pos_, MSG_NOSIGNAL);
    if (n > 0) {
      out_pos_ += static_cast<size_t>(n);
      continue;
    }
    if (n < 0 && errno == EINTR) continue;
    if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
      write_pending_ = true;
      event_add(write_ev_, nullptr);
      return;
    }
    if (n < 0 && (errno == EPIPE || errno == ECONNRESET)) {  // the peer is gone
      CloseFd();
      MarkClosed(true);
      return;
    }
    Fail(std::string("write failed: ") + strerror(errno));
    return;
  }
  out_.clear();
  out_pos_ = 0;
}

void TcpConnection::OnReadable(int, short, void* arg) {
  auto* c = static_cast<TcpConnection*>(arg);
  auto self = c->shared_from_this();  // handlers may drop the last outside reference
  c->ReadAndDispatch();
}

void TcpConnection::ReadAndDispatch() {
  // Reads land here first, so that a buffer grows only by what really arrived.
  static thread_local char scratch[kReadChunk];
  bool eof = false;
  const bool was_empty = in_.buffered() == 0;
  for (int i = 0; i < kMaxReadsPerEvent; i++) {
    // Before the hello, read no further than a largest hello frame.
    size_t want = hello_received_ ? kReadChunk : kFramePrefixBytes + limits_.hello_frame_bytes_max;
    size_t room = ReadRoom();
    if (closed_) return;
    if (room < want) want = room;
    ssize_t n = read(fd_, scratch, want);
    if (n > 0) {
      in_.Append(scratch, static_cast<size_t>(n));
      Charge();
      if (static_cast<size_t>(n) < want) break;
      continue;
    }
    if (n == 0) {
      eof = true;
      break;
    }
    if (errno == EINTR) continue;
    if (errno == EAGAIN || errno == EWOULDBLOCK) break;
    if (errno == ECONNRESET) {  // the peer closed with unread data: an ordinary close
      eof = true;
      break;
    }
    Fail(std::string("read failed: ") + strerror(errno));
    return;
  }
  std::string frame;
  bool progressed = false;
  while (!closed_) {
    FrameDecoder::Status st = in_.Next(&frame);
    if (st == FrameDecoder::kNeedMore) break;
    if (st == FrameDecoder::kError) {
      Fail(in_.error());
      return;
    }
    progressed = true;
    if (!hello_received_) {
      if (!OnHello(frame)) return;
      continue;
    }
    if (CheckDeliver()) DeliverFrame(std::move(frame));
  }
  if (closed_) return;
  Charge();
  in_.ShrinkIfEmpty(kKeepBufferBytes);
  if (eof) {
    if (in_.buffered() > 0) {
      Log_warn_limited("tcp.eof_in_frame", "tcp: peer closed inside a frame (%zu bytes left)",
                       in_.buffered());
    }
    CloseFd();
    MarkClosed(true);
    return;
  }
  if (progressed) last_frame_us_ = Time::Now();
  if (progressed || (was_empty && in_.buffered() > 0)) progress_us_ = Time::Now();
  if (in_.buffered() > 0) ArmIdleTimer();
}

size_t TcpConnection::ReadRoom() {
  if (server_ == nullptr) return SIZE_MAX;
  const uint64_t max = limits_.server_buffer_bytes_max;
  while (server_->buffered_bytes >= max) {
    // Full: close whoever holds the most (the oldest among equals), maybe this connection.
    TcpConnection* victim = this;
    for (const auto& kv : server_->conns) {
      if (kv.second->charged_ > victim->charged_) victim = kv.second;
    }
    std::string why = "input buffers of " + server_->addr + " are full (server_buffer_bytes_max=" +
                      std::to_string(max) + "); this connection holds " +
                      std::to_string(victim->charged_) + " bytes, the most";
    if (victim == this || victim->charged_ == 0) {
      Fail(why);
      return 0;
    }
    auto keep = victim->shared_from_this();  // its close handler may drop the last reference
    victim->Fail(why);
  }
  return static_cast<size_t>(max - server_->buffered_bytes);
}

void TcpConnection::Charge() {
  if (server_ == nullptr) return;
  uint64_t now = in_.buffered();
  server_->buffered_bytes = server_->buffered_bytes - charged_ + now;
  charged_ = now;
}

void TcpConnection::ArmIdleTimer() {
  if (idle_armed_ || closed_) return;
  idle_armed_ = true;
  uint64_t deadline = progress_us_ + limits_.idle_timeout_ms * 1000;
  uint64_t now = Time::Now();
  std::weak_ptr<Connection> weak = shared_from_this();
  AddTransportTimer(deadline > now ? deadline - now : 0, [weak]() {
    auto self = std::static_pointer_cast<TcpConnection>(weak.lock());
    if (self) self->OnIdleTimer();
  });
}

void TcpConnection::OnIdleTimer() {
  idle_armed_ = false;
  if (closed_ || in_.buffered() == 0) return;
  if (Time::Now() - progress_us_ >= limits_.idle_timeout_ms * 1000) {
    Fail("no complete frame for idle_timeout_ms=" + std::to_string(limits_.idle_timeout_ms) +
         " with " + std::to_string(in_.buffered()) + " bytes of an unfinished frame buffered");
    return;
  }
  ArmIdleTimer();
}

bool TcpConnection::OnHello(const std::string& frame) {
  int node = kNoNode;
  if (!DecodeHello(frame, &node)) {
    Fail("first frame is not a valid hello (" + std::to_string(frame.size()) + " bytes)");
    return false;
  }
  remote_node_ = node;
  hello_received_ = true;
  in_.set_max_frame_bytes(limits_.frame_bytes_max);
  std::vector<std::string> held;
  held.swap(held_);
  for (std::string& f : held) Send(f, {});
  return true;
}

void TcpConnection::Fail(const std::string& why) {
  Log_error_limited("tcp.close", "tcp: closing connection (node %d <-> node %d): %s",
                    local_node_, remote_node_, why.c_str());
  CloseFd();
  MarkClosed(true);
}

void TcpConnection::CloseFd() {
  if (fd_ < 0) return;
  if (server_ != nullptr) {
    server_->buffered_bytes -= charged_;
    charged_ = 0;
    server_->conns.erase(server_id_);
  }
  event_del(read_ev_);
  event_del(write_ev_);
  ::close(fd_);
  fd_ = -1;
}

}  // namespace rrr
