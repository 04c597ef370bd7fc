#include "rrr/base/log_limit.h"

#include <cstdarg>
#include <cstdio>

#include "rrr/base/time.h"

namespace rrr {

bool LogRateLimiter::Admit(const std::string& kind, uint64_t now_us, uint64_t* suppressed) {
  std::lock_guard<std::mutex> lock(mu_);
  KindState& s = kinds_[kind];
  if (now_us < s.window_start_us || now_us - s.window_start_us >= window_us_) {
    s.window_start_us = now_us;
    s.written = 0;
  }
  if (s.written >= lines_per_window_) {
    s.suppressed++;
    return false;
  }
  s.written++;
  *suppressed = s.suppressed;
  s.suppressed = 0;
  return true;
}

void LogRateLimiter::Reset() {
  std::lock_guard<std::mutex> lock(mu_);
  kinds_.clear();
}

LogRateLimiter& LogRateLimiter::Global() {
  static LogRateLimiter* limiter = new LogRateLimiter();  // never destroyed: used at exit
  return *limiter;
}

void WriteLimited(LogLevel level, const char* kind, const char* fmt, ...) {
  if (!Log::Enabled(level)) return;
  uint64_t suppressed = 0;
  if (!LogRateLimiter::Global().Admit(kind, Time::Now(), &suppressed)) return;
  char small[512];
  va_list ap;
  va_start(ap, fmt);
  va_list copy;
  va_copy(copy, ap);
  int n = vsnprintf(small, sizeof(small), fmt, copy);
  va_end(copy);
  std::string msg;
  if (n >= 0 && static_cast<size_t>(n) < sizeof(small)) {
    msg.assign(small, static_cast<size_t>(n));
  } else if (n >= 0) {
    msg.resize(static_cast<size_t>(n) + 1);
    vsnprintf(&msg[0], msg.size(), fmt, ap);
    msg.resize(static_cast<size_t>(n));
  }
  va_end(ap);
  if (suppressed > 0) {
    msg += " [suppressed " + std::to_string(suppressed) + " similar line" +
           (suppressed == 1 ? "" : "s") + "]";
  }
  Log::Write(level, "%s", msg.c_str());
}

}  // namespace rrr
