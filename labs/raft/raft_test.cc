// The graded tests of Lab 1 (Raft). Part A: leader election. Part B: log agreement.
//
// Each test builds a RaftTester (labs/harness/raft/raft_tester.h): n peers of your RaftServer on
// one reactor, a network the test can cut and make unreliable, and a checker that sees every
// entry each peer applies. Times are virtual in --net=sim and real in --net=tcp. A failed check
// ends its test at once, reporting the line of the test that called it.
//
// Run one test:   build/labs/raft/raft_test --gtest_filter=RaftA.InitialElection
// Replay a seed:  build/labs/raft/raft_test --seed=1234 --gtest_filter=RaftB.Backup
#include <string>
#include <vector>

#include "labs/harness/core/graded_test.h"
#include "labs/harness/raft/raft_tester.h"

namespace janus {
namespace {

constexpr uint64_t kSecond = 1000 * 1000;
constexpr uint64_t kElectionTimeout = RaftTester::kElectionTimeoutUs;

std::string Cmd(int64_t v) { return std::to_string(v); }

// ---------------------------------------------------------------------------------------------
// Part A: leader election

GRADED_TEST(RaftA, InitialElection, "raft", "A", 5, 15000) {
  RaftTester t(3, false);
  int leader1 = t.CheckOneLeader();

  // Sleep a bit so that followers have heard from the leader and agree on the term.
  t.Sleep(50 * 1000);
  uint64_t term1 = t.CheckTerms();
  if (term1 < 1) t.Fail("term is " + std::to_string(term1) + ", but should be at least 1");

  // With no failure, the leader keeps its job and the term stays the same.
  t.Sleep(2 * kElectionTimeout);
  uint64_t term2 = t.CheckTerms();
  if (term1 != term2) {
    t.Fail("term changed from " + std::to_string(term1) + " to " + std::to_string(term2) +
           " even though there were no failures");
  }
  int leader2 = t.CheckOneLeader();
  if (leader1 != leader2) {
    t.Fail("leader changed from " + std::to_string(leader1) + " to " + std::to_string(leader2) +
           " even though there were no failures");
  }
  t.End();
}

GRADED_TEST(RaftA, ReElection, "raft", "A", 5, 30000) {
  RaftTester t(3, false);
  int leader1 = t.CheckOneLeader();

  // When the leader disconnects, a new one is elected.
  t.Disconnect(leader1);
  t.CheckOneLeader();

  // The old leader rejoining must not disturb the new leader (there is still one).
  t.Connect(leader1);
  int leader2 = t.CheckOneLeader();

  // Without a quorum, no leader is elected.
  t.Disconnect(leader2);
  t.Disconnect((leader2 + 1) % 3);
  t.Sleep(2 * kElectionTimeout);
  t.CheckNoLeader();

  // A quorum comes back: a leader again.
  t.Connect((leader2 + 1) % 3);
  t.CheckOneLeader();

  // The last peer rejoins: still one leader.
  t.Connect(leader2);
  t.CheckOneLeader();
  t.End();
}

GRADED_TEST(RaftA, ReElection5, "raft", "A", 5, 30000) {
  RaftTester t(5, false);
  int leader = t.CheckOneLeader();

  // Take away the leader and the next two peers: two of five left, no leader possible.
  t.Disconnect(leader);
  t.Disconnect((leader + 1) % 5);
  t.Disconnect((leader + 2) % 5);
  t.Sleep(2 * kElectionTimeout);
  t.CheckNoLeader();

  // One comes back: three of five, a leader.
  t.Connect((leader + 1) % 5);
  t.CheckOneLeader();

  // Everyone back: one leader.
  t.Connect(leader);
  t.Connect((leader + 2) % 5);
  t.CheckOneLeader();
  t.End();
}

GRADED_TEST(RaftA, ManyElections, "raft", "A", 5, 90000) {
  const int n = 7;
  RaftTester t(n, false);
  t.CheckOneLeader();

  for (int round = 0; round < 10; round++) {
    // Disconnect three peers at random (perhaps fewer, if the same one is drawn twice):
    // four or more remain, so a leader must emerge among them.
    int i1 = static_cast<int>(t.Rand(0, n - 1));
    int i2 = static_cast<int>(t.Rand(0, n - 1));
    int i3 = static_cast<int>(t.Rand(0, n - 1));
    t.Disconnect(i1);
    t.Disconnect(i2);
    t.Disconnect(i3);
    t.CheckOneLeader();
    t.Connect(i1);
    t.Connect(i2);
    t.Connect(i3);
  }
  t.CheckOneLeader();
  t.End();
}

// ---------------------------------------------------------------------------------------------
// Part B: log agreement

GRADED_TEST(RaftB, BasicAgree, "raft", "B", 5, 15000) {
  const int n = 3;
  RaftTester t(n, false);
  for (uint64_t index = 1; index <= 3; index++) {
    if (t.NCommitted(index) > 0) t.Fail("some have committed before Start()");
    uint64_t got = t.One(Cmd(index * 100), n, false);
    if (got != index) {
      t.Fail("got index " + std::to_string(got) + " but expected " + std::to_string(index));
    }
  }
  t.End();
}

GRADED_TEST(RaftB, RPCBytes, "raft", "B", 5, 20000) {
  const int n = 3;
  RaftTester t(n, false);
  t.One(Cmd(99), n, false);
  const uint64_t bytes0 = t.BytesTotal();

  // Each 5000-byte command should travel to each follower once (plus small headers).
  const int iters = 10;
  uint64_t sent = 0;
  for (int index = 2; index < iters + 2; index++) {
    std::string cmd(5000, ' ');
    for (char& c : cmd) c = static_cast<char>('a' + t.Rand(0, 25));
    uint64_t got = t.One(cmd, n, false);
    if (got != static_cast<uint64_t>(index)) {
      t.Fail("got index " + std::to_string(got) + " but expected " + std::to_string(index));
    }
    sent += cmd.size();
  }
  const uint64_t used = t.BytesTotal() - bytes0;
  const uint64_t budget = n * sent + 50000;
  if (used > budget) {
    t.Fail("too many RPC bytes; got " + std::to_string(used) + ", expected at most " +
           std::to_string(budget));
  }
  t.End();
}

GRADED_TEST(RaftB, FollowerFailure, "raft", "B", 5, 20000) {
  const int n = 3;
  RaftTester t(n, false);
  t.One(Cmd(101), n, false);

  // One follower down: the other two still agree.
  int leader1 = t.CheckOneLeader();
  t.Disconnect((leader1 + 1) % n);
  t.One(Cmd(102), n - 1, false);
  t.Sleep(kElectionTimeout);
  t.One(Cmd(103), n - 1, false);

  // Both followers down: the leader takes the command, but it cannot commit.
  int leader2 = t.CheckOneLeader();
  t.Disconnect((leader2 + 1) % n);
  t.Disconnect((leader2 + 2) % n);
  uint64_t index = 0, term = 0;
  if (!t.Start(leader2, Cmd(104), &index, &term)) t.Fail("leader rejected Start()");
  if (index != 4) t.Fail("expected index 4, got " + std::to_string(index));
  t.Sleep(2 * kElectionTimeout);
  int nd = t.NCommitted(index);
  if (nd > 0) t.Fail(std::to_string(nd) + " committed but no majority");
  t.End();
}

GRADED_TEST(RaftB, LeaderFailure, "raft", "B", 5, 20000) {
  const int n = 3;
  RaftTester t(n, false);
  t.One(Cmd(101), n, false);

  // The leader goes away: the two others elect a new one and agree.
  int leader1 = t.CheckOneLeader();
  t.Disconnect(leader1);
  t.One(Cmd(102), n - 1, false);
  t.Sleep(kElectionTimeout);
  t.One(Cmd(103), n - 1, false);

  // The new leader goes away too: one peer left, nothing can commit.
  int leader2 = t.CheckOneLeader();
  t.Disconnect(leader2);
  for (int i = 0; i < n; i++) {
    uint64_t index = 0, term = 0;
    t.Start(i, Cmd(104), &index, &term);
  }
  t.Sleep(2 * kElectionTimeout);
  int nd = t.NCommitted(4);
  if (nd > 0) t.Fail(std::to_string(nd) + " committed but no majority");
  t.End();
}

GRADED_TEST(RaftB, FailAgree, "raft", "B", 5, 20000) {
  const int n = 3;
  RaftTester t(n, false);
  t.One(Cmd(101), n, false);

  // A follower goes away: the others go on, at the next indices.
  int leader = t.CheckOneLeader();
  t.Disconnect((leader + 1) % n);
  uint64_t expected = 2;
  for (int cmd : {102, 103}) {
    uint64_t got = t.One(Cmd(cmd), n - 1, false);
    if (got != expected++)
      t.Fail("agreement at index " + std::to_string(got) + ", expected " +
             std::to_string(expected - 1));
  }
  t.Sleep(kElectionTimeout);
  for (int cmd : {104, 105}) {
    uint64_t got = t.One(Cmd(cmd), n - 1, false);
    if (got != expected++)
      t.Fail("agreement at index " + std::to_string(got) + ", expected " +
             std::to_string(expected - 1));
  }

  // It comes back, catches up, and everyone agrees on new commands.
  t.Connect((leader + 1) % n);
  t.One(Cmd(106), n, true);
  t.Sleep(kElectionTimeout);
  t.One(Cmd(107), n, true);
  t.End();
}

GRADED_TEST(RaftB, FailNoAgree, "raft", "B", 5, 20000) {
  const int n = 5;
  RaftTester t(n, false);
  t.One(Cmd(10), n, false);

  // Three of five followers go away: the leader takes a command but cannot commit it.
  int leader = t.CheckOneLeader();
  t.Disconnect((leader + 1) % n);
  t.Disconnect((leader + 2) % n);
  t.Disconnect((leader + 3) % n);
  uint64_t index = 0, term = 0;
  if (!t.Start(leader, Cmd(20), &index, &term)) t.Fail("leader rejected Start()");
  if (index != 2) t.Fail("expected index 2, got " + std::to_string(index));
  if (term == 0) t.Fail("Start() returned term 0");
  t.Sleep(2 * kElectionTimeout);
  int nd = t.NCommitted(index);
  if (nd > 0) t.Fail(std::to_string(nd) + " committed but no majority");

  // They come back: whoever leads now puts a new command at index 2 or 3, and all agree.
  t.Connect((leader + 1) % n);
  t.Connect((leader + 2) % n);
  t.Connect((leader + 3) % n);
  int leader2 = t.CheckOneLeader();
  uint64_t index2 = 0, term2 = 0;
  if (!t.Start(leader2, Cmd(30), &index2, &term2)) t.Fail("leader2 rejected Start()");
  if (index2 < 2 || index2 > 3) t.Fail("unexpected index " + std::to_string(index2));
  t.One(Cmd(1000), n, true);
  t.End();
}

GRADED_TEST(RaftB, ConcurrentStarts, "raft", "B", 5, 30000) {
  const int n = 3;
  RaftTester t(n, false);
  bool success = false;
  for (int attempt = 0; attempt < 5 && !success; attempt++) {
    if (attempt > 0) t.Sleep(3 * kSecond);  // give the cluster time to settle
    int leader = t.CheckOneLeader();
    uint64_t index = 0, term = 0;
    if (!t.Start(leader, Cmd(1), &index, &term)) continue;

    // Five clients call Start on the leader at the same time.
    const int iters = 5;
    std::vector<uint64_t> indices;
    bool term_moved = false;
    for (int i = 0; i < iters; i++) {
      t.Go([&, i] {
        uint64_t index1 = 0, term1 = 0;
        if (!t.Start(leader, Cmd(100 + i), &index1, &term1) || term1 != term) {
          term_moved = true;
          return;
        }
        indices.push_back(index1);
      });
    }
    t.Join();
    if (term_moved) continue;
    for (int i = 0; i < n; i++) {
      bool is_leader = false;
      uint64_t now_term = 0;
      t.GetState(i, &is_leader, &now_term);
      if (now_term != term) term_moved = true;
    }
    if (term_moved) continue;

    std::vector<std::string> cmds;
    for (uint64_t index1 : indices) {
      std::optional<std::string> cmd = t.Wait(index1, n, term);
      if (!cmd) {
        term_moved = true;
        break;
      }
      cmds.push_back(*cmd);
    }
    if (term_moved) continue;
    for (int i = 0; i < iters; i++) {
      if (std::find(cmds.begin(), cmds.end(), Cmd(100 + i)) == cmds.end()) {
        t.Fail("cmd " + Cmd(100 + i) + " missing");
      }
    }
    success = true;
  }
  if (!success) t.Fail("term changed too often");
  t.End();
}

GRADED_TEST(RaftB, Rejoin, "raft", "B", 5, 30000) {
  const int n = 3;
  RaftTester t(n, false);
  t.One(Cmd(101), n, true);

  // The leader is cut off, and still believes it leads: it takes entries that never commit.
  int leader1 = t.CheckOneLeader();
  t.Disconnect(leader1);
  uint64_t index = 0, term = 0;
  if (!t.Start(leader1, Cmd(102), &index, &term)) t.Fail("isolated leader rejected Start()");
  t.Start(leader1, Cmd(103), &index, &term);
  t.Start(leader1, Cmd(104), &index, &term);

  // The others elect a new leader and commit index 2.
  t.One(Cmd(103), 2, true);

  // The new leader is cut off and the old one returns: its stale entries must be discarded.
  int leader2 = t.CheckOneLeader();
  t.Disconnect(leader2);
  t.Connect(leader1);
  t.One(Cmd(104), 2, true);

  // Everyone together again.
  t.Connect(leader2);
  t.One(Cmd(105), n, true);
  t.End();
}

GRADED_TEST(RaftB, Backup, "raft", "B", 10, 60000) {
  const int n = 5;
  RaftTester t(n, false);
  t.One(t.RandomCommand(), n, true);

  // The leader and one follower are cut off from the other three; they take 50 entries that
  // cannot commit.
  int leader1 = t.CheckOneLeader();
  t.Disconnect((leader1 + 2) % n);
  t.Disconnect((leader1 + 3) % n);
  t.Disconnect((leader1 + 4) % n);
  for (int i = 0; i < 50; i++) {
    uint64_t index = 0, term = 0;
    t.Start(leader1, t.RandomCommand(), &index, &term);
  }
  t.Sleep(kElectionTimeout / 2);
  t.Disconnect((leader1 + 0) % n);
  t.Disconnect((leader1 + 1) % n);

  // The other three elect a leader and commit 50 entries of their own.
  t.Connect((leader1 + 2) % n);
  t.Connect((leader1 + 3) % n);
  t.Connect((leader1 + 4) % n);
  for (int i = 0; i < 50; i++) t.One(t.RandomCommand(), 3, true);

  // Their leader and one of them are cut off too; the leader takes 50 uncommitted entries.
  int leader2 = t.CheckOneLeader();
  int other = (leader1 + 2) % n;
  if (leader2 == other) other = (leader2 + 1) % n;
  t.Disconnect(other);
  for (int i = 0; i < 50; i++) {
    uint64_t index = 0, term = 0;
    t.Start(leader2, t.RandomCommand(), &index, &term);
  }
  t.Sleep(kElectionTimeout / 2);

  // The first two come back with the peer cut off last: they must learn the committed entries
  // and drop their own, skipping back a term at a time rather than an entry at a time.
  for (int i = 0; i < n; i++) t.Disconnect(i);
  t.Connect((leader1 + 0) % n);
  t.Connect((leader1 + 1) % n);
  t.Connect(other);
  for (int i = 0; i < 50; i++) t.One(t.RandomCommand(), 3, true);

  // Everyone back.
  for (int i = 0; i < n; i++) t.Connect(i);
  t.One(t.RandomCommand(), n, true);
  t.End();
}

GRADED_TEST(RaftB, Count, "raft", "B", 5, 30000) {
  const int n = 3;
  RaftTester t(n, false);

  int leader = t.CheckOneLeader();
  uint64_t total1 = t.RpcTotal();
  if (total1 > 30 || total1 < 1) {
    t.Fail("too many or few RPCs (" + std::to_string(total1) + ") to elect initial leader");
  }

  uint64_t total2 = 0;
  bool success = false;
  for (int attempt = 0; attempt < 5 && !success; attempt++) {
    if (attempt > 0) t.Sleep(3 * kSecond);
    leader = t.CheckOneLeader();
    total1 = t.RpcTotal();

    // Eleven commands in a row on the leader, all in one term.
    const int iters = 10;
    uint64_t start_index = 0, term = 0;
    if (!t.Start(leader, Cmd(1), &start_index, &term)) continue;
    std::vector<std::string> cmds;
    bool moved = false;
    for (int i = 1; i < iters + 2 && !moved; i++) {
      std::string cmd = t.RandomCommand();
      cmds.push_back(cmd);
      uint64_t index1 = 0, term1 = 0;
      if (!t.Start(leader, cmd, &index1, &term1) || term1 != term) {
        moved = true;
      } else if (index1 != start_index + i) {
        t.Fail("Start() returned index " + std::to_string(index1) + ", expected " +
               std::to_string(start_index + i));
      }
    }
    if (moved) continue;
    for (int i = 1; i < iters + 1 && !moved; i++) {
      std::optional<std::string> cmd = t.Wait(start_index + i, n, term);
      if (!cmd) {
        moved = true;
      } else if (*cmd != cmds[i - 1]) {
        t.Fail("wrong value " + *cmd + " committed for index " + std::to_string(start_index + i) +
               "; expected " + cmds[i - 1]);
      }
    }
    if (moved) continue;
    for (int i = 0; i < n; i++) {
      bool is_leader = false;
      uint64_t now_term = 0;
      t.GetState(i, &is_leader, &now_term);
      if (now_term != term) moved = true;
    }
    if (moved) continue;
    total2 = t.RpcTotal();
    if (total2 - total1 > (iters + 1 + 3) * n) {
      t.Fail("too many RPCs (" + std::to_string(total2 - total1) + ") for " +
             std::to_string(iters) + " entries");
    }
    success = true;
  }
  if (!success) t.Fail("term changed too often");

  // An idle second costs heartbeats only.
  t.Sleep(kElectionTimeout);
  uint64_t total3 = t.RpcTotal();
  if (total3 - total2 > 3 * 20) {
    t.Fail("too many RPCs (" + std::to_string(total3 - total2) + ") for 1 second of idleness");
  }
  t.End();
}

GRADED_TEST(RaftB, UnreliableAgree, "raft", "B", 10, 60000) {
  const int n = 5;
  RaftTester t(n, true);

  // Rounds of four concurrent clients plus one, on a network that drops and delays messages.
  for (int iter = 1; iter < 50; iter++) {
    for (int j = 0; j < 4; j++) {
      std::string cmd = Cmd(100 * iter + j);
      t.Go([&t, cmd] { t.One(cmd, 1, true); });
    }
    t.One(Cmd(iter), 1, true);
  }
  t.SetUnreliable(false);
  t.Join();
  t.One(Cmd(100), n, true);
  t.End();
}

// Like UnreliableAgree, on a network that also delivers requests late and twice: an
// AppendEntries may arrive after the newer ones its leader sent since, or a second time. A
// follower must then keep the entries it already has when they match (Figure 2: delete only
// on a conflict), or it would cut entries that are committed.
GRADED_TEST(RaftB, UnreliableReorder, "raft", "B", 10, 60000) {
  const int n = 5;
  RaftTester t(n, true);
  t.SetRequestReordering(true);
  t.SetDuplication(true);
  for (int iter = 1; iter < 30; iter++) {
    for (int j = 0; j < 4; j++) {
      std::string cmd = Cmd(100 * iter + j);
      t.Go([&t, cmd] { t.One(cmd, 1, true); });
    }
    t.One(Cmd(iter), 1, true);
  }
  t.SetUnreliable(false);
  t.SetRequestReordering(false);
  t.SetDuplication(false);
  t.Join();
  t.One(Cmd(100), n, true);
  t.End();
}

// Figure 8 of the Raft paper, built step by step. A leader that finds an entry of an older
// term on a majority must not commit it by counting replicas: a later leader may still
// overwrite it. Only once an entry of its own term commits are the older ones committed too.
// The roles of the figure (S1..S5) go to whichever peers win the elections.
void Figure8Round(RaftTester& t, bool overwrite) {
  const int n = 5;
  uint64_t base = t.One(t.RandomCommand(), n, true);

  // (a) S1 leads; it and S2 get an entry at index base+1 that the others never see.
  int s1 = t.CheckOneLeader();
  int s2 = (s1 + 1) % n;
  std::vector<int> others;
  for (int i = 0; i < n; i++) {
    if (i != s1 && i != s2) others.push_back(i);
  }
  t.Partition({{s1, s2}, others});
  uint64_t index = 0, term = 0;
  const std::string old_cmd = t.RandomCommand();
  if (!t.Start(s1, old_cmd, &index, &term)) t.Fail("leader rejected Start()");
  if (index != base + 1) t.Fail("expected index " + std::to_string(base + 1));
  t.Sleep(kElectionTimeout);  // heartbeats carry it to S2

  // (b) The other three elect S5, which takes a different entry at the same index while cut
  // off from everyone.
  int s5 = t.CheckOneLeader(others);
  std::vector<int> rest;  // the two others: S3 and S4
  for (int i : others) {
    if (i != s5) rest.push_back(i);
  }
  t.Disconnect(s5);
  uint64_t index5 = 0, term5 = 0;
  const std::string new_cmd = t.RandomCommand();
  if (!t.Start(s5, new_cmd, &index5, &term5)) t.Fail("isolated leader rejected Start()");
  if (index5 != base + 1) t.Fail("expected index " + std::to_string(base + 1));

  // (c) S1 (or S2: their logs are equal) wins a later term with S3's vote and copies the old
  // entry to S3. It is now on a majority, yet must not be committed.
  const int s3 = rest[0];
  const int s4 = rest[1];
  t.Disconnect(s4);
  t.Partition({{s1, s2, s3}, {s4, s5}});
  int leader_c = t.CheckOneLeader({s1, s2, s3});
  if (leader_c != s1 && leader_c != s2) {
    t.Fail("peer " + std::to_string(leader_c) + " won with a shorter log");
  }
  t.Sleep(kElectionTimeout);
  if (t.NCommitted(base + 1) > 0) {
    t.Fail("an entry of an older term was committed by counting replicas (Figure 8)");
  }

  if (overwrite) {
    // (d) S1's side goes away; S5 wins with S3's and S4's votes and overwrites the entry.
    t.Partition({{s3, s4, s5}, {s1, s2}});
    t.Connect(s4);
    t.Connect(s5);
    int leader_d = t.CheckOneLeader({s3, s4, s5});
    if (leader_d != s5) t.Fail("expected the peer with the entry of the newest term to win");
    uint64_t i2 = 0, t2 = 0;
    if (!t.Start(s5, t.RandomCommand(), &i2, &t2)) t.Fail("leader rejected Start()");
    t.Wait(i2, 3, std::nullopt);
    std::string got;
    t.NCommitted(base + 1, &got);
    if (got != new_cmd) t.Fail("index " + std::to_string(base + 1) + " holds the wrong entry");
  } else {
    // (e) S1 commits an entry of its own term on the majority: the old entry commits with it,
    // and S5 can never win again.
    uint64_t i2 = 0, t2 = 0;
    if (!t.Start(leader_c, t.RandomCommand(), &i2, &t2)) t.Fail("leader rejected Start()");
    t.Wait(i2, 3, std::nullopt);
    std::string got;
    t.NCommitted(base + 1, &got);
    if (got != old_cmd) t.Fail("index " + std::to_string(base + 1) + " holds the wrong entry");
    t.Connect(s4);
    t.Connect(s5);
  }

  // Everyone together again agrees on everything.
  t.Heal();
  t.One(t.RandomCommand(), n, true);
}

GRADED_TEST(RaftB, Figure8, "raft", "B", 15, 90000) {
  RaftTester t(5, false);
  Figure8Round(t, /*overwrite=*/true);
  Figure8Round(t, /*overwrite=*/false);
  t.End();
}

}  // namespace
}  // namespace janus
