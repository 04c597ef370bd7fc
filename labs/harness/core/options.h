// Run-wide settings of a graded test driver (the flags of labs/harness/core/driver_main.cc),
// shared by the test runner, the result printer and the watchdog.
#pragma once

#include <cstdint>
#include <string>

namespace janus {
namespace harness {

// Which transport the tests run on.
enum class NetMode {
  kSim,  // virtual time, in-process SimTransport: deterministic for a given seed
  kTcp,  // real time, TcpTransport over loopback
};

// "sim" or "tcp".
const char* NetModeName(NetMode mode);

struct DriverOptions {
  NetMode net = NetMode::kSim;
  // Seed of the run (--seed); every test derives its own seed from it and its name.
  uint64_t seed = 1;
  // True when --seed was given (otherwise it was drawn from /dev/urandom).
  bool seed_given = false;
  // --repeat: how many times each selected test runs (iteration k uses seed + k).
  int repeat = 1;
  // --log-level as given ("" = the logging default).
  std::string log_level;
  // --trace: "" = no trace; FILE.txt = every log line as text; "auto" = a structured trace in
  // memory, written per failing test; any other FILE = a structured trace (trace.h).
  std::string trace_path;
  // --list: print the graded test table and exit.
  bool list = false;
  // --watchdog-ms: a coroutine running this long without yielding fails the test (0 = off).
  uint64_t watchdog_ms = 2000;
  // Path of the driver binary, used to print replay commands.
  std::string program;
};

// The process-wide options. Before ParseDriverFlags runs they hold the defaults above (net sim,
// seed 1), so the harness also works under a plain gtest_main.
DriverOptions& Options();

// Removes the driver's own flags from argv (googletest's flags and unknown --gtest_* flags stay
// for InitGoogleTest) and stores them in *out. --seed absent: a fresh seed from /dev/urandom.
// Returns false with *error set for a malformed or unknown flag; "--help" sets *error to the
// usage text and returns false as well.
bool ParseDriverFlags(int* argc, char** argv, DriverOptions* out, std::string* error);

// The usage text of the driver's own flags.
std::string DriverUsage();

// A fresh random seed from /dev/urandom (falls back to the monotonic clock), below 2^48 so it
// stays short to type.
uint64_t FreshSeed();

// The googletest iteration (0-based, see --repeat) now running; set by the result printer.
void SetCurrentIteration(int iteration);
int CurrentIteration();
// IterationSeed(Options().seed, CurrentIteration()).
uint64_t CurrentIterationSeed();

// The seed of repetition `iteration` (0-based) of the run: seed + iteration.
uint64_t IterationSeed(uint64_t run_seed, int iteration);

// The seed a test body runs with: a mix of the iteration's seed and the test's full name, so
// running one test alone (--gtest_filter) replays exactly what it did in a full run.
uint64_t TestSeed(uint64_t iteration_seed, const std::string& full_name);

}  // namespace harness
}  // namespace janus
