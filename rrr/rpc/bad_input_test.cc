// Hostile bytes on a tcp connection: the offending connection is closed, the server keeps
// serving everyone else.
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <gtest/gtest.h>

#include <string>

#include "rrr/base/rand.h"
#include "rrr/net/frame.h"
#include "rrr/rpc/frame.h"
#include "rrr/rpc/rpc_test_util.h"

namespace rrr {
namespace testing_util {
namespace {

// A raw blocking client socket driven by the test while the reactor runs the server.
class RawSocket {
 public:
  explicit RawSocket(int port) {
    fd_ = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in sa{};
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    sa.sin_port = htons(static_cast<uint16_t>(port));
    ok_ = connect(fd_, reinterpret_cast<sockaddr*>(&sa), sizeof(sa)) == 0;
    fcntl(fd_, F_SETFL, fcntl(fd_, F_GETFL) | O_NONBLOCK);
  }
  ~RawSocket() { close(fd_); }
  bool ok() const { return ok_; }
  void Write(const std::string& bytes) {
    ASSERT_EQ(static_cast<ssize_t>(bytes.size()),
              send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL));
  }
  void ShutdownWrite() { shutdown(fd_, SHUT_WR); }
  // Reads what is available; returns true once the peer closed.
  bool PollClosed() {
    char buf[4096];
    for (;;) {
      ssize_t n = recv(fd_, buf, sizeof(buf), 0);
      if (n > 0) {
        received_.append(buf, static_cast<size_t>(n));
        continue;
      }
      return n == 0 || (errno != EAGAIN && errno != EWOULDBLOCK);
    }
  }
  const std::string& received() const { return received_; }

 private:
  int fd_ = -1;
  bool ok_ = false;
  std::string received_;
};

std::string Frame(const std::string& body) {
  std::string out(4, '\0');
  PutU32(&out[0], static_cast<uint32_t>(body.size()));
  return out + body;
}

std::string Request(uint64_t xid, uint32_t method, const Marshal& args) {
  char h[kRequestHeaderBytes];
  EncodeRequestHeader(RequestHeader{xid, method}, h);
  return Frame(std::string(h, sizeof(h)) + args.ToString());
}

class BadInputTest : public RpcTest {
 protected:
  void SetUp() override {
    RpcTest::SetUp();
    server_ = StartServer();
    std::string host;
    ASSERT_TRUE(SplitHostPort(server_->addr(), &host, &port_));
  }
  void TearDown() override {
    server_.reset();
    RpcTest::TearDown();
  }
  // Checks that a well-behaved client is still served.
  void ExpectServing() {
    Client client;
    ASSERT_EQ(0, client.Connect(server_->addr()));
    RunCo([&]() {
      FuturePtr f = client.Call(kEcho, EchoArgs("fine"));
      f->Wait();
      ASSERT_EQ(kOk, f->get_error_code());
      EXPECT_EQ("fine", EchoResult(f));
    });
  }
  // Waits until the server closed `raw` and keeps only `others` connections.
  void ExpectClosedByServer(RawSocket* raw, size_t others = 0) {
    RunUntil([&]() { return raw->PollClosed(); }, 5 * 1000 * 1000);
    RunUntil([&]() { return server_->num_connections() == others; }, 5 * 1000 * 1000);
  }

  std::unique_ptr<Server> server_;
  int port_ = 0;
};

TEST_P(BadInputTest, RandomBytesCloseThatConnectionOnly) {
  Client bystander;
  ASSERT_EQ(0, bystander.Connect(server_->addr()));
  FuturePtr pending = bystander.Call(kSleepEcho, SleepArgs(100 * 1000, 5));
  Rand rand(7);
  for (int round = 0; round < 5; round++) {
    RawSocket raw(port_);
    ASSERT_TRUE(raw.ok());
    std::string junk(1000, '\0');
    for (char& c : junk) c = static_cast<char>(rand.Below(256));
    raw.Write(junk);
    if (round % 2 == 1) raw.ShutdownWrite();  // also when the junk looks like a long frame
    ExpectClosedByServer(&raw, 1);
  }
  RunUntil([&]() { return pending->ready(); });
  EXPECT_EQ(kOk, pending->get_error_code());
  ExpectServing();
}

TEST_P(BadInputTest, OversizedFrameClosesConnection) {
  RawSocket raw(port_);
  raw.Write(EncodeHello(kNoNode));
  std::string prefix(4, '\0');
  PutU32(&prefix[0], kMaxFrameBytes + 1);
  raw.Write(prefix + "abcd");
  ExpectClosedByServer(&raw);
  ExpectServing();
}

TEST_P(BadInputTest, TruncatedFrameThenCloseIsHarmless) {
  RawSocket raw(port_);
  raw.Write(EncodeHello(kNoNode));
  std::string partial = Request(1, kEcho, EchoArgs("cut short"));
  raw.Write(partial.substr(0, partial.size() - 3));
  raw.ShutdownWrite();
  ExpectClosedByServer(&raw);
  ExpectServing();
}

TEST_P(BadInputTest, FrameShorterThanHeaderClosesConnection) {
  RawSocket raw(port_);
  raw.Write(EncodeHello(kNoNode));
  raw.Write(Frame("tiny"));
  ExpectClosedByServer(&raw);
  ExpectServing();
}

TEST_P(BadInputTest, UnknownMethodAnswersAndKeepsTheConnection) {
  RawSocket raw(port_);
  raw.Write(EncodeHello(kNoNode));
  raw.Write(Request(77, 0x12345678, EchoArgs("?")));
  raw.Write(Request(78, kEcho, EchoArgs("ok")));
  // Expect: server hello, error reply for xid 77, echo reply for xid 78.
  size_t want = kFramePrefixBytes + kHelloBytes + (kFramePrefixBytes + kReplyHeaderBytes) +
                (kFramePrefixBytes + kReplyHeaderBytes + 3);
  RunUntil([&]() {
    raw.PollClosed();
    return raw.received().size() >= want;
  });
  int parsed = ParseFrameStream(raw.received().data(), raw.received().size(), false);
  EXPECT_EQ(2, parsed);
  std::string first = raw.received().substr(kFramePrefixBytes + kHelloBytes + kFramePrefixBytes,
                                            kReplyHeaderBytes);
  ReplyHeader h;
  Marshal payload;
  ASSERT_TRUE(ParseReply(std::move(first), &h, &payload));
  EXPECT_EQ(77u, h.xid);
  EXPECT_EQ(kErrNoMethod, h.error_code);
  EXPECT_EQ(1u, server_->num_connections());
}

// Bad input tests need real sockets.
INSTANTIATE_TEST_SUITE_P(Tcp, BadInputTest, ::testing::Values(Net::kTcp), NetName);

}  // namespace
}  // namespace testing_util
}  // namespace rrr
