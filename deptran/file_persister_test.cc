#include "deptran/file_persister.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <fstream>

namespace janus {
namespace {

class FilePersisterTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char tmpl[] = "/tmp/janus_persister_XXXXXX";
    ASSERT_NE(mkdtemp(tmpl), nullptr);
    root_ = tmpl;
    dir_ = root_ + "/a/b";  // Open creates missing parents
  }
  void TearDown() override { std::filesystem::remove_all(root_); }

  std::string ReadBytes() {
    std::ifstream in(dir_ + "/raft.state", std::ios::binary);
    return std::string(std::istreambuf_iterator<char>(in), {});
  }
  void WriteBytes(const std::string& bytes) {
    std::ofstream out(dir_ + "/raft.state", std::ios::binary | std::ios::trunc);
    out << bytes;
  }

  std::string root_, dir_;
};

TEST_F(FilePersisterTest, FreshDirectoryIsEmpty) {
  auto p = FilePersister::Open(dir_);
  EXPECT_EQ(p->RaftStateSize(), 0u);
  EXPECT_EQ(p->SnapshotSize(), 0u);
  EXPECT_FALSE(std::filesystem::exists(p->path()));  // nothing written until a save
}

TEST_F(FilePersisterTest, SurvivesReopen) {
  std::string state("term=3\0vote=1", 13), snap(100000, 'z');
  {
    auto p = FilePersister::Open(dir_);
    p->SaveStateAndSnapshot(state, snap);
    p->SaveRaftState("term=4");  // keeps the snapshot
  }  // the "process" ends here
  auto q = FilePersister::Open(dir_);
  EXPECT_EQ(q->ReadRaftState(), "term=4");
  EXPECT_EQ(q->ReadSnapshot(), snap);
  EXPECT_EQ(q->RaftStateSize(), 6u);
  EXPECT_EQ(q->SnapshotSize(), snap.size());
  EXPECT_FALSE(std::filesystem::exists(q->path() + ".tmp"));
}

TEST_F(FilePersisterTest, StaleTempFileIsIgnored) {
  {
    auto p = FilePersister::Open(dir_);
    p->SaveStateAndSnapshot("good", "snap");
  }
  {  // a crash between writing the temp file and renaming it
    std::ofstream out(dir_ + "/raft.state.tmp", std::ios::binary);
    out << "half-written garbage";
  }
  auto q = FilePersister::Open(dir_);
  EXPECT_EQ(q->ReadRaftState(), "good");
  q->SaveRaftState("next");
  EXPECT_EQ(FilePersister::Open(dir_)->ReadRaftState(), "next");
}

TEST_F(FilePersisterTest, CopyIsDetachedMemory) {
  auto p = FilePersister::Open(dir_);
  p->SaveStateAndSnapshot("s", "n");
  auto c = p->Copy();
  c->SaveRaftState("changed");
  EXPECT_EQ(FilePersister::Open(dir_)->ReadRaftState(), "s");
  EXPECT_EQ(c->ReadSnapshot(), "n");
}

// Opens dir_ expecting a PersisterError that is not an I/O error; returns its message.
std::string OpenError(const std::string& dir) {
  try {
    FilePersister::Open(dir);
  } catch (const PersisterIoError& e) {
    return std::string("unexpected I/O error: ") + e.what();
  } catch (const PersisterError& e) {
    return e.what();
  }
  return "no error";
}

TEST_F(FilePersisterTest, CorruptionIsDetectedAndNamed) {
  FilePersister::Open(dir_)->SaveStateAndSnapshot("state", "snapshot");
  const std::string good = ReadBytes();
  ASSERT_EQ(good.size(), 24u + 5 + 8 + 4);
  const std::string file = dir_ + "/raft.state: ";

  std::string flipped = good;
  flipped[26] ^= 1;  // a payload bit
  WriteBytes(flipped);
  EXPECT_EQ(OpenError(dir_).rfind(file + "damaged: checksum mismatch", 0), 0u) << OpenError(dir_);

  WriteBytes(good.substr(0, good.size() - 3));  // truncated inside the data
  EXPECT_EQ(OpenError(dir_),
            file + "truncated or damaged: the header announces 5+8 bytes of data, the file "
                   "holds 10");
  WriteBytes(good.substr(0, 20));  // truncated inside the header
  EXPECT_EQ(OpenError(dir_), file + "truncated: 20 bytes, less than the 28 of an empty image");

  std::string magic = good;
  magic[0] = 'X';
  WriteBytes(magic);
  EXPECT_EQ(OpenError(dir_), file + "bad magic 0x50534e58 (not a FilePersister image)");

  // A well-formed image of another format version (its CRC is right) is refused too.
  std::string v2 = good.substr(0, good.size() - 4);
  v2[4] = 2;
  const uint32_t crc = Crc32(v2.data(), v2.size());
  for (int i = 0; i < 4; i++) v2.push_back(static_cast<char>((crc >> (8 * i)) & 0xff));
  WriteBytes(v2);
  EXPECT_EQ(OpenError(dir_), file + "format version 2, this build reads version 1 only");

  WriteBytes(good);
  EXPECT_EQ(FilePersister::Open(dir_)->ReadSnapshot(), "snapshot");
}

TEST_F(FilePersisterTest, UnwritableDirectoryIsAnIoError) {
  EXPECT_THROW(FilePersister::Open("/proc/self/no/such/dir"), PersisterIoError);
  std::filesystem::create_directories(dir_ + "/raft.state");  // unreadable as a file
  EXPECT_THROW(FilePersister::Open(dir_), PersisterIoError);
}

TEST(Crc32Test, KnownValue) {
  // The standard check value of CRC-32/IEEE over "123456789".
  EXPECT_EQ(Crc32("123456789", 9), 0xCBF43926u);
  // Incremental computation equals one-shot.
  EXPECT_EQ(Crc32("6789", 4, Crc32("12345", 5)), 0xCBF43926u);
}

}  // namespace
}  // namespace janus
