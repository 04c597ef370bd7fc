// Runs one piece of test code as a coroutine on a fresh reactor with a time limit: the engine
// under GRADED_TEST, also usable directly (e.g. to run a scenario twice and compare traces).
#pragma once

#include <cstdint>
#include <functional>
#include <string>

namespace rrr {
class NodeContext;
}

namespace janus {
namespace harness {

struct RunSpec {
  bool virtual_time = true;  // virtual clock (simulation) or real clock
  uint64_t seed = 1;         // reactor seed: node streams and the default transport derive from it
  uint64_t limit_us = 0;     // reactor time the body may take (0: no limit)
  // Called on the reactor thread when an exception escapes a coroutine of a node (or of no
  // node: node == null). Default (empty): ADD_FAILURE naming the node and the message.
  std::function<void(rrr::NodeContext* node, const std::string& what)> on_crash;
  // Watch the reactor with the Watchdog (if started) while the body runs.
  bool watch = true;
  // Wall-clock time after which the watchdog declares the run hung (0: no wall limit).
  uint64_t wall_limit_us = 0;
};

struct RunOutcome {
  bool finished = false;    // the body returned (or threw) before the limit
  uint64_t virtual_us = 0;  // reactor time the run took
  uint64_t wall_us = 0;     // real time the run took
};

// Creates a fresh reactor (installed as the thread's current one) from `spec`, runs `body` in a
// coroutine belonging to no node, and drives the loop until the body returns or limit_us of
// reactor time passed. A ScenarioFailure escaping the body ends it quietly (the failure is
// already recorded; see scenario_failure.h); any other exception is reported like a node crash
// (node == null). Afterwards the reactor is destroyed (unwinding any coroutine still alive, the
// body's included) and an idle real-time reactor is left current.
// REQUIRES: not inside a coroutine or a running reactor loop.
RunOutcome RunOnFreshReactor(const RunSpec& spec, const std::function<void()>& body);

}  // namespace harness
}  // namespace janus
