// A flood of bad requests writes a bounded, deterministic number of log lines (LogRateLimiter on
// the server's bad-input paths, timed by the reactor clock).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "rrr/base/log_limit.h"
#include "rrr/rpc/rpc_test_util.h"

namespace rrr {
namespace testing_util {
namespace {

constexpr uint32_t kNoSuchMethod = 0xdead;

// Sends `n` requests for a method nobody registered, 1 ms of virtual time apart, on a simulated
// network; returns the WARN lines the server wrote.
std::vector<std::string> FloodUnknownMethod(int n) {
  LogRateLimiter::Global().Reset();
  ReactorOptions opts;
  opts.virtual_time = true;
  opts.seed = 7;
  auto reactor = Reactor::Create(opts);
  std::vector<std::string> lines;
  Log::SetSink([&](LogLevel level, const std::string& line) {
    if (level >= LogLevel::kWarn) lines.push_back(line);
  });
  {
    Server server;
    EXPECT_EQ(0, server.Listen("server:0"));
    Client client;
    EXPECT_EQ(0, client.Connect(server.addr()));
    int answered = 0;
    Coroutine::CreateRun([&]() {
      for (int i = 0; i < n; i++) {
        FuturePtr f = client.Call(kNoSuchMethod, Marshal());
        f->Wait();
        if (f->get_error_code() == kErrNoMethod) answered++;
        Coroutine::Sleep(1000);
      }
    });
    EXPECT_TRUE(reactor->RunUntil([&]() { return answered == n; }, 60ull * 1000 * 1000));
  }
  reactor.reset();
  Log::SetSink({});
  LogRateLimiter::Global().Reset();
  return lines;
}

TEST(LogFlood, UnknownMethodIdsLogABoundedNumberOfLinesDeterministically) {
  const int n = 3000;  // about 3 s of virtual time
  std::vector<std::string> lines = FloodUnknownMethod(n);
  // At most kDefaultLinesPerWindow per 1 s window; about 4 windows.
  EXPECT_LE(lines.size(), 5 * LogRateLimiter::kDefaultLinesPerWindow);
  EXPECT_GE(lines.size(), LogRateLimiter::kDefaultLinesPerWindow);
  bool summary = false;
  for (const std::string& l : lines) summary |= l.find("[suppressed ") != std::string::npos;
  EXPECT_TRUE(summary) << "no line reports the suppressed ones";
  EXPECT_EQ(lines, FloodUnknownMethod(n));  // same seed, same lines
}

}  // namespace
}  // namespace testing_util
}  // namespace rrr
