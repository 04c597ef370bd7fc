// Tests of the raw byte-buffer API of rrr::Marshal (no typed encodings).
#include <gtest/gtest.h>

#include <string>
#include <utility>

#include "rrr/marshal/marshal.h"

namespace rrr {
namespace {

TEST(MarshalBuffer, WriteReadPeekSkip) {
  Marshal m;
  EXPECT_TRUE(m.Empty());
  m.Write("abcdef", 6);
  EXPECT_EQ(m.ContentSize(), 6u);
  char buf[4] = {};
  m.Peek(buf, 2);
  EXPECT_EQ(std::string(buf, 2), "ab");
  EXPECT_EQ(m.ContentSize(), 6u);
  m.Read(buf, 3);
  EXPECT_EQ(std::string(buf, 3), "abc");
  m.Skip(1);
  EXPECT_EQ(m.ToString(), "ef");
  EXPECT_EQ(std::string(m.data(), m.ContentSize()), "ef");
  m.Read(buf, 0);  // zero-length reads are fine, even at the end
  m.Skip(2);
  EXPECT_TRUE(m.Empty());
  m.Read(buf, 0);
}

TEST(MarshalBuffer, ShortReadsThrowAndConsumeNothing) {
  Marshal m(std::string("xyz"));
  char buf[8];
  EXPECT_THROW(m.Read(buf, 4), MarshalError);
  EXPECT_THROW(m.Peek(buf, 4), MarshalError);
  EXPECT_THROW(m.Skip(4), MarshalError);
  EXPECT_EQ(m.ToString(), "xyz");
  try {
    m.Read(buf, 5);
    FAIL();
  } catch (const std::runtime_error& e) {  // MarshalError is a runtime_error with a message
    EXPECT_NE(std::string(e.what()).find("need 5 bytes"), std::string::npos) << e.what();
  }
}

TEST(MarshalBuffer, ConstructionFromBytes) {
  const std::string bytes("a\0b", 3);
  EXPECT_EQ(Marshal(bytes).ToString(), bytes);
  EXPECT_EQ(Marshal::FromString(bytes).ContentSize(), 3u);
  EXPECT_EQ(Marshal(bytes.data(), bytes.size()).ToString(), bytes);
}

TEST(MarshalBuffer, CopyHoldsOnlyUnreadBytes) {
  Marshal a(std::string("0123456789"));
  a.Skip(4);
  Marshal b(a);
  EXPECT_EQ(b.ToString(), "456789");
  EXPECT_EQ(a.ToString(), "456789");
  Marshal c;
  c = a;
  EXPECT_EQ(c, a);
  Marshal& alias = c;
  c = alias;  // self-assignment is harmless
  EXPECT_EQ(c.ToString(), "456789");
}

TEST(MarshalBuffer, MoveLeavesSourceEmptyAndUsable) {
  Marshal a(std::string("hello"));
  a.Skip(1);
  Marshal b(std::move(a));
  EXPECT_EQ(b.ToString(), "ello");
  EXPECT_TRUE(a.Empty());  // NOLINT(bugprone-use-after-move): documented behaviour
  a.Write("x", 1);
  EXPECT_EQ(a.ToString(), "x");
  Marshal c;
  c = std::move(b);
  EXPECT_EQ(c.ToString(), "ello");
  EXPECT_TRUE(b.Empty());  // NOLINT(bugprone-use-after-move)
}

TEST(MarshalBuffer, SwapClearRelease) {
  Marshal a(std::string("aa")), b(std::string("bbb"));
  swap(a, b);
  EXPECT_EQ(a.ToString(), "bbb");
  EXPECT_EQ(b.ToString(), "aa");
  a.Skip(1);
  EXPECT_EQ(a.Release(), "bb");
  EXPECT_TRUE(a.Empty());
  EXPECT_EQ(b.Release(), "aa");
  b.Write("q", 1);
  b.Clear();
  EXPECT_TRUE(b.Empty());
  EXPECT_EQ(b.ContentSize(), 0u);
}

TEST(MarshalBuffer, AppendCopyAndMove) {
  Marshal a(std::string("12")), b(std::string("345"));
  b.Skip(1);
  a.Append(b);
  EXPECT_EQ(a.ToString(), "1245");
  EXPECT_EQ(b.ToString(), "45");
  a.Append(std::move(b));
  EXPECT_EQ(a.ToString(), "124545");
  EXPECT_TRUE(b.Empty());  // NOLINT(bugprone-use-after-move)
  Marshal empty;
  empty.Append(std::move(a));  // steals the storage
  EXPECT_EQ(empty.ToString(), "124545");
  EXPECT_TRUE(a.Empty());  // NOLINT(bugprone-use-after-move)
}

TEST(MarshalBuffer, GrowthAndSpareRoomAreInvisible) {
  Marshal m;
  m.Write("ab", 2);  // the storage grows past the content
  EXPECT_EQ(m.ContentSize(), 2u);
  EXPECT_EQ(m.ToString(), "ab");
  Marshal copy(m);
  EXPECT_EQ(copy.ToString(), "ab");
  m.Reserve(1000);
  EXPECT_EQ(m.ContentSize(), 2u);
  std::string big(5000, 'b');
  m.Write(big.data(), big.size());
  EXPECT_EQ(m.ContentSize(), 5002u);
  EXPECT_EQ(m.Release(), "ab" + big);  // exactly the content, no spare bytes
  m.Write("c", 1);
  EXPECT_EQ(m.Release(), "c");
  EXPECT_EQ(m.Release(), "");
}

TEST(MarshalBuffer, InterleavedWritesAndReadsStayCorrect) {
  // Exercises compaction of the consumed prefix: a FIFO of many records.
  Marshal m;
  uint64_t next_write = 0, next_read = 0;
  for (int round = 0; round < 2000; round++) {
    for (int i = 0; i < 7; i++) m << next_write++ << std::string(round % 13, 'z');
    for (int i = 0; i < 5; i++) {
      uint64_t v;
      std::string s;
      m >> v >> s;
      ASSERT_EQ(v, next_read++);
    }
  }
  EXPECT_EQ(next_write - next_read, 2u * 2000);
  m.Reserve(1 << 16);
  m << uint8_t{1};
  EXPECT_GT(m.ContentSize(), 0u);
}

TEST(MarshalBuffer, EqualityComparesUnreadBytesOnly) {
  Marshal a(std::string("xxab")), b(std::string("ab"));
  EXPECT_NE(a, b);
  a.Skip(2);
  EXPECT_EQ(a, b);
  EXPECT_EQ(Marshal(), Marshal());
}

TEST(MarshalBuffer, DebugString) {
  Marshal m(std::string("\x01\xab\xff", 3));
  EXPECT_EQ(m.DebugString(), "01 ab ff");
  EXPECT_EQ(m.DebugString(2), "01 ab ...");
  EXPECT_EQ(m.DebugString(0), "...");
  EXPECT_EQ(Marshal().DebugString(), "");
}

TEST(MarshalBuffer, ReadTxnRestoresUnlessCommitted) {
  Marshal m(std::string("abcd"));
  {
    Marshal::ReadTxn txn(m);
    m.Skip(3);
  }
  EXPECT_EQ(m.ContentSize(), 4u);
  {
    Marshal::ReadTxn txn(m);
    m.Skip(3);
    txn.Commit();
  }
  EXPECT_EQ(m.ToString(), "d");
}

TEST(MarshalBuffer, TypedPeekDoesNotConsume) {
  Marshal m;
  m << uint32_t{42} << std::string("s");
  uint32_t v = 0;
  m.Peek(&v);
  EXPECT_EQ(v, 42u);
  EXPECT_EQ(m.ContentSize(), 4u + 2u);
  std::string s;
  EXPECT_THROW(m.Peek(&s), MarshalError);  // "42" is not a valid string length here
  EXPECT_EQ(m.ContentSize(), 6u);
}

TEST(MarshalBuffer, RawVarintAndLength) {
  Marshal m;
  m.WriteVarint(300);
  EXPECT_EQ(m.DebugString(), "ac 02");
  EXPECT_EQ(m.ReadVarint(), 300u);
  m.WriteVarint(300);
  EXPECT_THROW(m.ReadVarint(299), MarshalError);
  EXPECT_EQ(m.ContentSize(), 2u);
  EXPECT_EQ(m.ReadVarint(300), 300u);
  EXPECT_THROW(m.WriteLength(Marshal::kMaxLength + 1), MarshalError);
  EXPECT_TRUE(m.Empty());  // the refused write wrote nothing
  m.WriteLength(3);
  m.Write("abc", 3);
  EXPECT_THROW(m.ReadLength(2), MarshalError);  // 3 items of >= 2 bytes need 6 bytes
  EXPECT_EQ(m.ReadLength(1), 3u);
  m.Clear();
  m.WriteLength(Marshal::kMaxLength);
  EXPECT_EQ(m.ReadLength(0), Marshal::kMaxLength);  // 0 = no per-item bound
}

}  // namespace
}  // namespace rrr
