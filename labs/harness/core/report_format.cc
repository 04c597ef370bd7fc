// The text of result lines and replay commands (declared in report.h).
#include <limits.h>
#include <stdlib.h>

#include <cstdio>
#include <string>

#include "labs/harness/core/options.h"
#include "labs/harness/core/report.h"

namespace janus {
namespace harness {

std::string ShortSourcePath(const std::string& path) {
#ifdef HARNESS_SOURCE_DIR
  const std::string root = HARNESS_SOURCE_DIR "/";
  if (path.compare(0, root.size(), root) == 0) return path.substr(root.size());
#endif
  // A path relative to the build directory (compilers launched through ccache with base_dir
  // see "../../labs/raft/raft_test.cc"): drop the leading "../" and "./" steps.
  size_t start = 0;
  while (true) {
    if (path.compare(start, 3, "../") == 0) {
      start += 3;
    } else if (path.compare(start, 2, "./") == 0) {
      start += 2;
    } else {
      break;
    }
  }
  return path.substr(start);
}

std::string FormatResultLine(bool passed, const std::string& lab, const std::string& part,
                             const std::string& name, int earned, int points,
                             uint64_t virtual_us, uint64_t wall_us, uint64_t rpcs,
                             uint64_t seed) {
  char buf[160];
  std::snprintf(buf, sizeof(buf), "  %d/%d pts  virt %.3fs  wall %.3fs  rpcs %llu  seed %llu",
                earned, points, static_cast<double>(virtual_us) / 1e6,
                static_cast<double>(wall_us) / 1e6, static_cast<unsigned long long>(rpcs),
                static_cast<unsigned long long>(seed));
  return std::string(passed ? "[PASS] " : "[FAIL] ") + lab + "/" + part + " " + name + buf;
}

std::string ReplayCommand(const std::string& full_name, uint64_t iteration_seed) {
  const DriverOptions& opt = Options();
  std::string program = opt.program.empty() ? "<driver>" : opt.program;
  if (program.find('/') != std::string::npos) {
    char resolved[PATH_MAX];
    if (realpath(program.c_str(), resolved) != nullptr) program = resolved;
  }
  return program + " --net=" + NetModeName(opt.net) + " --seed=" + std::to_string(iteration_seed) +
         " --gtest_filter=" + full_name;
}

}  // namespace harness
}  // namespace janus
