// Where the driver's log lines and trace events go. Three forms of --trace (docs/trace-format.md
// is the contract of the structured one):
//   --trace=FILE.txt  the text form: every log line at every level (log lines, fault decisions,
//                     test start/end events, all stamped with the reactor time) into FILE;
//   --trace=FILE      structured: one JSON event per line (trace_event.h) into FILE, log lines
//                     included as `log` events;
//   --trace=auto      structured, kept in memory per test; a test that fails has its events
//                     written to <dir>/<test>-seed<S>.jsonl and .html (TraceAutoDir()).
// stderr still shows only lines at or above --log-level. In simulation a trace is a pure
// function of the seed and the flags. With any trace, harness::Note (note.h) is recorded.
#pragma once

#include <cstdint>
#include <string>

namespace janus {
namespace harness {

// Applies --log-level and --trace. With a trace the logging level becomes debug (so that every
// line is produced) and stderr still shows only lines at or above `log_level` (default info).
// Returns false with *error set if the trace file cannot be opened.
bool SetupLogging(const std::string& log_level, const std::string& trace_path, std::string* error);

// Writes the structured trace's first line, the `meta` event (no-op unless structured).
// `driver` is argv[0] (with --trace=auto it also locates the output directory).
void TraceMeta(const std::string& driver, uint64_t seed, const std::string& net);

// Logs a harness event (test start/end) at debug level as "[harness] <message>", without the
// usual time/node prefix: between tests no simulated clock exists, and a real-time stamp
// would make traces of equal seeds differ. Text traces only (structured ones have events).
void HarnessEvent(const std::string& message);

// A graded test starts (`test_start`; with --trace=auto the per-test buffer restarts).
void TraceTestStart(const std::string& full_name, uint64_t seed);
// The test that TraceTestStart named ends (`test_end`). With --trace=auto and !passed, writes
// its .jsonl and .html (see TraceAutoDir) and returns the HTML's path (or why it could not);
// otherwise "". No-op (returning "") when no test_start was written for `full_name`.
std::string TraceTestEnd(const std::string& full_name, uint64_t iteration_seed, bool passed,
                         const std::string& message);

// Writes one complete event line (a JSON object, no newline) to the structured trace: the file,
// or the running test's buffer with --trace=auto. No-op without a structured trace.
void WriteTraceEvent(const std::string& json_line);

// Writes a line to a text trace only (no-op otherwise); a newline is appended.
void TraceLine(const std::string& line);

// Where --trace=auto writes: $DSLABS_TRACE_DIR if set and non-empty, else "traces" in the
// directory of `program` (argv[0]; "." if it has no directory part).
std::string TraceAutoDir(const std::string& program);

// With --trace=auto, the path of the page TraceTestEnd writes if `full_name` (run with
// `iteration_seed`) fails, so that a report written before the test ends can link to it;
// "" with any other --trace.
std::string AutoTracePage(const std::string& full_name, uint64_t iteration_seed);

// Flushes the trace file (safe from any thread; used before the process exits abruptly).
void FlushTrace();

// Closes the trace and restores the default stderr sink.
void CloseTrace();

}  // namespace harness
}  // namespace janus
