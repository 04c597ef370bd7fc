// deptran_server on a data directory it cannot read back (deptran/data_dir.h): it must exit with
// code 1 before serving, print exactly one line on stderr naming the file, the problem and the
// way out, never abort, and leave the file as it was. Runs the real binary (path compiled in as
// DEPTRAN_SERVER_PATH) as a child process on a one-site kv config.
//
// Two CTest entries (labs/cluster/CMakeLists.txt, test/cluster/CMakeLists.txt):
//   cluster_data_dir_format      ServerDataDir.*: files the launcher itself rejects (label base)
//   cluster_data_dir_raft_state  ServerLabState.*, in server_raft_state_test.cc (label lab3)
#include <string>

#include "test/cluster/server_data_dir_fixture.h"

namespace janus {
namespace {

using ServerDataDir = ServerDataDirTest;

// The control: the same command on an empty data dir serves, and stops cleanly on SIGTERM.
TEST_F(ServerDataDir, EmptyDirectoryServes) {
  ServerRun run = Run();
  EXPECT_TRUE(run.started) << run.Describe();
  EXPECT_TRUE(run.exited) << run.Describe();
  EXPECT_EQ(run.exit_code, 0) << run.Describe();
}

TEST_F(ServerDataDir, BadMagicIsRefused) {
  ExpectRefused("{\"term\": 3, \"vote\": 1}\n", "bad magic 0x6574227b (not a FilePersister image)");
}

TEST_F(ServerDataDir, OtherFormatVersionsAreRefused) {
  for (uint8_t version : {0, 2}) {
    std::string bytes = Image("state", "snapshot");
    bytes[4] = static_cast<char>(version);
    bytes.resize(bytes.size() - 4);  // recompute the CRC: only the version is wrong
    const uint32_t crc = Crc32(bytes.data(), bytes.size());
    for (int i = 0; i < 4; i++) bytes.push_back(static_cast<char>((crc >> (8 * i)) & 0xff));
    ExpectRefused(bytes, "format version " + std::to_string(version) +
                             ", this build reads version 1 only");
  }
}

TEST_F(ServerDataDir, TruncatedFileIsRefused) {
  const std::string good = Image("state", "snapshot");
  ExpectRefused(good.substr(0, good.size() - 5), "truncated or damaged");
  ExpectRefused(good.substr(0, 10), "truncated: 10 bytes");
  ExpectRefused("", "truncated: 0 bytes");
}

TEST_F(ServerDataDir, BadChecksumIsRefused) {
  std::string bytes = Image("state", "snapshot");
  bytes[30] ^= 0x10;  // a bit of the snapshot
  ExpectRefused(bytes, "damaged: checksum mismatch");
}

}  // namespace
}  // namespace janus
