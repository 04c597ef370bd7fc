// Calls through generated services and proxies over a real rrr::Server and rrr::Client, on the
// sim transport (virtual time) and on tcp loopback: every kind of type crosses the wire, replies
// may be deferred, and bad requests or replies turn into the documented error codes.
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <string>

#include "rrr/marshal/marshal.h"
#include "rrr/reactor/coroutine.h"
#include "rrr/reactor/reactor.h"

#include "enums.h"
#include "shapes.h"
#include "types.h"

namespace {

using namespace golden::types;
using golden::shapes::ShapesProxy;
using golden::shapes::ShapesService;

// A store whose Get replies later, from another coroutine, to exercise deferred replies.
class StoreImpl : public StoreService {
 public:
  void Put(const std::string& key, const Outer& value, bool* replaced,
           rrr::DeferredReply* defer) override {
    *replaced = data_.count(key) > 0;
    data_[key] = value;
    defer->reply();
  }
  void Get(const std::string& key, Outer* value, bool* found, rrr::DeferredReply* defer) override {
    std::string k = key;  // inputs die when the handler returns: copy what the coroutine keeps
    rrr::Coroutine::CreateRun([this, k, value, found, defer]() {
      rrr::Coroutine::Sleep(1000);
      auto it = data_.find(k);
      *found = it != data_.end();
      if (*found) *value = it->second;
      defer->reply();
    });
  }
  void Swap(const Wrapped& in_w, Wrapped* out_w, rrr::DeferredReply* defer) override {
    *out_w = Wrapped{in_w.blobs.empty() ? ext::Blob{} : in_w.blobs[0], {in_w.blob}};
    defer->reply();
  }
  void Batch(const std::vector<Outer>& values, const std::map<std::string, std::optional<int64_t>>&
             versions, std::vector<bool>* ok, int32_t* count, rrr::DeferredReply* defer) override {
    ok->assign(values.size(), true);
    *count = static_cast<int32_t>(versions.size());
    defer->reply();
  }
  void Raw(const ext::Blob& blob, ext::Blob* echo, rrr::DeferredReply* defer) override {
    *echo = blob;
    defer->reply();
  }
  std::map<std::string, Outer> data_;
};

class GeneratedCallTest : public ::testing::TestWithParam<bool> {
 protected:
  void SetUp() override {
    rrr::ReactorOptions opts;
    opts.virtual_time = GetParam();
    reactor_ = rrr::Reactor::Create(opts);
    server_ = std::make_unique<rrr::Server>();
    server_->RegisterService(&store_);
    ASSERT_EQ(0, server_->Listen(GetParam() ? "server:0" : "127.0.0.1:0"));
    client_ = std::make_unique<rrr::Client>();
    ASSERT_EQ(0, client_->Connect(server_->addr()));
  }
  void TearDown() override {
    client_.reset();
    server_.reset();
    reactor_.reset();
  }
  // Runs fn in a coroutine until it returns.
  void RunCo(const std::function<void()>& fn) {
    bool done = false;
    rrr::Coroutine::CreateRun([&]() {
      fn();
      done = true;
    });
    ASSERT_TRUE(reactor_->RunUntil([&]() { return done; }, 10 * 1000 * 1000));
  }

