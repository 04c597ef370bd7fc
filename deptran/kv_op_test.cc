#include "deptran/kv_op.h"

#include <gtest/gtest.h>

#include <string>

namespace janus {
namespace {

TEST(KvOpKindTest, NamesAndWordsRoundTrip) {
  for (KvOpKind k : {KvOpKind::kGet, KvOpKind::kPut, KvOpKind::kAppend}) {
    std::string word = KvOpKindName(k);
    word[0] = static_cast<char>(word[0] - 'A' + 'a');
    KvOpKind parsed = KvOpKind::kGet;
    ASSERT_TRUE(ParseKvOpKind(word, &parsed)) << word;
    EXPECT_EQ(parsed, k);
  }
  KvOpKind k = KvOpKind::kPut;
  EXPECT_FALSE(ParseKvOpKind("Get", &k));
  EXPECT_FALSE(ParseKvOpKind("bench", &k));
  EXPECT_EQ(k, KvOpKind::kPut);
  EXPECT_STREQ(KvOpKindName(static_cast<KvOpKind>(7)), "?");
}

// The values are the reference KV command's wire encoding.
static_assert(static_cast<uint8_t>(KvOpKind::kGet) == 0, "wire value");
static_assert(static_cast<uint8_t>(KvOpKind::kPut) == 1, "wire value");
static_assert(static_cast<uint8_t>(KvOpKind::kAppend) == 2, "wire value");

}  // namespace
}  // namespace janus
