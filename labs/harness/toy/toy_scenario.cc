#include "labs/harness/toy/toy_scenario.h"

#include <vector>

#include "labs/harness/toy/toy_tester.h"
#include "rrr/base/hash.h"
#include "rrr/base/logging.h"
#include "rrr/base/rand.h"

namespace janus {
namespace toy_lab {

uint64_t RunFaultHeavyScenario(int rounds) {
  constexpr int kNodes = 5;
  ToyTester t(kNodes, /*unreliable=*/true);
  t.cluster().SetLongReordering(true);
  // The reactor's stream (not t.Rand): the in-process determinism test and the graded test
  // draw the same choices from the same seed.
  rrr::Rand& rand = rrr::Rand::Current();
  for (int round = 0; round < rounds; round++) {
    // A random split into two groups.
    std::vector<std::vector<int>> groups(2);
    for (int i = 0; i < kNodes; i++) groups[rand.Below(2)].push_back(i);
    t.Partition(groups);
    // Crash an up node or restart a crashed one.
    const int victim = static_cast<int>(rand.Below(kNodes));
    if (t.IsUp(victim)) {
      t.Crash(victim);
    } else {
      t.Restart(victim);
      t.Connect(victim);
    }
    for (int i = 0; i < kNodes; i++) {
      if (t.IsUp(i)) t.Increment(i, 1 + static_cast<int64_t>(rand.Below(5)), 300000);
    }
    t.Sleep(static_cast<uint64_t>(rand.Range(10000, 400000)));
    Log_debug("toy scenario: round %d done", round);
  }
  t.Heal();
  for (int i = 0; i < kNodes; i++) {
    if (!t.IsUp(i)) {
      t.Restart(i);
      t.Connect(i);
    }
  }
  t.SetUnreliable(false);
  t.cluster().SetLongReordering(false);
  t.Sleep(3000000);  // let held-back replies drain
  t.End();           // the counters are persisted, keep their own increments, invent none
  uint64_t digest = rrr::kHarnessFnvOffset;
  for (int i = 0; i < kNodes; i++) {
    const int64_t v = t.Value(i);
    Log_debug("toy scenario: node %d counter %lld", i, static_cast<long long>(v));
    digest = rrr::Fnv1a64Word(digest, static_cast<uint64_t>(v));
  }
  return digest;
}

}  // namespace toy_lab
}  // namespace janus
