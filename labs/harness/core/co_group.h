// CoGroup: coroutines that a test scenario starts and later waits for (concurrent clients, a
// partitioner running beside a workload, ...).
//
//   CoGroup clients;
//   for (int c = 0; c < 5; c++) clients.Go(nullptr, [&, c] { RunClient(c); });
//   clients.Wait();            // every one has finished
//   harness::ThrowIfFailed();  // one of them recorded a failure: stop the scenario too
//
// A ScenarioFailure thrown in one of them ends that coroutine only (the failure is recorded);
// the scenario sees it through ::testing::Test::HasFailure() after Wait().
#pragma once

#include <functional>
#include <memory>

#include "rrr/reactor/event.h"
#include "rrr/reactor/node.h"

namespace janus {
namespace harness {

class CoGroup {
 public:
  // Runs fn at once in a new coroutine owned by `node` (null: the current node). `file`/`line`
  // name the creation site for the watchdog.
  void Go(rrr::NodeContext* node, std::function<void()> fn, const char* file = __builtin_FILE(),
          int line = __builtin_LINE());
  // Waits until every coroutine started so far has finished (or was unwound by a crash of its
  // node). REQUIRES: inside a coroutine.
  void Wait();
  // Coroutines started and not finished yet.
  int running() const { return running_; }

 private:
  int running_ = 0;
  std::shared_ptr<rrr::IntEvent> all_done_;
};

}  // namespace harness
}  // namespace janus
