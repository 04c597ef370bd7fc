// The scripted Figure 2 tests of Lab 1 (Raft): your RaftServer runs alone as s0, and the test
// plays every other peer (s1..) itself over the simulated network, sending s0 crafted
// RequestVote/AppendEntries and holding, granting or refusing the calls s0 sends. Each test
// checks a few rules of Figure 2 of the Raft paper, one step at a time; a failure names the rule
// and prints the message exchange that broke it (labs/harness/raft/figure2_tester.h).
//
// Run them all:  build/labs/raft/raft_test --gtest_filter='*.Fig2*'
#include <map>
#include <set>
#include <string>
#include <vector>

#include "labs/harness/core/graded_test.h"
#include "labs/harness/raft/figure2_tester.h"

namespace janus {
namespace {

using Calls = std::shared_ptr<RaftCall>;
constexpr uint64_t kMs = 1000;
// A leader must reach every follower at least this often (below the shortest election timeout
// the lab suggests, 300 ms).
constexpr uint64_t kHeartbeatBudgetUs = 250 * kMs;

std::string E(uint64_t index, uint64_t term) { return Figure2Tester::EntryCmd(index, term); }

// ---------------------------------------------------------------------------------------------
// Part A: the vote rules, a candidate's and a leader's rules

GRADED_TEST(RaftA, Fig2StaleTerm, "raft", "A", 3, 10000) {
  Figure2Tester t(5);
  t.ExpectReply(t.AppendEntries(1, 5, 0, 0, {}, 0), 5, true, fig2::kHigherTerm);
  t.ExpectReply(t.RequestVote(2, 3, 0, 0), 5, false, fig2::kStaleVote);
  t.ExpectReply(t.AppendEntries(2, 4, 0, 0, {}, 0), 5, false, fig2::kStaleAppend);
  t.ExpectState(false, 5, fig2::kStaleAppend);
  t.Note("the stale RequestVote must not have used s0's vote: s3 can still get it in term 5");
  t.ExpectReply(t.RequestVote(3, 5, 0, 0), 5, true, fig2::kStaleVote);
  t.End();
}

GRADED_TEST(RaftA, Fig2HigherTerm, "raft", "A", 3, 10000) {
  Figure2Tester t(3);
  t.ExpectReply(t.RequestVote(1, 3, 0, 0), 3, true, fig2::kHigherTerm);
  t.ExpectState(false, 3, fig2::kHigherTerm);
  t.ExpectReply(t.AppendEntries(2, 4, 0, 0, {}, 0), 4, true, fig2::kHigherTerm);
  t.ExpectState(false, 4, fig2::kHigherTerm);
  uint64_t term = t.ElectServer({});
  t.Note("s1 asks for votes in a later term: s0, its leader, steps down");
  t.ExpectReply(t.RequestVote(1, term + 1, 0, 0), term + 1, true, fig2::kHigherTerm);
  t.ExpectState(false, term + 1, fig2::kHigherTerm);
  t.End();
}

GRADED_TEST(RaftA, Fig2OneVotePerTerm, "raft", "A", 3, 10000) {
  Figure2Tester t(3);
  t.ExpectReply(t.RequestVote(1, 1, 0, 0), 1, true, fig2::kOneVote);
  t.ExpectReply(t.RequestVote(2, 1, 0, 0), 1, false, fig2::kOneVote);
  t.Note("s1 asks again (its first reply could have been lost)");
  t.ExpectReply(t.RequestVote(1, 1, 0, 0), 1, true, fig2::kOneVote);
  t.ExpectState(false, 1, fig2::kOneVote);
  t.Note("a new term, a new vote");
  t.ExpectReply(t.RequestVote(2, 2, 0, 0), 2, true, fig2::kHigherTerm);
  t.End();
}

GRADED_TEST(RaftA, Fig2CandidateStepsDown, "raft", "A", 3, 10000) {
  Figure2Tester t(5);
  std::vector<Calls> votes = t.AwaitElection();
  const uint64_t term = votes[1]->term;
  t.ExpectState(false, term, fig2::kElect);
  t.Note("s1 won term " + std::to_string(term) + " meanwhile and sends its first AppendEntries");
  t.ExpectReply(t.AppendEntries(1, term, 0, 0, {}, 0), term, true, fig2::kCandidateYields);
  t.Note("now s0's held votes arrive, granted");
  t.Answer(votes[1], term, false);
  for (int p = 2; p < 5; p++) t.Answer(votes[p], term, true);
  t.Sleep(50 * kMs);
  t.ExpectState(false, term, fig2::kCandidateYields);
  t.End();
}

GRADED_TEST(RaftA, Fig2VoteWaitHigherTerm, "raft", "A", 3, 10000) {
  Figure2Tester t(5);
  std::vector<Calls> votes = t.AwaitElection();
  const uint64_t term = votes[1]->term;
  t.Note("while s0 waits for its votes, s1 starts an election for term " +
         std::to_string(term + 1));
  t.ExpectReply(t.RequestVote(1, term + 1, 0, 0), term + 1, true, fig2::kHigherTerm);
  t.Note("now s0's held votes for term " + std::to_string(term) + " arrive, granted");
  for (int p = 2; p < 5; p++) t.Answer(votes[p], term, true);
  t.Answer(votes[1], term + 1, false);
  t.Sleep(50 * kMs);
  t.ExpectState(false, term + 1, fig2::kVoteWaitTerm);
  t.End();
}

GRADED_TEST(RaftA, Fig2LeaderHeartbeats, "raft", "A", 2, 10000) {
  Figure2Tester t(3);
  const uint64_t term = t.ElectServer({});
  const uint64_t start = t.Now();
  t.Note("watch s0's AppendEntries for 1 s");
  t.Sleep(1000 * kMs);
  const uint64_t end = t.Now();
  for (int p = 1; p < 3; p++) {
    uint64_t last = start;
    for (const Calls& c : t.calls()) {
      if (c->to != p || c->kind != RaftCall::kAppendEntries || c->at_us < start) continue;
      if (c->term != term) {
        t.FailRule(fig2::kHeartbeat, "s0 leads term " + std::to_string(term) +
                                         " but sent an AppendEntries of term " +
                                         std::to_string(c->term));
      }
      if (c->at_us - last > kHeartbeatBudgetUs) break;
      last = c->at_us;
    }
    if (end - last > kHeartbeatBudgetUs) {
      t.FailRule(fig2::kHeartbeat,
                 "s" + std::to_string(p) + " heard nothing from its leader s0 for more than " +
                     std::to_string(kHeartbeatBudgetUs / kMs) + " ms (after " +
                     std::to_string((last - start) / kMs) + " ms of the watched second)");
    }
  }
  t.End();
}

GRADED_TEST(RaftA, Fig2LeaderStepsDownOnReply, "raft", "A", 3, 10000) {
  Figure2Tester t(3);
  const uint64_t term = t.ElectServer({});
  t.Note("s1 has moved on to term " + std::to_string(term + 1) +
         ": it answers s0's next AppendEntries with that term");
  t.SetFollower(1, term + 1, {});
  for (int p = 1; p < 3; p++) t.SetVotePolicy(p, Figure2Tester::VotePolicy::kRefuse);
  const int seq = static_cast<int>(t.calls().size());
  Calls c = t.AwaitCall(
      [&](const RaftCall& c) {
        return c.to == 1 && c.kind == RaftCall::kAppendEntries && c.reply_term > term;
      },
      seq, 1000 * kMs);
  if (c == nullptr) t.FailRule(fig2::kHeartbeat, "s0, leader, sent s1 nothing for 1 s");
  t.Sleep(50 * kMs);
  bool leader = false;
  uint64_t now_term = 0;
  t.GetState(&leader, &now_term);
  t.Note("GetState on s0: " + std::string(leader ? "leader" : "not leader") + " in term " +
         std::to_string(now_term));
  if (leader || now_term <= term) {
    t.FailRule(fig2::kHigherTerm, "s1's reply carried term " + std::to_string(term + 1) +
                                      " > s0's term; 50 ms later s0 still is " +
                                      (leader ? "leader" : "follower") + " in term " +
                                      std::to_string(now_term));
  }
  t.End();
}

GRADED_TEST(RaftA, Fig2CandidateVotesForItself, "raft", "A", 3, 10000) {
  Figure2Tester t(3);
  std::vector<Calls> votes = t.AwaitElection();
  const uint64_t term = votes[1]->term;
  t.Note("s0 stands for term " + std::to_string(term) + "; s1 stands for the same term");
  t.ExpectReply(t.RequestVote(1, term, 5, term - 1), term, false, fig2::kVoteForSelf);
  t.ExpectState(false, term, fig2::kVoteForSelf);
  t.End();
}

// A candidate s1 asks s0 for its vote again and again (its replies could be lost), and s0
// grants it every time: each grant restarts s0's election timer, so s0 must not stand.
GRADED_TEST(RaftA, Fig2GrantedVoteResetsTimer, "raft", "A", 3, 10000) {
  Figure2Tester t(3);
  const uint64_t start = t.Now();
  auto own_vote = [](const RaftCall& c) { return c.kind == RaftCall::kRequestVote; };
  t.Note("s1 asks for s0's vote in term 1 every 100 ms for 3 s; no leader sends anything");
  while (t.Now() - start < 3000 * kMs) {
    const int seq = static_cast<int>(t.calls().size());
    t.ExpectReply(t.RequestVote(1, 1, 0, 0), 1, true, fig2::kOneVote);
    const uint64_t granted = t.Now();
    if (Calls c = t.AwaitCall(own_vote, seq, 100 * kMs)) {
      t.FailRule(fig2::kElect, "s0 granted s1 its vote " + std::to_string((c->at_us - granted) / kMs) +
                                   " ms before it stood for term " + std::to_string(c->term) +
                                   " itself: granting a vote must restart the election timer");
    }
  }
  t.ExpectState(false, 1, fig2::kElect);
  t.End();
}

// A candidate s2 whose log is behind keeps asking s0 for its vote and is refused every time: a
// refused vote does not restart s0's timer, so s0 stands within its election timeout.
GRADED_TEST(RaftA, Fig2RefusedVoteKeepsTimer, "raft", "A", 4, 10000) {
  Figure2Tester t(3);
  t.ExpectReply(t.AppendEntries(1, 1, 0, 0, {1}, 0), 1, true, fig2::kAppendNew);
  t.Note("s1, leader of term 1, falls silent; s2 (empty log) asks for votes in term 2 every "
         "100 ms");
  const uint64_t start = t.Now();
  auto own_vote = [](const RaftCall& c) { return c.kind == RaftCall::kRequestVote; };
  Calls stood = nullptr;
  while (stood == nullptr && t.Now() - start < Figure2Tester::kElectionWaitUs) {
    const int seq = static_cast<int>(t.calls().size());
    Figure2Tester::Reply r = t.RequestVote(2, 2, 0, 0);
    if (r.term <= 2) {
      t.ExpectReply(r, 2, false, fig2::kUpToDate);
    } else {
      t.ExpectReply(r, r.term, false, fig2::kStaleVote);  // s0 stood meanwhile
    }
    stood = t.AwaitCall(own_vote, seq, 100 * kMs);
  }
  if (stood == nullptr) {
    t.FailRule(fig2::kElect,
               "s0 heard no AppendEntries for " +
                   std::to_string(Figure2Tester::kElectionWaitUs / kMs) +
                   " ms and granted no vote, yet it never stood: a refused RequestVote must not "
                   "restart the election timer");
  }
  t.End();
}

// ---------------------------------------------------------------------------------------------
// Part B: the log rules (s0's log is built by AppendEntries from a fake leader)

GRADED_TEST(RaftB, Fig2VoteUpToDate, "raft", "B", 3, 10000) {
  Figure2Tester t(5);
  t.ExpectReply(t.AppendEntries(1, 2, 0, 0, {1, 1, 2}, 0), 2, true, fig2::kAppendNew);
  t.Note("s0's log is 1:t1 2:t1 3:t2");
  t.ExpectReply(t.RequestVote(2, 3, 5, 1), 3, false, fig2::kUpToDate);  // longer, older last term
  t.ExpectReply(t.RequestVote(3, 4, 2, 2), 4, false, fig2::kUpToDate);  // same last term, shorter
  t.ExpectReply(t.RequestVote(4, 5, 1, 3), 5, true, fig2::kUpToDate);   // newer last term, shorter
  t.ExpectReply(t.RequestVote(2, 6, 3, 2), 6, true, fig2::kUpToDate);   // the same log
  t.End();
}

GRADED_TEST(RaftB, Fig2PrevLogTerm, "raft", "B", 3, 10000) {
  Figure2Tester t(3);
  t.ExpectReply(t.AppendEntries(1, 2, 0, 0, {1, 2}, 0), 2, true, fig2::kAppendNew);
  t.ExpectReply(t.AppendEntries(1, 2, 2, 1, {2}, 0), 2, false, fig2::kPrevLog);
  t.ExpectReply(t.AppendEntries(1, 2, 5, 2, {}, 0), 2, false, fig2::kPrevLog);
  t.Note("the refused AppendEntries must not have added entry 3");
  t.ExpectReply(t.AppendEntries(1, 2, 3, 2, {}, 0), 2, false, fig2::kPrevLog);
  t.ExpectReply(t.AppendEntries(1, 2, 2, 2, {2}, 3), 2, true, fig2::kPrevLog);
  t.ExpectApplied({{1, E(1, 1)}, {2, E(2, 2)}, {3, E(3, 2)}}, fig2::kCommitMin);
  t.End();
}

GRADED_TEST(RaftB, Fig2TruncateOnlyConflict, "raft", "B", 4, 10000) {
  Figure2Tester t(3);
  t.ExpectReply(t.AppendEntries(1, 2, 0, 0, {2, 2, 2, 2, 2}, 0), 2, true, fig2::kAppendNew);
  t.Note("a delayed copy of an older AppendEntries (entries 1..2) arrives late");
  t.ExpectReply(t.AppendEntries(1, 2, 0, 0, {2, 2}, 0), 2, true, fig2::kConflict);
  t.Note("s0 must still hold entries 3..5");
  t.ExpectReply(t.AppendEntries(1, 2, 5, 2, {}, 0), 2, true, fig2::kConflict);
  t.Note("s2 leads term 3; its entry 4 is of term 3: a real conflict at index 4");
  t.ExpectReply(t.AppendEntries(2, 3, 3, 2, {3}, 0), 3, true, fig2::kConflict);
  t.Note("entry 5 followed the conflict: it must be gone");
  t.ExpectReply(t.AppendEntries(2, 3, 5, 2, {}, 0), 3, false, fig2::kConflict);
  t.ExpectReply(t.AppendEntries(2, 3, 4, 3, {}, 4), 3, true, fig2::kConflict);
  t.ExpectApplied({{1, E(1, 2)}, {2, E(2, 2)}, {3, E(3, 2)}, {4, E(4, 3)}}, fig2::kConflict);
  t.End();
}

GRADED_TEST(RaftB, Fig2CommitMinLastNew, "raft", "B", 4, 10000) {
  Figure2Tester t(3);
  t.ExpectReply(t.AppendEntries(1, 1, 0, 0, {1, 1, 1}, 0), 1, true, fig2::kAppendNew);
  t.Note(
      "s2 leads term 2 and committed its entries 1..3 (its 2 and 3 are of term 2); it knows "
      "only that s0 matches it up to index 1");
  t.ExpectReply(t.AppendEntries(2, 2, 1, 1, {}, 3), 2, true, fig2::kPrevLog);
  t.ExpectApplied({{1, E(1, 1)}}, fig2::kCommitMin);
  t.ExpectNoApplyAbove(1, 50 * kMs, fig2::kCommitMin);
  t.ExpectReply(t.AppendEntries(2, 2, 1, 1, {2, 2}, 3), 2, true, fig2::kConflict);
  t.ExpectApplied({{1, E(1, 1)}, {2, E(2, 2)}, {3, E(3, 2)}}, fig2::kCommitMin);
  t.End();
}

GRADED_TEST(RaftB, Fig2LeaderCommitCurrentTerm, "raft", "B", 3, 10000) {
  Figure2Tester t(3);
  t.ExpectReply(t.AppendEntries(1, 1, 0, 0, {1}, 0), 1, true, fig2::kAppendNew);
  t.Note("s1, leader of term 1, falls silent; s1 and s2 both hold 1:t1");
  const uint64_t term = t.ElectServer({1});
  for (int p = 1; p < 3; p++) {
    Calls c = t.AwaitCall(
        [&](const RaftCall& c) {
          return c.to == p && c.kind == RaftCall::kAppendEntries && c.reply_ok &&
                 c.prev_log_index + c.entry_terms.size() >= 1;
        },
        0, 1000 * kMs);
    if (c == nullptr) {
      t.FailRule(fig2::kHeartbeat, "s0 leads term " + std::to_string(term) + " but s" +
                                       std::to_string(p) + " has not heard from it in 1 s");
    }
  }
  t.Note("both followers match s0 at index 1, an entry of an older term");
  t.ExpectNoApplyAbove(0, 100 * kMs, fig2::kLeaderCommit);
  for (const Calls& c : t.calls()) {
    if (c->kind == RaftCall::kAppendEntries && c->leader_commit > 0) {
      t.FailRule(fig2::kLeaderCommit, "s0 sent leaderCommit=" + std::to_string(c->leader_commit) +
                                          " although its only entry is of an older term");
    }
  }
  uint64_t index = 0, start_term = 0;
  if (!t.Start("new", &index, &start_term) || index != 2 || start_term != term) {
    t.FailRule(fig2::kCandidateWins, "s0 leads term " + std::to_string(term) +
                                         ": Start should put the command at index 2 in that term");
  }
  t.ExpectApplied({{1, E(1, 1)}, {2, "new"}}, fig2::kLeaderCommit, 1000 * kMs);
  t.End();
}

GRADED_TEST(RaftB, Fig2LeaderBacksOff, "raft", "B", 3, 10000) {
  Figure2Tester t(3);
  t.ExpectReply(t.AppendEntries(1, 1, 0, 0, {1, 1, 1}, 0), 1, true, fig2::kAppendNew);
  t.Note("s2 missed those entries: its log is empty");
  t.SetFollower(2, 0, {});
  const uint64_t term = t.ElectServer({1, 1, 1});
  auto to_s2 = [](const RaftCall& c) { return c.to == 2 && c.kind == RaftCall::kAppendEntries; };
  Calls first = t.AwaitCall(to_s2, 0, 1000 * kMs);
  if (first == nullptr) t.FailRule(fig2::kHeartbeat, "s0, leader, sent s2 nothing for 1 s");
  if (first->prev_log_index != 3 || first->reply_ok) {
    t.FailRule(fig2::kBackOff, "s0's first AppendEntries to s2 in term " + std::to_string(term) +
                                   " should have prevLogIndex 3 (nextIndex = last log index + 1)");
  }
  Calls retry = t.AwaitCall(to_s2, first->seq + 1, 1000 * kMs);
  if (retry == nullptr || retry->prev_log_index >= first->prev_log_index) {
    t.FailRule(fig2::kBackOff,
               "s2 refused prevLogIndex 3; s0's next AppendEntries to s2 (within "
               "1 s) must try a lower prevLogIndex");
  }
  Calls done =
      t.AwaitCall([&](const RaftCall& c) { return to_s2(c) && c.reply_ok; }, 0, 2000 * kMs);
  if (done == nullptr || t.FollowerLogLength(2) != 3) {
    t.FailRule(fig2::kBackOff, "s0 did not bring s2's log up to its own 3 entries within 2 s");
  }
  t.End();
}

GRADED_TEST(RaftB, Fig2LeaderResetsMatchIndex, "raft", "B", 3, 10000) {
  Figure2Tester t(3);
  t.ExpectReply(t.AppendEntries(1, 1, 0, 0, {1, 1, 1}, 0), 1, true, fig2::kAppendNew);
  const uint64_t t1 = t.ElectServer({1, 1, 1});
  for (int p = 1; p < 3; p++) {
    Calls c = t.AwaitCall(
        [&](const RaftCall& c) {
          return c.to == p && c.kind == RaftCall::kAppendEntries && c.term == t1 && c.reply_ok &&
                 c.prev_log_index + c.entry_terms.size() >= 3;
        },
        0, 1000 * kMs);
    if (c == nullptr) {
      t.FailRule(fig2::kHeartbeat, "s0 leads term " + std::to_string(t1) + " but s" +
                                       std::to_string(p) + " has not heard from it in 1 s");
    }
  }
  t.Note("s1 and s2 matched s0 up to index 3 in term " + std::to_string(t1) +
         "; now they stop answering, and s2 wins term " + std::to_string(t1 + 1) +
         " with a log of one entry");
  for (int p = 1; p < 3; p++) t.StopFollower(p);
  t.ExpectReply(t.AppendEntries(2, t1 + 1, 0, 0, {t1 + 1}, 0), t1 + 1, true, fig2::kConflict);
  t.Note("s2 falls silent; s1 and s2 grant s0's votes but hold its AppendEntries");
  const uint64_t t3 = t.AwaitLeader();
  Calls beat = t.AwaitCall(
      [&](const RaftCall& c) {
        return c.to == 1 && c.kind == RaftCall::kAppendEntries && c.term == t3 && !c.answered;
      },
      0, 1000 * kMs);
  if (beat == nullptr) {
    t.FailRule(fig2::kHeartbeat, "s0 leads term " + std::to_string(t3) + " but sent s1 nothing in 1 s");
  }
  uint64_t index = 0, term = 0;
  if (!t.Start("new", &index, &term) || index != 2 || term != t3) {
    t.FailRule(fig2::kCandidateWins, "s0 leads term " + std::to_string(t3) +
                                         " with 1 entry: Start should put the command at index 2");
  }
  t.Note("s1 acknowledges only what it was sent before the new entry");
  for (const Calls& c : t.calls()) {
    if (c->to == 1 && c->kind == RaftCall::kAppendEntries && c->term == t3 && !c->answered &&
        c->prev_log_index + c->entry_terms.size() < 2) {
      t.Answer(c, t3, true);
    }
  }
  t.ExpectNoApplyAbove(0, 200 * kMs, fig2::kLeaderInit);
  t.End();
}

GRADED_TEST(RaftB, Fig2ConflictHints, "raft", "B", 3, 10000) {
  Figure2Tester t(3);
  t.ExpectReply(t.AppendEntries(1, 2, 0, 0, {1, 1, 2, 2, 2}, 0), 2, true, fig2::kAppendNew);
  t.Note("s0's log is 1:t1 2:t1 3:t2 4:t2 5:t2");
  t.Note("prevLogIndex past the end of s0's log");
  t.ExpectHints(t.AppendEntries(1, 2, 8, 2, {}, 0), 2, 6, 0);
  t.Note("s2 leads term 3: its entry 4 is of term 3");
  t.ExpectHints(t.AppendEntries(2, 3, 4, 3, {}, 0), 3, 3, 2);
  t.ExpectHints(t.AppendEntries(2, 3, 2, 3, {}, 0), 3, 1, 1);
  t.ExpectReply(t.AppendEntries(2, 3, 0, 0, {1, 3}, 0), 3, true, fig2::kConflict);
  t.ExpectHints(t.AppendEntries(2, 3, 3, 3, {}, 0), 3, 3, 0);
  t.End();
}

// s0's log 1:t1 2..6:t3 7..26:t4; s2's 1:t1 2..11:t2 12..21:t3. With the hints, s0 needs one
// refusal for s2's shorter log and one per conflicting term of s2 (t3, t2), whether it jumps
// after its own last entry of conflict_term or to conflict_index; one entry at a time takes 25.
GRADED_TEST(RaftB, Fig2LeaderFastBackOff, "raft", "B", 4, 10000) {
  constexpr size_t kMaxRefusals = 3 + 2;  // 2 to spare
  std::vector<uint64_t> mine{1}, theirs{1};
  mine.insert(mine.end(), 5, 3);
  mine.insert(mine.end(), 20, 4);
  theirs.insert(theirs.end(), 10, 2);
  theirs.insert(theirs.end(), 10, 3);
  Figure2Tester t(3);
  t.ExpectReply(t.AppendEntries(1, 4, 0, 0, mine, 0), 4, true, fig2::kAppendNew);
  t.Note("s0's log: 1:t1 2..6:t3 7..26:t4; s2's: 1:t1 2..11:t2 12..21:t3 (a correct follower "
         "that answers with the hints)");
  t.SetFollower(2, 3, theirs);
  const uint64_t term = t.ElectServer(mine);
  auto to_s2 = [&](const RaftCall& c) {
    return c.to == 2 && c.kind == RaftCall::kAppendEntries && c.term == term;
  };
  Calls done = t.AwaitCall([&](const RaftCall& c) { return to_s2(c) && c.reply_ok; }, 0,
                           2000 * kMs);
  std::set<uint64_t> refused;  // the prevLogIndex values s2 refused before it matched
  for (const Calls& c : t.calls()) {
    if (to_s2(*c) && c->answered && !c->reply_ok && (done == nullptr || c->seq < done->seq)) {
      refused.insert(c->prev_log_index);
    }
  }
  if (refused.size() > kMaxRefusals) {
    t.FailRule(fig2::kFastBackOff,
               "s2 refused " + std::to_string(refused.size()) + " different prevLogIndex values" +
                   (done == nullptr ? " (and still does not match s0)" : " before s0 matched it") +
                   "; the hints allow it in " + std::to_string(kMaxRefusals) +
                   " (one for the shorter log, one per conflicting term, and 2 to spare)");
  }
  if (done == nullptr || t.FollowerLogLength(2) != mine.size()) {
    t.FailRule(fig2::kBackOff, "s0 did not bring s2's log up to its own 26 entries within 2 s");
  }
  t.End();
}

}  // namespace
}  // namespace janus
