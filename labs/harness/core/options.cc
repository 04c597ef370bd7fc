#include "labs/harness/core/options.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <vector>

#include "rrr/base/flags.h"
#include "rrr/base/hash.h"
#include "rrr/base/logging.h"
#include "rrr/base/rand.h"
#include "rrr/base/time.h"

namespace janus {
namespace harness {

const char* NetModeName(NetMode mode) { return mode == NetMode::kSim ? "sim" : "tcp"; }

DriverOptions& Options() {
  static DriverOptions options;
  return options;
}

std::string DriverUsage() {
  return "Graded test driver flags (googletest's --gtest_* flags are accepted too):\n"
         "  --net=sim|tcp        simulated network and virtual time (default) or loopback TCP\n"
         "  --seed=N             run seed (default: fresh; always printed)\n"
         "  --repeat=N           run each selected test N times, with seeds N, N+1, ...\n"
         "  --log-level=L        debug|info|warn|error: log lines shown on stderr\n"
         "  --trace=FILE         write a structured trace (JSON lines: RPCs, faults, notes, log\n"
         "                       lines) to FILE; FILE ending in .txt: the log lines as text\n"
         "  --trace=auto         keep the trace in memory; a failing test's .jsonl and viewer\n"
         "                       .html go to $DSLABS_TRACE_DIR or traces/ next to the driver\n"
         "  --list               print the graded tests (TSV) and exit\n"
         "  --watchdog-ms=N      fail a coroutine that runs N ms without yielding (default "
         "2000, 0 = off)\n";
}

bool ParseDriverFlags(int* argc, char** argv, DriverOptions* out, std::string* error) {
  if (*argc > 0 && argv[0] != nullptr) out->program = argv[0];
  std::string net = NetModeName(out->net);
  int repeat = out->repeat;
  rrr::FlagParser flags;
  flags.Choice("net", {"sim", "tcp"}, &net);
  flags.Uint64("seed", &out->seed);
  flags.Int("repeat", &repeat, 1, 1000000);
  flags.LogLevelName("log-level", &out->log_level);
  flags.NonEmptyString("trace", &out->trace_path);
  flags.Uint64("watchdog-ms", &out->watchdog_ms);
  flags.Switch("list", &out->list);
  flags.PassThrough("--gtest_");  // googletest's own flags, for InitGoogleTest
  flags.PassThrough("-gtest_");
  std::vector<std::string> rest;
  if (!flags.Parse(std::vector<std::string>(argv + 1, argv + std::max(*argc, 1)), &rest, error)) {
    if (flags.help_requested()) {
      *error = DriverUsage();
    } else if (error->rfind("unknown flag", 0) == 0 || error->rfind("unexpected", 0) == 0) {
      *error += "\n" + DriverUsage();
    }
    return false;
  }
  out->net = net == "tcp" ? NetMode::kTcp : NetMode::kSim;
  out->repeat = repeat;
  out->seed_given = flags.Seen("seed");
  // Keep googletest's flags, in order, for InitGoogleTest (they point into argv already).
  int kept = 1;
  for (int i = 1; i < *argc && kept <= static_cast<int>(rest.size()); i++) {
    if (argv[i] == rest[kept - 1]) argv[kept++] = argv[i];
  }
  if (kept < *argc) argv[kept] = nullptr;
  *argc = kept;
  if (!out->seed_given) out->seed = FreshSeed();
  return true;
}

uint64_t FreshSeed() {
  uint64_t v = 0;
  int fd = ::open("/dev/urandom", O_RDONLY | O_CLOEXEC);
  bool ok = false;
  if (fd >= 0) {
    ok = ::read(fd, &v, sizeof(v)) == static_cast<ssize_t>(sizeof(v));
    ::close(fd);
  }
  if (!ok) v = rrr::Rand::Mix(rrr::Time::MonotonicUs() ^ (static_cast<uint64_t>(getpid()) << 32));
  return v & ((uint64_t{1} << 48) - 1);
}

namespace {
std::atomic<int> g_iteration{0};
}  // namespace

void SetCurrentIteration(int iteration) { g_iteration.store(iteration); }
int CurrentIteration() { return g_iteration.load(); }
uint64_t CurrentIterationSeed() { return IterationSeed(Options().seed, CurrentIteration()); }

uint64_t IterationSeed(uint64_t run_seed, int iteration) {
  return run_seed + static_cast<uint64_t>(iteration);
}

uint64_t TestSeed(uint64_t iteration_seed, const std::string& full_name) {
  const uint64_t name_hash = rrr::Fnv1a64(full_name, rrr::kHarnessFnvOffset);
  return rrr::Rand::Mix(rrr::Rand::Mix(iteration_seed) ^ name_hash);
}

}  // namespace harness
}  // namespace janus
