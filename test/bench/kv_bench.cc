// kv_bench: throughput and latency of the KV service (the reference KvServer on the reference
// Raft) over tcp loopback: --servers replicas (default 3) and --clerks clerks (default 64), each
// clerk a coroutine that runs one operation after the other (half Put, half Get, on --keys keys)
// for --duration-s seconds after a warm-up. Prints the throughput of each --window-s window (5 s
// by default) and the ratio last window / first window, then the overall throughput, the median
// and 99th percentile latency of an operation as the clerk sees it (retries included), and what
// each replica's persister held at the end.
//
// The replicas run with the lab options of a KV config (--config, default
// config/kv_3_cluster.yml): its `maxraftstate` decides when the KV servers snapshot (once they
// can; -1 never), overridden by --maxraftstate. Without snapshots the Raft log grows by one
// entry per operation and every save copies the whole state, so the rate decays during a run
// (the ratio falls below 1); with them it should stay flat. --persister=file keeps each
// replica's state on disk as deptran_server does (FilePersister: two fsyncs per save).
//
// By default each replica runs on its own thread with its own reactor, as separate server
// processes would, and the clerks share the main thread's reactor. --one-thread instead puts
// everything on one reactor, as the graded tests over tcp do. The numbers are measurements,
// not checks: exit status 0 when the benchmark ran, whatever they are.
#include <cstdio>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "deptran/config.h"
#include "labs/harness/core/free_port.h"
#include "labs/harness/core/runner.h"
#include "rrr/base/flags.h"
#include "rrr/base/logging.h"
#include "rrr/reactor/node.h"
#include "test/bench/kv_bench_clerks.h"
#include "test/bench/kv_bench_replicas.h"

namespace {

using janus::bench::BenchOptions;
using janus::bench::BenchResult;

const char kUsage[] =
    "usage: kv_bench [--servers=N] [--clerks=N] [--keys=N] [--value-bytes=N] [--duration-s=S]\n"
    "                [--window-s=S] [--warmup-ms=MS] [--config=FILE] [--maxraftstate=N]\n"
    "                [--persister=memory|file] [--one-thread]\n";

// Parses the flags; false with *exit_code set when the program should end (0 after --help).
bool Parse(int argc, char** argv, BenchOptions* o, int* exit_code) {
  rrr::FlagParser flags;
  flags.Int("servers", &o->servers, 1, 15);
  flags.Int("clerks", &o->clerks, 1, 100000);
  flags.Int("keys", &o->keys, 1, 100000000);
  flags.Int("value-bytes", &o->value_bytes, 0, 1 << 20);
  flags.Uint64("duration-s", &o->duration_s, 1, 24 * 3600);
  flags.Uint64("window-s", &o->window_s, 1, 24 * 3600);
  flags.Uint64("warmup-ms", &o->warmup_ms, 0, 3600 * 1000);
  flags.NonEmptyString("config", &o->config_path);
  flags.Custom("maxraftstate", [o](const std::string& v) -> std::string {
    try {
      size_t used = 0;
      const long long n = std::stoll(v, &used);
      if (used != v.size() || n < -1) return "expected -1 or a non-negative integer";
      o->maxraftstate = std::to_string(n);
      return "";
    } catch (const std::exception&) {
      return "expected -1 or a non-negative integer";
    }
  });
  flags.Choice("persister", {"memory", "file"}, &o->persister);
  flags.Switch("one-thread", &o->one_thread);
  std::vector<std::string> rest;
  std::string error;
  if (!flags.Parse(std::vector<std::string>(argv + 1, argv + argc), &rest, &error)) {
    if (flags.help_requested()) {
      std::printf("%s", kUsage);
      *exit_code = 0;
    } else {
      std::fprintf(stderr, "kv_bench: %s\n%s", error.c_str(), kUsage);
      *exit_code = 2;
    }
    return false;
  }
  if (o->one_thread && o->persister != "memory") {
    std::fprintf(stderr, "kv_bench: --one-thread runs the harness cluster (memory persisters)\n");
    *exit_code = 2;
    return false;
  }
  return true;
}

// The lab options of the replicas: the config's, with --maxraftstate applied.
bool LoadOptions(BenchOptions* o) {
  try {
    o->options = janus::Config::LoadFile(o->config_path).options();
  } catch (const std::exception& e) {
    std::fprintf(stderr, "kv_bench: %s\n", e.what());
    return false;
  }
  if (!o->maxraftstate.empty()) o->options["maxraftstate"] = o->maxraftstate;
  return true;
}

void Report(const BenchOptions& o, BenchResult& r) {
  auto it = o.options.find("maxraftstate");
  const std::string mrs = it == o.options.end() ? "unset" : it->second;
  std::printf("kv_bench: %d replicas, %d clerks, tcp loopback, %s, %d keys, %d-byte values, "
              "50%% Put / 50%% Get\n",
              o.servers, o.clerks,
              o.one_thread ? "everything on one reactor thread"
                           : "a reactor thread per replica + one for the clerks",
              o.keys, o.value_bytes);
  std::printf("  maxraftstate %s (%s), %s persister, %llu s after %llu ms warm-up\n", mrs.c_str(),
              o.maxraftstate.empty() ? o.config_path.c_str() : "--maxraftstate",
              o.persister.c_str(), static_cast<unsigned long long>(o.duration_s),
              static_cast<unsigned long long>(o.warmup_ms));
  std::printf("%s", r.windows.Format().c_str());
  const double secs = static_cast<double>(o.duration_s);
  const double rate = static_cast<double>(r.windows.TotalOps()) / secs;
  std::printf("  throughput  %.0f ops/s (%llu ops in %.0f s)\n", rate,
              static_cast<unsigned long long>(r.windows.TotalOps()), secs);
  std::printf("  latency     median %.3f ms, p99 %.3f ms\n", r.Percentile(0.50) / 1000,
              r.Percentile(0.99) / 1000);
  for (size_t i = 0; i < r.sizes.size(); i++) {
    std::printf("  replica %zu   raft state %zu bytes, snapshot %zu bytes at the end\n", i,
                r.sizes[i].state_bytes, r.sizes[i].snapshot_bytes);
  }
  std::printf("  target      >= 10000 ops/s: %s\n", rate >= 10000 ? "met" : "NOT met");
}

}  // namespace

