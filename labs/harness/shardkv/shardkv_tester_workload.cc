// ShardKvTester (shardkv_tester.h): the concurrent clients of MIT's sharded-KV tests, appenders
// that check their own key after every append, and random-key clients judged only by the
// linearizability check.
#include <string>

#include "labs/harness/core/scenario_failure.h"
#include "labs/harness/shardkv/shardkv_tester.h"
#include "rrr/reactor/coroutine.h"

namespace janus {

using harness::KvOpKind;

namespace {

std::string Show(const std::string& v) { return harness::ShowKvValue(v); }

}  // namespace

void ShardKvTester::AppenderLoop(Appender* a) {
  const std::string& key = a->keys->keys[a->key];
  std::string& value = a->keys->values[a->key];
  while (!appenders_stop_) {
    const std::string x = RandString(5);
    DoOp(a->ck, KvOpKind::kAppend, key, x);
    value += x;
    const std::string v = DoOp(a->ck, KvOpKind::kGet, key, "");
    if (v != value) {
      Fail("appender c" + std::to_string(a->ck->id) + ": Get(" + Show(key) + ") returned " +
           Show(v) + ", expected " + Show(value));
    }
    if (a->pause_us_max > 0) Sleep(static_cast<uint64_t>(Rand(0, static_cast<int64_t>(a->pause_us_max))));
  }
}

void ShardKvTester::StartAppenders(Keys* keys, uint64_t pause_us_max) {
  appenders_stop_ = false;
  Note(std::to_string(keys->keys.size()) + " appenders start");
  for (size_t i = 0; i < keys->keys.size(); i++) {
    auto a = std::make_unique<Appender>();
    a->ck = MakeClerk();
    a->keys = keys;
    a->key = static_cast<int>(i);
    a->pause_us_max = pause_us_max;
    Appender* raw = a.get();
    appenders_.push_back(std::move(a));
    workers_.Go(raw->ck->context.get(), [this, raw] { AppenderLoop(raw); });
  }
}

void ShardKvTester::RandomClientLoop(ShardKvTestClerk* ck, const Keys& keys,
                                     uint64_t pause_us_max) {
  const int n = static_cast<int>(keys.keys.size());
  int j = 0;
  while (!appenders_stop_) {
    const std::string& key = keys.keys[Rand(0, n - 1)];
    const std::string x = "x" + std::to_string(ck->id) + "." + std::to_string(j++) + ";";
    const int64_t dice = Rand(0, 999);
    if (dice < 500) {
      DoOp(ck, KvOpKind::kAppend, key, x);
    } else if (dice < 550) {
      DoOp(ck, KvOpKind::kPut, key, x);
    } else {
      DoOp(ck, KvOpKind::kGet, key, "");
    }
    if (pause_us_max > 0) Sleep(static_cast<uint64_t>(Rand(0, static_cast<int64_t>(pause_us_max))));
  }
}

void ShardKvTester::StartRandomClients(const Keys& keys, int clients, uint64_t pause_us_max) {
  appenders_stop_ = false;
  Note(std::to_string(clients) + " random-key clients start");
  for (int c = 0; c < clients; c++) {
    ShardKvTestClerk* ck = MakeClerk();
    workers_.Go(ck->context.get(),
                [this, ck, &keys, pause_us_max] { RandomClientLoop(ck, keys, pause_us_max); });
  }
}

void ShardKvTester::StopAppenders(const char* file, int line) {
  appenders_stop_ = true;
  Note("clients stop");
  const uint64_t deadline = Now() + kOpLimitUs;
  while (workers_.running() > 0) {
    if (Now() >= deadline) {
      Fail(std::to_string(workers_.running()) + " concurrent clients did not finish within " +
               std::to_string(kOpLimitUs / 1000000) + " s of being told to stop (an operation "
               "never returned)",
           file, line);
    }
    rrr::Coroutine::Sleep(10 * 1000);
  }
  workers_.Wait();
  harness::ThrowIfFailed();
}

}  // namespace janus
