// ShortSourcePath and the result line, without running a driver.
#include <gtest/gtest.h>

#include <string>

#include "labs/harness/core/report.h"

namespace janus {
namespace harness {
namespace {

TEST(ShortSourcePath, StripsTheSourceRootAndRelativeSteps) {
  EXPECT_EQ(ShortSourcePath(std::string(HARNESS_SOURCE_DIR) + "/labs/raft/raft_test.cc"),
            "labs/raft/raft_test.cc");
  EXPECT_EQ(ShortSourcePath("../../../labs/raft/raft_test.cc"), "labs/raft/raft_test.cc");
  EXPECT_EQ(ShortSourcePath("./labs/kv/kv_test.cc"), "labs/kv/kv_test.cc");
  EXPECT_EQ(ShortSourcePath("/elsewhere/x.cc"), "/elsewhere/x.cc");
  EXPECT_EQ(ShortSourcePath("labs/kv/kv_test.cc"), "labs/kv/kv_test.cc");
}

TEST(ResultLine, HasTheFieldsTheScriptsParse) {
  EXPECT_EQ(FormatResultLine(true, "raft", "A", "InitialElection", 5, 5, 3123000, 52000, 58, 101),
            "[PASS] raft/A InitialElection  5/5 pts  virt 3.123s  wall 0.052s  rpcs 58  seed 101");
}

}  // namespace
}  // namespace harness
}  // namespace janus
