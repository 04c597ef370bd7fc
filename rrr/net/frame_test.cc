#include "rrr/net/frame.h"

#include <gtest/gtest.h>

#include "rrr/net/transport.h"

namespace rrr {
namespace {

std::string Frame(const std::string& body) {
  std::string out(4, '\0');
  PutU32(&out[0], static_cast<uint32_t>(body.size()));
  return out + body;
}

TEST(FrameDecoderTest, SplitsFramesFedByteByByte) {
  std::string stream = Frame("one") + Frame("") + Frame(std::string(70000, 'z')) + Frame("end");
  FrameDecoder d;
  std::vector<std::string> got;
  std::string f;
  for (char c : stream) {
    d.Append(&c, 1);
    while (d.Next(&f) == FrameDecoder::kFrame) got.push_back(f);
  }
  ASSERT_EQ(4u, got.size());
  EXPECT_EQ("one", got[0]);
  EXPECT_EQ("", got[1]);
  EXPECT_EQ(std::string(70000, 'z'), got[2]);
  EXPECT_EQ("end", got[3]);
  EXPECT_EQ(0u, d.buffered());
}

TEST(FrameDecoderTest, ReserveCommitAndPartialFrames) {
  std::string stream = Frame("abcdef") + Frame("gh");
  FrameDecoder d;
  char* p = d.Reserve(5);
  memcpy(p, stream.data(), 5);
  d.Commit(5);
  std::string f;
  EXPECT_EQ(FrameDecoder::kNeedMore, d.Next(&f));
  d.Append(stream.data() + 5, stream.size() - 5);
  ASSERT_EQ(FrameDecoder::kFrame, d.Next(&f));
  EXPECT_EQ("abcdef", f);
  ASSERT_EQ(FrameDecoder::kFrame, d.Next(&f));
  EXPECT_EQ("gh", f);
  EXPECT_EQ(FrameDecoder::kNeedMore, d.Next(&f));
}

TEST(FrameDecoderTest, OversizedLengthIsAnErrorThatSticks) {
  FrameDecoder d;
  std::string prefix(4, '\0');
  PutU32(&prefix[0], kMaxFrameBytes + 1);
  d.Append(prefix.data(), prefix.size());
  std::string f;
  EXPECT_EQ(FrameDecoder::kError, d.Next(&f));
  EXPECT_NE("", d.error());
  d.Append("more", 4);
  EXPECT_EQ(FrameDecoder::kError, d.Next(&f));
  FrameDecoder exact(16);
  std::string ok = Frame(std::string(16, 'a'));
  exact.Append(ok.data(), ok.size());
  EXPECT_EQ(FrameDecoder::kFrame, exact.Next(&f));
}

TEST(HelloTest, RoundTripAndRejects) {
  std::string hello = EncodeHello(-1);
  ASSERT_EQ(kFramePrefixBytes + kHelloBytes, hello.size());
  int node = 99;
  EXPECT_TRUE(DecodeHello(hello.substr(4), &node));
  EXPECT_EQ(-1, node);
  EXPECT_TRUE(DecodeHello(EncodeHello(12345).substr(4), &node));
  EXPECT_EQ(12345, node);
  EXPECT_FALSE(DecodeHello("short", &node));
  std::string bad = hello.substr(4);
  bad[0] ^= 1;
  EXPECT_FALSE(DecodeHello(bad, &node));
  EXPECT_FALSE(DecodeHello(hello.substr(4) + "x", &node));
}

TEST(SplitHostPortTest, Accepts) {
  std::string host;
  int port = -1;
  EXPECT_TRUE(SplitHostPort("127.0.0.1:0", &host, &port));
  EXPECT_EQ("127.0.0.1", host);
  EXPECT_EQ(0, port);
  EXPECT_TRUE(SplitHostPort("node-3:65535", &host, &port));
  EXPECT_EQ(65535, port);
  for (const char* bad : {"", "host", "host:", ":80", "h:65536", "h:1x", "h:-1", "h:123456"}) {
    EXPECT_FALSE(SplitHostPort(bad, &host, &port)) << bad;
  }
}

}  // namespace
}  // namespace rrr