  std::shared_ptr<rrr::Reactor> reactor_;
  StoreImpl store_;
  std::unique_ptr<rrr::Server> server_;
  std::unique_ptr<rrr::Client> client_;
};

Outer SampleOuter() {
  Outer o;
  o.inner = Inner{1, {"a"}};
  o.inners = {Inner{2, {"b", "c"}}};
  o.by_name["k"] = {Inner{3, {}}};
  o.by_id[4] = Inner{4, {"d"}};
  o.names = {"x", "y"};
  o.pairs = {{5, "five"}};
  o.maybe = Inner{6, {}};
  return o;
}

TEST_P(GeneratedCallTest, EveryTypeCrossesTheWire) {
  StoreProxy proxy(client_.get());
  RunCo([&]() {
    bool replaced = true;
    ASSERT_EQ(rrr::kOk, proxy.Put("k", SampleOuter(), &replaced));
    EXPECT_FALSE(replaced);
    ASSERT_EQ(rrr::kOk, proxy.Put("k", SampleOuter(), &replaced));
    EXPECT_TRUE(replaced);
    Outer got;
    bool found = false;
    ASSERT_EQ(rrr::kOk, proxy.Get("k", &got, &found));  // deferred reply
    EXPECT_TRUE(found);
    EXPECT_EQ(got, SampleOuter());
    ASSERT_EQ(rrr::kOk, proxy.Get("missing", &got, &found));
    EXPECT_FALSE(found);

    Wrapped out;
    ASSERT_EQ(rrr::kOk, proxy.Swap(Wrapped{ext::Blob{"a"}, {ext::Blob{"b"}}}, &out));
    EXPECT_TRUE(out == (Wrapped{ext::Blob{"b"}, {ext::Blob{"a"}}}));

    std::vector<bool> ok;
    int32_t count = 0;
    ASSERT_EQ(rrr::kOk, proxy.Batch({Outer(), SampleOuter()}, {{"a", 1}, {"b", std::nullopt}},
                                    &ok, &count));
    EXPECT_EQ(ok, (std::vector<bool>{true, true}));
    EXPECT_EQ(count, 2);

    ext::Blob echo;
    ASSERT_EQ(rrr::kOk, proxy.Raw(ext::Blob{"raw"}, &echo));
    EXPECT_EQ(echo.bytes, "raw");
  });
}

TEST_P(GeneratedCallTest, AsyncCallWithCallback) {
  StoreProxy proxy(client_.get());
  bool called = false;
  rrr::FutureAttr attr;
  attr.callback = [&](rrr::Future* f) {
    ASSERT_EQ(rrr::kOk, f->get_error_code());
    ext::Blob echo;
    f->get_reply() >> echo;
    EXPECT_EQ(echo.bytes, "cb");
    called = true;
  };
  rrr::FuturePtr f = proxy.async_Raw(ext::Blob{"cb"}, attr);
  ASSERT_TRUE(reactor_->RunUntil([&]() { return called; }, 10 * 1000 * 1000));
  EXPECT_TRUE(f->ready());
}

TEST_P(GeneratedCallTest, MalformedRequestIsRejectedBeforeTheHandler) {
  RunCo([&]() {
    rrr::Marshal junk;
    junk << uint8_t{0xff};  // not a string length followed by an Outer
    rrr::FuturePtr f = client_->Call(StoreService::kPut, junk);
    f->Wait();
    EXPECT_EQ(rrr::kErrBadRequest, f->get_error_code());
  });
  EXPECT_TRUE(store_.data_.empty());
}

TEST_P(GeneratedCallTest, UndecodableReplyIsBadReply) {
  // A handler registered under Stats' id that answers with too few bytes.
  server_->RegHandler(ShapesService::kStats, [](rrr::Marshal&, rrr::DeferredReply* d) {
    d->SetOutputs([](rrr::Marshal& out) { out << uint8_t{1}; });
    d->reply();
  });
  ShapesProxy shapes(client_.get());
  RunCo([&]() {
    uint64_t calls = 0, bytes = 0;
    EXPECT_EQ(rrr::kErrBadReply, shapes.Stats(&calls, &bytes));
    // A service nobody registered: no such method.
    EXPECT_EQ(rrr::kErrNoMethod, shapes.Ping());
  });
}

// The reply helpers: error code and outputs of a finished call in one step, from a callback
// or after Wait(), without consuming the reply.
TEST_P(GeneratedCallTest, DecodeReturnsErrorCodeAndOutputs) {
  StoreProxy proxy(client_.get());
  RunCo([&]() {
    bool replaced = true;
    ASSERT_EQ(rrr::kOk, proxy.Put("k", SampleOuter(), &replaced));
    rrr::FuturePtr f = proxy.async_Get("k");
    f->Wait();
    StoreProxy::GetReply r = StoreProxy::DecodeGet(f);
    EXPECT_EQ(r.error_code, rrr::kOk);
    EXPECT_TRUE(r.found);
    EXPECT_EQ(r.value, SampleOuter());
    // Not consumed: decoding again, or by hand in .rpc order, sees the same reply.
    EXPECT_EQ(StoreProxy::DecodeGet(f.get()).value, SampleOuter());
    Outer by_hand;
    bool found = false;
    f->get_reply() >> by_hand >> found;
    EXPECT_EQ(by_hand, SampleOuter());
    EXPECT_TRUE(found);
  });
  StoreProxy::BatchReply batch;
  rrr::FutureAttr attr;
  attr.callback = [&](rrr::Future* f) { batch = StoreProxy::DecodeBatch(f); };
  proxy.async_Batch({Outer()}, {{"a", 1}, {"b", 2}, {"c", std::nullopt}}, attr);
  ASSERT_TRUE(reactor_->RunUntil([&]() { return batch.error_code == rrr::kOk; }, 10 * 1000 * 1000));
  EXPECT_EQ(batch.ok, std::vector<bool>{true});
  EXPECT_EQ(batch.count, 3);
}

TEST_P(GeneratedCallTest, DecodeReportsCallErrors) {
  StoreProxy store(client_.get());
  ShapesProxy shapes(client_.get());
  // Not finished yet, or no future at all: kErrTimeout (no reply), outputs value-initialized.
  rrr::FuturePtr pending = store.async_Raw(ext::Blob{"x"});
  StoreProxy::RawReply early = StoreProxy::DecodeRaw(pending);
  EXPECT_EQ(early.error_code, rrr::kErrTimeout);
  EXPECT_TRUE(early.echo.bytes.empty());
  EXPECT_EQ(StoreProxy::DecodeRaw(rrr::FuturePtr()).error_code, rrr::kErrTimeout);
  EXPECT_EQ(StoreProxy::DecodeRaw(static_cast<rrr::Future*>(nullptr)).error_code,
            rrr::kErrTimeout);
  EXPECT_EQ(StoreProxy::RawReply().error_code, rrr::kErrTimeout);
  RunCo([&]() {
    pending->Wait();
    EXPECT_EQ(StoreProxy::DecodeRaw(pending).echo.bytes, "x");
    // The server's error code (nobody registered Shapes), for methods with and without outputs.
    rrr::FuturePtr f = shapes.async_Stats();
    f->Wait();
    ShapesProxy::StatsReply stats = ShapesProxy::DecodeStats(f);
    EXPECT_EQ(stats.error_code, rrr::kErrNoMethod);
    EXPECT_EQ(stats.calls, 0u);
    f = shapes.async_Ping();
    f->Wait();
    EXPECT_EQ(ShapesProxy::DecodePing(f).error_code, rrr::kErrNoMethod);
    // A local error: the deferred Get answers after 1000us, the call gives up after 10us.
    rrr::FutureAttr attr;
    attr.timeout_us = 10;
    f = store.async_Get("k", attr);
    f->Wait();
    StoreProxy::GetReply get = StoreProxy::DecodeGet(f);
    EXPECT_EQ(get.error_code, rrr::kErrTimeout);
    EXPECT_FALSE(get.found);
  });
}

TEST_P(GeneratedCallTest, DecodeOfMalformedReplyIsBadReplyWithoutThrowing) {
  // Stats' id answered with too few bytes, Last's with an int32 that names no Status.
  server_->RegHandler(ShapesService::kStats, [](rrr::Marshal&, rrr::DeferredReply* d) {
    d->SetOutputs([](rrr::Marshal& out) { out << uint64_t{7} << uint8_t{1}; });
    d->reply();
  });
  int32_t last_status = 5;
  server_->RegHandler(golden::enums::JobsService::kLast,
                      [&last_status](rrr::Marshal&, rrr::DeferredReply* d) {
                        d->SetOutputs([last_status](rrr::Marshal& out) { out << last_status; });
                        d->reply();
                      });
  ShapesProxy shapes(client_.get());
  golden::enums::JobsProxy jobs(client_.get());
  RunCo([&]() {
    rrr::FuturePtr f = shapes.async_Stats();
    f->Wait();
    ShapesProxy::StatsReply r;
    EXPECT_NO_THROW(r = ShapesProxy::DecodeStats(f));
    EXPECT_EQ(r.error_code, rrr::kErrBadReply);
    EXPECT_EQ(r.calls, 0u);  // all or nothing: the first output decoded, and was dropped
    EXPECT_EQ(f->get_reply().ContentSize(), 9u);  // nothing consumed
    // The sync call uses the helper: same code, and its outputs are left unchanged.
    uint64_t calls = 1, bytes = 2;
    EXPECT_EQ(rrr::kErrBadReply, shapes.Stats(&calls, &bytes));
    EXPECT_EQ(calls, 1u);
    EXPECT_EQ(bytes, 2u);

    f = jobs.async_Last();
    f->Wait();
    EXPECT_EQ(golden::enums::JobsProxy::DecodeLast(f).error_code, rrr::kErrBadReply);
    last_status = -1;
    golden::enums::Status status = golden::enums::Status::IDLE;
    EXPECT_EQ(rrr::kOk, jobs.Last(&status));
    EXPECT_EQ(status, golden::enums::Status::FAILED);
  });
}

INSTANTIATE_TEST_SUITE_P(Nets, GeneratedCallTest, ::testing::Values(true, false),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "sim" : "tcp";
                         });

}  // namespace
