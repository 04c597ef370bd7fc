#include "rrr/base/logging.h"

#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <cstdarg>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <mutex>

namespace rrr {
namespace {

std::atomic<int> g_level{static_cast<int>(LogLevel::kInfo)};
std::atomic<Log::ContextHook> g_context_hook{nullptr};

std::mutex& SinkMutex() {
  static std::mutex* mu = new std::mutex;  // never destroyed: logging may run at exit
  return *mu;
}
std::shared_ptr<Log::Sink>& SinkSlot() {
  static auto* slot = new std::shared_ptr<Log::Sink>;
  return *slot;
}

// Writes the whole buffer to stderr, retrying on partial writes and EINTR.
void WriteStderr(const std::string& data) {
  const char* p = data.data();
  size_t left = data.size();
  while (left > 0) {
    ssize_t n = ::write(STDERR_FILENO, p, left);
    if (n < 0) {
      if (errno == EINTR) continue;
      return;
    }
    p += n;
    left -= static_cast<size_t>(n);
  }
}

std::string VFormat(const char* fmt, va_list ap) {
  char small[512];
  va_list copy;
  va_copy(copy, ap);
  int n = vsnprintf(small, sizeof(small), fmt, copy);
  va_end(copy);
  if (n < 0) return std::string("<bad log format>");
  if (static_cast<size_t>(n) < sizeof(small)) return std::string(small, static_cast<size_t>(n));
  std::string big(static_cast<size_t>(n) + 1, '\0');
  vsnprintf(&big[0], big.size(), fmt, ap);
  big.resize(static_cast<size_t>(n));
  return big;
}

LogContext CurrentContext() {
  LogContext ctx;
  Log::ContextHook hook = g_context_hook.load(std::memory_order_acquire);
  if (hook != nullptr) hook(&ctx);
  return ctx;
}

}  // namespace

void Log::SetLevel(LogLevel level) { g_level.store(static_cast<int>(level)); }
LogLevel Log::Level() { return static_cast<LogLevel>(g_level.load()); }
int Log::LevelInt() { return g_level.load(std::memory_order_relaxed); }

void Log::SetSink(Sink sink) {
  std::shared_ptr<Sink> next;
  if (sink) next = std::make_shared<Sink>(std::move(sink));
  std::lock_guard<std::mutex> lock(SinkMutex());
  SinkSlot() = std::move(next);
}

bool Log::HasCustomSink() {
  std::lock_guard<std::mutex> lock(SinkMutex());
  return static_cast<bool>(SinkSlot());
}

void Log::SetContextHook(ContextHook hook) { g_context_hook.store(hook, std::memory_order_release); }

bool Log::ParseLevel(const std::string& name, LogLevel* out) {
  static const struct { const char* name; LogLevel level; } kLevels[] = {
      {"debug", LogLevel::kDebug}, {"info", LogLevel::kInfo}, {"warn", LogLevel::kWarn},
      {"error", LogLevel::kError}, {"fatal", LogLevel::kFatal}};
  for (const auto& l : kLevels) {
    if (name == l.name) {
      *out = l.level;
      return true;
    }
  }
  return false;
}

const char* Log::LevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return "DEBUG";
    case LogLevel::kInfo: return "INFO";
    case LogLevel::kWarn: return "WARN";
    case LogLevel::kError: return "ERROR";
    case LogLevel::kFatal: return "FATAL";
  }
  return "?";
}

std::string Log::Format(LogLevel level, const LogContext& ctx, const std::string& message) {
  std::string line;
  line.reserve(message.size() + 48);
  char buf[64];
  if (ctx.has_time) {
    snprintf(buf, sizeof(buf), "[%llu] ", static_cast<unsigned long long>(ctx.time_us));
    line += buf;
  }
  line += '[';
  line += LevelName(level);
  line += "] ";
  if (!ctx.node.empty()) {
    line += '[';
    line += ctx.node;
    line += "] ";
  }
  if (ctx.coroutine != 0) {
    snprintf(buf, sizeof(buf), "[co %llu] ", static_cast<unsigned long long>(ctx.coroutine));
    line += buf;
  }
  line += message;
  return line;
}

void Log::Emit(LogLevel level, const std::string& line) {
  std::shared_ptr<Sink> sink;
  {
    std::lock_guard<std::mutex> lock(SinkMutex());
    sink = SinkSlot();
  }
  if (sink) {
    (*sink)(level, line);
  } else {
    WriteStderr(line + "\n");
  }
}

void Log::Write(LogLevel level, const char* fmt, ...) {
  if (level != LogLevel::kFatal && !Enabled(level)) return;
  va_list ap;
  va_start(ap, fmt);
  std::string message = VFormat(fmt, ap);
  va_end(ap);
  Emit(level, Format(level, CurrentContext(), message));
}

void Log::Fatal(const char* fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  std::string message = VFormat(fmt, ap);
  va_end(ap);
  std::string line = Format(LogLevel::kFatal, CurrentContext(), message);
  Emit(LogLevel::kFatal, line);
  // A custom sink may not reach the terminal; the reason for an abort always should.
  if (HasCustomSink()) WriteStderr(line + "\n");
  abort();
}

}  // namespace rrr
