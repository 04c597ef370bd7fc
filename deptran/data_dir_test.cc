// Tests of the data directory's lock and of the one-line messages for a data directory that
// cannot be used (deptran/data_dir.h). test/cluster/CMakeLists.txt runs deptran_server itself on
// such directories (CTest cluster_data_dir_*).
#include "deptran/data_dir.h"

#include <gtest/gtest.h>
#include <stdlib.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <string>

#include "rrr/base/verify.h"
#include "rrr/marshal/buffer.h"

namespace janus {
namespace {

class DataDirTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/data_dir_test_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  std::string dir_;
};

TEST_F(DataDirTest, LockIsExclusive) {
  std::string err;
  int fd = LockDataDir(dir_, &err);
  ASSERT_GE(fd, 0) << err;
  EXPECT_EQ(LockDataDir(dir_, &err), -1);  // a second open file description: refused
  EXPECT_NE(err.find("in use by another process"), std::string::npos) << err;
  close(fd);
  int again = LockDataDir(dir_, &err);
  EXPECT_GE(again, 0) << err;
  close(again);
}

// The lock is on the directory itself: deleting (or replacing) the LOCK file a server made
// does not let a second one in.
TEST_F(DataDirTest, LockSurvivesDeletingTheLockFile) {
  std::string err;
  int fd = LockDataDir(dir_, &err);
  ASSERT_GE(fd, 0) << err;
  EXPECT_TRUE(std::filesystem::exists(dir_ + "/LOCK"));
  std::filesystem::remove(dir_ + "/LOCK");
  EXPECT_EQ(LockDataDir(dir_, &err), -1);
  EXPECT_NE(err.find("in use by another process"), std::string::npos) << err;
  std::ofstream(dir_ + "/LOCK") << "";
  EXPECT_EQ(LockDataDir(dir_, &err), -1);
  close(fd);
}

TEST_F(DataDirTest, OpenGivesAdviceOnlyForUnreadableData) {
  std::string err;
  ASSERT_NE(OpenDataDir(dir_, &err), nullptr) << err;  // empty: a fresh site
  EXPECT_TRUE(err.empty());
  std::ofstream(dir_ + "/raft.state") << "not an image at all";
  EXPECT_EQ(OpenDataDir(dir_, &err), nullptr);
  EXPECT_EQ(err, dir_ + "/raft.state: bad magic 0x20746f6e (not a FilePersister image); move "
                        "the file away, or delete the data directory " + dir_ +
                        " to start the site empty");

  // An I/O problem is not the data's fault: no advice to delete anything.
  EXPECT_EQ(OpenDataDir("/proc/self/no/such/dir", &err), nullptr);
  EXPECT_EQ(err.rfind("data dir /proc/self/no/such/dir: persister: cannot create directory", 0),
            0u) << err;
  EXPECT_EQ(err.find("delete"), std::string::npos) << err;
}

TEST(DescribeStartFailure, UndecodableStateNamesTheFileAndTheWayOut) {
  const std::string advice = "; move the file away, or delete the data directory d to start "
                             "the site empty";
  const std::string cannot = "d/raft.state: the lab cannot decode the state or snapshot saved "
                             "in it (";
  const std::string origin = "); it was written by another version of the lab's code, or is "
                             "damaged";
  EXPECT_EQ(DescribeStartFailure(PersisterError("raft: bad log length"), "d", "d/raft.state"),
            cannot + "raft: bad log length" + origin + advice);
  EXPECT_EQ(DescribeStartFailure(rrr::MarshalError("marshal: need 8 bytes, only 3 left"), "d",
                                 "d/raft.state"),
            cannot + "marshal: need 8 bytes, only 3 left" + origin + advice);
  // A failed verify, or a coroutine's exception, while the lab restored saved data.
  EXPECT_EQ(DescribeStartFailure(rrr::VerifyError("verify failed: ok at kv.cc:3"), "d",
                                 "d/raft.state"),
            cannot + "verify failed: ok at kv.cc:3" + origin + advice);
  EXPECT_EQ(DescribeStartFailure(StartCrash("boom"), "d", "d/raft.state"),
            cannot + "boom" + origin + advice);
  // ... but with nothing saved they are not the data's fault.
  EXPECT_EQ(DescribeStartFailure(rrr::VerifyError("verify failed: ok at kv.cc:3"), "d",
                                 "d/raft.state", false),
            "verify failed: ok at kv.cc:3");
  // Not about the saved data: reported as it is.
  EXPECT_EQ(DescribeStartFailure(PersisterIoError("persister: cannot write x: No space"), "d",
                                 "d/raft.state"),
            "persister: cannot write x: No space");
  EXPECT_EQ(DescribeStartFailure(std::runtime_error("cannot listen on 127.0.0.1:7"), "d",
                                 "d/raft.state"),
            "cannot listen on 127.0.0.1:7");
}

TEST(FailStopMessage, NamesTheSiteTheFileAndTheErrno) {
  EXPECT_EQ(FailStopMessage("deptran_server", "kv0",
                            "persister: cannot create d/raft.state.tmp: Too many open files"),
            "deptran_server: site kv0 stops: persister: cannot create d/raft.state.tmp: Too many "
            "open files; it answers nothing more, since it cannot make its state durable "
            "(fail-stop): fix the cause and restart the site, which resumes from its last "
            "durable save");
}

}  // namespace
}  // namespace janus
