// Runs a server program (deptran_server) as a child process for a test, with a bound on how long
// it may take: it is expected either to exit by itself (e.g. refusing its data directory) or to
// announce that it serves ("listening on" on stdout), after which it is sent SIGTERM.
#pragma once

#include <string>
#include <vector>

namespace janus {

// What one run of the child did.
struct ServerRun {
  bool started = false;   // it printed "listening on" (and was then sent SIGTERM)
  bool exited = false;    // it exited normally (not killed by a signal)
  int exit_code = -1;     // its exit code when exited
  int signal = 0;         // the signal that ended it, when not exited (e.g. 6 for an abort)
  bool timed_out = false; // the watchdog fired (it was then killed with SIGKILL)
  std::string out, err;   // everything it wrote to stdout and stderr

  // One paragraph for failure messages: how it ended, and its stdout and stderr.
  std::string Describe() const;
};

// Runs `program` with `args` (argv[1..]), capturing its output, until it has exited. If it
// prints "listening on" it is sent SIGTERM once; if it has not exited after `watchdog_ms` of
// real time it is killed. The watchdog only bounds a broken run: a correct one ends by itself.
ServerRun RunServer(const std::string& program, const std::vector<std::string>& args,
                    int watchdog_ms = 30000);

}  // namespace janus
