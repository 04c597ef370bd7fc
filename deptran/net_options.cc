#include "deptran/net_options.h"

#include <cstdint>

namespace janus {

namespace {

// Reads option `key` into *field if present, checking min <= value <= max.
template <typename T>
void ReadLimit(const Config& config, const std::string& key, int64_t min, int64_t max, T* field) {
  if (!config.HasOption(key)) return;
  int64_t v = config.GetInt(key, 0);
  if (v < min || v > max) {
    throw ConfigError(config.source() + ": options." + key + ": " + std::to_string(v) +
                          " is out of range [" + std::to_string(min) + ", " +
                          std::to_string(max) + "]",
                      "options." + key);
  }
  *field = static_cast<T>(v);
}

constexpr int64_t kDay_ms = 24LL * 3600 * 1000;

}  // namespace

const std::vector<std::string>& TcpLimitOptionNames() {
  static const std::vector<std::string> names = {
      "hello_frame_bytes_max", "frame_bytes_max",          "hello_timeout_ms", "idle_timeout_ms",
      "max_connections",       "server_buffer_bytes_max", "accept_backoff_ms"};
  return names;
}

rrr::TcpLimits TcpLimitsFromConfig(const Config& config) {
  rrr::TcpLimits l;
  ReadLimit(config, "hello_frame_bytes_max", 8, 1 << 20, &l.hello_frame_bytes_max);
  ReadLimit(config, "frame_bytes_max", 1024, rrr::kMaxFrameBytes, &l.frame_bytes_max);
  ReadLimit(config, "hello_timeout_ms", 1, kDay_ms, &l.hello_timeout_ms);
  ReadLimit(config, "idle_timeout_ms", 1, kDay_ms, &l.idle_timeout_ms);
  ReadLimit(config, "max_connections", 1, 1 << 20, &l.max_connections);
  ReadLimit(config, "server_buffer_bytes_max", 1024, int64_t{1} << 40, &l.server_buffer_bytes_max);
  ReadLimit(config, "accept_backoff_ms", 1, 60 * 1000, &l.accept_backoff_ms);
  return l;
}

uint64_t ReservedDescriptors(const Config& config) {
  return 32 + 2 * static_cast<uint64_t>(config.NumSites());
}

uint32_t ConnectionsWithinFdLimit(uint32_t max_connections, uint64_t fd_limit, uint64_t reserved) {
  uint64_t room = fd_limit > reserved ? fd_limit - reserved : 1;
  if (room < 1) room = 1;
  return max_connections <= room ? max_connections : static_cast<uint32_t>(room);
}

}  // namespace janus
