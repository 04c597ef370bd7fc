// Scripted snapshot tests of Raft part D (Lab 3 of the course): your RaftServer runs alone as
// s0 and the test plays the other peers (labs/harness/raft/figure2_tester.h), now also sending
// InstallSnapshot. They check the receiver's rules of Figure 13 of the Raft paper one step at a
// time: which snapshots s0 must deliver to the service (the snapshot callback) and which it must
// ignore, what it keeps of its log, and that a restarted s0 starts from its saved snapshot. A
// delivered snapshot appears among the applied entries, at its last index, as
// "[snapshot t<term> <data>]".
//
// Run them:  build/labs/raft/raft_test --gtest_filter='RaftD.Fig2*'
#include <cstdint>
#include <map>
#include <string>

#include "labs/harness/core/graded_test.h"
#include "labs/harness/raft/figure2_tester.h"

namespace janus {
namespace {

std::string E(uint64_t index, uint64_t term) { return Figure2Tester::EntryCmd(index, term); }
std::string Snap(uint64_t term, const std::string& data) {
  return Figure2Tester::SnapshotCmd(term, data);
}

// Entries first..last of term `term`, as ExpectApplied takes them.
std::map<uint64_t, std::string> Entries(uint64_t first, uint64_t last, uint64_t term) {
  std::map<uint64_t, std::string> m;
  for (uint64_t i = first; i <= last; i++) m[i] = E(i, term);
  return m;
}

GRADED_TEST(RaftD, Fig2SnapshotBelowCommit, "raft", "D", 5, 10000) {
  Figure2Tester t(3);
  t.ExpectReply(t.AppendEntries(1, 1, 0, 0, {1, 1, 1, 1, 1}, 5), 1, true, fig2::kAppendNew);
  t.ExpectApplied(Entries(1, 5, 1), fig2::kCommitMin);
  t.Note("s1 sends snapshots through index 3, then 5: s0 has applied both already");
  t.ExpectReply(t.InstallSnapshot(1, 1, 3, 1, "s3"), 1, true, fig2::kSnapshotOld);
  t.ExpectReply(t.InstallSnapshot(1, 1, 5, 1, "s5"), 1, true, fig2::kSnapshotOld);
  t.ExpectNoApplyAbove(5, 100 * 1000, fig2::kSnapshotOld);
  t.Note("s0 kept its log: entry 6 goes after entry 5 of term 1, and commits");
  t.ExpectReply(t.AppendEntries(1, 1, 5, 1, {1}, 6), 1, true, fig2::kSnapshotOld);
  t.ExpectApplied(Entries(1, 6, 1), fig2::kSnapshotOld);
  t.End();
}

GRADED_TEST(RaftD, Fig2SnapshotInstall, "raft", "D", 5, 10000) {
  Figure2Tester t(3);
  t.Note("s0 holds entries 1..8 of term 1; 1..3 are committed");
  t.ExpectReply(t.AppendEntries(1, 1, 0, 0, {1, 1, 1, 1, 1, 1, 1, 1}, 3), 1, true,
                fig2::kAppendNew);
  auto applied = Entries(1, 3, 1);
  t.ExpectApplied(applied, fig2::kCommitMin);

  t.Note("a snapshot through index 5 of term 1, which s0's log holds: delivered, 6..8 kept");
  t.ExpectReply(t.InstallSnapshot(1, 1, 5, 1, "s5"), 1, true, fig2::kSnapshotInstall);
  applied[5] = Snap(1, "s5");
  t.ExpectApplied(applied, fig2::kSnapshotInstall);
  t.ExpectReply(t.AppendEntries(1, 1, 8, 1, {}, 8), 1, true, fig2::kSnapshotKeep);
  for (uint64_t i = 6; i <= 8; i++) applied[i] = E(i, 1);
  t.ExpectApplied(applied, fig2::kSnapshotKeep);

  t.Note("s2, leader of term 3, sends a snapshot through index 12 of term 2: past s0's log");
  t.ExpectReply(t.InstallSnapshot(2, 3, 12, 2, "s12"), 3, true, fig2::kSnapshotInstall);
  applied[12] = Snap(2, "s12");
  t.ExpectApplied(applied, fig2::kSnapshotInstall);
  t.Note("the log goes on after the snapshot: prevLogIndex 12 of term 2 matches");
  t.ExpectReply(t.AppendEntries(2, 3, 12, 2, {3, 3}, 13), 3, true, fig2::kSnapshotInstall);
  applied[13] = E(13, 3);
  t.ExpectApplied(applied, fig2::kSnapshotInstall);
  t.Note("an InstallSnapshot of an older term is refused with s0's term; nothing is delivered");
  t.ExpectReply(t.InstallSnapshot(1, 1, 20, 1, "s20"), 3, true, fig2::kSnapshotTerm);
  t.ExpectNoApplyAbove(13, 100 * 1000, fig2::kSnapshotTerm);

  t.Note("s0 crashes and restarts: it starts from the snapshot it saved, then its log");
  t.Crash(Figure2Tester::kServer);
  t.Restart(Figure2Tester::kServer);
  t.Connect(Figure2Tester::kServer);
  t.Sleep(10 * 1000);  // the fake peers see their connections to the old s0 close
  t.ExpectApplied({{12, Snap(2, "s12")}}, fig2::kSnapshotRestart);
  t.ExpectReply(t.AppendEntries(2, 3, 14, 3, {}, 14), 3, true, fig2::kSnapshotRestart);
  t.ExpectApplied({{12, Snap(2, "s12")}, {13, E(13, 3)}, {14, E(14, 3)}},
                  fig2::kSnapshotRestart);
  t.End();
}

}  // namespace
}  // namespace janus
