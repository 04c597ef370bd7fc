// Tests of the test-only fault hook of deptran_server (fault_control.h): the file names the
// sites to cut off, re-reading it applies changes, frames to and from those sites are dropped
// and nothing else is (kv_cli's clerks, the site itself, unknown nodes).
#include "deptran/fault_control.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>

#include "deptran/config.h"

namespace janus {
namespace {

class FaultControlTest : public ::testing::Test {
 protected:
  void SetUp() override {
    char dir[] = "/tmp/fault_control_test_XXXXXX";
    ASSERT_NE(mkdtemp(dir), nullptr);
    dir_ = dir;
    path_ = dir_ + "/faults";
  }
  void TearDown() override {
    std::remove(path_.c_str());
    rmdir(dir_.c_str());
  }
  void Write(const std::string& text) {
    std::ofstream out(path_);
    out << text;
  }
  std::string dir_, path_;
};

std::shared_ptr<const Config> ThreeSites() {
  return std::make_shared<const Config>(
      Config::FromAddresses("kv", {"127.0.0.1:7001", "127.0.0.1:7002", "127.0.0.1:7003"}));
}

TEST_F(FaultControlTest, DropsFramesToAndFromTheNamedSitesOnly) {
  auto config = ThreeSites();
  const std::string s1 = config->Site(1).name, s2 = config->Site(2).name;
  FileFaultPolicy policy(config, path_);
  EXPECT_TRUE(policy.Reload().empty());  // no file: nothing cut
  Write(s1 + "  # the comment names " + s2 + "\n");
  EXPECT_EQ(policy.Reload(), std::set<int>{1});
  EXPECT_TRUE(policy.Decide(0, 1, false, 10).drop);
  EXPECT_TRUE(policy.Decide(1, 0, true, 10).drop);
  EXPECT_FALSE(policy.Deliverable(1, 0, false));
  EXPECT_FALSE(policy.Decide(0, 2, false, 10).drop);
  EXPECT_TRUE(policy.Deliverable(2, 0, true));
  EXPECT_FALSE(policy.Decide(0, 1000000, true, 10).drop);  // a kv_cli clerk (kCliNodeBase)
  EXPECT_FALSE(policy.Decide(0, rrr::kNoNode, true, 10).drop);
  Write(s1 + "\n" + s2 + " no-such-site\n");  // an unknown name is ignored
  EXPECT_EQ(policy.Reload(), (std::set<int>{1, 2}));
  Write("\n");
  EXPECT_TRUE(policy.Reload().empty());  // healed
  EXPECT_FALSE(policy.Decide(0, 1, false, 10).drop);
}

}  // namespace
}  // namespace janus
