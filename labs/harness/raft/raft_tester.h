// RaftTester: the Raft lab's test fixture, with the checks of the well-known Raft test suites
// (checkOneLeader, one(), wait(), nCommitted(), ...) in C++, on the harness's LabTester base
// (labs/harness/core/lab_tester.h: failures, time, randomness, network and crash controls,
// Go/Join, End).
//
// Every check that finds a problem records a googletest failure with a clear message, at the
// line of the test that called it, and throws harness::ScenarioFailure, which ends the scenario
// (the graded-test runner absorbs it). Every peer's applied entries are checked as they arrive:
// in index order, without gaps, and the same command at the same index on every peer; a
// violation is recorded at once and ends the scenario at its next Sleep, check or End. The
// checker also remembers, across crashes, what was applied at each index: a restarted peer that
// applies something else there (a committed entry lost to a crash) is a violation too.
// Commands are RaftTestCommand values (a string).
//
// Snapshots (part D, raft_snapshots.cc): a tester built with `snapshots` plays the service of
// MIT's 3D tests on every peer. Each kSnapshotInterval-th applied index, the peer's service
// encodes its applied state (that index and every command applied through it) and calls
// Snapshot(index, bytes) on its RaftServer, from inside the apply callback; the persisted Raft
// state must then be under kMaxRaftStateBytes. A snapshot delivered through the snapshot
// callback replaces the peer's applied state, under the apply checker's rules: it must decode,
// carry the index it is delivered with, move the peer's applied index forward (never back or in
// place), and agree with what any peer ever applied at each of its indexes. A restarted peer's
// state comes only from its persister: Raft delivers the saved snapshot at start-up.
//
// Runs on the test's reactor, inside the graded test's coroutine (no threads, no locks).
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "deptran/marshallable.h"
#include "labs/harness/core/lab_tester.h"
#include "labs/harness/raft/raft_node.h"
#include "rrr/reactor/event.h"

namespace janus {

// The command the Raft tests replicate: an opaque string (a number in text, or a payload).
constexpr int32_t kKindRaftTestCommand = kKindRaftFirst + 90;

class RaftTestCommand : public Marshallable {
 public:
  RaftTestCommand() : Marshallable(kKindRaftTestCommand) {}
  explicit RaftTestCommand(std::string v)
      : Marshallable(kKindRaftTestCommand), value(std::move(v)) {}
  rrr::Marshal& ToMarshal(rrr::Marshal& m) const override;
  rrr::Marshal& FromMarshal(rrr::Marshal& m) override;
  std::string value;
};

class RaftTester : public harness::LabTester<RaftNode> {
 public:
  // Election timeout assumed by the tests' waits (the Raft lab asks for 300..600 ms).
  static constexpr uint64_t kElectionTimeoutUs = 1000 * 1000;

  // Part D: the service snapshots every kSnapshotInterval applied entries (MIT's
  // SnapShotInterval), and the persisted Raft state must stay under kMaxRaftStateBytes (MIT's
  // MAXLOGSIZE) after each snapshot.
  static constexpr uint64_t kSnapshotInterval = 10;
  static constexpr size_t kMaxRaftStateBytes = 2000;

  // Starts n peers; `unreliable` turns on random drops and delays from the start. As in MIT's
  // Raft tests, a call to an unreachable peer fails only after a long random delay (up to 7 s).
  // `snapshots` turns on the snapshotting service of part D (see the file comment).
  RaftTester(int n, bool unreliable, bool snapshots = false);
  // Asks every peer to shut down, then stops them (before the checker state goes away).
  ~RaftTester() override;

  // Inherited from LabTester: Fail, Sleep (which also ends the scenario if the apply checker
  // found a problem), Now, Rand, Connect, Disconnect, IsConnected, Partition, Heal,
  // SetUnreliable, Crash, RpcTotal, BytesTotal, Go, Join, End.

  // A random command value (a number in text form).
  std::string RandomCommand();
  // Restarts peer i from its persister; it stays disconnected until Connect(i). The apply
  // checker forgets what the old incarnation applied (with snapshots, the snapshot Raft delivers
  // at start-up refills it).
  void Restart(int i) override;
  // MIT's start1: crashes peer i if it is up, then restarts it from its persister; it stays
  // disconnected until Connect(i).
  void Reboot(int i);

