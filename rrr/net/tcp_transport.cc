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

#include "rrr/base/log_limit.h"
#include "rrr/base/logging.h"
#include "rrr/base/time.h"
#include "rrr/base/verify.h"
#include "rrr/net/frame.h"
#include "rrr/net/tcp_connection.h"
#include "rrr/reactor/node.h"
#include "rrr/reactor/reactor.h"

namespace rrr {

namespace {

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

// Accepts connections within the limits (tcp_limits.h): at most max_connections live accepted
// connections, and a pause instead of a spin when accept(2) runs out of resources.
class TcpListener : public Listener {
 public:
  TcpListener(TcpTransport* t, event_base* base, int fd, int local_node,
              Transport::AcceptHandler on_accept, const std::string& host, int port)
      : transport_(t), base_(base), fd_(fd), local_node_(local_node),
        on_accept_(std::move(on_accept)), state_(std::make_shared<TcpServerState>()) {
    addr_ = host + ":" + std::to_string(port);
    port_ = port;
    state_->limits = t->limits();
    state_->addr = addr_;
    ev_ = event_new(base, fd, EV_READ | EV_PERSIST, &TcpListener::OnAcceptable, this);
    event_add(ev_, nullptr);
  }
  ~TcpListener() override {
    *alive_ = false;
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
    const TcpLimits& limits = state_->limits;
    while (fd_ >= 0) {
      int cfd = accept4(fd_, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
      if (cfd < 0) {
        int err = errno;
        if (err == EINTR) continue;
        if (err == EAGAIN || err == EWOULDBLOCK) return;
        if (err == EMFILE || err == ENFILE || err == ENOBUFS || err == ENOMEM) {
          PauseAccepting(err);
        } else {
          Log_warn_limited("tcp.accept", "tcp: accept on %s: %s", addr_.c_str(), strerror(err));
        }
        return;
      }
      if (state_->conns.size() >= limits.max_connections && !EvictQuietest()) {
        ::close(cfd);
        Log_warn_limited("tcp.max_connections",
                         "tcp: %s already has max_connections=%u busy connections; closed a new one",
                         addr_.c_str(), limits.max_connections);
        continue;
      }
      SetNoDelay(cfd);
      auto conn = std::make_shared<TcpConnection>(transport_, base_, cfd, local_node_, false,
                                                  limits, state_);
      conn->Start();
      on_accept_(conn);
    }
  }
  // At max_connections: closes the accepted connection that has received no complete frame for
  // the longest time, if that is at least hello_timeout_ms (a quiet client or peer reconnects
  // when it needs to; an attacker's idle connections go first). Returns whether one was closed.
  bool EvictQuietest() {
    TcpConnection* victim = nullptr;
    for (const auto& kv : state_->conns) {  // accept order: the oldest wins ties
      if (victim == nullptr || kv.second->last_frame_us() < victim->last_frame_us()) {
        victim = kv.second;
      }
    }
    const uint64_t now = Time::Now();
    const uint64_t min_quiet_us = state_->limits.hello_timeout_ms * 1000;
    if (victim == nullptr || now - victim->last_frame_us() < min_quiet_us) return false;
    auto keep = victim->shared_from_this();  // its close handler may drop the last reference
    victim->Evict("quiet for " + std::to_string((now - victim->last_frame_us()) / 1000) +
                  " ms at max_connections=" + std::to_string(state_->limits.max_connections) +
                  "; closed to admit a new connection");
    return true;
  }
  // Stops accepting for accept_backoff_ms: the pending connection stays in the backlog (the
  // listening socket would stay readable, and a level-triggered loop would spin on the error).
  void PauseAccepting(int err) {
    const uint64_t ms = state_->limits.accept_backoff_ms;
    Log_warn_limited("tcp.accept_pause", "tcp: accept on %s: %s; not accepting for %llu ms",
                     addr_.c_str(), strerror(err), static_cast<unsigned long long>(ms));
    event_del(ev_);
    NodeScope no_node(nullptr);  // the pause ends even if the node that listens is cancelled
    std::shared_ptr<bool> alive = alive_;
    transport_->reactor()->AddTimer(ms * 1000, [this, alive]() {
      if (*alive && fd_ >= 0) event_add(ev_, nullptr);
    });
  }

  TcpTransport* transport_;
  event_base* base_;
  int fd_;
  int local_node_;
  Transport::AcceptHandler on_accept_;
  event* ev_;
  std::shared_ptr<TcpServerState> state_;
  std::shared_ptr<bool> alive_ = std::make_shared<bool>(true);
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
  auto c = std::make_shared<TcpConnection>(this, reactor()->base(), fd, local_node, true,
                                           limits_, nullptr);
  c->Start();
  *conn = std::move(c);
  return 0;
}

}  // namespace rrr
