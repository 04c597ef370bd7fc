// The YAML front end of Config: reads the schema documented in config.h with yaml-cpp and turns
// every problem into a ConfigError naming the source and the key path.
#include <yaml-cpp/yaml.h>

#include <fstream>
#include <sstream>

#include "deptran/config.h"
#include "deptran/scalar.h"

namespace janus {

// Walks one parsed document: checks its shape and types here, and builds the Config through
// ConfigBuilder, which checks the values (names, ports, duplicates) as it does for code.
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

    ConfigBuilder b(String(Require(root, "lab", ""), "lab"), source_);
    ParsePartitions(Require(root, "partitions", ""), &b);
    if (root["options"].IsDefined() && !root["options"].IsNull()) {
      ParseOptions(root["options"], &b);
    }
    return b.Build();
  }

 private:
  void ParsePartitions(const YAML::Node& list, ConfigBuilder* b) {
    if (!list.IsSequence() || list.size() == 0) {
      Fail("partitions", "expected a non-empty list of partitions", list);
    }
    for (size_t p = 0; p < list.size(); p++) {
      std::string path = "partitions[" + std::to_string(p) + "]";
      const YAML::Node part = list[p];
      if (!part.IsMap()) Fail(path, "expected a map with keys name, sites", part);
      CheckKeys(part, {"name", "sites"}, path);
      const std::string name = String(Require(part, "name", path), path + ".name");
      Build(part, [&] { b->AddPartition(name); });
      const YAML::Node sites = Require(part, "sites", path);
      if (!sites.IsSequence() || sites.size() == 0) {
        Fail(path + ".sites", "expected a non-empty list of sites", sites);
      }
      for (size_t i = 0; i < sites.size(); i++) {
        ParseSite(sites[i], path + ".sites[" + std::to_string(i) + "]", b);
      }
    }
  }

  void ParseSite(const YAML::Node& node, const std::string& path, ConfigBuilder* b) {
    if (!node.IsMap()) Fail(path, "expected a map with keys name, host, port", node);
    CheckKeys(node, {"name", "host", "port"}, path);
    const std::string name = String(Require(node, "name", path), path + ".name");
    std::string host = "127.0.0.1";
    if (node["host"].IsDefined()) host = String(node["host"], path + ".host");
    int64_t port = 0;
    if (node["port"].IsDefined()) port = Int(node["port"], path + ".port");
    Build(node, [&] { b->AddSite(name, host, port); });
  }

  void ParseOptions(const YAML::Node& map, ConfigBuilder* b) {
    if (!map.IsMap()) Fail("options", "expected a map of option names to values", map);
    for (const auto& kv : map) {
      std::string key = String(kv.first, "options (key)");
      if (!kv.second.IsScalar()) {
        Fail("options." + key, "expected a scalar (number, string or boolean)", kv.second);
      }
      b->SetOption(key, kv.second.Scalar());
    }
  }

  // Runs a builder step; a ConfigError it throws gets the line of the key it names (a key of
  // `map`, e.g. "port" for "partitions[0].sites[1].port"), or of `map` itself.
  template <typename Step>
  void Build(const YAML::Node& map, Step step) {
    try {
      step();
    } catch (const ConfigError& e) {
      const std::string& path = e.key_path();
      const size_t dot = path.rfind('.');
      const std::string key = dot == std::string::npos ? path : path.substr(dot + 1);
      const YAML::Node at = map[key].IsDefined() ? map[key] : map;
      throw ConfigError(e.what() + LineOf(at), path);
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

  // " (line N)" for a node read from the text, "" otherwise.
  static std::string LineOf(const YAML::Node& at) {
    if (!at.IsDefined() || at.Mark().is_null()) return "";
    return " (line " + std::to_string(at.Mark().line + 1) + ")";
  }

  [[noreturn]] void Fail(const std::string& path, const std::string& msg, const YAML::Node& at) {
    throw ConfigError(source_ + ": " + path + ": " + msg + LineOf(at), path);
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
