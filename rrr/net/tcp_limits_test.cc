// The limits of the tcp transport (tcp_limits.h) against raw sockets that misbehave: a huge
// hello, too many connections, a full input budget, no hello, a stalled frame, and accept(2)
// out of file descriptors. Each test runs a real-time reactor for a bounded time.
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "rrr/base/log_limit.h"
#include "rrr/net/frame.h"
#include "rrr/net/tcp_transport.h"
#include "rrr/reactor/reactor.h"

namespace rrr {
namespace {

// A raw non-blocking client socket connected to 127.0.0.1:port.
class Raw {
 public:
  explicit Raw(int port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa.sin_port = htons(static_cast<uint16_t>(port));
    ok_ = connect(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) == 0;
    fcntl(fd_, F_SETFL, fcntl(fd_, F_GETFL) | O_NONBLOCK);
  }
  ~Raw() { close(fd_); }
  bool ok() const { return ok_; }
  void Write(const std::string& bytes) {
    ASSERT_EQ(static_cast<ssize_t>(bytes.size()),
              send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL));
  }
  // Drains what arrived; true once the server closed the connection.
  bool Closed() {
    char buf[4096];
    for (;;) {
      ssize_t n = recv(fd_, buf, sizeof(buf), 0);
      if (n > 0) continue;
      return n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK);
    }
  }

 private:
  int fd_ = -1;
  bool ok_ = false;
};

std::string Prefix(uint32_t len) {
  std::string p(kFramePrefixBytes, '\0');
  PutU32(&p[0], len);
  return p;
}

class TcpLimitsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    reactor_ = Reactor::Create(ReactorOptions());
    tcp_ = std::make_shared<TcpTransport>();
    LogRateLimiter::Global().Reset();
  }
  void TearDown() override {
    accepted_.clear();
    listener_.reset();
    tcp_.reset();
    reactor_.reset();
  }
  // Listens with `limits`; accepted connections are kept (frames counted) until they close.
  void Listen(const TcpLimits& limits) {
    tcp_->SetLimits(limits);
    ASSERT_EQ(0, tcp_->Listen("127.0.0.1:0", 1,
                              [this](ConnectionPtr c) {
                                c->SetHandlers([this](std::string&&) { frames_++; },
                                               [this]() { closes_++; });
                                accepted_.push_back(c);
                              },
                              &listener_));
  }
  int port() const { return listener_->port(); }
  bool RunUntil(const std::function<bool()>& done, uint64_t ms) {
    return reactor_->RunUntil(done, ms * 1000);
  }
  size_t Open() const {
    size_t n = 0;
    for (const auto& c : accepted_) n += c->closed() ? 0 : 1;
    return n;
  }

  std::shared_ptr<Reactor> reactor_;
  std::shared_ptr<TcpTransport> tcp_;
  std::unique_ptr<Listener> listener_;
  std::vector<ConnectionPtr> accepted_;
  int frames_ = 0;
  int closes_ = 0;
};

TEST_F(TcpLimitsTest, AFirstFrameLongerThanAHelloClosesTheConnectionAtOnce) {
  Listen(TcpLimits());
  Raw r(port());
  ASSERT_TRUE(r.ok());
  r.Write(Prefix(48u << 20) + std::string(1000, 'x'));  // claims a 48 MiB "hello"
  EXPECT_TRUE(RunUntil([&]() { return r.Closed(); }, 2000));
}

TEST_F(TcpLimitsTest, ConnectionsBeyondMaxConnectionsAreClosedAtOnce) {
  TcpLimits l;
  l.max_connections = 3;
  Listen(l);
  std::vector<std::unique_ptr<Raw>> raws;
  for (int i = 0; i < 5; i++) {
    raws.push_back(std::make_unique<Raw>(port()));
    raws.back()->Write(EncodeHello(100 + i));
  }
  auto closed = [&]() {
    int n = 0;
    for (auto& r : raws) n += r->Closed() ? 1 : 0;
    return n;
  };
  EXPECT_TRUE(RunUntil([&]() { return closed() == 2; }, 2000));
  reactor_->RunFor(50 * 1000);
  EXPECT_EQ(2, closed());
  EXPECT_EQ(3u, Open());
  // A slot freed is a slot usable again.
  raws[0].reset();
  EXPECT_TRUE(RunUntil([&]() { return Open() == 2; }, 2000));
  Raw again(port());
  again.Write(EncodeHello(200));
  EXPECT_TRUE(RunUntil([&]() { return Open() == 3; }, 2000));
  EXPECT_FALSE(again.Closed());
}

