#include "labs/harness/core/trace.h"

#include <cstdio>
#include <mutex>

#include "rrr/base/logging.h"

namespace janus {
namespace harness {
namespace {

struct TraceState {
  std::mutex mu;
  std::FILE* file = nullptr;
  rrr::LogLevel stderr_level = rrr::LogLevel::kInfo;
};

TraceState& T() {
  static TraceState* state = new TraceState();
  return *state;
}

void WriteStderr(const std::string& line) {
  std::string text = line + "\n";
  std::fwrite(text.data(), 1, text.size(), stderr);
}

}  // namespace

bool SetupLogging(const std::string& log_level, const std::string& trace_path,
                  std::string* error) {
  TraceState& t = T();
  rrr::LogLevel level = rrr::Log::Level();
  if (!log_level.empty() && !rrr::Log::ParseLevel(log_level, &level)) {
    *error = "unknown log level '" + log_level + "'";
    return false;
  }
  if (trace_path.empty()) {
    rrr::Log::SetLevel(level);
    return true;
  }
  std::FILE* f = std::fopen(trace_path.c_str(), "w");
  if (f == nullptr) {
    *error = "cannot open trace file '" + trace_path + "'";
    return false;
  }
  {
    std::lock_guard<std::mutex> lock(t.mu);
    t.file = f;
    t.stderr_level = level;
  }
  rrr::Log::SetLevel(rrr::LogLevel::kDebug);
  rrr::Log::SetSink([](rrr::LogLevel lvl, const std::string& line) {
    TraceState& s = T();
    std::lock_guard<std::mutex> lock(s.mu);
    if (s.file != nullptr) {
      std::fwrite(line.data(), 1, line.size(), s.file);
      std::fputc('\n', s.file);
    }
    if (static_cast<int>(lvl) >= static_cast<int>(s.stderr_level)) WriteStderr(line);
  });
  return true;
}

void HarnessEvent(const std::string& message) {
  if (rrr::Log::Enabled(rrr::LogLevel::kDebug)) {
    rrr::Log::Emit(rrr::LogLevel::kDebug, "[harness] " + message);
  }
}

void TraceLine(const std::string& line) {
  TraceState& t = T();
  std::lock_guard<std::mutex> lock(t.mu);
  if (t.file == nullptr) return;
  std::fwrite(line.data(), 1, line.size(), t.file);
  std::fputc('\n', t.file);
}

void FlushTrace() {
  TraceState& t = T();
  // try_lock: the thread that holds the lock may be the one that crashed.
  std::unique_lock<std::mutex> lock(t.mu, std::try_to_lock);
  if (t.file != nullptr) std::fflush(t.file);
}

void CloseTrace() {
  rrr::Log::SetSink(nullptr);
  TraceState& t = T();
  std::lock_guard<std::mutex> lock(t.mu);
  if (t.file != nullptr) std::fclose(t.file);
  t.file = nullptr;
}

}  // namespace harness
}  // namespace janus
