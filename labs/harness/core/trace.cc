#include "labs/harness/core/trace.h"

#include <cstdio>
#include <cstdlib>
#include <mutex>

#include "labs/harness/core/note.h"
#include "labs/harness/core/trace_auto.h"
#include "labs/harness/core/trace_event.h"
#include "rrr/base/logging.h"
#include "rrr/reactor/node.h"

namespace janus {
namespace harness {
namespace {

enum class Mode { kOff, kText, kJson, kAuto };

struct TraceState {
  std::mutex mu;
  Mode mode = Mode::kOff;
  std::FILE* file = nullptr;
  rrr::LogLevel stderr_level = rrr::LogLevel::kInfo;
  std::string meta;     // the meta line (auto: the first line of every file written)
  std::string buffer;   // auto: the running test's events, one per line
  std::string test;     // the test whose test_start was written, or ""
  std::string program;  // argv[0] (auto: where the files go)
};

TraceState& T() {
  static TraceState* state = new TraceState();
  return *state;
}

void WriteStderr(const std::string& line) {
  std::string text = line + "\n";
  std::fwrite(text.data(), 1, text.size(), stderr);
}

bool EndsWith(const std::string& s, const std::string& suffix) {
  return s.size() >= suffix.size() && s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

// Caller holds t.mu.
void WriteLocked(TraceState& t, const std::string& line) {
  if (t.mode == Mode::kAuto) {
    t.buffer += line;
    t.buffer += '\n';
  } else if (t.file != nullptr) {
    std::fwrite(line.data(), 1, line.size(), t.file);
    std::fputc('\n', t.file);
  }
}

int CurrentNodeId() {
  rrr::NodeContext* node = rrr::NodeContext::Current();
  return node != nullptr ? node->id() : -1;
}

// The receivers of harness::Note, NoteRole and the harness's apply records (note.h).
void NoteEvent(const std::string& text) {
  if (StructuredTrace()) {
    TraceEvent("note").Int("node", CurrentNodeId()).Str("text", text).Emit();
  } else {
    Log_debug("note: %s", text.c_str());
  }
}

void RoleEvent(const char* role, uint64_t term) {
  if (StructuredTrace()) {
    TraceEvent("role").Int("node", CurrentNodeId()).Str("role", role).Uint("term", term).Emit();
  } else {
    Log_debug("role: %s, term %llu", role, static_cast<unsigned long long>(term));
  }
}

void ApplyEvent(uint64_t index, const std::string& command) {
  if (!StructuredTrace()) return;  // the text form has the lab's own log lines
  TraceEvent("apply").Int("node", CurrentNodeId()).Uint("index", index).Str("command", command)
      .Emit();
}

// The log sink of a trace: text lines, or `log` events; stderr gets lines at its level.
void Sink(rrr::LogLevel lvl, const std::string& line) {
  TraceState& s = T();
  if (s.mode == Mode::kText) {
    std::lock_guard<std::mutex> lock(s.mu);
    WriteLocked(s, line);
  } else {
    std::string ev = TraceEvent("log")
                         .Int("node", CurrentNodeId())
                         .Str("level", rrr::Log::LevelName(lvl))
                         .Str("text", line)
                         .Json();
    std::lock_guard<std::mutex> lock(s.mu);
    WriteLocked(s, ev);
  }
  if (static_cast<int>(lvl) >= static_cast<int>(s.stderr_level)) WriteStderr(line);
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
  const Mode mode = trace_path == "auto"              ? Mode::kAuto
                    : EndsWith(trace_path, ".txt") ? Mode::kText
                                                   : Mode::kJson;
  std::FILE* f = nullptr;
  if (mode != Mode::kAuto) {
    f = std::fopen(trace_path.c_str(), "w");
    if (f == nullptr) {
      *error = "cannot open trace file '" + trace_path + "'";
      return false;
    }
  }
  {
    std::lock_guard<std::mutex> lock(t.mu);
    t.file = f;
    t.mode = mode;
    t.stderr_level = level;
  }
  trace_detail::g_structured = mode == Mode::kJson || mode == Mode::kAuto;
  SetNoteSinks(NoteEvent, RoleEvent, ApplyEvent);
  rrr::Log::SetLevel(rrr::LogLevel::kDebug);
  rrr::Log::SetSink(Sink);
  return true;
}

void TraceMeta(const std::string& driver, uint64_t seed, const std::string& net) {
  if (!StructuredTrace()) return;
  TraceState& t = T();
  const size_t slash = driver.find_last_of('/');
  std::string line =
      TraceEvent("meta", false)
          .Str("format", "janus-trace")
          .Int("version", 1)
          .Str("driver", slash == std::string::npos ? driver : driver.substr(slash + 1))
          .Uint("seed", seed)
          .Str("net", net)
          .Json();
  std::lock_guard<std::mutex> lock(t.mu);
  t.program = driver;
  t.meta = line;
  if (t.mode == Mode::kJson) WriteLocked(t, line);
}

void HarnessEvent(const std::string& message) {
  if (T().mode == Mode::kText && rrr::Log::Enabled(rrr::LogLevel::kDebug)) {
    rrr::Log::Emit(rrr::LogLevel::kDebug, "[harness] " + message);
  }
}

void TraceTestStart(const std::string& full_name, uint64_t seed) {
  if (!StructuredTrace()) return;
  TraceState& t = T();
  {
    std::lock_guard<std::mutex> lock(t.mu);
    t.buffer.clear();
    t.test = full_name;
  }
  TraceEvent("test_start", false).Uint("t_us", 0).Str("test", full_name).Uint("seed", seed).Emit();
}

std::string TraceTestEnd(const std::string& full_name, uint64_t iteration_seed, bool passed,
                         const std::string& message) {
  if (!StructuredTrace()) return "";
  TraceState& t = T();
  {
    std::lock_guard<std::mutex> lock(t.mu);
    if (t.test != full_name) return "";
  }
  TraceEvent("test_end").Str("test", full_name).Bool("passed", passed).Str("message", message)
      .Emit();
  std::lock_guard<std::mutex> lock(t.mu);
  t.test.clear();
  if (t.mode != Mode::kAuto || passed) return "";
  std::string error;
  const std::string html = WriteAutoTrace(TraceAutoDir(t.program), full_name, iteration_seed,
                                          t.meta + "\n" + t.buffer, &error);
  t.buffer.clear();
  return html.empty() ? "(trace not written: " + error + ")" : html;
}

void WriteTraceEvent(const std::string& json_line) {
  TraceState& t = T();
  std::lock_guard<std::mutex> lock(t.mu);
  if (t.mode == Mode::kJson || t.mode == Mode::kAuto) WriteLocked(t, json_line);
}

void TraceLine(const std::string& line) {
  TraceState& t = T();
  std::lock_guard<std::mutex> lock(t.mu);
  if (t.mode == Mode::kText) WriteLocked(t, line);
}

std::string TraceAutoDir(const std::string& program) {
  const char* env = std::getenv("DSLABS_TRACE_DIR");
  if (env != nullptr && env[0] != '\0') return env;
  const size_t slash = program.find_last_of('/');
  return (slash == std::string::npos ? std::string(".") : program.substr(0, slash)) + "/traces";
}

std::string AutoTracePage(const std::string& full_name, uint64_t iteration_seed) {
  TraceState& t = T();
  std::lock_guard<std::mutex> lock(t.mu);
  if (t.mode != Mode::kAuto) return "";
  // The name WriteAutoTrace gives the page.
  return AutoTraceBase(TraceAutoDir(t.program), full_name, iteration_seed) + ".html";
}

void FlushTrace() {
  TraceState& t = T();
  // try_lock: the thread that holds the lock may be the one that crashed.
  std::unique_lock<std::mutex> lock(t.mu, std::try_to_lock);
  if (t.file != nullptr) std::fflush(t.file);
}

void CloseTrace() {
  rrr::Log::SetSink(nullptr);
  SetNoteSinks(nullptr, nullptr, nullptr);
  trace_detail::g_structured = false;
  TraceState& t = T();
  std::lock_guard<std::mutex> lock(t.mu);
  if (t.file != nullptr) std::fclose(t.file);
  t.file = nullptr;
  t.mode = Mode::kOff;
}

}  // namespace harness
}  // namespace janus
