// kv_cli_shard.h for a build without the sharded labs (labs/cluster/CMakeLists.txt picks this
// file when the targets shardmaster_node or shardkv_node do not exist): kv_cli then refuses
// configs of lab shardmaster and shardkv.
#include "labs/cluster/kv_cli_shard.h"

#include "deptran/launcher.h"

namespace janus {

std::unique_ptr<KvCliSession> OpenShardSession(const Config& config, const std::string&) {
  throw LaunchError(config.source() + ": lab '" + config.lab() +
                    "': this kv_cli was built without the labs shardmaster and shardkv");
}

int RunShardCommand(KvCliSession&, const std::vector<std::string>&, uint64_t,
                    std::string* bad_input) {
  *bad_input = "this kv_cli was built without the labs shardmaster and shardkv";
  return kExitBadInput;
}

}  // namespace janus
