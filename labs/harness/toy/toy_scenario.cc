#include "labs/harness/toy/toy_scenario.h"

#include <vector>

#include "labs/harness/core/cluster.h"
#include "rrr/base/hash.h"
#include "rrr/base/logging.h"
#include "rrr/base/rand.h"
#include "rrr/reactor/coroutine.h"
#include "labs/harness/toy/toy_node.h"

namespace janus {
namespace toy_lab {

uint64_t RunFaultHeavyScenario(int rounds) {
  constexpr int kNodes = 5;
  harness::Cluster<ToyNode> c(kNodes, ToyNode::Make);
  c.SetUnreliable(true);
  c.SetLongReordering(true);
  rrr::Rand& rand = rrr::Rand::Current();
  for (int round = 0; round < rounds; round++) {
    // A random split into two groups.
    std::vector<std::vector<int>> groups(2);
    for (int i = 0; i < kNodes; i++) groups[rand.Below(2)].push_back(i);
    c.Partition(groups);
    // Crash an up node or restart a crashed one.
    const int victim = static_cast<int>(rand.Below(kNodes));
    if (c.IsUp(victim)) {
      c.Crash(victim);
    } else {
      c.Restart(victim);
      c.Connect(victim);
    }
    for (int i = 0; i < kNodes; i++) {
      if (!c.IsUp(i)) continue;
      c.At(i, [&](ToyNode& n) { n.Increment(1 + static_cast<int64_t>(rand.Below(5)), 300000); });
    }
    rrr::Coroutine::Sleep(static_cast<uint64_t>(rand.Range(10000, 400000)));
    Log_debug("toy scenario: round %d done", round);
  }
  c.Heal();
  for (int i = 0; i < kNodes; i++) {
    if (!c.IsUp(i)) {
      c.Restart(i);
      c.Connect(i);
    }
  }
  c.SetUnreliable(false);
  c.SetLongReordering(false);
  rrr::Coroutine::Sleep(3000000);  // let held-back replies drain
  uint64_t digest = rrr::kHarnessFnvOffset;
  for (int i = 0; i < kNodes; i++) {
    const int64_t v = c.node(i)->value();
    Log_debug("toy scenario: node %d counter %lld", i, static_cast<long long>(v));
    digest = rrr::Fnv1a64Word(digest, static_cast<uint64_t>(v));
  }
  return digest;
}

}  // namespace toy_lab
}  // namespace janus
