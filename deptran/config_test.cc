#include "deptran/config.h"

#include <gtest/gtest.h>

namespace janus {
namespace {

// Expects LoadString(yaml, "t.yml") to throw a ConfigError whose message contains `needle`.
void ExpectError(const std::string& yaml, const std::string& needle) {
  try {
    Config::LoadString(yaml, "t.yml");
    ADD_FAILURE() << "no error for:\n" << yaml;
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string(e.what()).find(needle), std::string::npos)
        << "message: " << e.what() << "\nexpected to contain: " << needle;
  }
}

std::string ConfigPath(const std::string& name) {
  return std::string(JANUS_SOURCE_DIR) + "/config/" + name;
}

TEST(ConfigTest, LoadsRaft3) {
  Config c = Config::LoadFile(ConfigPath("raft_3.yml"));
  EXPECT_EQ(c.lab(), "raft");
  ASSERT_EQ(c.NumSites(), 3);
  ASSERT_EQ(c.NumPartitions(), 1);
  EXPECT_EQ(c.Partition(0).name, "p0");
  EXPECT_EQ(c.SitesOfPartition(0), (std::vector<int>{0, 1, 2}));
  EXPECT_EQ(c.Site(2).name, "s2");
  EXPECT_EQ(c.Site(2).Address(), "127.0.0.1:0");
  EXPECT_EQ(c.GetInt("maxraftstate", 5), -1);
}

TEST(ConfigTest, LoadsEveryExample) {
  struct Case { const char* file; const char* lab; int sites; int parts; };
  for (const Case& k : {Case{"raft_3.yml", "raft", 3, 1}, Case{"raft_5.yml", "raft", 5, 1},
                        Case{"kv_5.yml", "kv", 5, 1}, Case{"kv_3_fixed_ports.yml", "kv", 3, 1},
                        Case{"kv_3_cluster.yml", "kv", 3, 1},
                        Case{"shardmaster_3.yml", "shardmaster", 3, 1},
                        Case{"shardkv_3x3.yml", "shardkv", 12, 4},
                        Case{"txn_3x3.yml", "txn", 12, 4},
                        Case{"txn_3x3_2pl.yml", "txn", 12, 4}}) {
    SCOPED_TRACE(k.file);
    Config c = Config::LoadFile(ConfigPath(k.file));
    EXPECT_EQ(c.lab(), k.lab);
    EXPECT_EQ(c.NumSites(), k.sites);
    EXPECT_EQ(c.NumPartitions(), k.parts);
    EXPECT_EQ(c.source(), ConfigPath(k.file));
  }
}

TEST(ConfigTest, FlattenedIdsAndLookups) {
  Config c = Config::LoadFile(ConfigPath("shardkv_3x3.yml"));
  const SiteInfo* s = c.FindSite("g101s1");
  ASSERT_NE(s, nullptr);
  EXPECT_EQ(s->id, 7);
  EXPECT_EQ(s->partition_id, 2);
  EXPECT_EQ(s->index_in_partition, 1);
  EXPECT_EQ(s->host, "127.0.0.1");
  EXPECT_EQ(s->port, 7421);
  ASSERT_NE(c.FindPartition("g102"), nullptr);
  EXPECT_EQ(c.FindPartition("g102")->site_ids, (std::vector<int>{9, 10, 11}));
  EXPECT_EQ(c.FindSite("nope"), nullptr);
  EXPECT_EQ(c.FindPartition("nope"), nullptr);
  for (int i = 0; i < c.NumSites(); i++) EXPECT_EQ(c.Site(i).id, i);
  EXPECT_EQ(c.GetInt("nshards", 0), 10);
}

TEST(ConfigTest, FixedPortsAndSetPort) {
  Config c = Config::LoadFile(ConfigPath("kv_3_fixed_ports.yml"));
  EXPECT_EQ(c.Site(1).Address(), "127.0.0.1:7101");
  c.SetPort(1, 4242);
  EXPECT_EQ(c.Site(1).Address(), "127.0.0.1:4242");
}

TEST(ConfigTest, LocalConstructor) {
  Config c = Config::Local("test", 2, 3);
  EXPECT_EQ(c.lab(), "test");
  EXPECT_EQ(c.NumSites(), 6);
  EXPECT_EQ(c.NumPartitions(), 2);
  EXPECT_EQ(c.Site(4).name, "s4");
  EXPECT_EQ(c.Site(4).partition_id, 1);
  EXPECT_EQ(c.Site(4).index_in_partition, 1);
  EXPECT_EQ(c.Partition(1).name, "p1");
  EXPECT_EQ(c.SitesOfPartition(1), (std::vector<int>{3, 4, 5}));
}

TEST(ConfigTest, TypedOptions) {
  Config c = Config::LoadString(
      "lab: kv\npartitions: [{name: p, sites: [{name: a}]}]\n"
      "options: {n: 12, neg: -3, f: 0.25, yes1: yes, off1: off, name: hello, bad: 1x}\n",
      "t.yml");
  EXPECT_TRUE(c.HasOption("n"));
  EXPECT_FALSE(c.HasOption("missing"));
  EXPECT_EQ(c.GetInt("n", 0), 12);
  EXPECT_EQ(c.GetInt("neg", 0), -3);
  EXPECT_EQ(c.GetInt("missing", 77), 77);
  EXPECT_DOUBLE_EQ(c.GetDouble("f", 0), 0.25);
  EXPECT_DOUBLE_EQ(c.GetDouble("n", 0), 12.0);
  EXPECT_TRUE(c.GetBool("yes1", false));
  EXPECT_FALSE(c.GetBool("off1", true));
  EXPECT_TRUE(c.GetBool("missing", true));
  EXPECT_EQ(c.GetString("name", ""), "hello");
  EXPECT_EQ(c.GetString("missing", "dflt"), "dflt");
  try {
    c.GetInt("bad", 0);
    FAIL() << "expected ConfigError";
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(), "t.yml: options.bad: expected an integer, got \"1x\"");
  }
  EXPECT_THROW(c.GetBool("n", false), ConfigError);
  EXPECT_THROW(c.GetDouble("name", 0), ConfigError);
  c.SetOption("bad", "5");
  EXPECT_EQ(c.GetInt("bad", 0), 5);
}

