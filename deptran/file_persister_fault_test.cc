// FilePersister saves that fail in a system call (injected with the IoFaultHook test seam):
// each failure is a PersisterIoError naming the file and the errno text, the failure handler
// (deptran_server's fail-stop) hears of it before the save returns, nothing in memory or on disk
// moves ahead of what is durable, and the next save after the fault clears works.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "deptran/file_persister.h"

namespace janus {
namespace {

using IoOp = FilePersister::IoOp;

class FilePersisterFaultTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/janus_persister_fault_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string dir_;
};

struct Case {
  IoOp op;
  int err;
  std::string words;  // what the message says it could not do, and to which file
};

TEST_F(FilePersisterFaultTest, EachFailedSystemCallIsReportedAndNothingMovesAhead) {
  const std::string file = dir_ + "/raft.state";
  const std::vector<Case> cases = {
      {IoOp::kCreateTemp, EMFILE, "cannot create " + file + ".tmp"},
      {IoOp::kWriteTemp, ENOSPC, "cannot write " + file + ".tmp"},
      {IoOp::kSyncTemp, EIO, "cannot fsync " + file + ".tmp"},
      {IoOp::kCloseTemp, EIO, "cannot close " + file + ".tmp"},
      {IoOp::kRename, EROFS, "cannot rename over " + file},
      {IoOp::kOpenDir, EMFILE, "cannot open directory " + dir_},
      {IoOp::kSyncDir, EIO, "cannot fsync directory " + dir_},
  };
  for (const Case& c : cases) {
    SCOPED_TRACE(c.words);
    std::filesystem::remove(file);
    auto p = FilePersister::Open(dir_);
    p->SaveStateAndSnapshot("durable", "snap");
    std::vector<std::string> reported;
    p->set_failure_handler([&](const std::string& m) { reported.push_back(m); });
    int calls = 0;
    p->set_io_fault_hook([&](IoOp op, const std::string&) {
      calls++;
      return op == c.op ? c.err : 0;
    });
    const std::string expected = "persister: " + c.words + ": " + std::strerror(c.err);
    try {
      p->SaveRaftState("not durable");
      ADD_FAILURE() << "the save returned although its " << c.words << " failed";
    } catch (const PersisterIoError& e) {
      EXPECT_EQ(std::string(e.what()), expected);
    }
    ASSERT_EQ(reported.size(), 1u);
    EXPECT_EQ(reported[0], expected);
    EXPECT_EQ(reported[0].find('\n'), std::string::npos);
    EXPECT_GT(calls, 0);
    // Memory keeps the last saved values: a reader never sees what is not durable.
    EXPECT_EQ(p->ReadRaftState(), "durable");
    EXPECT_EQ(p->ReadSnapshot(), "snap");
    // The fault cleared, saves work again.
    p->set_io_fault_hook(nullptr);
    p->SaveRaftState("later");
    EXPECT_EQ(FilePersister::Open(dir_)->ReadRaftState(), "later");
    EXPECT_EQ(reported.size(), 1u);
  }
}

// Before the rename the old file is what a restart reads.
TEST_F(FilePersisterFaultTest, FailureBeforeRenameLeavesTheOldFile) {
  auto p = FilePersister::Open(dir_);
  p->SaveRaftState("old");
  p->set_io_fault_hook([](IoOp op, const std::string&) { return op == IoOp::kSyncTemp ? EIO : 0; });
  EXPECT_THROW(p->SaveRaftState("new"), PersisterIoError);
  EXPECT_EQ(FilePersister::Open(dir_)->ReadRaftState(), "old");
}

// A real failure, not injected: a directory in the way of raft.state.tmp.
TEST_F(FilePersisterFaultTest, DirectoryInTheWayOfTheTempFile) {
  auto p = FilePersister::Open(dir_);
  std::filesystem::create_directory(dir_ + "/raft.state.tmp");
  std::string reported;
  p->set_failure_handler([&](const std::string& m) { reported = m; });
  EXPECT_THROW(p->SaveRaftState("x"), PersisterIoError);
  EXPECT_EQ(reported, "persister: cannot create " + dir_ + "/raft.state.tmp: " +
                          std::strerror(EISDIR));
}

}  // namespace
}  // namespace janus
