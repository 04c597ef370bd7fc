// The tcp transport's resource limits (rrr/net/tcp_limits.h) as options of a cluster config:
// deptran_server reads them from the YAML `options:` map and installs them on its transport
// before its site starts listening. Each option is named after its TcpLimits field, units in
// the name; an absent option keeps the default.
//
//   options:
//     hello_frame_bytes_max: 64          # largest first frame (the 8-byte hello), bytes
//     frame_bytes_max: 67108864          # largest later frame, bytes (at most 64 MiB)
//     hello_timeout_ms: 10000            # a connection must say hello within this long
//     idle_timeout_ms: 60000             # an unfinished frame must complete within this long
//     max_connections: 1024              # accepted connections per server
//     server_buffer_bytes_max: 268435456 # unfinished-frame bytes buffered per server (256 MiB)
//     accept_backoff_ms: 100             # pause of accept(2) when out of descriptors
#pragma once

#include <string>
#include <vector>

#include "deptran/config.h"
#include "rrr/net/tcp_limits.h"

namespace janus {

// The option names above, in that order.
const std::vector<std::string>& TcpLimitOptionNames();

// The limits given by `config`'s options, defaults for the absent ones. Throws ConfigError
// ("<source>: options.<key>: ...") for a value that is not an integer or is out of range (every
// limit must be at least 1; frame_bytes_max at most 64 MiB; hello_frame_bytes_max at least 8).
rrr::TcpLimits TcpLimitsFromConfig(const Config& config);

// Descriptors deptran_server keeps out of max_connections' reach, for its data files, its own
// connections to the other sites and the process's usual ones: 32 + 2 per site of the config.
uint64_t ReservedDescriptors(const Config& config);

// max_connections lowered, if needed, so that accepted connections can never use the last
// `reserved` of `fd_limit` descriptors (RLIMIT_NOFILE): a flood of connections must not leave
// the persister without a descriptor to write its state with. At least 1.
uint32_t ConnectionsWithinFdLimit(uint32_t max_connections, uint64_t fd_limit, uint64_t reserved);

}  // namespace janus
