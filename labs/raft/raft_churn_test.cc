// The churn tests of Raft part C (persistence; Lab 3 of the course): clients keep submitting
// commands while peers crash, restart, disconnect and reconnect at random. At the end everyone
// is back, and every command a client saw committed must be applied on every peer, exactly
// once, in one order (the apply checker checks the order and that peers agree at each index,
// across crashes too; labs/harness/raft/raft_tester.h).
//
// Run them:  build/labs/raft/raft_test --gtest_filter='RaftC.*Churn'
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "labs/harness/core/graded_test.h"
#include "labs/harness/raft/raft_tester.h"

namespace janus {
namespace {

constexpr uint64_t kMs = 1000;
constexpr uint64_t kElectionTimeout = RaftTester::kElectionTimeoutUs;

// One client: Starts a fresh command on the first peer that accepts it as leader, polls with
// backoff whether it committed, and records it if it did; stops when *stop is set.
void ChurnClient(RaftTester& t, int me, const bool* stop, std::vector<std::string>* committed) {
  for (int k = 0; !*stop; k++) {
    // Each command is unique, so it may appear at one index only.
    const std::string cmd = "c" + std::to_string(me) + "." + std::to_string(k);
    uint64_t index = 0, term = 0;
    bool ok = false;
    for (int i = 0; i < t.n() && !ok; i++) ok = t.Start(i, cmd, &index, &term);
    if (!ok) {
      t.Sleep((79 + 17 * me) * kMs);
      continue;
    }
    for (uint64_t wait_ms : {10, 20, 50, 100, 200}) {
      std::string got;
      if (t.NCommitted(index, &got) > 0) {
        if (got == cmd) committed->push_back(cmd);
        break;
      }
      t.Sleep(wait_ms * kMs);
    }
  }
}

void Churn(RaftTester& t) {
  const int n = t.n();
  const int clients = 3;
  bool stop = false;
  std::vector<std::vector<std::string>> committed(clients);
  for (int c = 0; c < clients; c++) {
    t.Go([&t, c, &stop, &committed] { ChurnClient(t, c, &stop, &committed[c]); });
  }

  for (int iter = 0; iter < 20; iter++) {
    if (t.Rand(0, 999) < 200) t.Disconnect(static_cast<int>(t.Rand(0, n - 1)));
    if (t.Rand(0, 999) < 500) {
      int i = static_cast<int>(t.Rand(0, n - 1));
      if (!t.IsUp(i)) t.Restart(i);
      t.Connect(i);
    }
    if (t.Rand(0, 999) < 200) {
      int i = static_cast<int>(t.Rand(0, n - 1));
      if (t.IsUp(i)) t.Crash(i);
    }
    // Often enough for every peer to come and go, yet slower than a leader election, so some
    // commands do commit.
    t.Sleep(kElectionTimeout * 7 / 10);
  }

  // Everyone back, on a reliable network; the clients stop.
  t.Sleep(kElectionTimeout);
  t.SetUnreliable(false);
  for (int i = 0; i < n; i++) {
    if (!t.IsUp(i)) t.Restart(i);
    t.Connect(i);
  }
  stop = true;
  t.Join();
  t.Sleep(kElectionTimeout);

  // Every index up to a new command's is applied on every peer; no command at two indices.
  uint64_t last = t.One(t.RandomCommand(), n, true);
  std::map<std::string, uint64_t> where;
  for (uint64_t index = 1; index <= last; index++) {
    std::string cmd = t.Wait(index, n, std::nullopt).value_or("");
    auto [it, fresh] = where.emplace(cmd, index);
    if (!fresh && cmd[0] == 'c') {
      t.Fail("command \"" + cmd + "\" was applied at index " + std::to_string(it->second) +
             " and again at index " + std::to_string(index));
    }
  }
  for (int c = 0; c < clients; c++) {
    for (const std::string& cmd : committed[c]) {
      if (where.count(cmd) == 0) {
        t.Fail("command \"" + cmd + "\" was seen committed, but is not in the final log");
      }
    }
  }
  t.End();
}

GRADED_TEST(RaftC, ReliableChurn, "raft", "C", 10, 60000) {
  RaftTester t(5, false);
  Churn(t);
}

GRADED_TEST(RaftC, UnreliableChurn, "raft", "C", 10, 60000) {
  RaftTester t(5, true);
  Churn(t);
}

}  // namespace
}  // namespace janus
