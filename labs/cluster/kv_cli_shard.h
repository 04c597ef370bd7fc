// kv_cli's side of the sharded labs (labs/cluster/kv_cli.cc): the sessions of configs of lab
// shardmaster and shardkv, and the shard-master commands. Implemented by kv_cli_shard.cc, or by
// kv_cli_shard_none.cc when those labs are not built (labs/cluster/CMakeLists.txt).
//
//   join GID...           groups GID... with, as servers, the addresses of the config's
//                         partition g<GID> (one Join: several groups join at once)
//   join GID ADDR...      group GID with the servers at ADDR... ("host:port")
//   leave GID...          the groups leave (one Leave)
//   move SHARD GID        shard SHARD (0 .. kNShards-1) to group GID
//   query [NUM]           prints configuration NUM (default -1: the latest): its description
//                         (DescribeShardConfig), then one line per group, "group G: shards S...;
//                         servers ADDR..."
//
// Join, leave and move print "OK". Exit codes as kv_cli's: 2 for arguments that cannot be
// right whatever the cluster holds, 1 for no answer in time or a request the shard master
// refused (ErrInvalid: e.g. joining a gid already in the configuration).
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "deptran/config.h"
#include "labs/cluster/kv_cli_session.h"

namespace janus {

// True for the names of the shard-master commands (join, leave, move, query).
inline bool IsShardCommand(const std::string& name) {
  return name == "join" || name == "leave" || name == "move" || name == "query";
}

// True for the labs this file is about (shardmaster, shardkv).
inline bool IsShardLab(const std::string& lab) { return lab == "shardmaster" || lab == "shardkv"; }

// Opens a session for a config of lab shardmaster (the shard master: partition `partition`, or
// the first; no keys) or shardkv (the shard master: partition "ctrl"; the keys: through a
// ShardKvClient; `partition` must be empty). Throws LaunchError (or ConfigError) for a config it
// cannot use: shard_config.h's checks, a port 0, or the labs not built.
// REQUIRES: IsShardLab(config.lab()).
std::unique_ptr<KvCliSession> OpenShardSession(const Config& config, const std::string& partition);

// Runs one shard-master command `cmd` (cmd[0] is its name) on `session`, printing its result on
// stdout and runtime failures on stderr. Returns the exit code; for kExitBadInput it prints
// nothing and sets *bad_input to the message (the caller adds the usage).
// REQUIRES: IsShardCommand(cmd[0]), !session.target().master_addrs.empty().
int RunShardCommand(KvCliSession& session, const std::vector<std::string>& cmd,
                    uint64_t timeout_us, std::string* bad_input);

}  // namespace janus
