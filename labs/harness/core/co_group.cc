#include "labs/harness/core/co_group.h"

#include <utility>

#include "labs/harness/core/scenario_failure.h"
#include "rrr/reactor/coroutine.h"

namespace janus {
namespace harness {

void CoGroup::Go(rrr::NodeContext* node, std::function<void()> fn, const char* file, int line) {
  if (running_++ == 0) all_done_ = std::make_shared<rrr::IntEvent>();
  auto done = all_done_;
  int* running = &running_;
  auto body = [fn = std::move(fn), done, running] {
    try {
      fn();
    } catch (const ScenarioFailure&) {
      // Recorded already; the scenario sees it through ::testing::Test::HasFailure().
    }
    if (--*running == 0) done->Set(1);
  };
  if (node != nullptr) {
    node->Run([&body, file, line] { rrr::Coroutine::CreateRun(body, file, line); });
  } else {
    rrr::Coroutine::CreateRun(body, file, line);
  }
}

void CoGroup::Wait() {
  if (running_ > 0) all_done_->Wait();
}

}  // namespace harness
}  // namespace janus
