// A deliberately mixed graded test driver for testing the grading machinery (scripts/grade
// and the harness's own tests): one test passes, one fails (a failed expectation plus a node
// whose RPC handler throws), one crashes the process (SIGSEGV) and one hangs in a busy loop
// (stopped by the watchdog). The crashing and hanging tests do so only when the environment
// variable HARNESS_TOY_CRASH_HANG=1 is set; otherwise they fail at once, saying so.
#include <signal.h>

#include <cstdlib>
#include <cstring>

#include "labs/harness/core/cluster.h"
#include "labs/harness/core/graded_test.h"
#include "labs/harness/toy/toy_node.h"
#include "rrr/reactor/coroutine.h"

namespace janus {
namespace toy_lab {
namespace {

using harness::Cluster;

bool CrashHangEnabled() {
  const char* v = std::getenv("HARNESS_TOY_CRASH_HANG");
  return v != nullptr && std::strcmp(v, "1") == 0;
}

// Node 0 adds 2 to node 1's counter over the network; the reply carries the new value.
GRADED_TEST(ToyPass, Pass, "toy", "A", /*points=*/5, /*budget_ms=*/5000) {
  Cluster<ToyNode> c(3, ToyNode::Make);
  rrr::FuturePtr f = c.At(0, [](ToyNode& n) { return n.SendAdd(1, 2, 1000000); });
  f->Wait();
  ASSERT_EQ(f->get_error_code(), rrr::kOk);
  int64_t value = 0;
  f->get_reply() >> value;
  EXPECT_EQ(value, 2);
  EXPECT_EQ(c.node(1)->value(), 2);
}

// Fails twice: node s1's handler throws (a node crash: reported, the process goes on), and an
// expectation does not hold.
GRADED_TEST(ToyFail, Fail, "toy", "A", /*points=*/5, /*budget_ms=*/5000) {
  Cluster<ToyNode> c(2, ToyNode::Make);
  rrr::FuturePtr f = c.At(0, [](ToyNode& n) { return n.SendThrow(1, "toy handler gave up"); });
  f->Wait(1000000);
  EXPECT_EQ(c.node(1)->value(), 42) << "the toy counter never reaches 42";
}

// Dies of SIGSEGV in the middle of the test.
GRADED_TEST(ToyCrash, Crash, "toy", "B", /*points=*/5, /*budget_ms=*/5000) {
  if (!CrashHangEnabled()) {
    FAIL() << "deliberately crashing test: set HARNESS_TOY_CRASH_HANG=1 to let it crash";
  }
  Cluster<ToyNode> c(1, ToyNode::Make);
  rrr::Coroutine::Sleep(1000);
  raise(SIGSEGV);
}

// A node's coroutine spins forever without yielding; the watchdog must end the run.
GRADED_TEST(ToyHang, Hang, "toy", "B", /*points=*/5, /*budget_ms=*/5000) {
  if (!CrashHangEnabled()) {
    FAIL() << "deliberately hanging test: set HARNESS_TOY_CRASH_HANG=1 to let it hang";
  }
  Cluster<ToyNode> c(2, ToyNode::Make);
  rrr::Coroutine::Sleep(1000);
  c.At(1, [](ToyNode& n) { n.StartBusyLoop(); });
}

}  // namespace
}  // namespace toy_lab
}  // namespace janus
