// The structured trace's event writer (docs/trace-format.md is the contract): one JSON object
// per line, built field by field and written to the trace that --trace set up (trace.h).
//
//   if (StructuredTrace()) TraceEvent("crash").Int("node", id).Emit();
//
// Callers test StructuredTrace() first, so that with no trace (or a .txt one) no event and no
// summary is ever built: the check is one load of a global bool. Events carry t_us, the
// virtual time since the running test's reactor started (TraceClockStart), or the last time
// seen when no test reactor runs; nothing wall-clock enters an event in simulation.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace rrr {
class Reactor;
}

namespace janus {
namespace harness {

namespace trace_detail {
extern bool g_structured;  // set by SetupLogging; read on the reactor thread
}  // namespace trace_detail

// True while structured events are recorded (--trace=FILE not ending in .txt, or auto).
inline bool StructuredTrace() { return trace_detail::g_structured; }

// Appends `s` to *out as a JSON string: quoted, with ", \ and control characters escaped
// (\n, \t, \r, \b, \f by name, others as \u00XX) and bytes >= 0x80 passed through.
void AppendJsonString(std::string* out, std::string_view s);

class TraceEvent {
 public:
  // Starts the object {"ev":<ev>,"t_us":<now>} (without "t_us" if !with_time).
  explicit TraceEvent(const char* ev, bool with_time = true);

  TraceEvent& Int(const char* key, int64_t v);
  TraceEvent& Uint(const char* key, uint64_t v);
  TraceEvent& Bool(const char* key, bool v);
  TraceEvent& Str(const char* key, std::string_view v);
  // `json` must already be a JSON value (an array or object built by the caller).
  TraceEvent& Raw(const char* key, std::string_view json);

  // The line so far, closed with "}" (for tests).
  std::string Json() const { return line_ + "}"; }
  // Closes the object and writes it as one line to the trace (no-op without one).
  void Emit();

 private:
  void Key(const char* key);
  std::string line_;
};

// The t_us of an event written now.
uint64_t TraceNowUs();
// Makes `reactor`'s clock the events' clock from now, t_us 0 being its present time
// (RunOnFreshReactor calls it for each test reactor) ...
void TraceClockStart(rrr::Reactor* reactor);
// ... and stops reading it (before the reactor goes away); t_us then stays where it was.
void TraceClockStop();

// Writes a get_state event: the tester read node `node`'s GetState (no-op without a structured
// trace). Every tester that calls a Raft peer's GetState reports the answer here.
void TraceGetState(int node, uint64_t term, bool is_leader);

// A fresh frame id for send/reply/duplicate events: 1, 2, 3 ... in the order of the trace.
uint64_t NextTraceFrameId();

}  // namespace harness
}  // namespace janus
