// FilePersister under a crash in the middle of a save: whatever step the process dies after, a
// later Open sees the old state with the old snapshot or the new state with the new snapshot,
// never one of each. The crash is simulated with the save hook (FilePersister::set_save_hook):
// it throws after a step, so the save stops there with the disk as that step left it.
#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <string>
#include <vector>

#include "deptran/file_persister.h"

namespace janus {
namespace {

using Step = FilePersister::SaveStep;

struct Crash {};  // thrown by the hook: the process "dies" here

const std::vector<Step> kSteps = {Step::kTempWritten, Step::kTempSynced, Step::kRenamed,
                                  Step::kDirSynced};

class FilePersisterCrashTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/janus_persister_crash_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    dir_ = tmpl;
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  // A persister holding ("old state", "old snapshot") on disk, with a hook that crashes after
  // `crash_at` (and, at kTempWritten, first cuts the temp file to `torn_bytes` if >= 0, as a
  // crash before its fsync may leave it).
  std::unique_ptr<FilePersister> OldWithCrashAt(Step crash_at, long torn_bytes = -1) {
    std::filesystem::remove_all(dir_);
    auto p = FilePersister::Open(dir_);
    p->SaveStateAndSnapshot("old state", "old snapshot");
    const std::string tmp = p->path() + ".tmp";
    p->set_save_hook([crash_at, torn_bytes, tmp](Step s) {
      if (s != crash_at) return;
      if (torn_bytes >= 0) std::filesystem::resize_file(tmp, static_cast<uintmax_t>(torn_bytes));
      throw Crash{};
    });
    return p;
  }

  std::string dir_;
};

TEST_F(FilePersisterCrashTest, SaveStateAndSnapshotIsAllOrNothing) {
  for (Step step : kSteps) {
    SCOPED_TRACE("crash after step " + std::to_string(static_cast<int>(step)));
    auto p = OldWithCrashAt(step);
    EXPECT_THROW(p->SaveStateAndSnapshot("new state", "new snapshot"), Crash);
    // The crashed instance still reports the last save that completed.
    EXPECT_EQ(p->ReadRaftState(), "old state");
    EXPECT_EQ(p->ReadSnapshot(), "old snapshot");

    auto after = FilePersister::Open(dir_);  // the restarted process
    const bool renamed = step == Step::kRenamed || step == Step::kDirSynced;
    EXPECT_EQ(after->ReadRaftState(), renamed ? "new state" : "old state");
    EXPECT_EQ(after->ReadSnapshot(), renamed ? "new snapshot" : "old snapshot");
  }
}

TEST_F(FilePersisterCrashTest, SaveRaftStateKeepsTheSnapshotThroughACrash) {
  for (Step step : kSteps) {
    SCOPED_TRACE("crash after step " + std::to_string(static_cast<int>(step)));
    auto p = OldWithCrashAt(step);
    EXPECT_THROW(p->SaveRaftState("new state"), Crash);
    auto after = FilePersister::Open(dir_);
    const bool renamed = step == Step::kRenamed || step == Step::kDirSynced;
    EXPECT_EQ(after->ReadRaftState(), renamed ? "new state" : "old state");
    EXPECT_EQ(after->ReadSnapshot(), "old snapshot");
  }
}

TEST_F(FilePersisterCrashTest, TornTempFileIsIgnoredAndReplaced) {
  for (long torn : {0L, 3L, 30L}) {  // empty, inside the header, inside the data
    SCOPED_TRACE("temp file cut to " + std::to_string(torn) + " bytes");
    auto p = OldWithCrashAt(Step::kTempWritten, torn);
    EXPECT_THROW(p->SaveStateAndSnapshot("new state", "new snapshot"), Crash);
    auto after = FilePersister::Open(dir_);
    EXPECT_EQ(after->ReadRaftState(), "old state");
    EXPECT_EQ(after->ReadSnapshot(), "old snapshot");
    // The next save overwrites the torn temp file and completes.
    after->SaveStateAndSnapshot("next state", "next snapshot");
    EXPECT_EQ(FilePersister::Open(dir_)->ReadSnapshot(), "next snapshot");
    EXPECT_FALSE(std::filesystem::exists(after->path() + ".tmp"));
  }
}

TEST_F(FilePersisterCrashTest, HookSeesEveryStepInOrder) {
  auto p = FilePersister::Open(dir_);
  std::vector<Step> seen;
  p->set_save_hook([&seen](Step s) { seen.push_back(s); });
  p->SaveStateAndSnapshot("s", "n");
  EXPECT_EQ(seen, kSteps);
  p->set_save_hook(nullptr);
  p->SaveRaftState("t");
  EXPECT_EQ(seen.size(), kSteps.size());
}

}  // namespace
}  // namespace janus
