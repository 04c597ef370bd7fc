// Tests of containers, pair, optional, nesting and user-defined types.
#include <gtest/gtest.h>

#include <list>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

#include "rrr/marshal/marshal.h"

namespace demo {

// A user type with its own operators, as generated code writes them.
struct Pt {
  int32_t x = 0;
  std::string label;
  std::vector<rrr::v64> path;
  bool operator==(const Pt& o) const { return x == o.x && label == o.label && path == o.path; }
  bool operator<(const Pt& o) const { return x < o.x; }
};

rrr::Marshal& operator<<(rrr::Marshal& m, const Pt& p) { return m << p.x << p.label << p.path; }
rrr::Marshal& operator>>(rrr::Marshal& m, Pt& p) {
  rrr::Marshal::ReadTxn txn(m);  // all-or-nothing, like the built-in readers
  Pt tmp;
  m >> tmp.x >> tmp.label >> tmp.path;
  txn.Commit();
  p = std::move(tmp);
  return m;
}

}  // namespace demo

namespace rrr {
namespace {

template <class T>
T RoundTrip(const T& in) {
  Marshal m;
  m << in;
  T out{};
  m >> out;
  EXPECT_TRUE(m.Empty()) << m.ContentSize() << " bytes left";
  return out;
}

// Expects decoding T from `bytes` to throw and leave buffer and destination untouched.
template <class T>
void ExpectRejected(const std::string& bytes, const T& sentinel, const char* why) {
  Marshal m(bytes);
  T v = sentinel;
  EXPECT_THROW(m >> v, MarshalError) << why;
  Marshal now, before;  // compared through their encodings
  now << v;
  before << sentinel;
  EXPECT_EQ(now, before) << why;
  EXPECT_EQ(m.ContentSize(), bytes.size()) << why;
}

TEST(MarshalContainers, EachContainerRoundTrips) {
  EXPECT_EQ(RoundTrip(std::vector<int32_t>{1, -2, 3}), (std::vector<int32_t>{1, -2, 3}));
  EXPECT_EQ(RoundTrip(std::vector<int32_t>{}), std::vector<int32_t>{});
  EXPECT_EQ(RoundTrip(std::vector<bool>{true, false, true}), (std::vector<bool>{true, false, true}));
  EXPECT_EQ(RoundTrip(std::vector<uint8_t>{0, 255, 7}), (std::vector<uint8_t>{0, 255, 7}));
  EXPECT_EQ(RoundTrip(std::list<std::string>{"a", "", "c"}), (std::list<std::string>{"a", "", "c"}));
  EXPECT_EQ(RoundTrip(std::set<int64_t>{-5, 0, 9}), (std::set<int64_t>{-5, 0, 9}));
  EXPECT_EQ(RoundTrip(std::unordered_set<std::string>{"x", "y"}),
            (std::unordered_set<std::string>{"x", "y"}));
  const std::map<std::string, v32> mp = {{"a", 1}, {"b", -70000}};
  EXPECT_EQ(RoundTrip(mp), mp);
  const std::unordered_map<v64, double> um = {{v64(1), 0.5}, {v64(-1), 2.0}};
  EXPECT_EQ(RoundTrip(um), um);
  EXPECT_EQ(RoundTrip(std::make_pair(v32(-1), std::string("p"))),
            std::make_pair(v32(-1), std::string("p")));
  EXPECT_EQ(RoundTrip(std::optional<int16_t>()), std::nullopt);
  EXPECT_EQ(RoundTrip(std::optional<int16_t>(-3)), std::optional<int16_t>(-3));
}

TEST(MarshalContainers, ExactWireBytes) {
  Marshal m;
  m << std::vector<uint16_t>{1, 0x0203} << std::optional<bool>(true) << std::optional<bool>()
    << std::map<uint8_t, std::string>{{9, "z"}} << std::make_pair(uint8_t{4}, v32(-1));
  EXPECT_EQ(m.DebugString(),
            "02 01 00 03 02 "  // vector: count 2, two LE uint16
            "01 01 00 "        // optional present true, optional empty
            "01 09 01 7a "     // map: count 1, key 9, value "z"
            "04 01");          // pair
}

TEST(MarshalContainers, NestedContainersRoundTrip) {
  using Deep = std::vector<std::map<std::string, std::optional<std::pair<v32, std::set<int>>>>>;
  Deep deep(3);
  deep[0]["a"] = std::make_pair(v32(-5), std::set<int>{1, 2});
  deep[0]["b"] = std::nullopt;
  deep[2][""] = std::make_pair(v32(7), std::set<int>{});
  EXPECT_EQ(RoundTrip(deep), deep);

  std::unordered_map<std::string, std::list<std::vector<std::optional<std::string>>>> u;
  u["k"].push_back({std::nullopt, std::string("v")});
  u["k"].push_back({});
  u["e"];
  EXPECT_EQ(RoundTrip(u), u);
}

TEST(MarshalContainers, UserDefinedStruct) {
  demo::Pt p{42, "home", {v64(1), v64(-1000000000000)}};
  EXPECT_EQ(RoundTrip(p), p);
  std::vector<demo::Pt> pts = {p, demo::Pt{}, p};
  EXPECT_EQ(RoundTrip(pts), pts);
  std::map<std::string, std::optional<demo::Pt>> named = {{"p", p}, {"none", std::nullopt}};
  EXPECT_EQ(RoundTrip(named), named);
  EXPECT_EQ(RoundTrip(std::set<demo::Pt>{p}), std::set<demo::Pt>{p});

  Marshal m;
  m << p;
  std::string bytes = m.ToString();
  bytes.pop_back();  // truncated in the last varint of the path
  ExpectRejected(bytes, demo::Pt{1, "sentinel", {}}, "truncated struct");
}

TEST(MarshalContainers, CountPastEndOrOverLimitThrows) {
  ExpectRejected(std::string("\x03\x01\x00\x00\x00", 5), std::vector<int32_t>{9},
                 "3 int32 need 12 bytes");
  ExpectRejected(std::string("\x05" "ab", 3), std::vector<uint8_t>{9}, "5 bytes, 2 present");
  ExpectRejected(std::string("\x02\x00", 2), std::list<std::string>{"s"}, "2 strings, 1 byte");
  Marshal huge;
  huge.WriteVarint(Marshal::kMaxLength + 1);
  ExpectRejected(huge.ToString(), std::vector<demo::Pt>{}, "count over limit, no element bound");
  Marshal big;
  big.WriteVarint(uint64_t{1} << 40);
  ExpectRejected(big.ToString(), std::map<int, int>{{1, 1}}, "huge map count");
  ExpectRejected(std::string(10, '\xff'), std::set<int>{}, "count varint overflows");
}

TEST(MarshalContainers, CountOfTypesWithoutLowerBoundIsStillSafe) {
  // demo::Pt has no WireMinSize, so the count is only checked against kMaxLength; the
  // elements then run out of bytes.
  Marshal m;
  m.WriteVarint(1000000);
  m << demo::Pt{};
  ExpectRejected(m.ToString(), std::vector<demo::Pt>{}, "elements run out");
}

TEST(MarshalContainers, BadElementInsideRejectsTheWhole) {
  Marshal m;
  m.WriteLength(2);
  m << true;
  m.Write("\x07", 1);  // bad bool
  ExpectRejected(m.ToString(), std::vector<bool>{false}, "bad bool element");
  ExpectRejected(std::string("\x02\x01\x61\x01", 4), std::map<std::string, std::string>{},
                 "value truncated");
}

TEST(MarshalContainers, DuplicateKeysThrow) {
  ExpectRejected(std::string("\x02\x05\x05", 3), std::set<uint8_t>{}, "set");
  ExpectRejected(std::string("\x02\x05\x01\x05\x02", 5), std::map<uint8_t, uint8_t>{}, "map");
  ExpectRejected(std::string("\x02\x05\x01\x05\x02", 5), std::unordered_map<uint8_t, uint8_t>{},
                 "unordered_map");
  ExpectRejected(std::string("\x02\x01x\x01x", 5), std::unordered_set<std::string>{},
                 "unordered_set");
}

TEST(MarshalContainers, BadOptionalTagThrows) {
  for (char tag : {'\x02', '\x80', '\xff'}) {
    ExpectRejected(std::string(1, tag) + "\x01", std::optional<uint8_t>(3), "bad tag");
  }
  ExpectRejected(std::string("\x01", 1), std::optional<uint8_t>(3), "value missing");
  ExpectRejected(std::string(), std::optional<uint8_t>(4), "tag missing");
}

TEST(MarshalContainers, BadPairHalfThrows) {
  ExpectRejected(std::string("\x01\x02", 2), std::make_pair(uint8_t{1}, true), "bad second");
  ExpectRejected(std::string("\x01", 1), std::make_pair(uint8_t{1}, true), "missing second");
}

}  // namespace
}  // namespace rrr
