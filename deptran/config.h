// Cluster configuration: which sites (server processes or in-process nodes) exist, how they are
// grouped into partitions (shard groups / replica groups), where they listen, and the lab's
// options. Loaded from YAML (schema below) or built in code with ConfigBuilder (below), which
// applies the same checks: the YAML front end (config_parse.cc) feeds its documents through it.
//
// YAML schema (config/*.yml):
//
//   lab: raft                      # required string: which lab this cluster runs
//   partitions:                    # required non-empty list
//     - name: p0                   # required string, unique among partitions
//       sites:                     # required non-empty list
//         - name: s0               # required string, unique among all sites
//           host: 127.0.0.1        # optional string, default 127.0.0.1
//           port: 0                # optional integer 0..65535, default 0 (pick a free port
//                                  #   when listening; the launcher records the real one)
//   options:                       # optional map of scalars, free-form, read by the lab
//     maxraftstate: -1             # KV: snapshot once the Raft state passes this many bytes
//                                  #   (-1: never)
//     max_connections: 1024        # cluster mode: the tcp transport's resource limits
//                                  #   (hello_frame_bytes_max, frame_bytes_max,
//                                  #   hello_timeout_ms, idle_timeout_ms, max_connections,
//                                  #   server_buffer_bytes_max, accept_backoff_ms), read by
//                                  #   deptran_server: deptran/net_options.h
//
// Site ids are the index of the site in the flattened list (partition 0's sites first, in file
// order); partition ids are the index of the partition. Unknown keys are rejected (typos fail
// loudly). Every error is a ConfigError naming the file and the key path, e.g.
//   config/raft_3.yml: partitions[0].sites[1].port: expected an integer, got "x" (line 7)
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace janus {

// Thrown for unreadable files, YAML syntax errors, missing keys, wrong types, bad values, and
// for typed option getters whose option exists but does not parse as the requested type.
class ConfigError : public std::runtime_error {
 public:
  explicit ConfigError(const std::string& what) : std::runtime_error(what) {}
  // An error about one key, e.g. key_path "partitions[0].sites[1].port".
  ConfigError(const std::string& what, std::string key_path)
      : std::runtime_error(what), key_path_(std::move(key_path)) {}

  // The key the error is about ("" when not about one key).
  const std::string& key_path() const { return key_path_; }

 private:
  std::string key_path_;
};

// One site: a node with an address.
struct SiteInfo {
  int id = -1;                   // index in Config::sites()
  std::string name;              // unique in the config
  std::string host = "127.0.0.1";
  int port = 0;                  // 0 = not yet known / pick a free one at listen time
  int partition_id = -1;         // index in Config::partitions()
  int index_in_partition = -1;   // position among its partition's sites

  // "host:port".
  std::string Address() const;
};

// One partition: a group of sites replicating the same data.
struct PartitionInfo {
  int id = -1;                   // index in Config::partitions()
  std::string name;              // unique in the config
  std::vector<int> site_ids;     // ascending site ids, never empty
};

class Config {
 public:
  // An empty config (no partitions, lab ""); useful only as a placeholder.
  Config() = default;

  // Reads and validates the YAML file at `path`. Errors name `path`.
  static Config LoadFile(const std::string& path);

  // Parses and validates YAML text; `source_name` stands for the file name in error messages.
  static Config LoadString(const std::string& yaml, const std::string& source_name = "<string>");

  // A programmatic config for tests: `n_partitions` partitions "p0".. of `sites_per_partition`
  // sites each, named "s0", "s1", ... in site-id order, on 127.0.0.1 port 0, no options.
  // REQUIRES: n_partitions >= 1, sites_per_partition >= 1.
  static Config Local(const std::string& lab, int n_partitions, int sites_per_partition);

  // One partition "p0" whose site i, named "s<i>", listens on addrs[i] ("host:port"), e.g. the
  // addresses of a test cluster (source "<LAB cluster>"). Throws ConfigError on an empty list, a
  // malformed address or an address used twice (port 0 excepted).
  static Config FromAddresses(const std::string& lab, const std::vector<std::string>& addrs);

  // Name used in error messages (the file path, or the source name given to LoadString).
  const std::string& source() const { return source_; }
  const std::string& lab() const { return lab_; }

  int NumSites() const { return static_cast<int>(sites_.size()); }
  int NumPartitions() const { return static_cast<int>(partitions_.size()); }
  const std::vector<SiteInfo>& sites() const { return sites_; }
  const std::vector<PartitionInfo>& partitions() const { return partitions_; }

  // REQUIRES: 0 <= site_id < NumSites().
  const SiteInfo& Site(int site_id) const;
  // REQUIRES: 0 <= partition_id < NumPartitions().
  const PartitionInfo& Partition(int partition_id) const;
  // nullptr when no site / partition has that name.
  const SiteInfo* FindSite(const std::string& name) const;
  const PartitionInfo* FindPartition(const std::string& name) const;
  // Site ids of a partition (a copy of Partition(id).site_ids).
  std::vector<int> SitesOfPartition(int partition_id) const;

  // Records the port a site really listens on (after listening on port 0).
  // REQUIRES: valid site_id, 0 <= port <= 65535.
  void SetPort(int site_id, int port);

  // Options: raw scalar text by key. Getters return `def` when the key is absent and throw
  // ConfigError ("<source>: options.<key>: expected an integer, got ...") when present but not
  // of the requested type. Booleans accept true/false/yes/no/on/off (YAML 1.1 style).
  bool HasOption(const std::string& key) const;
  int64_t GetInt(const std::string& key, int64_t def) const;
  double GetDouble(const std::string& key, double def) const;
  bool GetBool(const std::string& key, bool def) const;
  std::string GetString(const std::string& key, const std::string& def) const;
  // Sets or replaces an option (as its text form), e.g. SetOption("maxraftstate", "1000").
  void SetOption(const std::string& key, const std::string& value);
  const std::map<std::string, std::string>& options() const { return options_; }

 private:
  friend class ConfigBuilder;
  std::string source_;
  std::string lab_;
  std::vector<SiteInfo> sites_;
  std::vector<PartitionInfo> partitions_;
  std::map<std::string, std::string> options_;
};

// Builds a Config in code, checking as it goes what the YAML path checks (config_parse.cc
// builds through it): every name non-empty, partition names unique, site names unique across
// the config, hosts non-empty, ports in 0..65535, no "host:port" (port != 0) used twice, at
// least one partition, no partition without sites. Each problem throws a ConfigError
// "<source>: <key path>: <problem>", the key path spelled as in the YAML schema.
//
//   Config c = ConfigBuilder("kv", "<my test>")
//                  .AddPartition("p0")
//                  .AddSite("s0", "127.0.0.1", 7100)
//                  .AddSiteAt("s1", "127.0.0.1:7101")
//                  .SetOption("maxraftstate", "1000")
//                  .Build();
//
// Site ids follow the order of the AddSite calls; a site joins the partition added last.
class ConfigBuilder {
 public:
  // Starts a config of `lab` (non-empty); `source` names it in error messages.
  explicit ConfigBuilder(const std::string& lab, const std::string& source = "<code>");

  // Starts partition `name`; the sites added next belong to it.
  ConfigBuilder& AddPartition(const std::string& name);
  // Adds site `name` listening on host:port (port 0: pick a free one when listening) to the
  // current partition. REQUIRES: AddPartition was called (else ConfigError).
  ConfigBuilder& AddSite(const std::string& name, const std::string& host = "127.0.0.1",
                         int64_t port = 0);
  // AddSite with the address as "host:port" (the port in decimal; "[::1]:7000" works too).
  ConfigBuilder& AddSiteAt(const std::string& name, const std::string& address);
  // Sets or replaces an option (its text form, read by Config::GetInt and the other getters).
  ConfigBuilder& SetOption(const std::string& key, const std::string& value);

  // The finished config. Throws ConfigError if there is no partition or the last one has no
  // sites. The builder may be used again afterwards.
  Config Build() const;

 private:
  [[noreturn]] void Fail(const std::string& key_path, const std::string& problem) const;

  Config config_;
};

}  // namespace janus
