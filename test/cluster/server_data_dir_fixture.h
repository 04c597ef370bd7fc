// The fixture of test/cluster/server_data_dir_test.cc and server_raft_state_test.cc: a
// temporary one-site kv config and data directory, deptran_server run on them as a child process
// (DEPTRAN_SERVER_PATH), and the check that the server refused its data directory.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <string>

#include "deptran/file_persister.h"
#include "test/cluster/server_process.h"

namespace janus {

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

}  // namespace janus
