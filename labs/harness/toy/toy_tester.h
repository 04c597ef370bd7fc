// ToyTester: the toy lab's test fixture, on the harness's LabTester base (lab_tester.h gives
// failures, time, randomness, network and crash controls, Go/Join and End). It adds what is
// the toy's own: increments that it records, and the checks that follow from the counter's
// design (every change persisted at once; deltas sent once, never retried):
//
//   ToyTester t(5, /*unreliable=*/true);
//   t.Increment(0, 3, 300 * 1000);  // node 0 adds 3 and sends the delta to every peer
//   t.Crash(2); t.Restart(2); t.Connect(2);
//   t.End();                        // CheckCounters: fails at this line if one is wrong
#pragma once

#include <cstdint>
#include <vector>

#include "labs/harness/core/lab_tester.h"
#include "labs/harness/toy/toy_node.h"

namespace janus {
namespace toy_lab {

class ToyTester : public harness::LabTester<ToyNode> {
 public:
  // Starts n toy nodes; `unreliable` turns on random drops and delays from the start.
  ToyTester(int n, bool unreliable);
  ~ToyTester() override;

  // Node i adds delta (> 0) to its counter and sends it to every peer (those calls time out
  // after timeout_us; lost ones stay lost). Recorded for CheckCounters. REQUIRES: node i is up.
  void Increment(int i, int64_t delta, uint64_t timeout_us);
  // Node i's counter. REQUIRES: node i is up.
  int64_t Value(int i);

  // Fails unless node i is up and its counter is `expected`.
  void CheckValue(int i, int64_t expected, const char* file = __builtin_FILE(),
                  int line = __builtin_LINE());
  // Fails unless every up node's counter equals what it persisted, includes every increment
  // issued at that node (they are persisted at once, so they survive crashes), and is at most
  // the sum of all increments issued (nothing applied twice or invented).
  void CheckCounters(const char* file = __builtin_FILE(), int line = __builtin_LINE());

 protected:
  // End's check: CheckCounters.
  void EndChecks(const char* file, int line) override;

 private:
  std::vector<int64_t> issued_at_;  // per node: sum of the increments issued there
  int64_t issued_total_ = 0;
};

}  // namespace toy_lab
}  // namespace janus
