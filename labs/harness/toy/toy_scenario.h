// A fault-heavy scenario on the toy lab, used by the determinism tests: run twice with the same
// seed in simulation it must produce the same trace byte for byte.
#pragma once

#include <cstdint>

namespace janus {
namespace toy_lab {

// Runs `rounds` rounds on a 5-node toy cluster with an unreliable, reordering network: each
// round re-partitions at random, crashes or restarts a random node, broadcasts increments and
// sleeps a random while; then heals and reads every counter. All choices come from the
// reactor's seeded random stream. Ends with ToyTester's checks (which fail the running test and
// throw harness::ScenarioFailure if a counter is wrong). Returns a digest of the final counters.
// REQUIRES: inside a coroutine on a reactor (e.g. a graded test body).
uint64_t RunFaultHeavyScenario(int rounds);

}  // namespace toy_lab
}  // namespace janus
