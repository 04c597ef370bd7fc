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
                        Case{"shardmaster_3.yml", "shardmaster", 3, 1},
                        Case{"shardkv_3x3.yml", "shardkv", 12, 4},
                        Case{"txn_3x3.yml", "txn", 9, 3}}) {
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
  EXPECT_EQ(s->host, "127.0.0.1");  // default
  EXPECT_EQ(s->port, 0);            // default
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

TEST(ConfigTest, EmptyOptionsAllowed) {
  Config c = Config::LoadString("lab: raft\npartitions: [{name: p, sites: [{name: a}]}]\noptions:\n");
  EXPECT_TRUE(c.options().empty());
  EXPECT_EQ(c.source(), "<string>");
}

}  // namespace
}  // namespace janus
