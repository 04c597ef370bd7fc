// Leveled, printf-style logging shared by every layer of rrr and the labs.
//
// Each line looks like `[time_us] [LEVEL] [node] [co N] message`; the time, node and coroutine
// parts appear only when known (the reactor installs a context hook that supplies them). A line
// is handed to the sink whole; the default sink writes it to stderr with a single write(2), so
// lines of concurrent threads never interleave.
#ifndef RRR_BASE_LOGGING_H_
#define RRR_BASE_LOGGING_H_

#include <cstdint>
#include <functional>
#include <string>

namespace rrr {

// Severity of a log line, in increasing order.
enum class LogLevel : int { kDebug = 0, kInfo = 1, kWarn = 2, kError = 3, kFatal = 4 };

// What the context hook may report about the code that is logging.
struct LogContext {
  bool has_time = false;    // true when time_us is meaningful
  uint64_t time_us = 0;     // reactor time (virtual in simulation)
  std::string node;         // empty when no node is current
  uint64_t coroutine = 0;   // 0 when not inside a coroutine
};

// Process-wide logging configuration and the formatter behind the Log_* macros.
class Log {
 public:
  // Receives every formatted line (without trailing newline) at or above the level.
  using Sink = std::function<void(LogLevel, const std::string& line)>;
  // Fills *ctx for the calling thread. Installed by the reactor; may be null.
  using ContextHook = void (*)(LogContext* ctx);

  // Lines below `level` are dropped. Default: kInfo. Thread-safe.
  static void SetLevel(LogLevel level);
  static LogLevel Level();
  // True if a line at `level` would be emitted.
  static bool Enabled(LogLevel level) { return static_cast<int>(level) >= LevelInt(); }

  // Replaces the sink; an empty function restores the default stderr sink. Thread-safe.
  static void SetSink(Sink sink);
  // True if a custom sink is installed (fatal paths then also write to stderr).
  static bool HasCustomSink();
  // Installs the hook that supplies time/node/coroutine (null disables the context).
  static void SetContextHook(ContextHook hook);

  // Parses "debug", "info", "warn", "error" or "fatal". Returns false if unknown.
  static bool ParseLevel(const std::string& name, LogLevel* out);
  // "DEBUG", "INFO", "WARN", "ERROR" or "FATAL".
  static const char* LevelName(LogLevel level);

  // Formats one line and sends it to the sink if `level` is enabled (kFatal is always emitted,
  // but Write does not abort: use Fatal for that).
  static void Write(LogLevel level, const char* fmt, ...) __attribute__((format(printf, 2, 3)));
  // Emits a kFatal line, then aborts the process.
  [[noreturn]] static void Fatal(const char* fmt, ...) __attribute__((format(printf, 1, 2)));

  // Builds the line prefix + message exactly as Write would (exposed for tests).
  static std::string Format(LogLevel level, const LogContext& ctx, const std::string& message);

  // Sends an already formatted line to the current sink (no level check).
  static void Emit(LogLevel level, const std::string& line);

 private:
  static int LevelInt();
};

}  // namespace rrr

// Log a printf-style message at the given level. Arguments are not evaluated when the level is
// disabled. Log_fatal always logs, then aborts.
#define Log_debug(...) \
  do { if (::rrr::Log::Enabled(::rrr::LogLevel::kDebug)) ::rrr::Log::Write(::rrr::LogLevel::kDebug, __VA_ARGS__); } while (0)
#define Log_info(...) \
  do { if (::rrr::Log::Enabled(::rrr::LogLevel::kInfo)) ::rrr::Log::Write(::rrr::LogLevel::kInfo, __VA_ARGS__); } while (0)
#define Log_warn(...) \
  do { if (::rrr::Log::Enabled(::rrr::LogLevel::kWarn)) ::rrr::Log::Write(::rrr::LogLevel::kWarn, __VA_ARGS__); } while (0)
#define Log_error(...) \
  do { if (::rrr::Log::Enabled(::rrr::LogLevel::kError)) ::rrr::Log::Write(::rrr::LogLevel::kError, __VA_ARGS__); } while (0)
#define Log_fatal(...) ::rrr::Log::Fatal(__VA_ARGS__)

#endif  // RRR_BASE_LOGGING_H_