int main(int argc, char** argv) {
  BenchOptions o;
  o.config_path = JANUS_SOURCE_DIR "/config/kv_3_cluster.yml";
  int exit_code = 0;
  if (!Parse(argc, argv, &o, &exit_code)) return exit_code;
  if (!LoadOptions(&o)) return 2;
  rrr::Log::SetLevel(rrr::LogLevel::kWarn);

  std::string data_dir;
  if (o.persister == "file") {
    char tmpl[] = "/tmp/kv_bench_XXXXXX";
    if (mkdtemp(tmpl) == nullptr) {
      std::perror("kv_bench: mkdtemp");
      return 1;
    }
    data_dir = tmpl;
  }
  BenchResult r;
  janus::harness::RunSpec spec;
  spec.virtual_time = false;  // real time: the default transport is tcp
  spec.seed = 1;
  spec.watch = false;
  spec.limit_us = (o.duration_s + 60) * 1000000 + o.warmup_ms * 1000;
  std::vector<std::string> addrs;
  std::vector<std::unique_ptr<janus::bench::ReplicaThread>> replicas;
  int status = 0;
  try {
    if (!o.one_thread) {
      for (int i = 0; i < o.servers; i++) {
        addrs.push_back("127.0.0.1:" + std::to_string(janus::harness::PickFreeTcpPort()));
      }
      for (int i = 0; i < o.servers; i++) {
        replicas.push_back(
            std::make_unique<janus::bench::ReplicaThread>(i, addrs, o.options, data_dir));
      }
    }
    janus::harness::RunOutcome out = janus::harness::RunOnFreshReactor(spec, [&] {
      if (o.one_thread) {
        janus::bench::RunOneThread(o, &r);
      } else {
        janus::bench::RunClerks(o, addrs, rrr::NodeContext::Create(1000, "bench"), &r);
      }
    });
    for (auto& replica : replicas) {
      replica->Stop();
      r.sizes.push_back(replica->sizes());
    }
    if (!out.finished || !r.ok) {
      std::fprintf(stderr, "kv_bench: the run did not finish\n");
      status = 1;
    }
  } catch (const std::exception& e) {
    std::fprintf(stderr, "kv_bench: %s\n", e.what());
    status = 1;
  }
  replicas.clear();
  if (!data_dir.empty()) std::filesystem::remove_all(data_dir);
  if (status == 0) Report(o, r);
  return status;
}
