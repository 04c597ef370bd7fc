#include "deptran/launcher.h"

#include <sys/resource.h>

#include <csignal>
#include <cstdio>
#include <map>
#include <random>

#include "deptran/fault_control.h"
#include "deptran/file_persister.h"
#include "deptran/net_options.h"
#include "rrr/base/flags.h"
#include "rrr/base/logging.h"
#include "rrr/net/tcp_transport.h"
#include "rrr/reactor/node.h"
#include "rrr/reactor/reactor.h"

namespace janus {

namespace {

std::map<std::string, LabSiteFactory>& Registry() {
  static std::map<std::string, LabSiteFactory> registry;
  return registry;
}

std::map<std::string, LabConfigCheck>& CheckRegistry() {
  static std::map<std::string, LabConfigCheck> registry;
  return registry;
}

std::string Join(const std::vector<std::string>& names) {
  std::string out;
  for (const std::string& n : names) out += (out.empty() ? "" : ", ") + n;
  return out;
}

// Set by the signal handler, polled by a reactor timer (a handler may not touch the reactor).
volatile std::sig_atomic_t g_stop_signal = 0;

extern "C" void OnStopSignal(int sig) { g_stop_signal = sig; }

// Checks every 50 ms for a stop signal, then stops the loop. The check runs from a timer, that
// is inside the loop, also the first time: a signal that arrived during start-up is seen there
// (Reactor::Stop() called before Loop() starts would have no effect, and the signal would be
// lost).
void PollStopSignal(rrr::Reactor* reactor) {
  reactor->AddTimer(50 * 1000, [reactor] {
    if (g_stop_signal != 0) {
      reactor->Stop();
    } else {
      PollStopSignal(reactor);
    }
  });
}

}  // namespace

bool ParseLaunchArgs(const std::vector<std::string>& args, LaunchOptions* out, std::string* error) {
  rrr::FlagParser flags;
  flags.String("config", &out->config_path);
  flags.String("site", &out->site_name);
  flags.String("data-dir", &out->data_dir);
  flags.LogLevelName("log-level", &out->log_level);
  flags.Uint64("seed", &out->seed);
  flags.NonEmptyString("fault-control", &out->fault_control);
  std::vector<std::string> rest;
  if (!flags.Parse(args, &rest, error)) return false;  // *error is empty for --help
  if (out->config_path.empty()) *error = "missing --config FILE";
  else if (out->site_name.empty()) *error = "missing --site NAME";
  return error->empty();
}

std::string LaunchUsage(const std::string& prog) {
  return "usage: " + prog +
         " --config FILE --site NAME [--data-dir DIR] [--log-level debug|info|warn|error]"
         " [--seed N] [--fault-control FILE]\n"
         "  Runs site NAME of the cluster described by FILE (YAML, see deptran/config.h) over\n"
         "  TCP, listening on the site's host:port, keeping its Raft state in DIR (default\n"
         "  ./data/NAME). Stops cleanly on SIGINT/SIGTERM. --fault-control (for tests only)\n"
         "  drops all traffic with the sites FILE names (re-read every 20 ms). Labs: " +
         Join(RegisteredLabs()) + "\n";
}

std::string DataDirFor(const LaunchOptions& opts) {
  return opts.data_dir.empty() ? "./data/" + opts.site_name : opts.data_dir;
}

void RegisterLabSite(const std::string& lab, LabSiteFactory factory) {
  Registry()[lab] = std::move(factory);
}

void RegisterLabConfigCheck(const std::string& lab, LabConfigCheck check) {
  CheckRegistry()[lab] = std::move(check);
}

const LabSiteFactory* FindLabSite(const std::string& lab) {
  auto it = Registry().find(lab);
  return it == Registry().end() ? nullptr : &it->second;
}

std::vector<std::string> RegisteredLabs() {
  std::vector<std::string> names;
  for (const auto& entry : Registry()) names.push_back(entry.first);
  return names;
}

void CheckFixedPorts(const Config& config) {
  std::vector<std::string> zero;
  for (const SiteInfo& s : config.sites()) {
    if (s.port == 0) zero.push_back(s.name);
  }
  if (!zero.empty()) {
    throw LaunchError(config.source() + ": cluster mode needs a fixed port for every site, but " +
                      Join(zero) + " ha" + (zero.size() == 1 ? "s" : "ve") +
                      " port 0 (each process must know where its peers listen)");
  }
}

int CheckClusterSite(const Config& config, const std::string& site_name) {
  const SiteInfo* site = config.FindSite(site_name);
  if (site == nullptr) {
    std::vector<std::string> names;
    for (const SiteInfo& s : config.sites()) names.push_back(s.name);
    throw LaunchError(config.source() + ": no site named '" + site_name + "' (sites: " +
                      Join(names) + ")");
  }
  if (FindLabSite(config.lab()) == nullptr) {
    throw LaunchError(config.source() + ": lab '" + config.lab() +
                      "' cannot run in cluster mode (supported: " + Join(RegisteredLabs()) + ")");
  }
  if (config.NumSites() > 1) CheckFixedPorts(config);
  auto check = CheckRegistry().find(config.lab());
  if (check != CheckRegistry().end()) check->second(config);
  return site->id;
}

int LauncherMain(int argc, char** argv) {
  const std::string prog = "deptran_server";
  LaunchOptions opts;
  std::string error;
  if (!ParseLaunchArgs(std::vector<std::string>(argv + 1, argv + argc), &opts, &error)) {
    if (error.empty()) {
      printf("%s", LaunchUsage(prog).c_str());
      return kExitOk;
    }
    fprintf(stderr, "%s: %s\n%s", prog.c_str(), error.c_str(), LaunchUsage(prog).c_str());
    return kExitBadInput;
  }
  rrr::LogLevel level = rrr::LogLevel::kInfo;
  rrr::Log::ParseLevel(opts.log_level, &level);
  rrr::Log::SetLevel(level);

  std::shared_ptr<Config> config;
  int site_id = -1;
  rrr::TcpLimits limits;
  try {
    config = std::make_shared<Config>(Config::LoadFile(opts.config_path));
    site_id = CheckClusterSite(*config, opts.site_name);
    limits = TcpLimitsFromConfig(*config);
  } catch (const std::exception& e) {  // ConfigError or LaunchError
    fprintf(stderr, "%s: %s\n", prog.c_str(), e.what());
    return kExitBadInput;
  }
  const std::string data_dir = DataDirFor(opts);
  std::unique_ptr<FilePersister> persister = OpenDataDir(data_dir, &error);
  if (persister == nullptr) {
    fprintf(stderr, "%s: site %s cannot start: %s\n", prog.c_str(), opts.site_name.c_str(),
            error.c_str());
    return kExitRuntimeError;
  }
  // Held (and released by the kernel, even on kill -9) for the life of the process.
  if (LockDataDir(data_dir, &error) < 0) {
    fprintf(stderr, "%s: data dir %s\n", prog.c_str(), error.c_str());
    return kExitRuntimeError;
  }

  // Real time makes the default transport TCP. Each process needs its own random streams
  // (election timeouts, clerk ids), so the seed is fresh unless given.
  rrr::ReactorOptions ropts;
  ropts.seed = opts.seed != 0 ? opts.seed : (uint64_t{std::random_device{}()} << 32) ^ std::random_device{}();
  std::shared_ptr<rrr::Reactor> reactor = rrr::Reactor::Create(ropts);
  // The transport's resource limits (deptran/net_options.h), before anything listens.
  // Accepted connections never take the descriptors the site needs for its files and peers.
  rlimit nofile{};
  if (getrlimit(RLIMIT_NOFILE, &nofile) == 0 && nofile.rlim_cur != RLIM_INFINITY) {
    uint32_t fit = ConnectionsWithinFdLimit(limits.max_connections, nofile.rlim_cur,
                                            ReservedDescriptors(*config));
    if (fit < limits.max_connections) {
      Log_info("%s: max_connections %u lowered to %u (RLIMIT_NOFILE %llu keeps %llu descriptors"
               " for files and peers)", prog.c_str(), limits.max_connections, fit,
               static_cast<unsigned long long>(nofile.rlim_cur),
               static_cast<unsigned long long>(ReservedDescriptors(*config)));
      limits.max_connections = fit;
    }
  }
  if (auto* tcp = dynamic_cast<rrr::TcpTransport*>(rrr::Transport::Default())) {
    tcp->SetLimits(limits);
  }
  std::signal(SIGPIPE, SIG_IGN);
  std::signal(SIGINT, OnStopSignal);
  std::signal(SIGTERM, OnStopSignal);

  if (!opts.fault_control.empty()) StartFaultControl(reactor.get(), config, opts.fault_control);

  const SiteInfo& site = config->Site(site_id);
  std::shared_ptr<rrr::NodeContext> node = rrr::NodeContext::Create(site_id, site.name);
  SiteEnv env;
  env.config = config;
  env.site_id = site_id;
  env.persister = persister.get();
  std::unique_ptr<LabSite> lab_site;
  try {
    rrr::NodeScope scope(node.get());
    lab_site = (*FindLabSite(config->lab()))(env);
  } catch (const std::exception& e) {  // e.g. cannot listen, or its ReadPersist cannot decode
    fprintf(stderr, "%s: site %s cannot start: %s\n", prog.c_str(), site.name.c_str(),
            DescribeStartFailure(e, data_dir, persister->path()).c_str());
    node->Cancel();
    return kExitRuntimeError;
  } catch (...) {
    fprintf(stderr, "%s: site %s cannot start: an exception that is not a std::exception\n",
            prog.c_str(), site.name.c_str());
    node->Cancel();
    return kExitRuntimeError;
  }
  printf("%s: site %s (lab %s) listening on %s, data in %s\n", prog.c_str(), site.name.c_str(),
         config->lab().c_str(), site.Address().c_str(), data_dir.c_str());
  fflush(stdout);

  PollStopSignal(reactor.get());  // outside the node: the poller is not the site's
  reactor->Loop();

  Log_info("%s: signal %d, shutting down site %s", prog.c_str(), static_cast<int>(g_stop_signal),
           site.name.c_str());
  node->Cancel();  // as a crash does: unwind the site's coroutines, then free its objects
  {
    rrr::NodeScope scope(node.get());
    lab_site.reset();
  }
  node.reset();
  printf("%s: site %s stopped\n", prog.c_str(), site.name.c_str());
  fflush(stdout);
  return kExitOk;
}

}  // namespace janus
