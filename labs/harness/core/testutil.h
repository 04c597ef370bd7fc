// Helpers for the harness's unit tests: run a driver binary as a subprocess and look at what
// it printed and how it ended.
#pragma once

#include <sys/wait.h>

#include <cstdio>
#include <sstream>
#include <string>
#include <vector>

#include "rrr/base/time.h"

namespace janus {
namespace harness {
namespace testing_util {

struct CommandResult {
  std::string out;      // stdout
  int status = 0;       // wait status
  uint64_t wall_us = 0; // real time taken
  bool exited() const { return WIFEXITED(status); }
  int exit_code() const { return WIFEXITED(status) ? WEXITSTATUS(status) : -1; }
  int signal() const { return WIFSIGNALED(status) ? WTERMSIG(status) : 0; }
};

// Runs `command` with /bin/sh, which execs it (so a death by signal shows in the status; put
// environment settings in front with `env X=1 prog ...`). stderr is discarded.
inline CommandResult RunCommand(const std::string& command) {
  CommandResult r;
  const uint64_t start = rrr::Time::MonotonicUs();
  std::FILE* p = popen(("exec " + command + " 2>/dev/null").c_str(), "r");
  if (p == nullptr) return r;
  char buf[4096];
  size_t n;
  while ((n = std::fread(buf, 1, sizeof(buf), p)) > 0) r.out.append(buf, n);
  r.status = pclose(p);
  r.wall_us = rrr::Time::MonotonicUs() - start;
  return r;
}

// The lines of `text` that start with `prefix`.
inline std::vector<std::string> LinesStartingWith(const std::string& text,
                                                  const std::string& prefix) {
  std::vector<std::string> out;
  std::istringstream in(text);
  std::string line;
  while (std::getline(in, line)) {
    if (line.compare(0, prefix.size(), prefix) == 0) out.push_back(line);
  }
  return out;
}

}  // namespace testing_util
}  // namespace harness
}  // namespace janus
