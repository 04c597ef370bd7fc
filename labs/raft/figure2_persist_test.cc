// Scripted persistence tests of Raft part C (Lab 3 of the course): your RaftServer runs alone as
// s0, the test plays the other peers (labs/harness/raft/figure2_tester.h), and s0 crashes and
// restarts from its persister between two messages. What s0 answered before the crash binds it
// after: the vote it gave in a term, the term itself, and the entries it accepted.
//
// Run them:  build/labs/raft/raft_test --gtest_filter='RaftC.Fig2*'
#include <string>

#include "labs/harness/core/graded_test.h"
#include "labs/harness/raft/figure2_tester.h"

namespace janus {
namespace {

// The rules these tests check (Figure 2, "State": persistent state on all servers, updated on
// stable storage before responding to RPCs).
constexpr const char* kPersistTerm =
    "State: currentTerm is persistent (saved before replying); a restarted server keeps it";
constexpr const char* kPersistVote =
    "State: votedFor is persistent (saved before granting); a restarted server must not vote for "
    "another candidate in the term it already voted in";
constexpr const char* kPersistLog =
    "State: log[] is persistent (saved before replying success); a restarted server still holds "
    "the entries it accepted";

// Crashes s0 and restarts it from its persister, reconnected; then waits 10 ms (far below any
// election timeout) for the fake peers to see their connections to the old s0 close, so that
// their next call reaches the new one.
void RestartServer(Figure2Tester& t) {
  t.Crash(Figure2Tester::kServer);
  t.Restart(Figure2Tester::kServer);
  t.Connect(Figure2Tester::kServer);
  t.Sleep(10 * 1000);
}

GRADED_TEST(RaftC, Fig2PersistVote, "raft", "C", 5, 10000) {
  Figure2Tester t(3);
  t.Note("a heartbeat of term 4 only raises s0's term; that too must be saved");
  t.ExpectReply(t.AppendEntries(1, 4, 0, 0, {}, 0), 4, true, fig2::kHigherTerm);
  RestartServer(t);
  t.ExpectState(false, 4, kPersistTerm);
  t.ExpectReply(t.RequestVote(1, 5, 0, 0), 5, true, fig2::kOneVote);
  RestartServer(t);
  t.ExpectState(false, 5, kPersistTerm);
  t.Note("s2 asks for s0's vote in the term s0 already voted in, before the crash");
  t.ExpectReply(t.RequestVote(2, 5, 0, 0), 5, false, kPersistVote);
  t.Note("s1 asks again (its first reply could have been lost): s0 still votes for it");
  t.ExpectReply(t.RequestVote(1, 5, 0, 0), 5, true, kPersistVote);
  t.End();
}

GRADED_TEST(RaftC, Fig2PersistLog, "raft", "C", 5, 10000) {
  Figure2Tester t(3);
  t.ExpectReply(t.AppendEntries(1, 2, 0, 0, {1, 2, 2}, 0), 2, true, fig2::kAppendNew);
  RestartServer(t);
  t.ExpectState(false, 2, kPersistTerm);
  t.Note("s1, still leader of term 2, appends after entry 3, which s0 accepted before the crash");
  t.ExpectReply(t.AppendEntries(1, 2, 3, 2, {2}, 0), 2, true, kPersistLog);
  t.Note("a candidate whose log ends at entry 1 (term 1) is behind s0's log: no vote");
  t.ExpectReply(t.RequestVote(2, 3, 1, 1), 3, false, kPersistLog);
  t.End();
}

}  // namespace
}  // namespace janus
