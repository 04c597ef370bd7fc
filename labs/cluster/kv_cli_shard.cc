#include "labs/cluster/kv_cli_shard.h"

#include <cstdint>
#include <cstdio>
#include <functional>
#include <map>

#include "deptran/launcher.h"
#include "labs/cluster/shard_config.h"
#include "labs/shardkv/client.h"
#include "labs/shardmaster/client.h"
#include "rrr/base/flags.h"

namespace janus {
namespace {

std::string DescribeSites(const Config& config, const PartitionInfo& p) {
  std::string out;
  for (int id : p.site_ids) {
    const SiteInfo& s = config.Site(id);
    out += (out.empty() ? "" : ", ") + s.name + " (" + s.Address() + ")";
  }
  return out;
}

// A gid argument: a decimal > 0.
bool ParseGid(const std::string& text, uint64_t* gid) {
  return rrr::ParseDecimalU64(text, gid) && *gid > 0;
}

void PrintConfig(const ShardConfig& c) {
  printf("%s\n", DescribeShardConfig(c).c_str());
  for (const auto& [gid, servers] : c.groups) {
    std::string shards, addrs;
    for (size_t s = 0; s < c.shards.size(); s++) {
      if (c.shards[s] == gid) shards += (shards.empty() ? "" : " ") + std::to_string(s);
    }
    for (const std::string& a : servers) addrs += " " + a;
    printf("group %llu: shards %s; servers%s\n", static_cast<unsigned long long>(gid),
           shards.empty() ? "none" : shards.c_str(), addrs.c_str());
  }
}

// Parses cmd into a request for `sm`; returns the call to run, or sets *bad_input.
std::function<SmErr(ShardMasterClient&)> ParseRequest(const Config& config,
                                                       const std::vector<std::string>& cmd,
                                                       std::string* bad_input,
                                                       std::shared_ptr<ShardConfig> queried) {
  const std::string& op = cmd[0];
  const std::vector<std::string> args(cmd.begin() + 1, cmd.end());
  if (op == "join" || op == "leave") {
    if (args.empty()) {
      *bad_input = op + " takes GID" + (op == "join" ? "... or GID ADDR..." : "...");
      return nullptr;
    }
    std::map<uint64_t, std::vector<std::string>> servers;
    std::vector<uint64_t> gids;
    const bool with_addrs = op == "join" && args.size() > 1 &&
                            args[1].find(':') != std::string::npos;
    for (size_t i = 0; i < (with_addrs ? 1 : args.size()); i++) {
      uint64_t gid = 0;
      if (!ParseGid(args[i], &gid)) {
        *bad_input = op + ": '" + args[i] + "' is not a gid (a positive integer)";
        return nullptr;
      }
      gids.push_back(gid);
      if (op != "join" || with_addrs) continue;
      const PartitionInfo* p = GroupPartition(config, gid);
      if (p == nullptr) {
        *bad_input = "join " + args[i] + ": " + config.source() + " has no partition g" +
                     args[i] + "; name the group's servers: join " + args[i] + " HOST:PORT...";
        return nullptr;
      }
      servers[gid] = PartitionAddrs(config, *p);
    }
    if (with_addrs) {
      std::vector<std::string> addrs(args.begin() + 1, args.end());
      try {
        Config::FromAddresses("shardkv", addrs);  // checks each is host:port, none twice
      } catch (const std::exception& e) {
        *bad_input = "join " + args[0] + ": " + e.what();
        return nullptr;
      }
      servers[gids[0]] = addrs;
    }
    if (op == "join") return [servers](ShardMasterClient& sm) { return sm.Join(servers); };
    return [gids](ShardMasterClient& sm) { return sm.Leave(gids); };
  }
  if (op == "move") {
    uint64_t shard = 0, gid = 0;
    if (args.size() != 2 || !rrr::ParseDecimalU64(args[0], &shard) || shard >= kNShards ||
        !ParseGid(args[1], &gid)) {
      *bad_input = "move takes SHARD GID: a shard 0.." + std::to_string(kNShards - 1) +
                   " and a gid (a positive integer)";
      return nullptr;
    }
    return [shard, gid](ShardMasterClient& sm) { return sm.Move(static_cast<int>(shard), gid); };
  }
  // query [NUM]
  uint64_t num = 0;
  if (args.size() > 1 ||
      (args.size() == 1 && args[0] != "-1" &&
       !(rrr::ParseDecimalU64(args[0], &num) && num <= uint64_t{INT64_MAX}))) {
    *bad_input = "query takes [NUM]: a configuration number, or -1 for the latest (default)";
    return nullptr;
  }
  const int64_t want = args.empty() || args[0] == "-1" ? -1 : static_cast<int64_t>(num);
  return [want, queried](ShardMasterClient& sm) {
    *queried = sm.Query(want);
    return SmErr::OK;
  };
}

}  // namespace

std::unique_ptr<KvCliSession> OpenShardSession(const Config& config, const std::string& partition) {
  CheckShardLabConfig(config);
  if (config.lab() == "shardkv" && !partition.empty()) {
    throw LaunchError("--partition does not apply to lab shardkv (the shard master is partition "
                      "\"ctrl\", the groups come from its configurations)");
  }
  CheckFixedPorts(config);
  const PartitionInfo& master = ShardMasterPartitionOf(config, partition);
  CliTarget t;
  t.config = std::make_shared<const Config>(config);
  t.master_addrs = PartitionAddrs(config, master);
  t.master_describe = DescribeSites(config, master);
  if (config.lab() == "shardkv") {
    const std::vector<std::string> addrs = t.master_addrs;
    t.clerks = [addrs] { return std::make_unique<CliClerkOf<ShardKvClient>>(addrs); };
    t.describe = "the shard master " + t.master_describe + " and the key's group";
    // A leading digit spreads the bench keys over the shards (KeyToShard: first byte).
    t.bench_key = [](int c, int i) {
      return std::to_string(i % 10) + "bench-" + std::to_string(c) + "-" + std::to_string(i);
    };
  }
  return std::make_unique<KvCliSession>(std::move(t));
}

int RunShardCommand(KvCliSession& session, const std::vector<std::string>& cmd,
                    uint64_t timeout_us, std::string* bad_input) {
  const CliTarget& t = session.target();
  auto queried = std::make_shared<ShardConfig>();
  std::function<SmErr(ShardMasterClient&)> request =
      ParseRequest(*t.config, cmd, bad_input, queried);
  if (!request) return kExitBadInput;
  std::unique_ptr<ShardMasterClient> sm;
  session.InNode([&] { sm = std::make_unique<ShardMasterClient>(t.master_addrs); });
  SmErr err = SmErr::OK;
  const bool answered = session.RunTask([&] { err = request(*sm); }, timeout_us);
  sm.reset();
  std::string what = cmd[0];
  for (size_t i = 1; i < cmd.size(); i++) what += " " + cmd[i];
  if (!answered) {
    fprintf(stderr, "kv_cli: %s: no answer within %llu ms (is a majority of the shard master %s "
            "up?)\n", what.c_str(), static_cast<unsigned long long>(timeout_us / 1000),
            t.master_describe.c_str());
    return kExitRuntimeError;
  }
  if (err != SmErr::OK) {
    const char* why = cmd[0] == "join" ? "a gid already in the configuration?"
                                       : "a gid not in the configuration?";
    fprintf(stderr, "kv_cli: %s: the shard master refused it (%s: %s)\n", what.c_str(),
            SmErrName(err), why);
    return kExitRuntimeError;
  }
  if (cmd[0] == "query") {
    PrintConfig(*queried);
  } else {
    printf("OK\n");
  }
  fflush(stdout);
  return kExitOk;
}

}  // namespace janus
