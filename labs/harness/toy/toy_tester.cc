#include "labs/harness/toy/toy_tester.h"

#include <string>

#include "rrr/base/verify.h"

namespace janus {
namespace toy_lab {

ToyTester::ToyTester(int n, bool unreliable) : LabTester(n), issued_at_(n, 0) {
  StartCluster(ToyNode::Make);
  if (unreliable) SetUnreliable(true);
}

ToyTester::~ToyTester() { StopCluster(); }

void ToyTester::Increment(int i, int64_t delta, uint64_t timeout_us) {
  cluster().At(i, [&](ToyNode& node) { node.Increment(delta, timeout_us); });
  issued_at_[i] += delta;
  issued_total_ += delta;
}

int64_t ToyTester::Value(int i) {
  ToyNode* node = cluster().node(i);
  verify_msg(node != nullptr, "ToyTester::Value of a crashed node");
  return node->value();
}

void ToyTester::CheckValue(int i, int64_t expected, const char* file, int line) {
  if (!IsUp(i)) Fail(NodeName(i) + " is down", file, line);
  const int64_t v = Value(i);
  if (v != expected) {
    Fail(NodeName(i) + "'s counter is " + std::to_string(v) + ", expected " +
             std::to_string(expected),
         file, line);
  }
}

void ToyTester::CheckCounters(const char* file, int line) {
  for (int i = 0; i < n(); i++) {
    if (!IsUp(i)) continue;
    const int64_t v = Value(i);
    const std::string saved = cluster().GetPersister(i)->ReadRaftState();
    const std::string name = NodeName(i) + "'s counter " + std::to_string(v);
    if (saved != std::to_string(v) && !(saved.empty() && v == 0)) {
      Fail(name + " differs from what it persisted (\"" + saved + "\")", file, line);
    }
    if (v < issued_at_[i]) {
      Fail(name + " lost some of its own increments (" + std::to_string(issued_at_[i]) +
               " issued there)",
           file, line);
    }
    if (v > issued_total_) {
      Fail(name + " exceeds the " + std::to_string(issued_total_) +
               " issued in all (a delta applied twice?)",
           file, line);
    }
  }
}

void ToyTester::EndChecks(const char* file, int line) { CheckCounters(file, line); }

}  // namespace toy_lab
}  // namespace janus
