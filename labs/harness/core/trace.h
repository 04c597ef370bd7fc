// Where the driver's log lines go: stderr filtered by --log-level, and with --trace=FILE every
// line at every level (log lines, fault decisions, test start/end events, all stamped with the
// reactor time) into FILE. In simulation the trace of a run is a pure function of its seed.
#pragma once

#include <string>

namespace janus {
namespace harness {

// Applies --log-level and --trace. With a trace the logging level becomes debug (so that every
// line is produced) and stderr still shows only lines at or above `log_level` (default info).
// Returns false with *error set if the trace file cannot be opened.
bool SetupLogging(const std::string& log_level, const std::string& trace_path, std::string* error);

// Logs a harness event (test start/end) at debug level as "[harness] <message>", without the
// usual time/node prefix: between tests no simulated clock exists, and a real-time stamp
// would make traces of equal seeds differ.
void HarnessEvent(const std::string& message);

// Writes a line to the trace only (no-op without a trace); a newline is appended.
void TraceLine(const std::string& line);

// Flushes the trace file (safe from any thread; used before the process exits abruptly).
void FlushTrace();

// Closes the trace and restores the default stderr sink.
void CloseTrace();

}  // namespace harness
}  // namespace janus
