#include "labs/harness/core/runner.h"

#include <gtest/gtest.h>

#include <exception>
#include <memory>

#include "labs/harness/core/scenario_failure.h"
#include "labs/harness/core/trace_event.h"
#include "labs/harness/core/watchdog.h"
#include "rrr/base/logging.h"
#include "rrr/base/time.h"
#include "rrr/reactor/coroutine.h"
#include "rrr/reactor/node.h"
#include "rrr/reactor/reactor.h"

namespace janus {
namespace harness {
namespace {

void DefaultCrash(rrr::NodeContext* node, const std::string& what) {
  // No source location: the failure is the node's, not this file's.
  if (node != nullptr) {
    ADD_FAILURE_AT(nullptr, -1) << "node " << node->name()
                                << " crashed: an exception escaped one of its coroutines: "
                                << what;
  } else {
    ADD_FAILURE_AT(nullptr, -1) << "an exception escaped the test body: " << what;
  }
}

}  // namespace

RunOutcome RunOnFreshReactor(const RunSpec& spec, const std::function<void()>& body) {
  RunOutcome out;
  const uint64_t wall_start = rrr::Time::MonotonicUs();
  std::shared_ptr<rrr::Reactor> reactor =
      rrr::Reactor::Create(rrr::ReactorOptions{spec.virtual_time, spec.seed});
  auto on_crash = spec.on_crash ? spec.on_crash : DefaultCrash;
  reactor->SetCrashHandler(on_crash);
  const uint64_t start_us = reactor->NowUs();
  TraceClockStart(reactor.get());
  bool done = false;
  if (spec.watch) Watchdog::Watch(reactor.get(), spec.wall_limit_us);
  rrr::Coroutine::CreateRun(
      [&] {
        try {
          body();
        } catch (const rrr::Cancelled&) {
          throw;  // the reactor is unwinding the body
        } catch (const ScenarioFailure&) {
          // A tester recorded the failure and ended the scenario: nothing more to report.
        } catch (const std::exception& e) {
          on_crash(nullptr, e.what());
        } catch (...) {
          on_crash(nullptr, "unknown exception");
        }
        done = true;
      },
      __FILE__, __LINE__);
  const uint64_t limit = spec.limit_us == 0 ? UINT64_MAX : spec.limit_us;
  out.finished = done || reactor->RunUntil([&] { return done; }, limit);
  out.virtual_us = reactor->NowUs() - start_us;
  // The watchdog must stop reading the reactor before it goes away; its wall-clock limit still
  // covers the teardown (which unwinds a stuck body and runs its destructors).
  if (spec.watch) Watchdog::DetachReactor();
  TraceClockStop();  // teardown events keep the time the run ended at
  reactor.reset();
  rrr::Reactor::Create(rrr::ReactorOptions());
  if (spec.watch) Watchdog::Unwatch();
  out.wall_us = rrr::Time::MonotonicUs() - wall_start;
  return out;
}

}  // namespace harness
}  // namespace janus
