// Tests of the launcher's pure parts: flag parsing, the lab-site registry and the cluster-mode
// checks (the data dir's: data_dir_test.cc). The multi-process behaviour is tested by
// test/cluster/cluster_mode_test.py (CTest cluster_mode_kv) and
// test/cluster/shardkv_cluster_test.py (cluster_mode_shardkv).
#include "deptran/launcher.h"

#include <algorithm>
#include <string>
#include <vector>

#include <gtest/gtest.h>

namespace janus {
namespace {

class NoopSite : public LabSite {};
JANUS_REGISTER_LAB_SITE(testlab, [](const SiteEnv&) -> std::unique_ptr<LabSite> {
  return std::make_unique<NoopSite>();
});

// checklab refuses configs with more than one partition.
JANUS_REGISTER_LAB_SITE(checklab, [](const SiteEnv&) -> std::unique_ptr<LabSite> {
  return std::make_unique<NoopSite>();
});
JANUS_REGISTER_LAB_CONFIG_CHECK(checklab, [](const Config& c) {
  if (c.NumPartitions() != 1) throw LaunchError(c.source() + ": checklab takes one partition");
});

const char kFixed[] =
    "lab: testlab\npartitions:\n  - name: p\n    sites:\n"
    "      - {name: a, port: 7001}\n      - {name: b, port: 7002}\n";

TEST(Launcher, ParsesFlagsInBothForms) {
  LaunchOptions o;
  std::string err;
  ASSERT_TRUE(ParseLaunchArgs({"--config", "c.yml", "--site=s1", "--data-dir", "/d",
                               "--log-level=warn", "--seed", "7"},
                              &o, &err))
      << err;
  EXPECT_EQ(o.config_path, "c.yml");
  EXPECT_EQ(o.site_name, "s1");
  EXPECT_EQ(o.data_dir, "/d");
  EXPECT_EQ(o.log_level, "warn");
  EXPECT_EQ(o.seed, 7u);
  EXPECT_EQ(DataDirFor(o), "/d");
  o.data_dir.clear();
  EXPECT_EQ(DataDirFor(o), "./data/s1");
}

TEST(Launcher, RejectsBadFlags) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--site", "s"}, "missing --config"},
      {{"--config", "c"}, "missing --site"},
      {{"--config", "c", "--site"}, "--site needs a value"},
      {{"--config", "c", "--site", "s", "--port", "1"}, "unknown flag '--port'"},
      {{"--config", "c", "--site", "s", "--seed", "x"}, "--seed"},
      {{"--config", "c", "--site", "s", "--log-level", "loud"}, "--log-level"},
      {{"--config", "c", "--site", "s", "--seed=-1"},
       "--seed: expected a non-negative integer, got '-1'"},
      {{"--config", "c", "--site", "s", "stray"}, "unexpected argument 'stray'"},
      {{"--config", "--site", "s"}, "--config needs a value"},
  };
  for (const auto& c : cases) {
    LaunchOptions o;
    std::string err;
    EXPECT_FALSE(ParseLaunchArgs(c.first, &o, &err));
    EXPECT_NE(err.find(c.second), std::string::npos) << err;
  }
  LaunchOptions o;
  std::string err = "x";
  EXPECT_FALSE(ParseLaunchArgs({"--help"}, &o, &err));
  EXPECT_TRUE(err.empty());
}

TEST(Launcher, RegistryFindsRegisteredLabs) {
  ASSERT_NE(FindLabSite("testlab"), nullptr);
  EXPECT_EQ(FindLabSite("nolab"), nullptr);
  std::vector<std::string> labs = RegisteredLabs();
  EXPECT_NE(std::find(labs.begin(), labs.end(), "testlab"), labs.end());
}

TEST(Launcher, ChecksSiteLabAndPorts) {
  Config fixed = Config::LoadString(kFixed, "fixed.yml");
  EXPECT_EQ(CheckClusterSite(fixed, "b"), 1);
  try {
    CheckClusterSite(fixed, "zz");
    FAIL() << "no error";
  } catch (const LaunchError& e) {
    EXPECT_STREQ(e.what(), "fixed.yml: no site named 'zz' (sites: a, b)");
  }
  EXPECT_THROW(CheckClusterSite(Config::Local("nolab", 1, 3), "s0"), LaunchError);
  try {
    CheckClusterSite(Config::Local("testlab", 1, 3), "s0");
    FAIL() << "no error";
  } catch (const LaunchError& e) {
    EXPECT_NE(std::string(e.what()).find("s0, s1, s2 have port 0"), std::string::npos) << e.what();
  }
  // One site alone may pick its port.
  EXPECT_EQ(CheckClusterSite(Config::Local("testlab", 1, 1), "s0"), 0);
}

TEST(Launcher, RunsTheLabsConfigCheck) {
  EXPECT_EQ(CheckClusterSite(Config::Local("checklab", 1, 1), "s0"), 0);
  Config two = ConfigBuilder("checklab", "two.yml")
                   .AddPartition("p").AddSite("a", "127.0.0.1", 7001)
                   .AddPartition("q").AddSite("b", "127.0.0.1", 7002)
                   .Build();
  try {
    CheckClusterSite(two, "a");
    FAIL() << "no error";
  } catch (const LaunchError& e) {
    EXPECT_STREQ(e.what(), "two.yml: checklab takes one partition");
  }
  // Labs without a check accept the same shape.
  Config other = ConfigBuilder("testlab", "t.yml")
                     .AddPartition("p").AddSite("a", "127.0.0.1", 7001)
                     .AddPartition("q").AddSite("b", "127.0.0.1", 7002)
                     .Build();
  EXPECT_EQ(CheckClusterSite(other, "b"), 1);
}

// A host that does not resolve is bad input (exit 2) at once, not a connect timeout later; the
// transport's loopback names and numeric addresses always pass.
TEST(Launcher, ChecksThatHostsResolve) {
  Config ok = ConfigBuilder("testlab", "ok.yml")
                  .AddPartition("p").AddSite("a", "127.0.0.1", 7001).AddSite("b", "localhost", 7002)
                  .Build();
  EXPECT_EQ(CheckClusterSite(ok, "b"), 1);
  Config bad = ConfigBuilder("testlab", "bad.yml")
                   .AddPartition("p").AddSite("a", "127.0.0.1", 7001)
                   .AddSite("b", "no-such-host.invalid", 7002)
                   .Build();
  try {
    CheckClusterSite(bad, "a");  // another site's host counts too: a is b's peer
    FAIL() << "no error";
  } catch (const LaunchError& e) {
    EXPECT_EQ(std::string(e.what()).rfind("bad.yml: site b: host 'no-such-host.invalid' does not "
                                          "resolve to an IPv4 address (", 0),
              0u)
        << e.what();
  }
}

}  // namespace
}  // namespace janus
