#include "test/bench/kv_bench_clerks.h"

#include <algorithm>

#include "labs/harness/core/cluster.h"
#include "labs/harness/kv/kv_node.h"
#include "labs/kv/client.h"
#include "rrr/base/time.h"
#include "rrr/reactor/coroutine.h"
#include "rrr/reactor/event.h"

namespace janus {
namespace bench {

double BenchResult::Percentile(double p) {
  if (latencies_us.empty()) return 0;
  const size_t at = std::min(latencies_us.size() - 1,
                             static_cast<size_t>(p * static_cast<double>(latencies_us.size())));
  std::nth_element(latencies_us.begin(), latencies_us.begin() + static_cast<long>(at),
                   latencies_us.end());
  return static_cast<double>(latencies_us[at]);
}

void RunClerks(const BenchOptions& o, const std::vector<std::string>& addrs,
               const std::shared_ptr<rrr::NodeContext>& node, BenchResult* result) {
  std::vector<std::unique_ptr<KvClient>> clerks;
  {
    rrr::NodeScope scope(node.get());
    for (int i = 0; i < o.clerks; i++) clerks.push_back(std::make_unique<KvClient>(addrs));
  }
  const std::string value(static_cast<size_t>(o.value_bytes), 'v');
  const uint64_t measure_from = rrr::Time::Now() + o.warmup_ms * 1000;
  const uint64_t measure_to = measure_from + o.duration_s * 1000000;
  result->windows = ThroughputWindows(measure_from, measure_to, o.window_s * 1000000);
  int running = o.clerks;
  auto all_done = std::make_shared<rrr::IntEvent>();
  std::vector<std::vector<uint64_t>> latencies(static_cast<size_t>(o.clerks));
  for (int c = 0; c < o.clerks; c++) {
    node->Run([&, c] {
      rrr::Coroutine::CreateRun([&, c] {
        KvClient& ck = *clerks[static_cast<size_t>(c)];
        uint64_t n = 0;
        while (true) {
          const uint64_t t0 = rrr::Time::Now();
          if (t0 >= measure_to) break;
          const std::string key = "k" + std::to_string((static_cast<uint64_t>(c) * 7919 + n) %
                                                       static_cast<uint64_t>(o.keys));
          if (n % 2 == 0) {
            ck.Put(key, value);
          } else {
            ck.Get(key);
          }
          n++;
          const uint64_t t1 = rrr::Time::Now();
          result->windows.Record(t1);  // all clerks run on this one thread
          if (t0 >= measure_from && t1 <= measure_to) {
            latencies[static_cast<size_t>(c)].push_back(t1 - t0);
          }
        }
        if (--running == 0) all_done->Set(1);
      });
    });
  }
  all_done->Wait();
  for (auto& l : latencies) {
    result->latencies_us.insert(result->latencies_us.end(), l.begin(), l.end());
  }
  result->ok = true;
}

void RunOneThread(const BenchOptions& o, BenchResult* result) {
  harness::Cluster<KvNode> cluster(
      o.servers, [&o](int i, Persister* p, const std::vector<std::string>& addrs) {
        auto config = std::make_shared<const Config>(BenchConfig(addrs, o.options));
        return std::make_unique<KvNode>(config, i, p);
      });
  RunClerks(o, cluster.addrs(), cluster.NewClientContext("bench"), result);
  for (int i = 0; i < cluster.n(); i++) {
    result->sizes.push_back(
        {cluster.GetPersister(i)->RaftStateSize(), cluster.GetPersister(i)->SnapshotSize()});
  }
}

}  // namespace bench
}  // namespace janus
