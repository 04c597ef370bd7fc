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

INSTANTIATE_TEST_SUITE_P(Nets, GeneratedCallTest, ::testing::Values(true, false),
                         [](const ::testing::TestParamInfo<bool>& info) {
                           return info.param ? "sim" : "tcp";
                         });

}  // namespace
