// Tests of rrr::v32 / rrr::v64 and the raw varint reader's rejection of malformed input.
#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "rrr/marshal/marshal.h"

namespace rrr {
namespace {

// Encoded size of a ZigZag-mapped value z: ceil(bits(z) / 7), at least 1.
size_t ExpectedLength(uint64_t z) {
  size_t n = 1;
  while (z >= 0x80) {
    z >>= 7;
    n++;
  }
  return n;
}

template <class V, class I>
void ExpectRoundTrip(I value) {
  Marshal m;
  m << V(value);
  const uint64_t z = sizeof(I) == 4 ? ZigZagEncode32(static_cast<int32_t>(value))
                                    : ZigZagEncode64(static_cast<int64_t>(value));
  EXPECT_EQ(m.ContentSize(), ExpectedLength(z)) << value;
  V out(0);
  m >> out;
  EXPECT_EQ(out.val, value);
  EXPECT_TRUE(m.Empty());
}

// Values at both sides of every length-class boundary, positive and negative.
std::vector<int64_t> Boundaries(int bits) {
  std::vector<int64_t> out = {0, 1, -1, 63, 64, -64, -65, 127, 128, 16383, 16384};
  for (int k = 7; k < bits; k += 7) {
    const int64_t edge = static_cast<int64_t>(uint64_t{1} << (k - 1));  // zigzag(edge) = 2^k
    for (int64_t v : {edge - 1, edge, edge + 1, -edge, -edge - 1}) out.push_back(v);
  }
  return out;
}

TEST(MarshalVarint, V32RoundTripsAtEveryBoundary) {
  for (int64_t v : Boundaries(32)) ExpectRoundTrip<v32>(static_cast<int32_t>(v));
  for (int32_t v : {std::numeric_limits<int32_t>::min(), std::numeric_limits<int32_t>::min() + 1,
                    std::numeric_limits<int32_t>::max() - 1, std::numeric_limits<int32_t>::max()}) {
    ExpectRoundTrip<v32>(v);
  }
}

TEST(MarshalVarint, V64RoundTripsAtEveryBoundary) {
  for (int64_t v : Boundaries(64)) ExpectRoundTrip<v64>(v);
  for (int64_t v : {std::numeric_limits<int64_t>::min(), std::numeric_limits<int64_t>::min() + 1,
                    std::numeric_limits<int64_t>::max() - 1, std::numeric_limits<int64_t>::max(),
                    int64_t{std::numeric_limits<int32_t>::min()},
                    int64_t{std::numeric_limits<int32_t>::max()}}) {
    ExpectRoundTrip<v64>(v);
  }
  // UINT64_MAX travels as int64 -1.
  Marshal m;
  m << v64(static_cast<int64_t>(std::numeric_limits<uint64_t>::max()));
  v64 out;
  m >> out;
  EXPECT_EQ(static_cast<uint64_t>(out.val), std::numeric_limits<uint64_t>::max());
}

TEST(MarshalVarint, ExactWireBytes) {
  struct Case {
    int64_t value;
    const char* hex;
  } cases[] = {
      {0, "00"},          {-1, "01"},          {1, "02"},
      {-64, "7f"},        {64, "80 01"},       {150, "ac 02"},
      {-8193, "81 80 01"}, {std::numeric_limits<int64_t>::max(), "fe ff ff ff ff ff ff ff ff 01"},
      {std::numeric_limits<int64_t>::min(), "ff ff ff ff ff ff ff ff ff 01"},
  };
  for (const Case& c : cases) {
    Marshal m;
    m << v64(c.value);
    EXPECT_EQ(m.DebugString(), c.hex) << c.value;
  }
  Marshal m;
  m << v32(std::numeric_limits<int32_t>::min()) << v32(std::numeric_limits<int32_t>::max());
  EXPECT_EQ(m.DebugString(), "ff ff ff ff 0f fe ff ff ff 0f");
}

TEST(MarshalVarint, RawUnsignedVarintCoversAll64Bits) {
  for (int k = 0; k < 64; k++) {
    for (uint64_t v : {(uint64_t{1} << k) - 1, uint64_t{1} << k}) {
      Marshal m;
      m.WriteVarint(v);
      EXPECT_EQ(m.ContentSize(), ExpectedLength(v));
      EXPECT_EQ(m.ReadVarint(), v);
    }
  }
  Marshal m;
  m.WriteVarint(std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(m.ContentSize(), 10u);
  EXPECT_EQ(m.ReadVarint(), std::numeric_limits<uint64_t>::max());
}

// Expects every reader (v32, v64 and raw) to reject `bytes` and consume nothing.
template <class V>
void ExpectMalformed(const std::string& bytes, const char* why) {
  Marshal m(bytes);
  V v(12345);
  EXPECT_THROW(m >> v, MarshalError) << why;
  EXPECT_EQ(v.val, 12345) << why;
  EXPECT_EQ(m.ContentSize(), bytes.size()) << why;
}

TEST(MarshalVarint, MalformedVarintsThrow) {
  const std::pair<std::string, const char*> both[] = {
      {"", "empty"}, {"\x80", "truncated after 1 byte"}, {"\xff\xff\xff", "truncated after 3"}};
  for (const auto& [bytes, why] : both) {
    ExpectMalformed<v32>(bytes, why);
    ExpectMalformed<v64>(bytes, why);
  }
  const std::string eleven(10, '\x80');
  ExpectMalformed<v64>(eleven + "\x01", "11 bytes");
  ExpectMalformed<v64>(std::string(9, '\xff') + "\x02", "overflows 64 bits");
  ExpectMalformed<v64>(std::string(9, '\xff') + "\x7f", "overflows 64 bits");
  ExpectMalformed<v64>(std::string("\x80\x00", 2), "non-canonical");
  ExpectMalformed<v64>(std::string("\xff\x80\x00", 3), "non-canonical");
  ExpectMalformed<v32>(std::string("\x80\x80\x80\x80\x10", 5), "exceeds 32 bits");
  ExpectMalformed<v32>(std::string("\xff\xff\xff\xff\x1f", 5), "exceeds 32 bits");
  ExpectMalformed<v32>(std::string("\x80\x80\x80\x80\x80\x01", 6), "6 bytes for v32");
}

TEST(MarshalVarint, BufferStaysUsableAfterAnError) {
  Marshal m(std::string("\x80\x00\x02", 3));
  v64 v;
  EXPECT_THROW(m >> v, MarshalError);
  m.Skip(2);
  m >> v;
  EXPECT_EQ(v.val, 1);
  EXPECT_TRUE(m.Empty());
}

TEST(MarshalVarint, ZigZagMapping) {
  EXPECT_EQ(ZigZagEncode64(0), 0u);
  EXPECT_EQ(ZigZagEncode64(-1), 1u);
  EXPECT_EQ(ZigZagEncode64(1), 2u);
  EXPECT_EQ(ZigZagEncode32(std::numeric_limits<int32_t>::min()), 0xffffffffu);
  EXPECT_EQ(ZigZagDecode32(0xfffffffeu), std::numeric_limits<int32_t>::max());
  EXPECT_EQ(ZigZagDecode64(~uint64_t{0}), std::numeric_limits<int64_t>::min());
}

}  // namespace
}  // namespace rrr
