#include "deptran/marshallable_registry.h"

#include <gtest/gtest.h>

#include "deptran/marshallable.h"

namespace janus {
namespace {

struct Foo : Marshallable {
  explicit Foo(int32_t kind = 7) : Marshallable(kind) {}
  rrr::Marshal& ToMarshal(rrr::Marshal& m) const override { return m; }
  rrr::Marshal& FromMarshal(rrr::Marshal& m) override { return m; }
};

MarshallableRegistry::Factory FooFactory(int32_t kind) {
  return [kind] { return std::make_shared<Foo>(kind); };
}

TEST(MarshallableRegistryTest, RegisterAndCreate) {
  MarshallableRegistry r;
  std::string err;
  EXPECT_TRUE(r.Register(7, "Foo", FooFactory(7), &err)) << err;
  EXPECT_TRUE(r.Contains(7));
  EXPECT_FALSE(r.Contains(8));
  EXPECT_EQ(r.NameOf(7), "Foo");
  EXPECT_EQ(r.NameOf(8), "");
  auto obj = r.Create(7);
  ASSERT_NE(obj, nullptr);
  EXPECT_EQ(obj->kind_, 7);
  EXPECT_NE(obj, r.Create(7));  // a fresh object each time
  EXPECT_EQ(r.Create(8), nullptr);
  EXPECT_EQ(r.Kinds(), std::vector<int32_t>{7});
}

TEST(MarshallableRegistryTest, DuplicateKindIsAnError) {
  MarshallableRegistry r;
  ASSERT_TRUE(r.Register(150, "RaftEntry", FooFactory(150), nullptr));
  std::string err;
  EXPECT_FALSE(r.Register(150, "KvCmd", FooFactory(150), &err));
  EXPECT_EQ(err, "kind 150 (range raft) is already registered by RaftEntry");
  EXPECT_EQ(r.NameOf(150), "RaftEntry");  // the first registration stays
}

TEST(MarshallableRegistryTest, BadRegistrations) {
  MarshallableRegistry r;
  std::string err;
  EXPECT_FALSE(r.Register(0, "Zero", FooFactory(0), &err));
  EXPECT_NE(err.find("reserved"), std::string::npos) << err;
  EXPECT_FALSE(r.Register(-3, "Neg", FooFactory(-3), &err));
  EXPECT_FALSE(r.Register(5, "NoFactory", nullptr, &err));
  EXPECT_EQ(err, "no factory");
  EXPECT_FALSE(r.Register(5, "Null", [] { return std::shared_ptr<Marshallable>(); }, &err));
  EXPECT_EQ(err, "the factory returned null");
  EXPECT_FALSE(r.Register(5, "Foo", FooFactory(6), &err));
  EXPECT_EQ(err, "a default-constructed Foo has kind_ = 6, but it is registered as kind 5");
  EXPECT_TRUE(r.Kinds().empty());
}

TEST(MarshallableRegistryTest, GlobalHoldsStaticRegistrations) {
  // marshallable_test.cc registers TestPut (90) and TestList (91) with the macro.
  EXPECT_EQ(MarshallableRegistry::Global().NameOf(kKindTestFirst), "TestPut");
  EXPECT_EQ(MarshallableRegistry::Global().NameOf(kKindTestFirst + 1), "TestList");
}

TEST(MarshallableRegistryDeathTest, MacroDuplicateAbortsWithMessage) {
  EXPECT_DEATH(RegisterMarshallableOrDie(kKindTestFirst, "Again", FooFactory(kKindTestFirst),
                                         "dup.cc", 12),
               "dup.cc:12: JANUS_REGISTER_MARSHALLABLE\\(90, Again\\): kind 90 \\(range "
               "runtime\\) is already registered by TestPut");
}

TEST(KindsTest, RangeNames) {
  EXPECT_STREQ(KindRangeName(0), "none");
  EXPECT_STREQ(KindRangeName(1), "runtime");
  EXPECT_STREQ(KindRangeName(100), "raft");
  EXPECT_STREQ(KindRangeName(299), "kv");
  EXPECT_STREQ(KindRangeName(300), "shardmaster");
  EXPECT_STREQ(KindRangeName(450), "shardkv");
  EXPECT_STREQ(KindRangeName(599), "txn");
  EXPECT_STREQ(KindRangeName(600), "unassigned");
  EXPECT_STREQ(KindRangeName(-1), "unassigned");
}

}  // namespace
}  // namespace janus
