#include "labs/harness/shardmaster/config_checks.h"

#include <algorithm>
#include <functional>
#include <map>
#include <vector>

namespace janus {

namespace {

// Shards per gid of `shards`, for every group of `groups` (0 if it serves none).
std::map<uint64_t, int> Loads(const std::vector<uint64_t>& shards,
                              const std::map<uint64_t, std::vector<std::string>>& groups) {
  std::map<uint64_t, int> load;
  for (const auto& g : groups) load[g.first] = 0;
  for (uint64_t gid : shards) {
    auto it = load.find(gid);
    if (it != load.end()) it->second++;
  }
  return load;
}

}  // namespace

std::string ConfigValidityProblem(const ShardConfig& c) {
  auto bad = [&](const std::string& why) { return why + "\n  " + DescribeShardConfig(c); };
  if (c.shards.size() != static_cast<size_t>(kNShards)) {
    return bad(std::to_string(c.shards.size()) + " shards, expected " + std::to_string(kNShards) +
               " (numbered 0.." + std::to_string(kNShards - 1) + ")");
  }
  for (const auto& g : c.groups) {
    if (g.first == 0) return bad("gid 0 is a group (0 means \"no group\")");
    if (g.second.empty()) return bad("group " + std::to_string(g.first) + " has no servers");
  }
  for (int s = 0; s < kNShards; s++) {
    const uint64_t gid = c.shards[s];
    if (c.groups.empty() && gid != 0) {
      return bad("no groups, yet shard " + std::to_string(s) + " is on gid " +
                 std::to_string(gid) + " (without groups every shard is on gid 0)");
    }
    if (!c.groups.empty() && c.groups.count(gid) == 0) {
      return bad("shard " + std::to_string(s) + " is on gid " + std::to_string(gid) +
                 ", which is not a group of the configuration");
    }
  }
  return "";
}

std::string ConfigBalanceProblem(const ShardConfig& c) {
  if (c.groups.empty()) return "";
  int most = 0, least = kNShards;
  for (const auto& l : Loads(c.shards, c.groups)) {
    most = std::max(most, l.second);
    least = std::min(least, l.second);
  }
  if (most - least <= 1) return "";
  return "unbalanced: a group serves " + std::to_string(most) + " shards, another " +
         std::to_string(least) + " (at most one apart)\n  " + DescribeShardConfig(c);
}

int ShardsMoved(const ShardConfig& before, const ShardConfig& after) {
  int moved = 0;
  const size_t n = std::min(before.shards.size(), after.shards.size());
  for (size_t s = 0; s < n; s++) moved += before.shards[s] != after.shards[s] ? 1 : 0;
  return moved;
}

int ShardsThatMustMove(const ShardConfig& before, const ShardConfig& after) {
  int needed = 0;
  const int n = static_cast<int>(after.groups.size());
  if (n == 0) {
    for (uint64_t gid : before.shards) needed += gid != 0 ? 1 : 0;
    return needed;
  }
  for (uint64_t gid : before.shards) needed += after.groups.count(gid) == 0 ? 1 : 0;
  std::vector<int> loads;
  for (const auto& l : Loads(before.shards, after.groups)) loads.push_back(l.second);
  std::sort(loads.begin(), loads.end(), std::greater<int>());
  for (int k = 0; k < n; k++) {
    const int share = kNShards / n + (k < kNShards % n ? 1 : 0);
    needed += std::max(0, loads[k] - share);
  }
  return needed;
}

std::string TransferProblem(const ShardConfig& before, const ShardConfig& after) {
  const int moved = ShardsMoved(before, after);
  const int needed = ShardsThatMustMove(before, after);
  if (moved <= needed) return "";
  return "not a minimal transfer: " + std::to_string(moved) + " shards changed group where " +
         std::to_string(needed) +
         " had to (a shard moves only if its group left or holds more than its share)\n"
         "  before: " + DescribeShardConfig(before) + "\n  after:  " + DescribeShardConfig(after);
}

}  // namespace janus
