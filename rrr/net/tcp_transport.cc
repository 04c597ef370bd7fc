#include "rrr/net/tcp_transport.h"

#include <arpa/inet.h>
#include <errno.h>
#include <event2/event.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

#include <cstring>
#include <vector>

#include "rrr/base/logging.h"
#include "rrr/base/verify.h"
#include "rrr/net/frame.h"
#include "rrr/reactor/reactor.h"

namespace rrr {

namespace {

constexpr size_t kReadChunk = 64 * 1024;
constexpr int kMaxReadsPerEvent = 4;

bool ResolveIpv4(const std::string& host, in_addr* out) {
  if (host.empty() || host == "localhost") {
    out->s_addr = htonl(INADDR_LOOPBACK);
    return true;
  }
  if (inet_pton(AF_INET, host.c_str(), out) == 1) return true;
  addrinfo hints{};
  hints.ai_family = AF_INET;
  hints.ai_socktype = SOCK_STREAM;
  addrinfo* res = nullptr;
  if (getaddrinfo(host.c_str(), nullptr, &hints, &res) != 0 || res == nullptr) return false;
  *out = reinterpret_cast<sockaddr_in*>(res->ai_addr)->sin_addr;
  freeaddrinfo(res);
  return true;
}

int SetNonBlocking(int fd) {
  int flags = fcntl(fd, F_GETFL, 0);
  if (flags < 0 || fcntl(fd, F_SETFL, flags | O_NONBLOCK) < 0) return errno;
  return 0;
}

void SetNoDelay(int fd) {
  int one = 1;
  setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
}

}  // namespace

// One end of a tcp connection. Output is accumulated in out_ and written by one flush per
// reactor turn (a libevent event made active on the first Send of the turn); what the kernel
// does not take waits for EV_WRITE.
class TcpConnection : public Connection {
 public:
  TcpConnection(TcpTransport* t, event_base* base, int fd, int local_node, bool outbound)
      : Connection(t, local_node, kNoNode, outbound), fd_(fd) {
    read_ev_ = event_new(base, fd, EV_READ | EV_PERSIST, &TcpConnection::OnReadable, this);
    write_ev_ = event_new(base, fd, EV_WRITE, &TcpConnection::OnWritable, this);
    flush_ev_ = event_new(base, -1, 0, &TcpConnection::OnFlush, this);
    event_add(read_ev_, nullptr);
    out_ = EncodeHello(local_node);
    ScheduleFlush();
  }

  ~TcpConnection() override {
    CloseFd();
    event_free(read_ev_);
    event_free(write_ev_);
    event_free(flush_ev_);
  }

  void Send(std::string_view head, std::string_view body) override {
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
    if (fate.drop) return;
    if (fate.extra_delay_us > 0) {
      SendLater(std::string(head).append(body), fate.extra_delay_us);
      return;
    }
    Enqueue(head, body);
  }

  void Close() override {
    if (closed_) return;
    MarkClosed(false);
    if (!write_pending_ && out_pos_ < out_.size()) {
      // Best effort: whatever the kernel takes now still reaches the peer.
      (void)!send(fd_, out_.data() + out_pos_, out_.size() - out_pos_, MSG_NOSIGNAL);
    }
    CloseFd();
  }

 private:
  void Enqueue(std::string_view head, std::string_view body) {
    char prefix[kFramePrefixBytes];
    PutU32(prefix, static_cast<uint32_t>(head.size() + body.size()));
    out_.append(prefix, kFramePrefixBytes).append(head).append(body);
    ScheduleFlush();
  }

  void SendLater(std::string frame, uint64_t delay_us) {
    std::weak_ptr<Connection> weak = shared_from_this();
    AddTransportTimer(delay_us, [weak, frame = std::move(frame)]() {
      auto self = std::static_pointer_cast<TcpConnection>(weak.lock());
      if (self && !self->closed_) self->Enqueue(frame, {});
    });
  }

  void ScheduleFlush() {
    if (flush_scheduled_ || closed_) return;
    flush_scheduled_ = true;
    event_active(flush_ev_, EV_WRITE, 0);
  }

  static void OnFlush(evutil_socket_t, short, void* arg) {
    auto* c = static_cast<TcpConnection*>(arg);
    auto self = c->shared_from_this();  // a write error runs the close handler
    c->flush_scheduled_ = false;
    c->Flush();
  }

  static void OnWritable(evutil_socket_t, short, void* arg) {
    auto* c = static_cast<TcpConnection*>(arg);
    auto self = c->shared_from_this();
    c->write_pending_ = false;
    c->Flush();
  }

