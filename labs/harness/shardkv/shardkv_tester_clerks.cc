// ShardKvTester (shardkv_tester.h): clerks, recorded operations, the key sets of MIT's
// sharded-KV tests, and the linearizability check. Concurrent clients:
// shardkv_tester_workload.cc.
#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdlib>

#include "labs/harness/checkers/lin_html.h"
#include "labs/harness/core/graded_test.h"
#include "labs/harness/core/watchdog.h"
#include "labs/harness/shardkv/shardkv_tester.h"
#include "rrr/base/logging.h"
#include "rrr/reactor/coroutine.h"

namespace janus {

using harness::KvOpKind;

namespace {

constexpr uint64_t kDefaultLinTimeoutMs = 10000;

std::string Show(const std::string& v) { return harness::ShowKvValue(v); }

// The HTML report of the running test: in the current directory, named after the test.
std::string ReportPath() {
  std::string name = "shardkv-linearizability.html";
  if (const harness::TestEnv* env = harness::CurrentEnvOrNull()) {
    name = "lin-" + env->info().full_name() + "-" + harness::NetModeName(env->net()) + "-seed" +
           std::to_string(env->iteration_seed()) + ".html";
  }
  char cwd[4096];
  if (getcwd(cwd, sizeof(cwd)) == nullptr) return name;
  return std::string(cwd) + "/" + name;
}

}  // namespace

ShardKvTestClerk* ShardKvTester::MakeClerk() {
  auto ck = std::make_unique<ShardKvTestClerk>();
  ck->id = static_cast<int>(clerks_.size());
  ck->context = cluster().NewClientContext("c" + std::to_string(ck->id));
  {
    rrr::NodeScope scope(ck->context.get());
    ck->client = std::make_unique<ShardKvClient>(cluster().addrs());
  }
  clerks_.push_back(std::move(ck));
  return clerks_.back().get();
}

std::string ShardKvTester::RandString(int len) {
  std::string s;
  for (int i = 0; i < len; i++) s += static_cast<char>('a' + Rand(0, 25));
  return s;
}

std::string ShardKvTester::DoOp(ShardKvTestClerk* ck, KvOpKind kind, const std::string& key,
                                const std::string& value) {
  const size_t id = history_.Call(ck->id, kind, key, value);
  const uint64_t start = Now();
  std::string out;
  switch (kind) {
    case KvOpKind::kGet:
      out = ck->client->Get(key);
      break;
    case KvOpKind::kPut:
      ck->client->Put(key, value);
      break;
    case KvOpKind::kAppend:
      ck->client->Append(key, value);
      break;
  }
  history_.Return(id, out);
  Log_debug("shardkv test: c%d %s(%s) took %.1f ms", ck->id, harness::KvOpKindName(kind),
            key.c_str(), static_cast<double>(Now() - start) / 1000);
  // A clerk that answers without a network round trip (the handout's stub) must not spin the
  // test's loops without letting time pass.
  if (Now() - start < 5) Sleep(1000);
  return out;
}

std::shared_ptr<rrr::BoxEvent<std::string>> ShardKvTester::StartOp(ShardKvTestClerk* ck,
                                                                   KvOpKind kind,
                                                                   const std::string& key,
                                                                   const std::string& value) {
  auto box = std::make_shared<rrr::BoxEvent<std::string>>();
  ck->context->Run([&] {
    rrr::Coroutine::CreateRun(
        [this, ck, kind, key, value, box] { box->Set(DoOp(ck, kind, key, value)); });
  });
  return box;
}

std::string ShardKvTester::RunOp(ShardKvTestClerk* ck, KvOpKind kind, const std::string& key,
                                 const std::string& value, uint64_t limit_us, const char* file,
                                 int line) {
  rrr::Coroutine* co = rrr::Coroutine::Current();
  if (co != nullptr && co->node() == ck->context.get() && limit_us == kOpLimitUs) {
    return DoOp(ck, kind, key, value);
  }
  auto box = StartOp(ck, kind, key, value);
  box->Wait(limit_us);
  if (!box->IsReady()) {
    Fail("clerk c" + std::to_string(ck->id) + ": " + harness::KvOpKindName(kind) + "(" +
             Show(key) + ") did not return within " + std::to_string(limit_us / 1000) + " ms",
         file, line);
  }
  return box->Get();
}

std::string ShardKvTester::Get(ShardKvTestClerk* ck, const std::string& key, const char* file,
                               int line) {
  return RunOp(ck, KvOpKind::kGet, key, "", kOpLimitUs, file, line);
}

void ShardKvTester::Put(ShardKvTestClerk* ck, const std::string& key, const std::string& value,
                        const char* file, int line) {
  RunOp(ck, KvOpKind::kPut, key, value, kOpLimitUs, file, line);
}

void ShardKvTester::Append(ShardKvTestClerk* ck, const std::string& key, const std::string& value,
                           const char* file, int line) {
  RunOp(ck, KvOpKind::kAppend, key, value, kOpLimitUs, file, line);
}

void ShardKvTester::PutWithin(ShardKvTestClerk* ck, const std::string& key,
                              const std::string& value, uint64_t limit_us, const char* file,
                              int line) {
  RunOp(ck, KvOpKind::kPut, key, value, limit_us, file, line);
}

void ShardKvTester::CheckGet(ShardKvTestClerk* ck, const std::string& key,
                             const std::string& expected, uint64_t limit_us, const char* file,
                             int line) {
  const std::string v = RunOp(ck, KvOpKind::kGet, key, "", limit_us, file, line);
  if (v != expected) {
    Fail("Get(" + Show(key) + ") by clerk c" + std::to_string(ck->id) + " returned " + Show(v) +
             ", expected " + Show(expected),
         file, line);
  }
}

// ---- Key sets. ----

ShardKvTester::Keys ShardKvTester::PutKeys(ShardKvTestClerk* ck, int n, int value_len,
                                           const char* file, int line) {
  Keys keys;
  for (int i = 0; i < n; i++) {
    keys.keys.push_back(std::to_string(i));
    keys.values.push_back(RandString(value_len));
    Put(ck, keys.keys.back(), keys.values.back(), file, line);
  }
  return keys;
}

void ShardKvTester::CheckKeys(ShardKvTestClerk* ck, const Keys& keys, int count, const char* file,
                              int line) {
  const int n = count < 0 ? static_cast<int>(keys.keys.size()) : count;
  for (int i = 0; i < n; i++) CheckGet(ck, keys.keys[i], keys.values[i], kOpLimitUs, file, line);
}

void ShardKvTester::AppendCheckKeys(ShardKvTestClerk* ck, Keys* keys, const char* file, int line) {
  for (size_t i = 0; i < keys->keys.size(); i++) {
    const std::string x = RandString(5);
    Append(ck, keys->keys[i], x, file, line);
    keys->values[i] += x;
    CheckGet(ck, keys->keys[i], keys->values[i], kOpLimitUs, file, line);
  }
}

// ---- Linearizability. ----

void ShardKvTester::CheckLinearizable(const char* file, int line) {
  harness::LinOptions options;
  options.timeout_ms = kDefaultLinTimeoutMs;
  if (const char* env = std::getenv("DSLABS_LIN_TIMEOUT_MS")) {
    options.timeout_ms = std::strtoull(env, nullptr, 10);
  }
  harness::LinResult r;
  {
    harness::Watchdog::LongStep long_step;  // the search may legitimately take seconds
    r = harness::CheckKvLinearizable(history_.ops(), options);
  }
  const std::string summary = r.Summary(history_.ops());
  if (r.verdict == harness::LinVerdict::kOk) {
    Log_info("shardkv test: %s", summary.substr(0, summary.find('\n')).c_str());
    return;
  }
  std::string title = "sharded KV history";
  if (const harness::TestEnv* env = harness::CurrentEnvOrNull()) {
    title = env->info().full_name() + " (" + harness::NetModeName(env->net()) + ", seed " +
            std::to_string(env->iteration_seed()) + ")";
  }
  const std::string path = ReportPath();
  std::string error;
  const bool written = harness::WriteLinearizabilityHtml(path, title, history_.ops(), r,
                                                         history_.events(), &error);
  std::string message = summary;
  if (r.verdict == harness::LinVerdict::kUnknown) {
    message +=
        "\n  (the checker could not decide within its time or memory limit: the history was not "
        "verified, which does not count as a pass; DSLABS_LIN_TIMEOUT_MS raises the time limit)";
  }
  message += "\n  history, failure and faults drawn in: " +
             (written ? path : "(report not written: " + error + ")");
  Fail(message, file, line);
}

}  // namespace janus
