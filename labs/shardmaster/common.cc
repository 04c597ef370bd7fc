#include "labs/shardmaster/common.h"

namespace janus {

std::string DescribeShardConfig(const ShardConfig& c) {
  std::string s = "config " + std::to_string(c.num) + ": shards [";
  for (size_t i = 0; i < c.shards.size(); i++) s += (i ? " " : "") + std::to_string(c.shards[i]);
  s += "], groups {";
  bool first = true;
  for (const auto& g : c.groups) {
    s += (first ? "" : ", ") + std::to_string(g.first) + ": " + std::to_string(g.second.size()) +
         (g.second.size() == 1 ? " server" : " servers");
    first = false;
  }
  return s + "}";
}

}  // namespace janus
