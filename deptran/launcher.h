// The server launcher behind `deptran_server`: runs one site of a cluster as its own OS process,
// over TCP on a real-time reactor, with its Raft state kept on disk (FilePersister).
//
//   deptran_server --config FILE --site NAME [--data-dir DIR] [--log-level L] [--seed N]
//                  [--fault-control FILE]   (test-only network faults: deptran/fault_control.h)
//
// The generic part lives here: flag parsing, loading and checking the config, the reactor, the
// site's node context, the persister, and SIGINT/SIGTERM -> clean shutdown. What a site *is*
// depends on the config's `lab` and is registered by the lab side, by name:
//
//   // labs/cluster/cluster_sites.cc
//   JANUS_REGISTER_LAB_SITE(kv, [](const janus::SiteEnv& env) {
//     return std::make_unique<KvSite>(env);
//   });
//
// Registration runs in static initializers, so the file that registers must be linked into the
// executable as an object file (not pulled from a static library, where the linker drops it).
//
// A lab may also register a check of the whole config (JANUS_REGISTER_LAB_CONFIG_CHECK, e.g. lab
// shardkv's partition names in labs/cluster/shard_sites.cc), run before anything is opened.
//
// Exit codes: 0 after a clean shutdown, 2 for bad input (flags, config, unknown site or lab,
// port 0 in a multi-site config, a config the lab's check refuses), 1 for runtime failures
// (cannot listen, a data dir that is locked, unusable, or holds data that cannot be read back:
// see deptran/data_dir.h). Every failure prints one line on stderr; none aborts.
#pragma once

#include <cstdint>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "deptran/config.h"
#include "deptran/data_dir.h"
#include "deptran/persister.h"

namespace janus {

// Process exit codes of the launcher (and of the other cluster-mode tools, e.g. kv_cli).
constexpr int kExitOk = 0;
constexpr int kExitRuntimeError = 1;
constexpr int kExitBadInput = 2;

// Bad input detected before anything runs: the message says what and where; exit code 2.
class LaunchError : public std::runtime_error {
 public:
  explicit LaunchError(const std::string& what) : std::runtime_error(what) {}
};

// The command line of deptran_server.
struct LaunchOptions {
  std::string config_path;         // --config, required
  std::string site_name;           // --site, required
  std::string data_dir;            // --data-dir; empty = "./data/<site>"
  std::string log_level = "info";  // --log-level: debug|info|warn|error
  uint64_t seed = 0;               // --seed; 0 = a fresh random seed per process
  std::string fault_control;       // --fault-control FILE (test-only); empty = no fault hook
};

// Parses the arguments after argv[0] with rrr::FlagParser ("--flag VALUE" or "--flag=VALUE").
// Returns false and sets *error (one line) on an unknown flag, a missing or malformed value, a
// stray argument or a missing required flag. "--help"/"-h" also returns false, with *error empty
// (the caller prints the usage and exits 0).
bool ParseLaunchArgs(const std::vector<std::string>& args, LaunchOptions* out, std::string* error);

// The usage text of deptran_server, naming `prog`.
std::string LaunchUsage(const std::string& prog);

// The data directory actually used: opts.data_dir, or "./data/<site>" when it is empty.
std::string DataDirFor(const LaunchOptions& opts);

// What a lab's factory gets to build its site. Everything outlives the site.
struct SiteEnv {
  std::shared_ptr<const Config> config;  // the whole cluster
  int site_id = -1;                      // which site this process runs
  Persister* persister = nullptr;        // the site's FilePersister

  const SiteInfo& site() const { return config->Site(site_id); }
};

// A running site. Destroying it stops it (stops serving, shuts the lab's objects down).
class LabSite {
 public:
  virtual ~LabSite() = default;
};

// Builds and starts a site; runs with the site's node context current on the reactor thread.
// Throws (std::exception) if it cannot start, e.g. cannot listen; a PersisterError or
// rrr::MarshalError means the saved state cannot be decoded (DescribeStartFailure).
using LabSiteFactory = std::function<std::unique_ptr<LabSite>(const SiteEnv&)>;

// Registers the factory of `lab` (e.g. "kv"). A second registration of the same lab replaces
// the first. Thread-compatible; meant for static initializers.
void RegisterLabSite(const std::string& lab, LabSiteFactory factory);
// The factory of `lab`, or nullptr if none is registered.
const LabSiteFactory* FindLabSite(const std::string& lab);
// Names of the registered labs, sorted.
std::vector<std::string> RegisteredLabs();

// Checks a whole config of one lab before any of its sites starts, for what the generic checks
// cannot know (e.g. lab shardkv: a partition "ctrl", the others named g<gid>). Throws
// LaunchError or ConfigError (one line: what is wrong, where); the launcher exits 2 on it.
using LabConfigCheck = std::function<void(const Config&)>;

// Registers the config check of `lab` (optional; a lab without one accepts every config). A
// second registration replaces the first. Thread-compatible; meant for static initializers.
void RegisterLabConfigCheck(const std::string& lab, LabConfigCheck check);

// Registers a factory from a static initializer (used by JANUS_REGISTER_LAB_SITE).
struct LabSiteRegistrar {
  LabSiteRegistrar(const std::string& lab, LabSiteFactory factory) {
    RegisterLabSite(lab, std::move(factory));
  }
};
#define JANUS_REGISTER_LAB_SITE(lab, factory) \
  static ::janus::LabSiteRegistrar janus_lab_site_registrar_##lab(#lab, factory)

// Registers a config check from a static initializer (used by JANUS_REGISTER_LAB_CONFIG_CHECK).
struct LabConfigCheckRegistrar {
  LabConfigCheckRegistrar(const std::string& lab, LabConfigCheck check) {
    RegisterLabConfigCheck(lab, std::move(check));
  }
};
#define JANUS_REGISTER_LAB_CONFIG_CHECK(lab, check) \
  static ::janus::LabConfigCheckRegistrar janus_lab_config_check_registrar_##lab(#lab, check)

// Checks that `config` can run site `site_name` in cluster mode and returns its id: the site
// exists, its lab has a registered factory, when the config has more than one site every site
// has a fixed port (peers must know where to connect), and the lab's registered config check (if
// any) passes. Throws LaunchError (or the check's ConfigError) otherwise.
int CheckClusterSite(const Config& config, const std::string& site_name);

// Checks that every site has a fixed (non-zero) port, as a client of the cluster needs.
// Throws LaunchError naming the sites with port 0.
void CheckFixedPorts(const Config& config);

// The whole program: parses argv, loads the config, runs the site until SIGINT/SIGTERM, shuts
// it down cleanly. Prints one line "deptran_server: site NAME (lab L) listening on HOST:PORT,
// data in DIR" on stdout once it serves. Returns the exit code (kExit*).
int LauncherMain(int argc, char** argv);

}  // namespace janus