  // Writes as much of out_ as the kernel takes; waits for EV_WRITE for the rest.
  void Flush() {
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

  static void OnReadable(evutil_socket_t, short, void* arg) {
    auto* c = static_cast<TcpConnection*>(arg);
    auto self = c->shared_from_this();  // handlers may drop the last outside reference
    c->ReadAndDispatch();
  }

  void ReadAndDispatch() {
    bool eof = false;
    for (int i = 0; i < kMaxReadsPerEvent; i++) {
      char* dst = in_.Reserve(kReadChunk);
      ssize_t n = read(fd_, dst, kReadChunk);
      if (n > 0) {
        in_.Commit(static_cast<size_t>(n));
        if (static_cast<size_t>(n) < kReadChunk) break;
        continue;
      }
      in_.Commit(0);
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
    while (!closed_) {
      FrameDecoder::Status st = in_.Next(&frame);
      if (st == FrameDecoder::kNeedMore) break;
      if (st == FrameDecoder::kError) {
        Fail(in_.error());
        return;
      }
      if (!hello_received_) {
        if (!OnHello(frame)) return;
        continue;
      }
      if (CheckDeliver()) DeliverFrame(std::move(frame));
    }
    if (eof && !closed_) {
      if (in_.buffered() > 0) Log_warn("tcp: peer closed inside a frame (%zu bytes left)", in_.buffered());
      CloseFd();
      MarkClosed(true);
    }
  }

  bool OnHello(const std::string& frame) {
    int node = kNoNode;
    if (!DecodeHello(frame, &node)) {
      Fail("first frame is not a valid hello (" + std::to_string(frame.size()) + " bytes)");
      return false;
    }
    remote_node_ = node;
    hello_received_ = true;
    std::vector<std::string> held;
    held.swap(held_);
    for (std::string& f : held) Send(f, {});
    return true;
  }

  // Logs why, closes the socket and tells the owner (malformed input or an I/O error).
  void Fail(const std::string& why) {
    Log_error("tcp: closing connection (node %d <-> node %d): %s", local_node_, remote_node_,
              why.c_str());
    CloseFd();
    MarkClosed(true);
  }

  void CloseFd() {
    if (fd_ < 0) return;
    event_del(read_ev_);
    event_del(write_ev_);
    event_del(flush_ev_);
    ::close(fd_);
    fd_ = -1;
  }

  int fd_;
  event* read_ev_;
  event* write_ev_;
  event* flush_ev_;
  FrameDecoder in_;
  std::string out_;
  size_t out_pos_ = 0;
  bool flush_scheduled_ = false;
  bool write_pending_ = false;
  bool hello_received_ = false;
  std::vector<std::string> held_;  // frames sent before the peer's hello
};

class TcpListener : public Listener {
 public:
  TcpListener(TcpTransport* t, event_base* base, int fd, int local_node,
              Transport::AcceptHandler on_accept, const std::string& host, int port)
      : transport_(t), base_(base), fd_(fd), local_node_(local_node),
        on_accept_(std::move(on_accept)) {
    addr_ = host + ":" + std::to_string(port);
    port_ = port;
    ev_ = event_new(base, fd, EV_READ | EV_PERSIST, &TcpListener::OnAcceptable, this);
    event_add(ev_, nullptr);
  }
  ~TcpListener() override {
    Close();
    event_free(ev_);
  }
  void Close() override {
    if (fd_ < 0) return;
    event_del(ev_);
    ::close(fd_);
    fd_ = -1;
  }

 private:
  static void OnAcceptable(evutil_socket_t, short, void* arg) {
    static_cast<TcpListener*>(arg)->AcceptAll();
  }
  void AcceptAll() {
    while (fd_ >= 0) {
      int cfd = accept4(fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (cfd < 0) {
        if (errno == EINTR) continue;
        if (errno != EAGAIN && errno != EWOULDBLOCK) Log_warn("tcp: accept: %s", strerror(errno));
        return;
      }
      SetNoDelay(cfd);
      auto conn = std::make_shared<TcpConnection>(transport_, base_, cfd, local_node_, false);
      on_accept_(conn);
    }
  }

  TcpTransport* transport_;
  event_base* base_;
  int fd_;
  int local_node_;
  Transport::AcceptHandler on_accept_;
  event* ev_;
};

TcpTransport::TcpTransport() { verify(!reactor()->virtual_time()); }

TcpTransport::~TcpTransport() = default;

int TcpTransport::Listen(const std::string& addr, int local_node, AcceptHandler on_accept,
                         std::unique_ptr<Listener>* listener) {
  std::string host;
  int port = 0;
  in_addr ip{};
  if (!SplitHostPort(addr, &host, &port) || !ResolveIpv4(host, &ip)) return EINVAL;
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
  if (fd < 0) return errno;
  int one = 1;
  setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_addr = ip;
  sa.sin_port = htons(static_cast<uint16_t>(port));
  if (bind(fd, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) < 0 || listen(fd, 1024) < 0) {
    int err = errno;
    ::close(fd);
    return err;
  }
  socklen_t len = sizeof(sa);
  getsockname(fd, reinterpret_cast<sockaddr*>(&sa), &len);
  *listener = std::make_unique<TcpListener>(this, reactor()->base(), fd, local_node,
                                            std::move(on_accept), host, ntohs(sa.sin_port));
  return 0;
}

int TcpTransport::Connect(const std::string& addr, int local_node, ConnectionPtr* conn) {
  std::string host;
  int port = 0;
  in_addr ip{};
  if (!SplitHostPort(addr, &host, &port) || port == 0 || !ResolveIpv4(host, &ip)) return EINVAL;
  int fd = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return errno;
  sockaddr_in sa{};
  sa.sin_family = AF_INET;
  sa.sin_addr = ip;
  sa.sin_port = htons(static_cast<uint16_t>(port));
  int rc = connect(fd, reinterpret_cast<sockaddr*>(&sa), sizeof(sa));
  int err = rc < 0 ? errno : SetNonBlocking(fd);
  if (err != 0) {
    ::close(fd);
    return err;
  }
  SetNoDelay(fd);
  *conn = std::make_shared<TcpConnection>(this, reactor()->base(), fd, local_node, true);
  return 0;
}

}  // namespace rrr
