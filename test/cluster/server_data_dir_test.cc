// deptran_server on a data directory it cannot read back (deptran/data_dir.h): it must exit with
// code 1 before serving, print exactly one line on stderr naming the file, the problem and the
// way out, never abort, and leave the file as it was. Runs the real binary (path compiled in as
// DEPTRAN_SERVER_PATH) as a child process on a one-site kv config.
//
// Two CTest entries (labs/cluster/CMakeLists.txt, test/cluster/CMakeLists.txt):
//   cluster_data_dir_format      ServerDataDir.*: files the launcher itself rejects (label base)
//   cluster_data_dir_raft_state  ServerLabState.*: a well-formed file whose Raft state the lab's
//                                ReadPersist cannot decode (label lab3: needs Lab 3's ReadPersist)
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "deptran/file_persister.h"
#include "test/cluster/server_process.h"

namespace janus {
namespace {

class ServerDataDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/server_data_dir_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    root_ = tmpl;
    data_ = root_ + "/data/s0";
    config_ = root_ + "/one_site.yml";
    // One site may listen on port 0 (the system picks a free port).
    std::ofstream(config_) << "lab: kv\npartitions:\n  - name: p\n    sites:\n"
                              "      - {name: s0, host: 127.0.0.1, port: 0}\n";
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  std::string File() const { return data_ + "/raft.state"; }
  std::string ReadFile() const {
    std::ifstream in(File(), std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  void WriteFile(const std::string& bytes) {
    std::filesystem::create_directories(data_);
    std::ofstream(File(), std::ios::binary | std::ios::trunc) << bytes;
  }
  // A well-formed image holding `state` and `snapshot`, as FilePersister writes it.
  std::string Image(const std::string& state, const std::string& snapshot) {
    std::filesystem::remove(File());
    FilePersister::Open(data_)->SaveStateAndSnapshot(state, snapshot);
    return ReadFile();
  }

  ServerRun Run(const std::string& log_level = "info") {
    return RunServer(DEPTRAN_SERVER_PATH, {"--config", config_, "--site", "s0", "--data-dir",
                                           data_, "--log-level", log_level});
  }

  // Runs the server on the file `bytes` and checks the refusal: exit code 1, one stderr line
  // naming the file and `problem`, with the advice; the file untouched.
  void ExpectRefused(const std::string& bytes, const std::string& problem,
                     const std::string& log_level = "info", const std::string& hint = "") {
    WriteFile(bytes);
    ServerRun run = Run(log_level);
    EXPECT_FALSE(run.started) << "it served on an unreadable data dir" << hint
                              << "; stdout: " << run.out;
    EXPECT_TRUE(run.exited) << run.Describe();
    EXPECT_EQ(run.exit_code, 1) << run.Describe();
    const std::string prefix = "deptran_server: site s0 cannot start: " + File() + ": ";
    const std::string advice = "; move the file away, or delete the data directory " + data_ +
                               " to start the site empty\n";
    EXPECT_EQ(run.err.rfind(prefix, 0), 0u) << run.err;
    EXPECT_NE(run.err.find(problem), std::string::npos) << run.err;
    EXPECT_GE(run.err.size(), advice.size());
    EXPECT_EQ(run.err.substr(run.err.size() - std::min(run.err.size(), advice.size())), advice)
        << run.err;
    EXPECT_EQ(run.err.find('\n'), run.err.size() - 1) << "more than one line:\n" << run.err;
    EXPECT_EQ(ReadFile(), bytes) << "the server changed the file it refused";
  }

  std::string root_, data_, config_;
};

using ServerDataDir = ServerDataDirTest;
using ServerLabState = ServerDataDirTest;

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

// The file is a good image, but its Raft state is not what the lab's Persist() writes: the lab's
// ReadPersist throws (PersisterError, or rrr::MarshalError from decoding) and the server says so.
TEST_F(ServerLabState, UndecodableRaftStateIsRefused) {
  ExpectRefused(Image("xyz", ""), "the lab cannot decode the state or snapshot saved in it",
                "warn",  // quiet: only the refusal is expected on stderr
                " (a Raft state of 3 bytes: does your ReadPersist read the state back, and throw "
                "janus::PersisterError on bytes it cannot decode?)");
}

}  // namespace
}  // namespace janus