TEST(ConfigTest, MissingFileNamesThePath) {
  ExpectError("", "t.yml: (top level): expected a map");
  try {
    Config::LoadFile("/no/such/raft.yml");
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_STREQ(e.what(), "/no/such/raft.yml: cannot open the file");
  }
}

TEST(ConfigTest, SyntaxErrorNamesLine) {
  ExpectError("lab: raft\npartitions:\n  - name: [p0\n", "t.yml:");
  ExpectError("lab: raft\npartitions:\n  - name: [p0\n", "YAML syntax error");
  ExpectError("lab: raft\n  bad: indent\n", "t.yml:2:");
}

TEST(ConfigTest, MalformedDocuments) {
  const std::string head = "lab: raft\npartitions:\n  - name: p0\n    sites:\n";
  ExpectError("partitions: [{name: p, sites: [{name: a}]}]\n", "t.yml: lab: missing key");
  ExpectError("lab: raft\n", "t.yml: partitions: missing key");
  ExpectError("lab: raft\npartitions: []\n", "partitions: expected a non-empty list");
  ExpectError("lab: raft\npartitions: {a: 1}\n", "partitions: expected a non-empty list");
  ExpectError("lab: [1]\npartitions: [{name: p, sites: [{name: a}]}]\n",
              "t.yml: lab: expected a non-empty string (line 1)");
  ExpectError("lab: raft\npartitions: [{sites: [{name: a}]}]\n", "partitions[0].name: missing key");
  ExpectError("lab: raft\npartitions: [{name: p}]\n", "partitions[0].sites: missing key");
  ExpectError("lab: raft\npartitions: [{name: p, sites: []}]\n",
              "partitions[0].sites: expected a non-empty list");
  ExpectError("lab: raft\npartitions: [5]\n", "partitions[0]: expected a map");
  ExpectError(head + "      - {name: s0, port: 0}\n      - {name: s1, port: x}\n",
              "t.yml: partitions[0].sites[1].port: expected an integer, got \"x\" (line 6)");
  ExpectError(head + "      - {name: s0, port: 70000}\n",
              "partitions[0].sites[0].port: expected a port in 0..65535, got 70000");
  ExpectError(head + "      - {name: s0, port: 1.5}\n", "sites[0].port: expected an integer");
  ExpectError(head + "      - {host: h}\n", "partitions[0].sites[0].name: missing key");
  ExpectError(head + "      - {name: s0, prot: 1}\n",
              "partitions[0].sites[0].prot: unknown key (expected one of: name, host, port)");
  ExpectError(head + "      - {name: s0}\n      - {name: s0}\n",
              "partitions[0].sites[1].name: duplicate site name \"s0\"");
  ExpectError(head + "      - {name: s0, port: 9000}\n      - {name: s1, port: 9000}\n",
              "partitions[0].sites[1].port: address 127.0.0.1:9000 is used by another site");
  ExpectError("lab: raft\npartitions: [{name: p, sites: [{name: a}]}, {name: p, sites: [{name: b}]}]\n",
              "partitions[1].name: duplicate partition name \"p\"");
  ExpectError("lab: raft\npartitons: []\n", "t.yml: partitons: unknown key");
  ExpectError("lab: raft\npartitions: [{name: p, sites: [{name: a}]}]\noptions: [1, 2]\n",
              "t.yml: options: expected a map");
  ExpectError("lab: raft\npartitions: [{name: p, sites: [{name: a}]}]\noptions: {x: [1]}\n",
              "t.yml: options.x: expected a scalar");
}