TEST_F(TcpLimitsTest, AtMaxConnectionsANewConnectionReplacesTheQuietestOne) {
  TcpLimits l;
  l.max_connections = 2;
  l.hello_timeout_ms = 100;
  Listen(l);
  Raw idle(port()), busy(port());
  idle.Write(EncodeHello(1));
  busy.Write(EncodeHello(2));
  ASSERT_TRUE(RunUntil([&]() { return Open() == 2; }, 2000));
  for (int i = 0; i < 4; i++) {  // busy sends a frame every 50 ms; idle says nothing
    reactor_->RunFor(50 * 1000);
    busy.Write(Prefix(1) + "b");
  }
  ASSERT_TRUE(RunUntil([&]() { return frames_ == 4; }, 2000));
  Raw fresh(port());
  fresh.Write(EncodeHello(3));
  EXPECT_TRUE(RunUntil([&]() { return idle.Closed(); }, 2000));
  reactor_->RunFor(50 * 1000);
  EXPECT_FALSE(busy.Closed());
  EXPECT_FALSE(fresh.Closed());
  EXPECT_EQ(2u, Open());
}

TEST_F(TcpLimitsTest, AFullInputBudgetClosesTheConnectionHoldingTheMost) {
  TcpLimits l;
  l.server_buffer_bytes_max = 256 * 1024;
  Listen(l);
  Raw hog(port()), small(port());
  hog.Write(EncodeHello(7) + Prefix(8u << 20) + std::string(200 * 1024, 'h'));
  small.Write(EncodeHello(8) + Prefix(100) + std::string(50, 's'));
  ASSERT_TRUE(RunUntil([&]() { return Open() == 2; }, 2000));
  reactor_->RunFor(50 * 1000);
  // The small sender's next bytes find the budget nearly full: the hog goes, not the small one.
  small.Write(std::string(50, 's') + Prefix(60 * 1024) + std::string(60 * 1024, 't'));
  EXPECT_TRUE(RunUntil([&]() { return hog.Closed(); }, 2000));
  EXPECT_TRUE(RunUntil([&]() { return frames_ == 2; }, 2000));
  EXPECT_FALSE(small.Closed());
}

TEST_F(TcpLimitsTest, NoHelloWithinHelloTimeoutClosesTheConnection) {
  TcpLimits l;
  l.hello_timeout_ms = 100;
  Listen(l);
  Raw silent(port()), greeted(port());
  greeted.Write(EncodeHello(9));
  EXPECT_TRUE(RunUntil([&]() { return silent.Closed(); }, 3000));
  reactor_->RunFor(100 * 1000);
  EXPECT_FALSE(greeted.Closed());  // a connection that said hello may stay quiet
}

TEST_F(TcpLimitsTest, AStalledFrameIsClosedAfterIdleTimeoutButAQuietLinkStays) {
  TcpLimits l;
  l.idle_timeout_ms = 150;
  Listen(l);
  Raw slow(port()), quiet(port());
  slow.Write(EncodeHello(10) + Prefix(1000) + "a");
  quiet.Write(EncodeHello(11) + Prefix(1) + "q");
  // The slow sender dribbles a byte every 50 ms: progress in bytes, but no frame completes.
  for (int i = 0; i < 3; i++) {
    reactor_->RunFor(50 * 1000);
    if (slow.Closed()) break;
    slow.Write("b");
  }
  EXPECT_TRUE(RunUntil([&]() { return slow.Closed(); }, 3000));
  reactor_->RunFor(200 * 1000);
  EXPECT_FALSE(quiet.Closed());
  EXPECT_EQ(1, frames_);
}

// accept(2) failing with EMFILE must neither spin nor log a line per attempt, and accepting
// resumes once descriptors are free again.
TEST_F(TcpLimitsTest, AcceptOutOfDescriptorsBacksOffAndRecovers) {
  TcpLimits l;
  l.accept_backoff_ms = 50;
  Listen(l);
  std::vector<std::string> lines;
  Log::SetSink([&](LogLevel, const std::string& line) { lines.push_back(line); });
  auto client = std::make_unique<Raw>(port());  // waits in the backlog
  client->Write(EncodeHello(12));
  rlimit old{};
  ASSERT_EQ(0, getrlimit(RLIMIT_NOFILE, &old));
  rlimit low = old;
  low.rlim_cur = 256;  // a low soft limit bounds the descriptors this test uses up
  ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &low));
  std::vector<int> fillers;
  for (int fd = dup(0); fd >= 0; fd = dup(0)) fillers.push_back(fd);
  reactor_->RunFor(300 * 1000);
  size_t lines_while_full = lines.size();
  for (int fd : fillers) close(fd);
  ASSERT_EQ(0, setrlimit(RLIMIT_NOFILE, &old));
  EXPECT_TRUE(RunUntil([&]() { return Open() == 1; }, 2000));
  Log::SetSink({});
  EXPECT_GE(lines_while_full, 1u);
  EXPECT_LE(lines_while_full, 8u);  // about one per 50 ms pause, rate-limited
}

}  // namespace
}  // namespace rrr
