#include "labs/harness/core/options.h"

#include <fcntl.h>
#include <unistd.h>

#include <atomic>
#include <cstdlib>
#include <cstring>

#include "rrr/base/logging.h"
#include "rrr/base/rand.h"
#include "rrr/base/time.h"

namespace janus {
namespace harness {
namespace {

// If `arg` is "--<name>=<value>", stores value and returns true.
bool FlagValue(const char* arg, const char* name, std::string* value) {
  const size_t n = std::strlen(name);
  if (std::strncmp(arg, "--", 2) != 0 || std::strncmp(arg + 2, name, n) != 0) return false;
  if (arg[2 + n] != '=') return false;
  *value = arg + 3 + n;
  return true;
}

// Parses a non-negative decimal integer that fits in uint64_t.
bool ParseU64(const std::string& s, uint64_t* out) {
  if (s.empty() || s.size() > 20) return false;
  uint64_t v = 0;
  for (char c : s) {
    if (c < '0' || c > '9') return false;
    const uint64_t d = static_cast<uint64_t>(c - '0');
    if (v > (UINT64_MAX - d) / 10) return false;
    v = v * 10 + d;
  }
  *out = v;
  return true;
}

// FNV-1a over the bytes of s.
uint64_t HashName(const std::string& s) {
  uint64_t h = 1469598103934665603ull;
  for (unsigned char c : s) {
    h ^= c;
    h *= 1099511628211ull;
  }
  return h;
}

}  // namespace

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
         "  --trace=FILE         write every log line, fault and test event to FILE\n"
         "  --list               print the graded tests (TSV) and exit\n"
         "  --watchdog-ms=N      fail a coroutine that runs N ms without yielding (default "
         "2000, 0 = off)\n";
}

bool ParseDriverFlags(int* argc, char** argv, DriverOptions* out, std::string* error) {
  if (*argc > 0 && argv[0] != nullptr) out->program = argv[0];
  int kept = 1;
  for (int i = 1; i < *argc; i++) {
    const char* arg = argv[i];
    std::string v;
    uint64_t n = 0;
    if (FlagValue(arg, "net", &v)) {
      if (v == "sim") {
        out->net = NetMode::kSim;
      } else if (v == "tcp") {
        out->net = NetMode::kTcp;
      } else {
        *error = "--net must be sim or tcp, not '" + v + "'";
        return false;
      }
    } else if (FlagValue(arg, "seed", &v)) {
      if (!ParseU64(v, &n)) {
        *error = "--seed needs a non-negative integer, not '" + v + "'";
        return false;
      }
      out->seed = n;
      out->seed_given = true;
    } else if (FlagValue(arg, "repeat", &v)) {
      if (!ParseU64(v, &n) || n < 1 || n > 1000000) {
        *error = "--repeat needs an integer >= 1, not '" + v + "'";
        return false;
      }
      out->repeat = static_cast<int>(n);
    } else if (FlagValue(arg, "log-level", &v)) {
      rrr::LogLevel level;
      if (!rrr::Log::ParseLevel(v, &level)) {
        *error = "--log-level must be debug, info, warn or error, not '" + v + "'";
        return false;
      }
      out->log_level = v;
    } else if (FlagValue(arg, "trace", &v)) {
      if (v.empty()) {
        *error = "--trace needs a file name";
        return false;
      }
      out->trace_path = v;
    } else if (FlagValue(arg, "watchdog-ms", &v)) {
      if (!ParseU64(v, &n)) {
        *error = "--watchdog-ms needs a non-negative integer, not '" + v + "'";
        return false;
      }
      out->watchdog_ms = n;
    } else if (std::strcmp(arg, "--list") == 0) {
      out->list = true;
    } else if (std::strcmp(arg, "--help") == 0 || std::strcmp(arg, "-h") == 0) {
      *error = DriverUsage();
      return false;
    } else if (std::strncmp(arg, "--gtest_", 8) == 0 || std::strncmp(arg, "-gtest_", 7) == 0) {
      argv[kept++] = argv[i];  // googletest's own flag
    } else {
      *error = std::string("unknown flag '") + arg + "'\n" + DriverUsage();
      return false;
    }
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
  return rrr::Rand::Mix(rrr::Rand::Mix(iteration_seed) ^ HashName(full_name));
}

}  // namespace harness
}  // namespace janus