// Expects `build` to throw a ConfigError with exactly `message` and the key path `key`.
template <typename F>
void ExpectBuildError(F build, const std::string& message, const std::string& key) {
  try {
    build();
    ADD_FAILURE() << "no error; expected: " << message;
  } catch (const ConfigError& e) {
    EXPECT_EQ(std::string(e.what()), message);
    EXPECT_EQ(e.key_path(), key);
  }
}

TEST(ConfigBuilderTest, BuildsWhatTheYamlDescribes) {
  Config built = ConfigBuilder("kv", "<code>")
                     .AddPartition("g0")
                     .AddSite("a", "10.0.0.1", 7000)
                     .AddSiteAt("b", "127.0.0.1:7001")
                     .AddPartition("g1")
                     .AddSite("c")
                     .SetOption("maxraftstate", "1000")
                     .Build();
  Config loaded = Config::LoadString(
      "lab: kv\npartitions:\n"
      "  - {name: g0, sites: [{name: a, host: 10.0.0.1, port: 7000},"
      " {name: b, host: 127.0.0.1, port: 7001}]}\n"
      "  - {name: g1, sites: [{name: c}]}\n"
      "options: {maxraftstate: 1000}\n");
  EXPECT_EQ(built.source(), "<code>");
  EXPECT_EQ(built.lab(), loaded.lab());
  ASSERT_EQ(built.NumSites(), loaded.NumSites());
  ASSERT_EQ(built.NumPartitions(), loaded.NumPartitions());
  for (int i = 0; i < built.NumSites(); i++) {
    const SiteInfo &x = built.Site(i), &y = loaded.Site(i);
    EXPECT_EQ(x.id, y.id);
    EXPECT_EQ(x.name, y.name);
    EXPECT_EQ(x.Address(), y.Address());
    EXPECT_EQ(x.partition_id, y.partition_id);
    EXPECT_EQ(x.index_in_partition, y.index_in_partition);
  }
  for (int p = 0; p < built.NumPartitions(); p++) {
    EXPECT_EQ(built.Partition(p).name, loaded.Partition(p).name);
    EXPECT_EQ(built.SitesOfPartition(p), loaded.SitesOfPartition(p));
  }
  EXPECT_EQ(built.options(), loaded.options());
  EXPECT_EQ(built.GetInt("maxraftstate", 0), 1000);
}

TEST(ConfigBuilderTest, FromAddresses) {
  Config c = Config::FromAddresses("raft", {"127.0.0.1:5000", "127.0.0.1:5001", "[::1]:0"});
  EXPECT_EQ(c.lab(), "raft");
  EXPECT_EQ(c.source(), "<raft cluster>");
  ASSERT_EQ(c.NumPartitions(), 1);
  EXPECT_EQ(c.Partition(0).name, "p0");
  ASSERT_EQ(c.NumSites(), 3);
  EXPECT_EQ(c.Site(1).name, "s1");
  EXPECT_EQ(c.Site(1).port, 5001);
  EXPECT_EQ(c.Site(2).host, "[::1]");
  EXPECT_EQ(c.Site(2).Address(), "[::1]:0");
  EXPECT_EQ(c.Site(2).index_in_partition, 2);
}

