// ScenarioFailure: how a tester helper ends a test scenario at its first failed check.
//
// A helper that finds a problem records it as a googletest failure (with a message, at the line
// of the test that called the helper) and then throws ScenarioFailure. The exception carries
// nothing: the failure is already recorded, so whoever catches it only has to stop quietly.
// RunOnFreshReactor (and so every GRADED_TEST body) absorbs it: the body ends, its objects are
// destroyed, and the test fails with the recorded message. A coroutine started by a tester
// (LabTester::Go, CoGroup::Go) absorbs it too and ends alone.
#pragma once

#include <gtest/gtest.h>

#include <exception>
#include <string>

#include "rrr/base/logging.h"

namespace janus {
namespace harness {

// Thrown after a failure was recorded; ends the scenario (see the file comment).
class ScenarioFailure : public std::exception {
 public:
  const char* what() const noexcept override {
    return "test scenario failed (the failure is recorded above)";
  }
};

// Records `message` as a googletest failure at file:line, logs its first line at info level as
// "<who>: FAIL: ..." (the whole message is in the test's [FAIL] report), and throws
// ScenarioFailure.
[[noreturn]] inline void FailScenario(const std::string& message, const char* file, int line,
                                      const std::string& who = "test") {
  ADD_FAILURE_AT(file, line) << message;
  Log_info("%s: FAIL: %s", who.c_str(), message.substr(0, message.find('\n')).c_str());
  throw ScenarioFailure();
}

// Throws ScenarioFailure if the running googletest test has recorded a failure (e.g. in a
// coroutine that ended quietly): a scenario that waited for its coroutines stops here.
inline void ThrowIfFailed() {
  if (::testing::Test::HasFailure()) throw ScenarioFailure();
}

}  // namespace harness
}  // namespace janus
