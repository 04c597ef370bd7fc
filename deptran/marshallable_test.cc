#include "deptran/marshallable.h"

#include <gtest/gtest.h>

#include <map>
#include <vector>

namespace janus {
namespace {

constexpr int32_t kKindTestPut = kKindTestFirst + 0;
constexpr int32_t kKindTestList = kKindTestFirst + 1;
constexpr int32_t kKindTestUnregistered = kKindTestFirst + 8;

struct TestPut : Marshallable {
  TestPut() : Marshallable(kKindTestPut) {}
  TestPut(std::string k, int64_t v) : Marshallable(kKindTestPut), key(std::move(k)), value(v) {}
  std::string key;
  int64_t value = 0;
  rrr::Marshal& ToMarshal(rrr::Marshal& m) const override { return m << key << value; }
  rrr::Marshal& FromMarshal(rrr::Marshal& m) override { return m >> key >> value; }
};
JANUS_REGISTER_MARSHALLABLE(kKindTestPut, TestPut);

// Nests deputies: a command that carries other commands.
struct TestList : Marshallable {
  TestList() : Marshallable(kKindTestList) {}
  std::vector<MarshallDeputy> items;
  rrr::Marshal& ToMarshal(rrr::Marshal& m) const override { return m << items; }
  rrr::Marshal& FromMarshal(rrr::Marshal& m) override { return m >> items; }
};
JANUS_REGISTER_MARSHALLABLE(kKindTestList, TestList);

// Not registered: the receiver does not know it.
struct TestUnknown : Marshallable {
  TestUnknown() : Marshallable(kKindTestUnregistered) {}
  rrr::Marshal& ToMarshal(rrr::Marshal& m) const override { return m << std::string("opaque"); }
  rrr::Marshal& FromMarshal(rrr::Marshal& m) override { return m; }
};

MarshallDeputy Put(const std::string& k, int64_t v) {
  return MarshallDeputy(std::make_shared<TestPut>(k, v));
}

TEST(MarshallableTest, RoundTrip) {
  rrr::Marshal m;
  m << Put("x", -7);
  MarshallDeputy d;
  m >> d;
  EXPECT_TRUE(m.Empty());
  EXPECT_EQ(d.kind_, kKindTestPut);
  auto p = d.As<TestPut>();
  ASSERT_NE(p, nullptr);
  EXPECT_EQ(p->key, "x");
  EXPECT_EQ(p->value, -7);
  EXPECT_EQ(d.As<TestList>(), nullptr);
}

TEST(MarshallableTest, WireFormat) {
  rrr::Marshal m;
  m << Put("ab", 1);
  // kind 90 LE, length 11 (varint), then string "ab" (varint 2 + bytes) and int64 1 LE.
  std::string expected("\x5a\x00\x00\x00\x0b\x02" "ab" "\x01\x00\x00\x00\x00\x00\x00\x00", 16);
  EXPECT_EQ(m.ToString(), expected);
}

TEST(MarshallableTest, EmptyDeputy) {
  rrr::Marshal m;
  m << MarshallDeputy() << MarshallDeputy(nullptr);
  EXPECT_EQ(m.ContentSize(), 10u);
  MarshallDeputy d = Put("old", 1);
  m >> d;
  EXPECT_EQ(d.sp_data_, nullptr);
  EXPECT_EQ(d.kind_, kKindNone);
}

TEST(MarshallableTest, InsideVectorMapAndNested) {
  std::vector<MarshallDeputy> v{Put("a", 1), MarshallDeputy(), Put("b", 2)};
  std::map<int32_t, MarshallDeputy> mp{{3, Put("c", 3)}, {4, Put("d", 4)}};
  auto list = std::make_shared<TestList>();
  list->items = {Put("e", 5), Put("f", 6)};
  rrr::Marshal m;
  m << v << mp << MarshallDeputy(list);

  std::vector<MarshallDeputy> v2;
  std::map<int32_t, MarshallDeputy> mp2;
  MarshallDeputy nested;
  m >> v2 >> mp2 >> nested;
  EXPECT_TRUE(m.Empty());
  ASSERT_EQ(v2.size(), 3u);
  EXPECT_EQ(v2[0].As<TestPut>()->key, "a");
  EXPECT_EQ(v2[1].sp_data_, nullptr);
  EXPECT_EQ(v2[2].As<TestPut>()->value, 2);
  ASSERT_EQ(mp2.size(), 2u);
  EXPECT_EQ(mp2.at(4).As<TestPut>()->key, "d");
  auto l2 = nested.As<TestList>();
  ASSERT_NE(l2, nullptr);
  ASSERT_EQ(l2->items.size(), 2u);
  EXPECT_EQ(l2->items[1].As<TestPut>()->key, "f");
}

TEST(MarshallableTest, UnknownKindSkipsPayload) {
  rrr::Marshal m;
  m << MarshallDeputy(std::make_shared<TestUnknown>()) << Put("after", 9) << int32_t{42};
  MarshallDeputy d = Put("untouched", 0);
  try {
    m >> d;
    FAIL() << "expected MarshallableError";
  } catch (const MarshallableError& e) {
    EXPECT_EQ(e.kind(), kKindTestUnregistered);
    std::string what = e.what();
    EXPECT_NE(what.find("unknown kind 98"), std::string::npos) << what;
    EXPECT_NE(what.find("skipped its 7-byte payload"), std::string::npos) << what;
  }
  EXPECT_EQ(d.As<TestPut>()->key, "untouched");
  m >> d;  // the next value still decodes
  EXPECT_EQ(d.As<TestPut>()->key, "after");
  int32_t tail = 0;
  m >> tail;
  EXPECT_EQ(tail, 42);
}

TEST(MarshallableTest, ErrorIsAMarshalError) {
  rrr::Marshal m;
  m << MarshallDeputy(std::make_shared<TestUnknown>());
  MarshallDeputy d;
  EXPECT_THROW(m >> d, rrr::MarshalError);
}

TEST(MarshallableTest, PayloadThatDoesNotDecode) {
  rrr::Marshal m;
  m << kKindTestPut;
  m.WriteLength(3);
  m << uint8_t{200} << uint8_t{1} << uint8_t{2};  // string length 200 > the 2 bytes left
  m << Put("next", 1);
  MarshallDeputy d;
  try {
    m >> d;
    FAIL() << "expected MarshallableError";
  } catch (const MarshallableError& e) {
    EXPECT_EQ(e.kind(), kKindTestPut);
    EXPECT_NE(std::string(e.what()).find("kind 90 (TestPut): its 3-byte payload does not decode"),
              std::string::npos)
        << e.what();
  }
  m >> d;
  EXPECT_EQ(d.As<TestPut>()->key, "next");
}

TEST(MarshallableTest, TrailingPayloadBytesAreAnError) {
  rrr::Marshal payload;
  payload << std::string("k") << int64_t{1} << uint8_t{0xEE};
  rrr::Marshal m;
  m << kKindTestPut;
  m.WriteLength(payload.ContentSize());
  m.Append(payload);
  MarshallDeputy d;
  try {
    m >> d;
    FAIL();
  } catch (const MarshallableError& e) {
    EXPECT_NE(std::string(e.what()).find("left 1 of 11 payload bytes unread"), std::string::npos)
        << e.what();
  }
  EXPECT_TRUE(m.Empty());
}

TEST(MarshallableTest, TruncatedDeputyConsumesNothing) {
  rrr::Marshal full;
  full << Put("truncated", 5);
  std::string bytes = full.ToString();
  for (size_t cut = 0; cut < bytes.size(); cut++) {
    rrr::Marshal m(bytes.substr(0, cut));
    MarshallDeputy d;
    EXPECT_THROW(m >> d, MarshallableError) << "cut at " << cut;
    EXPECT_EQ(m.ContentSize(), cut) << "cut at " << cut;
    EXPECT_EQ(d.sp_data_, nullptr);
  }
}

TEST(MarshallableTest, EmptyKindWithPayloadIsAnError) {
  rrr::Marshal m;
  m << kKindNone;
  m.WriteLength(2);
  m << uint16_t{7} << int32_t{5};
  MarshallDeputy d;
  EXPECT_THROW(m >> d, MarshallableError);
  int32_t next = 0;
  m >> next;
  EXPECT_EQ(next, 5);
}

TEST(MarshallableTest, VectorWithUnknownElementFailsWhole) {
  std::vector<MarshallDeputy> v{Put("a", 1), MarshallDeputy(std::make_shared<TestUnknown>())};
  rrr::Marshal m;
  m << v;
  std::vector<MarshallDeputy> out;
  EXPECT_THROW(m >> out, MarshallableError);
  EXPECT_TRUE(out.empty());
}

}  // namespace
}  // namespace janus
