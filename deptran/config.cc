// Config accessors and typed option getters. The builder is in config_builder.cc, the YAML
// parser in config_parse.cc.
#include "deptran/config.h"

#include "deptran/scalar.h"
#include "rrr/base/verify.h"

namespace janus {

std::string SiteInfo::Address() const { return host + ":" + std::to_string(port); }

const SiteInfo& Config::Site(int site_id) const {
  verify(site_id >= 0 && site_id < NumSites());
  return sites_[site_id];
}

const PartitionInfo& Config::Partition(int partition_id) const {
  verify(partition_id >= 0 && partition_id < NumPartitions());
  return partitions_[partition_id];
}

const SiteInfo* Config::FindSite(const std::string& name) const {
  for (const SiteInfo& s : sites_) {
    if (s.name == name) return &s;
  }
  return nullptr;
}

const PartitionInfo* Config::FindPartition(const std::string& name) const {
  for (const PartitionInfo& p : partitions_) {
    if (p.name == name) return &p;
  }
  return nullptr;
}

std::vector<int> Config::SitesOfPartition(int partition_id) const {
  return Partition(partition_id).site_ids;
}

void Config::SetPort(int site_id, int port) {
  verify(site_id >= 0 && site_id < NumSites());
  verify(port >= 0 && port <= 65535);
  sites_[site_id].port = port;
}

bool Config::HasOption(const std::string& key) const { return options_.count(key) > 0; }

void Config::SetOption(const std::string& key, const std::string& value) {
  options_[key] = value;
}

namespace {

[[noreturn]] void BadOption(const Config& c, const std::string& key, const char* expected,
                            const std::string& text) {
  throw ConfigError(c.source() + ": options." + key + ": expected " + expected + ", got \"" +
                    text + "\"");
}

}  // namespace

int64_t Config::GetInt(const std::string& key, int64_t def) const {
  auto it = options_.find(key);
  if (it == options_.end()) return def;
  int64_t v = 0;
  if (!ParseInt64(it->second, &v)) BadOption(*this, key, "an integer", it->second);
  return v;
}

double Config::GetDouble(const std::string& key, double def) const {
  auto it = options_.find(key);
  if (it == options_.end()) return def;
  double v = 0;
  if (!ParseDouble(it->second, &v)) BadOption(*this, key, "a number", it->second);
  return v;
}

bool Config::GetBool(const std::string& key, bool def) const {
  auto it = options_.find(key);
  if (it == options_.end()) return def;
  bool v = false;
  if (!ParseBool(it->second, &v)) BadOption(*this, key, "a boolean", it->second);
  return v;
}

std::string Config::GetString(const std::string& key, const std::string& def) const {
  auto it = options_.find(key);
  return it == options_.end() ? def : it->second;
}

}  // namespace janus
