// ConfigBuilder: a Config from code, with the checks of the YAML path; and the two shapes built
// on it (Config::Local, Config::FromAddresses).
#include <algorithm>

#include "deptran/config.h"
#include "rrr/base/flags.h"
#include "rrr/base/verify.h"

namespace janus {

ConfigBuilder::ConfigBuilder(const std::string& lab, const std::string& source) {
  config_.source_ = source;
  if (lab.empty()) Fail("lab", "expected a non-empty string");
  config_.lab_ = lab;
}

void ConfigBuilder::Fail(const std::string& key_path, const std::string& problem) const {
  throw ConfigError(config_.source_ + ": " + key_path + ": " + problem, key_path);
}

ConfigBuilder& ConfigBuilder::AddPartition(const std::string& name) {
  const std::vector<PartitionInfo>& parts = config_.partitions_;
  const std::string path = "partitions[" + std::to_string(parts.size()) + "]";
  if (!parts.empty() && parts.back().site_ids.empty()) {
    Fail("partitions[" + std::to_string(parts.size() - 1) + "].sites",
         "expected a non-empty list of sites");
  }
  if (name.empty()) Fail(path + ".name", "expected a non-empty string");
  if (config_.FindPartition(name) != nullptr) {
    Fail(path + ".name", "duplicate partition name \"" + name + "\"");
  }
  PartitionInfo p;
  p.id = static_cast<int>(parts.size());
  p.name = name;
  config_.partitions_.push_back(p);
  return *this;
}

ConfigBuilder& ConfigBuilder::AddSite(const std::string& name, const std::string& host,
                                      int64_t port) {
  if (config_.partitions_.empty())
    Fail("partitions", "a site needs a partition: AddPartition first");
  PartitionInfo& part = config_.partitions_.back();
  const std::string path = "partitions[" + std::to_string(part.id) + "].sites[" +
                           std::to_string(part.site_ids.size()) + "]";
  if (name.empty()) Fail(path + ".name", "expected a non-empty string");
  if (config_.FindSite(name) != nullptr)
    Fail(path + ".name", "duplicate site name \"" + name + "\"");
  if (host.empty()) Fail(path + ".host", "expected a non-empty string");
  if (port < 0 || port > 65535) {
    Fail(path + ".port", "expected a port in 0..65535, got " + std::to_string(port));
  }
  SiteInfo s;
  s.name = name;
  s.host = host;
  s.port = static_cast<int>(port);
  const std::string address = s.Address();
  const bool clash = std::any_of(config_.sites_.begin(), config_.sites_.end(),
                                 [&](const SiteInfo& o) { return o.Address() == address; });
  if (port != 0 && clash) Fail(path + ".port", "address " + address + " is used by another site");
  s.id = static_cast<int>(config_.sites_.size());
  s.partition_id = part.id;
  s.index_in_partition = static_cast<int>(part.site_ids.size());
  part.site_ids.push_back(s.id);
  config_.sites_.push_back(s);
  return *this;
}

ConfigBuilder& ConfigBuilder::AddSiteAt(const std::string& name, const std::string& address) {
  const size_t colon = address.rfind(':');
  uint64_t port = 0;
  if (colon == std::string::npos || colon == 0 ||
      !rrr::ParseDecimalU64(address.substr(colon + 1), &port) || port > 65535) {
    const size_t partition = config_.partitions_.empty() ? 0 : config_.partitions_.size() - 1;
    const size_t index =
        config_.partitions_.empty() ? 0 : config_.partitions_.back().site_ids.size();
    Fail("partitions[" + std::to_string(partition) + "].sites[" + std::to_string(index) + "]",
         "expected an address \"host:port\" with a port in 0..65535, got \"" + address + "\"");
  }
  return AddSite(name, address.substr(0, colon), static_cast<int64_t>(port));
}

ConfigBuilder& ConfigBuilder::SetOption(const std::string& key, const std::string& value) {
  config_.options_[key] = value;
  return *this;
}

Config ConfigBuilder::Build() const {
  if (config_.partitions_.empty()) Fail("partitions", "expected a non-empty list of partitions");
  const PartitionInfo& last = config_.partitions_.back();
  if (last.site_ids.empty()) {
    Fail("partitions[" + std::to_string(last.id) + "].sites", "expected a non-empty list of sites");
  }
  return config_;
}

Config Config::Local(const std::string& lab, int n_partitions, int sites_per_partition) {
  verify(n_partitions >= 1 && sites_per_partition >= 1);
  ConfigBuilder b(lab, "<local>");
  int site = 0;
  for (int p = 0; p < n_partitions; p++) {
    b.AddPartition("p" + std::to_string(p));
    for (int i = 0; i < sites_per_partition; i++) b.AddSite("s" + std::to_string(site++));
  }
  return b.Build();
}

Config Config::FromAddresses(const std::string& lab, const std::vector<std::string>& addrs) {
  ConfigBuilder b(lab, "<" + lab + " cluster>");
  b.AddPartition("p0");
  for (size_t i = 0; i < addrs.size(); i++) b.AddSiteAt("s" + std::to_string(i), addrs[i]);
  return b.Build();
}

}  // namespace janus
