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
#include "rrr/net/tcp_connection.h"
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
      conn->Start();
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
  auto c = std::make_shared<TcpConnection>(this, reactor()->base(), fd, local_node, true);
  c->Start();
  *conn = std::move(c);
  return 0;
}

}  // namespace rrr
