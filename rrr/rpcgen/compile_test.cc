// Compiles the headers generated from testdata/*.rpc (by rrr_add_rpc, like any user) against
// the real rrr headers, checks the generated API's shape, and round-trips the structs through
// rrr::Marshal. Calls are in generated_call_test.cc.
#include <gtest/gtest.h>

#include <type_traits>

#include "rrr/marshal/marshal.h"
#include "rrr/rpcgen/sema.h"

#include "counter.h"
#include "enums.h"
#include "global.h"
#include "shapes.h"
#include "types.h"

namespace {

template <class T>
T RoundTrip(const T& v) {
  rrr::Marshal m;
  m << v;
  T out;
  m >> out;
  EXPECT_EQ(m.ContentSize(), 0u);
  return out;
}

// A concrete service: compiles only if every handler has the documented signature.
class CounterImpl : public demo::CounterService {
 public:
  void Add(const int32_t& a, const int32_t& b, int32_t* sum, rrr::DeferredReply* defer) override {
    *sum = a + b;
    defer->reply();
  }
};

class ShapesImpl : public golden::shapes::ShapesService {
 public:
  void Ping(rrr::DeferredReply* defer) override { defer->reply(); }
  void Notify(const int32_t&, rrr::DeferredReply* defer) override { defer->reply(); }
  void Stats(uint64_t* calls, uint64_t* bytes, rrr::DeferredReply* defer) override {
    *calls = *bytes = 0;
    defer->reply();
  }
  void Plain(const golden::shapes::Empty&, golden::shapes::Empty*,
             rrr::DeferredReply* defer) override {
    defer->reply();
  }
};

TEST(CompileTest, ApiShape) {
  static_assert(std::is_base_of<rrr::Service, demo::CounterService>::value, "");
  static_assert(std::is_abstract<demo::CounterService>::value, "");
  static_assert(!std::is_abstract<CounterImpl>::value, "");
  static_assert(!std::is_abstract<ShapesImpl>::value, "");
  static_assert(std::is_same<decltype(&demo::CounterProxy::async_Add),
                             rrr::FuturePtr (demo::CounterProxy::*)(
                                 const int32_t&, const int32_t&, const rrr::FutureAttr&)>::value,
                "");
  static_assert(std::is_same<decltype(&demo::CounterProxy::Add),
                             int32_t (demo::CounterProxy::*)(const int32_t&, const int32_t&,
                                                             int32_t*)>::value,
                "");
  static_assert(std::is_constructible<demo::CounterProxy, rrr::Client*>::value, "");
  static_assert(!std::is_convertible<rrr::Client*, demo::CounterProxy>::value, "explicit");
  // The reply struct and decode helpers of every method.
  static_assert(std::is_same<decltype(demo::CounterProxy::AddReply::error_code), int32_t>::value,
                "");
  static_assert(std::is_same<decltype(demo::CounterProxy::AddReply::sum), int32_t>::value, "");
  static_assert(std::is_same<decltype(demo::CounterProxy::DecodeAdd(std::declval<rrr::Future*>())),
                             demo::CounterProxy::AddReply>::value,
                "");
  static_assert(
      std::is_same<decltype(demo::CounterProxy::DecodeAdd(std::declval<const rrr::FuturePtr&>())),
                   demo::CounterProxy::AddReply>::value,
      "");
  static_assert(std::is_same<decltype(golden::enums::JobsProxy::SubmitReply::status),
                             golden::enums::Status>::value,
                "");
  static_assert(sizeof(golden::shapes::ShapesProxy::PingReply) == sizeof(int32_t), "no outputs");
  CounterImpl counter;
  ShapesImpl shapes;
  golden::shapes::NothingService* nothing = nullptr;
  (void)nothing;
  golden::types::StoreProxy store(nullptr);
  (void)store;
}

TEST(CompileTest, MethodIdsAreTheDocumentedHash) {
  using rrr::rpcgen::Fnv1a32;
  EXPECT_EQ(demo::CounterService::kAdd, Fnv1a32("demo.CounterService.Add"));
  EXPECT_EQ(golden::shapes::ShapesService::kStats, Fnv1a32("golden.shapes.ShapesService.Stats"));
  EXPECT_EQ(golden::types::StoreService::kBatch, Fnv1a32("golden.types.StoreService.Batch"));
  EXPECT_EQ(GeometryService::kDistance, Fnv1a32("GeometryService.Distance"));
}

TEST(CompileTest, StructsRoundTrip) {
  using namespace golden::types;
  Scalars s{-1, -2, -3, -4, 5, 6, 7, 8, 9, 10, rrr::v32{-11}, rrr::v64{12}, true, 1.5,
            "o", "p"};
  EXPECT_EQ(RoundTrip(s), s);
  Scalars zero;
  EXPECT_NE(zero, s);
  EXPECT_EQ(zero.c, 0);
  EXPECT_FALSE(zero.m);

  Outer o;
  o.inner = Inner{1, {"a", "b"}};
  o.inners = {Inner{2, {}}, Inner{3, {"c"}}};
  o.by_name["x"] = {Inner{4, {"d"}}};
  o.by_id[5] = Inner{5, {}};
  o.names = {"n1", "n2"};
  o.pairs = {{1, "one"}, {2, "two"}};
  o.maybe = Inner{6, {"e"}};
  Outer back = RoundTrip(o);
  EXPECT_TRUE(back == o);
  back.maybe.reset();
  EXPECT_TRUE(back != o);

  Wrapped w{ext::Blob{"blob"}, {ext::Blob{"x"}, ext::Blob{"y"}}};
  EXPECT_TRUE(RoundTrip(w) == w);  // template operator==, instantiated here
  Holder h{w};
  EXPECT_TRUE(RoundTrip(h) == h);

  demo::Pt pt{7, "seven"};
  EXPECT_EQ(RoundTrip(pt), pt);
  std::vector<demo::Pt> pts = {pt, demo::Pt{8, "eight"}};
  EXPECT_EQ(RoundTrip(pts), pts);  // generated structs marshal inside containers
  std::map<std::string, demo::Pt> by_name = {{"p", pt}};
  EXPECT_EQ(RoundTrip(by_name), by_name);
  EXPECT_EQ(RoundTrip(golden::shapes::Empty{}), golden::shapes::Empty{});
  EXPECT_EQ(RoundTrip(GlobalPoint{1.5, -2}), (GlobalPoint{1.5, -2}));
}

TEST(CompileTest, EnumsMarshalAsInt32) {
  using namespace golden::enums;
  static_assert(std::is_same<std::underlying_type<Status>::type, int32_t>::value, "");
  EXPECT_EQ(RoundTrip(Status::FAILED), Status::FAILED);
  EXPECT_EQ(RoundTrip(Priority::HIGH), Priority::HIGH);
  rrr::Marshal m;
  m << Status::FAILED;
  int32_t raw = 0;
  m >> raw;
  EXPECT_EQ(raw, -1);  // the wire format is the int32 value, as an i32 field would be

  Job job{Priority::LOW, {Status::IDLE, Status::RUNNING}, {{Status::FAILED, 2}}};
  EXPECT_EQ(RoundTrip(job), job);
  EXPECT_EQ(RoundTrip(Job{}), Job{});  // a value-initialized enum is 0, which every enum names

  // A value that names no enumerator is rejected, leaving value and cursor alone.
  rrr::Marshal bad;
  bad << int32_t{2};
  Status s = Status::RUNNING;
  EXPECT_THROW(bad >> s, rrr::MarshalError);
  EXPECT_EQ(s, Status::RUNNING);
  EXPECT_EQ(bad.ContentSize(), sizeof(int32_t));

  EXPECT_STREQ(StatusName(Status::FAILED), "FAILED");
  EXPECT_STREQ(PriorityName(Priority::NONE), "NONE");
  EXPECT_STREQ(StatusName(static_cast<Status>(42)), "?");
}

TEST(CompileTest, FailedReadLeavesValueAndCursor) {
  demo::Pt pt{7, "seven"};
  rrr::Marshal m;
  m << pt;
  std::string bytes = m.ToString();
  rrr::Marshal truncated(bytes.substr(0, bytes.size() - 1));
  demo::Pt out{1, "one"};
  EXPECT_THROW(truncated >> out, rrr::MarshalError);
  EXPECT_EQ(out, (demo::Pt{1, "one"}));
  EXPECT_EQ(truncated.ContentSize(), bytes.size() - 1);
}

}  // namespace
