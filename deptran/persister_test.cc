#include "deptran/persister.h"

#include <gtest/gtest.h>

namespace janus {
namespace {

TEST(MemoryPersisterTest, StartsEmpty) {
  MemoryPersister p;
  EXPECT_EQ(p.ReadRaftState(), "");
  EXPECT_EQ(p.RaftStateSize(), 0u);
  EXPECT_EQ(p.ReadSnapshot(), "");
  EXPECT_EQ(p.SnapshotSize(), 0u);
}

TEST(MemoryPersisterTest, SaveStateKeepsSnapshot) {
  MemoryPersister p;
  p.SaveStateAndSnapshot("state1", "snap1");
  p.SaveRaftState(std::string("st\0ate2", 7));
  EXPECT_EQ(p.ReadRaftState(), std::string("st\0ate2", 7));
  EXPECT_EQ(p.RaftStateSize(), 7u);
  EXPECT_EQ(p.ReadSnapshot(), "snap1");
  EXPECT_EQ(p.SnapshotSize(), 5u);
}

TEST(MemoryPersisterTest, CopyIsIndependent) {
  MemoryPersister p;
  p.SaveStateAndSnapshot("a", "b");
  std::shared_ptr<Persister> c = p.Copy();
  EXPECT_EQ(c->ReadRaftState(), "a");
  EXPECT_EQ(c->ReadSnapshot(), "b");
  // A late write by the old (crashed) instance must not reach the restarted one, and back.
  p.SaveStateAndSnapshot("old-late", "x");
  EXPECT_EQ(c->ReadRaftState(), "a");
  c->SaveRaftState("new");
  EXPECT_EQ(p.ReadRaftState(), "old-late");
  EXPECT_EQ(c->ReadRaftState(), "new");
  EXPECT_EQ(c->ReadSnapshot(), "b");
}

}  // namespace
}  // namespace janus