// The checks of the YAML path (MalformedDocuments above), with the same messages.
TEST(ConfigBuilderTest, RejectsWhatTheYamlPathRejects) {
  ExpectBuildError([] { ConfigBuilder("", "c"); }, "c: lab: expected a non-empty string", "lab");
  ExpectBuildError([] { ConfigBuilder("kv", "c").Build(); },
                   "c: partitions: expected a non-empty list of partitions", "partitions");
  ExpectBuildError([] { ConfigBuilder("kv", "c").AddPartition("p").Build(); },
                   "c: partitions[0].sites: expected a non-empty list of sites",
                   "partitions[0].sites");
  ExpectBuildError([] { ConfigBuilder("kv", "c").AddPartition("p").AddPartition("q"); },
                   "c: partitions[0].sites: expected a non-empty list of sites",
                   "partitions[0].sites");
  ExpectBuildError([] { ConfigBuilder("kv", "c").AddSite("a"); },
                   "c: partitions: a site needs a partition: AddPartition first", "partitions");
  ExpectBuildError([] { ConfigBuilder("kv", "c").AddPartition(""); },
                   "c: partitions[0].name: expected a non-empty string", "partitions[0].name");
  ExpectBuildError(
      [] { ConfigBuilder("kv", "c").AddPartition("p").AddSite("a").AddPartition("p"); },
      "c: partitions[1].name: duplicate partition name \"p\"", "partitions[1].name");
  ExpectBuildError([] { ConfigBuilder("kv", "c").AddPartition("p").AddSite(""); },
                   "c: partitions[0].sites[0].name: expected a non-empty string",
                   "partitions[0].sites[0].name");
  ExpectBuildError(
      [] {
        ConfigBuilder("kv", "c").AddPartition("p").AddSite("a").AddPartition("q").AddSite("a");
      },
      "c: partitions[1].sites[0].name: duplicate site name \"a\"", "partitions[1].sites[0].name");
  ExpectBuildError([] { ConfigBuilder("kv", "c").AddPartition("p").AddSite("a", ""); },
                   "c: partitions[0].sites[0].host: expected a non-empty string",
                   "partitions[0].sites[0].host");
  for (int64_t bad : {int64_t{-1}, int64_t{65536}, int64_t{70000}, int64_t{1} << 40}) {
    ExpectBuildError([bad] { ConfigBuilder("kv", "c").AddPartition("p").AddSite("a", "h", bad); },
                     "c: partitions[0].sites[0].port: expected a port in 0..65535, got " +
                         std::to_string(bad),
                     "partitions[0].sites[0].port");
  }
  ExpectBuildError(
      [] { ConfigBuilder("kv", "c").AddPartition("p").AddSite("a", "h", 9).AddSite("b", "h", 9); },
      "c: partitions[0].sites[1].port: address h:9 is used by another site",
      "partitions[0].sites[1].port");
  // Port 0 means "pick one when listening": it may repeat (cluster mode rejects it elsewhere:
  // CheckFixedPorts in deptran/launcher.h).
  Config zero = ConfigBuilder("kv").AddPartition("p").AddSite("a").AddSite("b").Build();
  EXPECT_EQ(zero.Site(0).Address(), zero.Site(1).Address());
}

TEST(ConfigBuilderTest, RejectsBadAddresses) {
  for (const char* bad : {"nocolon", ":7000", "h:", "h:x", "h:-1", "h:65536", "h:7000 ", "h:+1"}) {
    ExpectBuildError([bad] { Config::FromAddresses("raft", {"127.0.0.1:1", bad}); },
                     std::string("<raft cluster>: partitions[0].sites[1]: expected an address "
                                 "\"host:port\" with a port in 0..65535, got \"") +
                         bad + "\"",
                     "partitions[0].sites[1]");
  }
  ExpectBuildError([] { Config::FromAddresses("raft", {}); },
                   "<raft cluster>: partitions[0].sites: expected a non-empty list of sites",
                   "partitions[0].sites");
  ExpectBuildError([] { Config::FromAddresses("raft", {"h:1", "h:1"}); },
                   "<raft cluster>: partitions[0].sites[1].port: address h:1 is used by another "
                   "site",
                   "partitions[0].sites[1].port");
}

// Builder errors reached from YAML carry the line of the offending key.
TEST(ConfigBuilderTest, YamlErrorsFromTheBuilderNameTheLine) {
  const std::string head = "lab: raft\npartitions:\n  - name: p0\n    sites:\n";
  ExpectError(
      head + "      - name: s0\n      - name: s1\n        port: 70000\n",
      "t.yml: partitions[0].sites[1].port: expected a port in 0..65535, got 70000 (line 7)");
  ExpectError(head + "      - name: s0\n      - name: s0\n",
              "t.yml: partitions[0].sites[1].name: duplicate site name \"s0\" (line 6)");
}

TEST(ConfigTest, EmptyOptionsAllowed) {
  Config c = Config::LoadString("lab: raft\npartitions: [{name: p, sites: [{name: a}]}]\noptions:\n");
  EXPECT_TRUE(c.options().empty());
  EXPECT_EQ(c.source(), "<string>");
}

}  // namespace
}  // namespace janus
