#include "deptran/net_options.h"

#include <gtest/gtest.h>

namespace janus {
namespace {

Config WithOptions(const std::string& options) {
  return Config::LoadString("lab: kv\npartitions:\n  - name: p\n    sites:\n      - {name: s0}\n"
                            "options:\n" + options,
                            "t.yml");
}

TEST(NetOptions, AbsentOptionsKeepTheDefaults) {
  rrr::TcpLimits d;
  rrr::TcpLimits l = TcpLimitsFromConfig(WithOptions("  maxraftstate: 10\n"));
  EXPECT_EQ(d.max_connections, l.max_connections);
  EXPECT_EQ(d.hello_timeout_ms, l.hello_timeout_ms);
  EXPECT_EQ(64u, l.hello_frame_bytes_max);
}

TEST(NetOptions, EveryLimitIsReadFromItsOption) {
  rrr::TcpLimits l = TcpLimitsFromConfig(WithOptions(
      "  hello_frame_bytes_max: 16\n  frame_bytes_max: 4096\n  hello_timeout_ms: 11\n"
      "  idle_timeout_ms: 12\n  max_connections: 13\n  server_buffer_bytes_max: 2048\n"
      "  accept_backoff_ms: 14\n"));
  EXPECT_EQ(16u, l.hello_frame_bytes_max);
  EXPECT_EQ(4096u, l.frame_bytes_max);
  EXPECT_EQ(11u, l.hello_timeout_ms);
  EXPECT_EQ(12u, l.idle_timeout_ms);
  EXPECT_EQ(13u, l.max_connections);
  EXPECT_EQ(2048u, l.server_buffer_bytes_max);
  EXPECT_EQ(14u, l.accept_backoff_ms);
  EXPECT_EQ(7u, TcpLimitOptionNames().size());
}

TEST(NetOptions, OutOfRangeOrNotAnIntegerIsAConfigError) {
  EXPECT_THROW(TcpLimitsFromConfig(WithOptions("  max_connections: 0\n")), ConfigError);
  EXPECT_THROW(TcpLimitsFromConfig(WithOptions("  frame_bytes_max: 999999999\n")), ConfigError);
  EXPECT_THROW(TcpLimitsFromConfig(WithOptions("  idle_timeout_ms: soon\n")), ConfigError);
  try {
    TcpLimitsFromConfig(WithOptions("  hello_timeout_ms: -5\n"));
    FAIL();
  } catch (const ConfigError& e) {
    EXPECT_NE(std::string::npos, std::string(e.what()).find("t.yml: options.hello_timeout_ms"));
  }
}

// config/kv_3_cluster.yml lists every limit at its default: the file and the code agree.
TEST(NetOptions, TheExampleConfigShowsTheDefaults) {
  Config c = Config::LoadFile(JANUS_SOURCE_DIR "/config/kv_3_cluster.yml");
  for (const std::string& name : TcpLimitOptionNames()) EXPECT_TRUE(c.HasOption(name)) << name;
  rrr::TcpLimits d, l = TcpLimitsFromConfig(c);
  EXPECT_EQ(d.hello_frame_bytes_max, l.hello_frame_bytes_max);
  EXPECT_EQ(d.frame_bytes_max, l.frame_bytes_max);
  EXPECT_EQ(d.hello_timeout_ms, l.hello_timeout_ms);
  EXPECT_EQ(d.idle_timeout_ms, l.idle_timeout_ms);
  EXPECT_EQ(d.max_connections, l.max_connections);
  EXPECT_EQ(d.server_buffer_bytes_max, l.server_buffer_bytes_max);
  EXPECT_EQ(d.accept_backoff_ms, l.accept_backoff_ms);
}

TEST(NetOptions, ConnectionsLeaveReservedDescriptorsFree) {
  EXPECT_EQ(1024u, ConnectionsWithinFdLimit(1024, 1u << 20, 38));
  EXPECT_EQ(26u, ConnectionsWithinFdLimit(1024, 64, 38));
  EXPECT_EQ(10u, ConnectionsWithinFdLimit(10, 64, 38));
  EXPECT_EQ(1u, ConnectionsWithinFdLimit(1024, 20, 38));
  EXPECT_EQ(38u, ReservedDescriptors(WithOptions("  maxraftstate: 1\n")) + 4);
}

}  // namespace
}  // namespace janus
