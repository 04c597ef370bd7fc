// The graded tests of Raft part C (persistence; Lab 3 of the course). Peers now crash: a crash
// destroys the peer and keeps only what it saved through its persister, and a restart builds a
// new RaftServer on a copy of those bytes (RaftTester::Reboot; labs/harness/raft/raft_tester.h).
// A restarted peer applies its log again from index 1; the apply checker remembers what every
// earlier incarnation applied, so a committed entry that a crash lost is caught.
//
// Run them all:   build/labs/raft/raft_test --gtest_filter='RaftC.*'
// Replay a seed:  build/labs/raft/raft_test --seed=1234 --gtest_filter=RaftC.Figure8Crash
#include <algorithm>
#include <map>
#include <string>
#include <vector>

#include "labs/harness/core/graded_test.h"
#include "labs/harness/raft/raft_tester.h"

namespace janus {
namespace {

constexpr uint64_t kMs = 1000;
constexpr uint64_t kElectionTimeout = RaftTester::kElectionTimeoutUs;

std::string Cmd(int64_t v) { return std::to_string(v); }

// Crashes peer i if it is up, restarts it from its persister and reconnects it.
void Reboot(RaftTester& t, int i) {
  t.Reboot(i);
  t.Connect(i);
}

// Fails unless peer i, just restarted, came back with at least the term it had reached.
void CheckTermKept(RaftTester& t, int i, uint64_t before) {
  bool is_leader = false;
  uint64_t term = 0;
  t.GetState(i, &is_leader, &term);
  if (term < before) {
    t.Fail("peer " + std::to_string(i) + " restarted with term " + std::to_string(term) +
           ", but it had reached term " + std::to_string(before) + " before the crash");
  }
}

GRADED_TEST(RaftC, Persist1, "raft", "C", 5, 30000) {
  const int n = 3;
  RaftTester t(n, false);
  t.One(Cmd(11), n, true);

  // Everyone crashes and restarts: the committed entry and the terms survive.
  for (int i = 0; i < n; i++) t.Reboot(i);
  for (int i = 0; i < n; i++) t.Connect(i);
  t.One(Cmd(12), n, true);

  // The leader alone restarts.
  int leader1 = t.CheckOneLeader();
  t.Disconnect(leader1);
  t.Reboot(leader1);
  t.Connect(leader1);
  t.One(Cmd(13), n, true);

  // The leader restarts while the others commit without it; it catches up afterwards.
  int leader2 = t.CheckOneLeader();
  t.Disconnect(leader2);
  t.One(Cmd(14), n - 1, true);
  Reboot(t, leader2);
  t.Wait(4, n, std::nullopt);

  // A follower restarts while the others commit without it.
  int i3 = (t.CheckOneLeader() + 1) % n;
  t.Disconnect(i3);
  t.One(Cmd(15), n - 1, true);
  Reboot(t, i3);
  t.One(Cmd(16), n, true);
  t.End();
}

GRADED_TEST(RaftC, Persist2, "raft", "C", 5, 60000) {
  const int n = 5;
  RaftTester t(n, false);
  int index = 1;
  for (int iter = 0; iter < 5; iter++) {
    t.One(Cmd(10 + index), n, true);
    index++;
    int leader1 = t.CheckOneLeader();

    // Two followers miss an entry.
    t.Disconnect((leader1 + 1) % n);
    t.Disconnect((leader1 + 2) % n);
    t.One(Cmd(10 + index), n - 2, true);
    index++;

    // The three that have it go away; the two behind restart and must not win alone: a third
    // peer with the entry restarts and joins them, and only then does agreement continue.
    t.Disconnect((leader1 + 0) % n);
    t.Disconnect((leader1 + 3) % n);
    t.Disconnect((leader1 + 4) % n);
    Reboot(t, (leader1 + 1) % n);
    Reboot(t, (leader1 + 2) % n);
    t.Sleep(kElectionTimeout);
    Reboot(t, (leader1 + 3) % n);
    t.One(Cmd(10 + index), n - 2, true);
    index++;

    t.Connect((leader1 + 4) % n);
    t.Connect((leader1 + 0) % n);
  }
  t.One(Cmd(1000), n, true);
  t.End();
}

GRADED_TEST(RaftC, Persist3, "raft", "C", 5, 30000) {
  const int n = 3;
  RaftTester t(n, false);
  t.One(Cmd(101), n, true);

  // The leader and one follower commit an entry the third peer never sees, then both crash:
  // the entry lives only in their persisters.
  int leader = t.CheckOneLeader();
  t.Disconnect((leader + 2) % n);
  t.One(Cmd(102), 2, true);
  t.Reboot((leader + 0) % n);
  t.Reboot((leader + 1) % n);
  t.Connect((leader + 2) % n);

  // The old leader returns: with the third peer it must keep entry 102 and agree on more.
  t.Connect((leader + 0) % n);
  uint64_t at = t.One(Cmd(103), 2, true);
  if (at != 3) t.Fail("103 went to index " + std::to_string(at) + ", expected 3");
  t.Connect((leader + 1) % n);
  t.One(Cmd(104), n, true);
  t.End();
}

GRADED_TEST(RaftC, BasicPersistence, "raft", "C", 5, 30000) {
  const int n = 3;
  RaftTester t(n, false);
  t.One(Cmd(101), n, true);
  t.Sleep(kElectionTimeout / 10);  // heartbeats carry the term everywhere
  uint64_t term = t.CheckTerms();

  // Everyone crashes; each comes back with its term, and the log continues at index 2.
  for (int i = 0; i < n; i++) t.Reboot(i);
  for (int i = 0; i < n; i++) CheckTermKept(t, i, term);
  for (int i = 0; i < n; i++) t.Connect(i);
  uint64_t at = t.One(Cmd(102), n, true);
  if (at != 2) t.Fail("102 went to index " + std::to_string(at) + ", expected 2");
  std::string first;
  t.NCommitted(1, &first);
  if (first != Cmd(101)) t.Fail("index 1 holds \"" + first + "\" after a restart, not 101");
  t.End();
}

// Five peers; two fall behind while the other three commit `ahead` entries; then all five
// crash. The survivor (one of the three) restarts with the two stale peers: only it can win,
// since neither stale peer can gather three votes. Returns the index of the last entry.
uint64_t OnlyNewestCanWin(RaftTester& t, int leader, int survivor, int ahead) {
  const int n = 5;
  std::vector<int> stale = {(leader + 3) % n, (leader + 4) % n};
  for (int s : stale) t.Disconnect(s);
  uint64_t last = 0;
  for (int k = 0; k < ahead; k++) last = t.One(Cmd(200 + k), 3, true);
  for (int i = 0; i < n; i++) t.Crash(i);

  Reboot(t, survivor);
  for (int s : stale) Reboot(t, s);
  int winner = t.CheckOneLeader();
  if (winner != survivor) {
    t.Fail("peer " + std::to_string(winner) + " won with a stale log; only peer " +
           std::to_string(survivor) + " held the committed entries up to index " +
           std::to_string(last));
  }
  uint64_t at = t.One(Cmd(300), 3, true);
  if (at != last + 1) {
    t.Fail("300 went to index " + std::to_string(at) + ", expected " + std::to_string(last + 1));
  }
  return at;
}

// The survivor is a follower: what it saved came through AppendEntries.
GRADED_TEST(RaftC, MorePersistence1, "raft", "C", 5, 40000) {
  const int n = 5;
  RaftTester t(n, false);
  t.One(Cmd(100), n, true);
  int leader = t.CheckOneLeader();
  uint64_t last = OnlyNewestCanWin(t, leader, (leader + 1) % n, 3);

  // The other two rejoin and catch up.
  Reboot(t, leader);
  Reboot(t, (leader + 2) % n);
  uint64_t at = t.One(Cmd(400), n, true);
  if (at != last + 1) t.Fail("400 went to index " + std::to_string(at));
  t.End();
}

// The survivor is the old leader: what it saved came through Start. The stale peers rejoin one
// by one, with entries committed in between.
GRADED_TEST(RaftC, MorePersistence2, "raft", "C", 5, 40000) {
  const int n = 5;
  RaftTester t(n, false);
  t.One(Cmd(100), n, true);
  int leader = t.CheckOneLeader();
  uint64_t last = OnlyNewestCanWin(t, leader, leader, 3);

  Reboot(t, (leader + 1) % n);
  last = t.One(Cmd(401), 4, true);
  Reboot(t, (leader + 2) % n);
  uint64_t at = t.One(Cmd(402), n, true);
  if (at != last + 1) t.Fail("402 went to index " + std::to_string(at));
  t.End();
}

// MIT's Figure 8 (unreliable) test with crashes: in each round every live peer is asked to
// Start a command, then whichever accepted last (a leader, perhaps a stale one) crashes soon
// after; peers restart at random so that at least three are usually up. Leaders keep changing
// with uncommitted entries of many terms left behind; in the end everyone restarts and one
// command must be agreed on within 10 s. 1000 rounds, as MIT's, with its mix of short and long
// pauses (about 30 s of virtual time; a fraction of a second of wall time in the simulator).
constexpr int kFigure8Rounds = 1000;

GRADED_TEST(RaftC, Figure8Crash, "raft", "C", 10, 90000) {
  const int n = 5;
  RaftTester t(n, false);
  t.One(t.RandomCommand(), 1, true);
  int nup = n;
  for (int iter = 0; iter < kFigure8Rounds; iter++) {
    int leader = -1;
    for (int i = 0; i < n; i++) {
      uint64_t index = 0, term = 0;
      if (t.IsUp(i) && t.Start(i, t.RandomCommand(), &index, &term)) leader = i;
    }
    if (t.Rand(0, 999) < 100) {
      t.Sleep(t.Rand(0, kElectionTimeout / 2));
    } else {
      t.Sleep(t.Rand(0, 13) * kMs);
    }
    if (leader != -1) {
      t.Crash(leader);
      nup--;
    }
    if (nup < 3) {
      int s = static_cast<int>(t.Rand(0, n - 1));
      if (!t.IsUp(s)) {
        Reboot(t, s);
        nup++;
      }
    }
  }
  for (int i = 0; i < n; i++) {
    if (!t.IsUp(i)) Reboot(t, i);
  }
  t.One(t.RandomCommand(), n, true);
  t.End();
}

// The same, with disconnections instead of crashes, on an unreliable network that, from a fifth
// of the way on, also holds some requests back for up to a second (an AppendEntries arriving
// after newer ones).
GRADED_TEST(RaftC, Figure8Unreliable, "raft", "C", 10, 90000) {
  const int n = 5;
  RaftTester t(n, true);
  t.One(Cmd(t.Rand(0, 9999)), 1, true);
  int nup = n;
  for (int iter = 0; iter < kFigure8Rounds; iter++) {
    if (iter == kFigure8Rounds / 5) t.SetRequestReordering(true);
    int leader = -1;
    for (int i = 0; i < n; i++) {
      uint64_t index = 0, term = 0;
      if (t.Start(i, Cmd(t.Rand(0, 9999)), &index, &term) && t.IsConnected(i)) leader = i;
    }
    if (t.Rand(0, 999) < 100) {
      t.Sleep(t.Rand(0, kElectionTimeout / 2));
    } else {
      t.Sleep(t.Rand(0, 13) * kMs);
    }
    if (leader != -1 && t.Rand(0, 999) < 500) {
      t.Disconnect(leader);
      nup--;
    }
    if (nup < 3) {
      int s = static_cast<int>(t.Rand(0, n - 1));
      if (!t.IsConnected(s)) {
        t.Connect(s);
        nup++;
      }
    }
  }
  for (int i = 0; i < n; i++) t.Connect(i);
  t.One(Cmd(t.Rand(0, 9999)), n, true);
  t.End();
}

}  // namespace
}  // namespace janus
