// deptran_server on a data directory whose file is a well-formed image (good magic, version and
// checksum) but whose Raft state or snapshot the lab cannot restore: each bad layout must be
// refused like an unreadable file (exit 1, one stderr line naming the file and the way out), never
// a verify failure, an abort or a backtrace. CTest entry cluster_data_dir_raft_state (label lab3:
// it needs Lab 3's ReadPersist and the KV snapshot decoder).
//
// The Raft state is built here in the reference layout (labs/raft/server.cc, Persist): currentTerm
// u64, votedFor i32, log start u64, number of entries u64, then each entry (term u64, command
// deputy). Saved-state decoding is input validation (issue 14, item 6).
#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "deptran/marshallable.h"
#include "rrr/marshal/marshal.h"
#include "test/cluster/server_data_dir_fixture.h"

namespace janus {
namespace {

using ServerLabState = ServerDataDirTest;

// A Raft state in the reference layout; `n_entries` is what the header claims.
std::string RaftState(uint64_t term, int32_t voted_for, uint64_t log_start, uint64_t n_entries,
                      const std::vector<uint64_t>& entry_terms) {
  rrr::Marshal m;
  m << term << voted_for << log_start << n_entries;
  for (uint64_t t : entry_terms) m << t << MarshallDeputy();
  return m.ToString();
}

const char kHint[] =
    " (does your ReadPersist validate what it reads, and throw janus::PersisterError on bytes it "
    "cannot use?)";

TEST_F(ServerLabState, UndecodableRaftStateIsRefused) {
  ExpectRefused(Image("xyz", ""), "the lab cannot decode the state or snapshot saved in it",
                "warn",  // quiet: only the refusal is expected on stderr
                " (a Raft state of 3 bytes: does your ReadPersist read the state back, and throw "
                "janus::PersisterError on bytes it cannot decode?)");
}

// The control: a state in the right layout is accepted (the server starts and serves).
TEST_F(ServerLabState, WellFormedStateServes) {
  WriteFile(Image(RaftState(3, 0, 0, 2, {0, 2}), ""));
  ServerRun run = Run("warn");
  EXPECT_TRUE(run.started) << run.Describe();
  EXPECT_EQ(run.exit_code, 0) << run.Describe();
}

TEST_F(ServerLabState, ZeroLogEntriesAreRefused) {
  ExpectRefused(Image(RaftState(1, -1, 0, 0, {}), ""), "no log entries", "warn", kHint);
}

TEST_F(ServerLabState, TrailingBytesAreRefused) {
  ExpectRefused(Image(RaftState(1, -1, 0, 1, {0}) + "left", ""), "bytes left", "warn", kHint);
}

// An older layout without the log start: the entry count is read as the log start, and so on.
TEST_F(ServerLabState, OlderLayoutIsRefused) {
  rrr::Marshal m;
  m << uint64_t{2} << int32_t{-1} << uint64_t{1} << uint64_t{0} << MarshallDeputy();
  ExpectRefused(Image(m.ToString(), ""), "", "warn", kHint);
}

// currentTerm + 1 would wrap to 0 at the next election.
TEST_F(ServerLabState, TermThatWouldWrapIsRefused) {
  ExpectRefused(Image(RaftState(UINT64_MAX, -1, 0, 1, {0}), ""), "currentTerm", "warn", kHint);
}

// An empty KV snapshot in the reference layout (labs/kv/server.cc, EncodeState): format 1, no
// keys, no clients.
std::string EmptyKvSnapshot() {
  rrr::Marshal m;
  m << uint8_t{1} << std::map<std::string, std::string>() << uint64_t{0};
  return m.ToString();
}

TEST_F(ServerLabState, HugeLogStartIsRefused) {
  WriteFile(Image(RaftState(1, -1, 4, 1, {1}), EmptyKvSnapshot()));  // the control: it serves
  EXPECT_TRUE(Run("warn").started);
  ExpectRefused(Image(RaftState(1, -1, uint64_t{1} << 62, 1, {1}), EmptyKvSnapshot()),
                "log start", "warn", kHint);
}

TEST_F(ServerLabState, DecreasingEntryTermsAreRefused) {
  ExpectRefused(Image(RaftState(3, -1, 0, 3, {0, 2, 1}), ""), "decrease", "warn", kHint);
}

TEST_F(ServerLabState, HugeEntryCountIsRefused) {
  ExpectRefused(Image(RaftState(1, -1, 0, uint64_t{1} << 60, {0}), ""), "", "warn", kHint);
}

// A snapshot the KV service cannot decode (delivered at start-up, before the server serves): an
// unknown format byte, and no snapshot at all although the log starts after index 0.
TEST_F(ServerLabState, UndecodableKvSnapshotIsRefused) {
  ExpectRefused(Image(RaftState(1, -1, 4, 1, {1}), std::string("\x07garbage")), "", "warn",
                " (a KV snapshot of an unknown format)");
  ExpectRefused(Image(RaftState(1, -1, 4, 1, {1}), ""), "", "warn", " (an empty KV snapshot)");
}

}  // namespace
}  // namespace janus
