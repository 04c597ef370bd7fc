// SOLUTION FILE: instructor check of the lab 2 tests themselves; not part of the handout.
//
// Do the KV tests catch a server that is not linearizable? This driver runs against
// lab_kv_unsafe: the reference KvServer built with KV_UNSAFE_LOCAL_READS, whose Get answers from
// the replica's own map at once, without going through Raft. Such a server returns stale values
// from a deposed leader or a lagging follower, and the checker must say so. (CMake also runs the
// graded kv_test against the same broken server and expects it to fail.)
#include <gtest/gtest.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "labs/harness/core/graded_test.h"
#include "labs/harness/kv/kv_tester.h"

namespace janus {
namespace {

using harness::LinVerdict;

std::string ReadFile(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

GRADED_TEST(KvUnsafe, StaleReadFromDeposedLeaderIsFlagged, "kv-unsafe", "check", 1, 60000) {
  KvTester t(5, false);
  KvTestClerk* ck = t.MakeClerk();
  t.Put(ck, "k", "old");  // ck now remembers the leader
  const int old_leader = t.Leader();
  std::vector<int> others;
  for (int i = 0; i < t.n(); i++) {
    if (i != old_leader) others.push_back(i);
  }
  t.Partition({old_leader}, others);
  KvTestClerk* ck2 = t.MakeClerk(others);
  t.Put(ck2, "k", "new");                   // the majority elects a new leader and commits
  const std::string seen = t.Get(ck, "k");  // asked of the deposed leader first
  EXPECT_EQ(seen, "old") << "the broken server should have answered from its stale map";
  harness::LinResult r = t.CheckLinearizable(/*fail=*/false);
  EXPECT_EQ(r.verdict, LinVerdict::kIllegal) << r.Summary(t.history().ops());
  ASSERT_FALSE(t.last_report().empty());
  const std::string html = ReadFile(t.last_report());
  EXPECT_NE(html.find("NOT linearizable"), std::string::npos);
  EXPECT_NE(html.find("partition [s"), std::string::npos) << "the fault is on the timeline";
  EXPECT_NE(html.find("status: \"stuck\""), std::string::npos);
}

GRADED_TEST(KvUnsafe, RandomWorkloadIsFlagged, "kv-unsafe", "check", 1, 600000) {
  // The workload of the graded Linearizable test (15 clients, 7 servers, unreliable network,
  // partitions). Stale reads are likely but not certain in one run: allow a few runs.
  constexpr int kAttempts = 5;
  int flagged_at = -1;
  for (int attempt = 0; attempt < kAttempts && flagged_at < 0; attempt++) {
    // A failed check of the workload (e.g. an operation that never returns) ends that attempt
    // only; the tester is destroyed after the catch, as at the end of a test.
    KvTester t(7, true);
    try {
      KvTester::GenericSpec spec;
      spec.clients = 15;
      spec.random_keys = true;
      spec.partitions = true;
      spec.iterations = 2;
      spec.workload_us = 4 * 1000 * 1000;
      spec.think_us_max = 1000;
      t.Generic(spec);
      harness::LinResult r = t.CheckLinearizable(/*fail=*/false);
      std::printf("attempt %d: %s\n", attempt, r.Summary(t.history().ops()).substr(0, 300).c_str());
      if (r.verdict == LinVerdict::kIllegal) flagged_at = attempt;
    } catch (const harness::ScenarioFailure&) {
      // Recorded already.
    }
  }
  EXPECT_GE(flagged_at, 0) << "the checker never flagged the server that reads without Raft";
}

}  // namespace
}  // namespace janus
