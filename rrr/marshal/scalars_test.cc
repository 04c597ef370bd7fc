// Tests of the fixed-width encodings: integers, enums, bool, float/double, strings.
#include <gtest/gtest.h>

#include <cmath>
#include <cstring>
#include <limits>
#include <string>

#include "rrr/marshal/marshal.h"

namespace rrr {
namespace {

template <class T>
T RoundTrip(const T& in, size_t expected_bytes) {
  Marshal m;
  m << in;
  EXPECT_EQ(m.ContentSize(), expected_bytes);
  T out{};
  m >> out;
  EXPECT_TRUE(m.Empty());
  return out;
}

template <class T>
void ExpectIntegerRoundTrips() {
  using L = std::numeric_limits<T>;
  for (T v : {L::min(), static_cast<T>(L::min() + 1), T{0}, T{1}, static_cast<T>(L::max() - 1),
              L::max()}) {
    EXPECT_EQ(RoundTrip(v, sizeof(T)), v);
  }
}

TEST(MarshalScalars, IntegersRoundTripAtTheirLimits) {
  ExpectIntegerRoundTrips<int8_t>();
  ExpectIntegerRoundTrips<uint8_t>();
  ExpectIntegerRoundTrips<int16_t>();
  ExpectIntegerRoundTrips<uint16_t>();
  ExpectIntegerRoundTrips<int32_t>();
  ExpectIntegerRoundTrips<uint32_t>();
  ExpectIntegerRoundTrips<int64_t>();
  ExpectIntegerRoundTrips<uint64_t>();
  ExpectIntegerRoundTrips<char>();
  ExpectIntegerRoundTrips<long long>();         // NOLINT(google-runtime-int)
  ExpectIntegerRoundTrips<unsigned long long>();  // NOLINT(google-runtime-int)
}

TEST(MarshalScalars, IntegersAreLittleEndianOnTheWire) {
  Marshal m;
  m << uint16_t{0x0102} << int32_t{-2} << uint64_t{0x0102030405060708ULL} << int8_t{-1};
  EXPECT_EQ(m.DebugString(),
            "02 01 "
            "fe ff ff ff "
            "08 07 06 05 04 03 02 01 "
            "ff");
  EXPECT_EQ(m.ToString(), std::string("\x02\x01\xfe\xff\xff\xff\x08\x07\x06\x05\x04\x03\x02\x01\xff",
                                      15));
}

TEST(MarshalScalars, TruncatedIntegersThrowAndConsumeNothing) {
  Marshal m(std::string("\x01\x02\x03", 3));
  uint32_t v = 77;
  EXPECT_THROW(m >> v, MarshalError);
  EXPECT_EQ(v, 77u);
  EXPECT_EQ(m.ContentSize(), 3u);
  uint64_t w = 5;
  EXPECT_THROW(m >> w, MarshalError);
  EXPECT_EQ(w, 5u);
  uint16_t h;
  m >> h;  // the buffer is still usable
  EXPECT_EQ(h, 0x0201);
  EXPECT_THROW(m >> h, MarshalError);
  EXPECT_EQ(m.ContentSize(), 1u);
}

enum class Color : uint16_t { kRed = 1, kBlue = 0xbeef };
enum Plain { kPlainA = -3, kPlainB = 9 };

TEST(MarshalScalars, EnumsUseTheirUnderlyingType) {
  EXPECT_EQ(RoundTrip(Color::kBlue, 2), Color::kBlue);
  EXPECT_EQ(RoundTrip(kPlainA, sizeof(Plain)), kPlainA);
  Marshal m;
  m << Color::kBlue;
  EXPECT_EQ(m.DebugString(), "ef be");
}

TEST(MarshalScalars, Bool) {
  EXPECT_TRUE(RoundTrip(true, 1));
  EXPECT_FALSE(RoundTrip(false, 1));
  Marshal m;
  m << true << false;
  EXPECT_EQ(m.DebugString(), "01 00");
}

TEST(MarshalScalars, BadBoolByteThrows) {
  for (unsigned char b : {2, 0x80, 0xff}) {
    Marshal m(std::string(1, static_cast<char>(b)));
    bool v = true;
    EXPECT_THROW(m >> v, MarshalError) << int(b);
    EXPECT_TRUE(v);
    EXPECT_EQ(m.ContentSize(), 1u);
  }
  Marshal empty;
  bool v;
  EXPECT_THROW(empty >> v, MarshalError);
}

TEST(MarshalScalars, FloatingPointBitsRoundTrip) {
  using D = std::numeric_limits<double>;
  for (double d : {0.0, -0.0, 1.5, -1e300, D::min(), D::denorm_min(), D::max(), D::infinity(),
                   -D::infinity(), D::quiet_NaN()}) {
    const double out = RoundTrip(d, 8);
    EXPECT_EQ(std::memcmp(&out, &d, sizeof d), 0) << d;
  }
  uint64_t odd_nan_bits = 0x7ff4000000000123ULL;  // a NaN with a payload survives untouched
  double odd_nan;
  std::memcpy(&odd_nan, &odd_nan_bits, 8);
  const double back = RoundTrip(odd_nan, 8);
  EXPECT_EQ(std::memcmp(&back, &odd_nan, 8), 0);
  EXPECT_EQ(RoundTrip(3.25f, 4), 3.25f);

  Marshal m;
  m << 1.0;  // 0x3ff0000000000000 little-endian
  EXPECT_EQ(m.DebugString(), "00 00 00 00 00 00 f0 3f");
  double d;
  m.Skip(1);
  EXPECT_THROW(m >> d, MarshalError);
}

TEST(MarshalScalars, Strings) {
  EXPECT_EQ(RoundTrip(std::string(), 1), "");
  EXPECT_EQ(RoundTrip(std::string("hi"), 3), "hi");
  const std::string binary("\0\xff\n\x80", 4);
  EXPECT_EQ(RoundTrip(binary, 5), binary);
  const std::string long_string(300, 'q');
  EXPECT_EQ(RoundTrip(long_string, 302), long_string);

  Marshal m;
  m << "ab" << std::string_view("c");
  EXPECT_EQ(m.DebugString(), "02 61 62 01 63");
}

TEST(MarshalScalars, StringLengthPastEndThrows) {
  Marshal m(std::string("\x05" "abcd", 5));  // claims 5 bytes, has 4
  std::string s = "keep";
  EXPECT_THROW(m >> s, MarshalError);
  EXPECT_EQ(s, "keep");
  EXPECT_EQ(m.ContentSize(), 5u);
}

TEST(MarshalScalars, StringLengthOverLimitThrows) {
  Marshal m;
  m.WriteVarint(Marshal::kMaxLength + 1);
  m.Write("abc", 3);
  const size_t before = m.ContentSize();
  std::string s;
  try {
    m >> s;
    FAIL();
  } catch (const MarshalError& e) {
    EXPECT_NE(std::string(e.what()).find("over limit"), std::string::npos) << e.what();
  }
  EXPECT_EQ(m.ContentSize(), before);
}

TEST(MarshalScalars, NestedMarshalIsAByteString) {
  Marshal inner;
  inner << uint32_t{9} << std::string("x");
  Marshal outer;
  outer << inner << uint8_t{7};
  EXPECT_EQ(inner.ContentSize(), 6u);  // writing does not consume the inner buffer
  Marshal back;
  uint8_t tail;
  outer >> back >> tail;
  EXPECT_EQ(back, inner);
  EXPECT_EQ(tail, 7);
  uint32_t nine;
  std::string x;
  back >> nine >> x;
  EXPECT_EQ(nine, 9u);
  EXPECT_EQ(x, "x");
}

}  // namespace
}  // namespace rrr
