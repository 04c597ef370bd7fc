// The YAML front end of Config: reads the schema documented in config.h with yaml-cpp and turns
// every problem into a ConfigError naming the source and the key path.
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <set>
#include <sstream>

#include "deptran/config.h"
#include "deptran/scalar.h"

namespace janus {

// Walks one parsed document. A friend of Config so it can fill the private fields.
class ConfigParser {
 public:
  explicit ConfigParser(std::string source) : source_(std::move(source)) {}

  Config Parse(const std::string& text) {
    YAML::Node loaded;
    try {
      loaded = YAML::Load(text);
    } catch (const YAML::ParserException& e) {
      throw ConfigError(source_ + ":" + std::to_string(e.mark.line + 1) + ":" +
                        std::to_string(e.mark.column + 1) + ": YAML syntax error: " + e.msg);
    }
    const YAML::Node& root = loaded;  // const access never inserts keys
    if (!root.IsMap()) Fail("(top level)", "expected a map with keys lab, partitions, options", root);
    CheckKeys(root, {"lab", "partitions", "options"}, "");

    Config c;
    c.source_ = source_;
    c.lab_ = String(Require(root, "lab", ""), "lab");
    ParsePartitions(Require(root, "partitions", ""), &c);
    if (root["options"].IsDefined() && !root["options"].IsNull()) {
      ParseOptions(root["options"], &c);
    }
    return c;
  }

 private:
  void ParsePartitions(const YAML::Node& list, Config* c) {
    if (!list.IsSequence() || list.size() == 0) {
      Fail("partitions", "expected a non-empty list of partitions", list);
    }
    std::set<std::string> part_names, site_names, addresses;
    for (size_t p = 0; p < list.size(); p++) {
      std::string path = "partitions[" + std::to_string(p) + "]";
      const YAML::Node part = list[p];
      if (!part.IsMap()) Fail(path, "expected a map with keys name, sites", part);
      CheckKeys(part, {"name", "sites"}, path);
      PartitionInfo info;
      info.id = static_cast<int>(p);
      info.name = String(Require(part, "name", path), path + ".name");
      if (!part_names.insert(info.name).second) {
        Fail(path + ".name", "duplicate partition name \"" + info.name + "\"", part["name"]);
      }
      const YAML::Node sites = Require(part, "sites", path);
      if (!sites.IsSequence() || sites.size() == 0) {
        Fail(path + ".sites", "expected a non-empty list of sites", sites);
      }
      for (size_t i = 0; i < sites.size(); i++) {
        std::string spath = path + ".sites[" + std::to_string(i) + "]";
        SiteInfo s = ParseSite(sites[i], spath);
        if (!site_names.insert(s.name).second) {
          Fail(spath + ".name", "duplicate site name \"" + s.name + "\"", sites[i]["name"]);
        }
        if (s.port != 0 && !addresses.insert(s.Address()).second) {
          Fail(spath + ".port", "address " + s.Address() + " is used by another site",
               sites[i]["port"]);
        }
        s.id = static_cast<int>(c->sites_.size());
        s.partition_id = info.id;
        s.index_in_partition = static_cast<int>(i);
        info.site_ids.push_back(s.id);
        c->sites_.push_back(s);
      }
      c->partitions_.push_back(info);
    }
  }

  SiteInfo ParseSite(const YAML::Node& node, const std::string& path) {
    if (!node.IsMap()) Fail(path, "expected a map with keys name, host, port", node);
    CheckKeys(node, {"name", "host", "port"}, path);
    SiteInfo s;
    s.name = String(Require(node, "name", path), path + ".name");
    if (node["host"].IsDefined()) s.host = String(node["host"], path + ".host");
    if (node["port"].IsDefined()) {
      int64_t port = Int(node["port"], path + ".port");
      if (port < 0 || port > 65535) {
        Fail(path + ".port", "expected a port in 0..65535, got " + std::to_string(port),
             node["port"]);
      }
      s.port = static_cast<int>(port);
    }
    return s;
  }

  void ParseOptions(const YAML::Node& map, Config* c) {
    if (!map.IsMap()) Fail("options", "expected a map of option names to values", map);
    for (const auto& kv : map) {
      std::string key = String(kv.first, "options (key)");
      if (!kv.second.IsScalar()) {
        Fail("options." + key, "expected a scalar (number, string or boolean)", kv.second);
      }
      c->options_[key] = kv.second.Scalar();
    }
  }

  // Returns map[key]; fails with "missing key" when absent.
  YAML::Node Require(const YAML::Node& map, const std::string& key, const std::string& path) {
    YAML::Node n = map[key];
    if (!n.IsDefined()) Fail(path.empty() ? key : path + "." + key, "missing key", map);
    return n;
  }

  // Fails on any key of `map` not in `allowed`.
  void CheckKeys(const YAML::Node& map, std::initializer_list<const char*> allowed,
                 const std::string& path) {
    for (const auto& kv : map) {
      std::string key = kv.first.IsScalar() ? kv.first.Scalar() : "?";
      bool ok = false;
      for (const char* a : allowed) ok = ok || key == a;
      if (!ok) {
        std::string expected;
        for (const char* a : allowed) expected += std::string(expected.empty() ? "" : ", ") + a;
        Fail(path.empty() ? key : path + "." + key, "unknown key (expected one of: " + expected + ")",
             kv.first);
      }
    }
  }

  std::string String(const YAML::Node& n, const std::string& path) {
    if (!n.IsScalar() || n.Scalar().empty()) Fail(path, "expected a non-empty string", n);
    return n.Scalar();
  }

  int64_t Int(const YAML::Node& n, const std::string& path) {
    int64_t v = 0;
    if (!n.IsScalar()) Fail(path, "expected an integer", n);
    if (!ParseInt64(n.Scalar(), &v)) {
      Fail(path, "expected an integer, got \"" + n.Scalar() + "\"", n);
    }
    return v;
  }

  [[noreturn]] void Fail(const std::string& path, const std::string& msg, const YAML::Node& at) {
    std::string where;
    if (at.IsDefined() && !at.Mark().is_null()) {
      where = " (line " + std::to_string(at.Mark().line + 1) + ")";
    }
    throw ConfigError(source_ + ": " + path + ": " + msg + where);
  }

  std::string source_;
};

Config Config::LoadString(const std::string& yaml, const std::string& source_name) {
  return ConfigParser(source_name).Parse(yaml);
}

Config Config::LoadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw ConfigError(path + ": cannot open the file");
  std::ostringstream text;
  text << in.rdbuf();
  if (in.bad()) throw ConfigError(path + ": read error");
  return LoadString(text.str(), path);
}

}  // namespace janus
