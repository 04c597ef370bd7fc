// The clerks' side of kv_bench (kv_bench.cc): its options, what a run measures, and the two ways
// to run the clerks (against replicas on their own threads, or everything on one reactor).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "rrr/reactor/node.h"
#include "test/bench/kv_bench_replicas.h"
#include "test/bench/throughput_windows.h"

namespace janus {
namespace bench {

// kv_bench's command line (see its usage) and the lab options derived from it.
struct BenchOptions {
  int servers = 3;
  int clerks = 64;
  int keys = 1000;
  int value_bytes = 16;
  uint64_t duration_s = 10;   // the measured interval, after the warm-up
  uint64_t window_s = 5;      // throughput is reported per window of this length
  uint64_t warmup_ms = 500;
  bool one_thread = false;
  std::string config_path;    // the KV config whose options the replicas get
  std::string maxraftstate;   // --maxraftstate as given ("" = the config's)
  std::string persister = "memory";
  std::map<std::string, std::string> options;  // the replicas' lab options (config + flags)
};

// What one run measured.
struct BenchResult {
  // Operations by completion time, in windows over the measured interval (set by RunClerks).
  ThroughputWindows windows{0, 1, 1};
  std::vector<uint64_t> latencies_us;   // of operations started and finished in the interval
  std::vector<PersistedSizes> sizes;    // each replica's persister at the end
  bool ok = false;                      // the clerks ran to the end

  // The p-quantile (0 <= p <= 1) of latencies_us, 0 if there is none. Reorders latencies_us.
  double Percentile(double p);
};

// Runs o.clerks clerks on the current reactor against the servers at `addrs` until the end of
// the measured interval, with their coroutines in `node`. Fills *result.
void RunClerks(const BenchOptions& o, const std::vector<std::string>& addrs,
               const std::shared_ptr<rrr::NodeContext>& node, BenchResult* result);

// Everything on the current reactor: o.servers replicas in a harness Cluster (memory
// persisters) with o.options, and the clerks. Fills *result, sizes included.
void RunOneThread(const BenchOptions& o, BenchResult* result);

}  // namespace bench
}  // namespace janus
