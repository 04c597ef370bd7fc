// Rate limiting of repeated log lines: a hostile peer must not be able to fill the disk by
// sending one bad request after another, each worth a WARN line.
//
// Lines are grouped by a "kind" (a short literal such as "rpc.no_method"). Per kind, at most
// `lines_per_window` lines are written in each window of `window_us` microseconds; the rest are
// counted, and the next line of that kind that is written carries the count:
//   ... rpc: no handler for method id 0x0000abcd (xid 7) [suppressed 4211 similar lines]
// Time is the reactor clock (rrr::Time::Now()), so in simulation the decisions depend only on
// virtual time and a seeded run logs the same lines every time.
#ifndef RRR_BASE_LOG_LIMIT_H_
#define RRR_BASE_LOG_LIMIT_H_

#include <cstdint>
#include <map>
#include <mutex>
#include <string>

#include "rrr/base/logging.h"

namespace rrr {

class LogRateLimiter {
 public:
  // Defaults: 10 lines per kind per second.
  static constexpr uint32_t kDefaultLinesPerWindow = 10;
  static constexpr uint64_t kDefaultWindowUs = 1000 * 1000;

  explicit LogRateLimiter(uint32_t lines_per_window = kDefaultLinesPerWindow,
                          uint64_t window_us = kDefaultWindowUs)
      : lines_per_window_(lines_per_window), window_us_(window_us) {}

  // Decides whether a line of `kind` at time now_us is written. When it is, returns true and
  // sets *suppressed to the number of lines of that kind dropped since the last one written
  // (then forgets them). A clock that went backwards (a new reactor) starts a new window.
  // Thread-safe.
  bool Admit(const std::string& kind, uint64_t now_us, uint64_t* suppressed);

  // Forgets every kind (tests).
  void Reset();

  // The process-wide limiter used by Log_*_limited.
  static LogRateLimiter& Global();

 private:
  struct KindState {
    uint64_t window_start_us = 0;
    uint32_t written = 0;      // lines written in the current window
    uint64_t suppressed = 0;   // lines dropped since the last written one
  };

  uint32_t lines_per_window_;
  uint64_t window_us_;
  std::mutex mu_;
  std::map<std::string, KindState> kinds_;
};

// Formats and writes one line of `kind` at `level` if the level is enabled and the global
// limiter admits it, appending " [suppressed K similar lines]" when lines were dropped.
void WriteLimited(LogLevel level, const char* kind, const char* fmt, ...)
    __attribute__((format(printf, 3, 4)));

}  // namespace rrr

// Rate-limited variants of Log_warn / Log_error for lines a remote peer can trigger at will.
// `kind` groups lines (a string literal); see LogRateLimiter.
#define Log_warn_limited(kind, ...) \
  do { if (::rrr::Log::Enabled(::rrr::LogLevel::kWarn)) ::rrr::WriteLimited(::rrr::LogLevel::kWarn, kind, __VA_ARGS__); } while (0)
#define Log_error_limited(kind, ...) \
  do { if (::rrr::Log::Enabled(::rrr::LogLevel::kError)) ::rrr::WriteLimited(::rrr::LogLevel::kError, kind, __VA_ARGS__); } while (0)

#endif  // RRR_BASE_LOG_LIMIT_H_