  // ---- Peers. ----
  // Start(cmd) on peer i; false if it is down or refuses.
  bool Start(int i, const std::string& cmd, uint64_t* index, uint64_t* term);
  // GetState of peer i. REQUIRES: peer i is up.
  void GetState(int i, bool* is_leader, uint64_t* term);

  // ---- Checks (MIT semantics). `among` restricts them to some peers; default: every
  // connected peer. ----
  // Polls ~10 times 450..550 ms apart for a leader; fails on two leaders in one term or none
  // after all polls. Returns the leader of the highest term.
  int CheckOneLeader(const char* file = __builtin_FILE(), int line = __builtin_LINE());
  int CheckOneLeader(const std::vector<int>& among, const char* file = __builtin_FILE(),
                     int line = __builtin_LINE());
  // Fails if a connected peer believes it is leader.
  void CheckNoLeader(const char* file = __builtin_FILE(), int line = __builtin_LINE());
  // Fails unless all connected peers report the same term; returns it.
  uint64_t CheckTerms(const char* file = __builtin_FILE(), int line = __builtin_LINE());
  // How many peers applied `index`; fails if two applied different commands there. If
  // `cmd` is given it receives the command (empty if none).
  int NCommitted(uint64_t index, std::string* cmd = nullptr, const char* file = __builtin_FILE(),
                 int line = __builtin_LINE());
  // Submits `cmd` to the leader among the connected peers and waits until at least `expected`
  // peers applied it; with `retry`, a command lost to a leader change is submitted again. Fails
  // after 10 s (or 2 s without retry). Returns its index.
  uint64_t One(const std::string& cmd, int expected, bool retry,
               const char* file = __builtin_FILE(), int line = __builtin_LINE());
  // Waits (polling with backoff, ~30 times) until `n` peers applied `index`; returns the
  // command. If some peer's term passes `start_term` meanwhile, gives up and returns nullopt.
  // Fails if fewer than n applied at the end.
  std::optional<std::string> Wait(uint64_t index, int n, std::optional<uint64_t> start_term,
                                  const char* file = __builtin_FILE(), int line = __builtin_LINE());
  // Part D, MIT's LogSize check: fails if the persisted Raft state of some peer is
  // kMaxRaftStateBytes or more.
  void CheckRaftStateSize(const char* file = __builtin_FILE(), int line = __builtin_LINE());

 protected:
  // Ends the scenario if the apply checker found a problem.
  void CheckBackground() override;

 private:
  std::unique_ptr<RaftNode> MakeNode(int i, Persister* persister,
                                     const std::vector<std::string>& addrs);
  void OnApply(int i, uint64_t index, const std::shared_ptr<Marshallable>& cmd);
  // Records `error` as the apply checker's first violation (a googletest failure; the scenario
  // ends at its next check).
  void ApplyError(const std::string& error);
  // Part D (raft_snapshots.cc). Peer i's service after applying `index`: takes a snapshot if
  // `index` is a multiple of kSnapshotInterval, then checks the persisted Raft state's size.
  void MaybeSnapshot(int i, uint64_t index);
  // Peer i's snapshot callback: checks the snapshot and makes it peer i's applied state.
  void OnSnapshot(int i, uint64_t index, uint64_t term, const std::string& snapshot);
  // What peer i's service has applied through `index` (its snapshot), and the reverse.
  std::string EncodeSnapshot(int i, uint64_t index) const;
  // False (and `error` says why) if `bytes` is not a snapshot EncodeSnapshot wrote.
  static bool DecodeSnapshot(const std::string& bytes, uint64_t* index,
                             std::vector<std::string>* cmds, std::string* error);

  const bool snapshots_;
  // Per peer: index -> command applied (reset when the peer restarts).
  std::vector<std::map<uint64_t, std::string>> logs_;
  std::vector<uint64_t> last_applied_;
  // index -> the command first applied there by any peer, kept across crashes: a restarted
  // peer (or a cluster that all crashed) must apply the same commands again.
  std::map<uint64_t, std::string> ever_applied_;
  std::string apply_error_;
  // Bumped on every apply, so pollers can wake as soon as something is applied.
  std::shared_ptr<rrr::SharedIntEvent> applied_;
};

}  // namespace janus
