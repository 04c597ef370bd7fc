// kv_bench: throughput and latency of the lab 2 key/value service (the reference KvServer on the
// reference Raft) over tcp loopback: --servers replicas (default 3) and --clerks clerks (default
// 64), each clerk a coroutine that runs one operation after the other (half Put, half Get, on
// --keys keys) for --seconds after a warm-up. Prints operations per second and the median and
// 99th percentile latency of an operation as the clerk sees it (retries included).
//
// By default each replica runs on its own thread with its own reactor, as separate server
// processes would, and the clerks share the main thread's reactor. --one-thread instead puts
// everything on one reactor, as the graded tests over tcp do.
//
// The Raft log grows by one entry per operation (lab 2 has no snapshots). The reference Raft
// encodes each entry only once, but Persister::SaveRaftState takes the whole state, so every
// save still copies the whole log: the cost per operation grows with the run, and longer runs
// report lower rates.
//
// Exit status 0 when the benchmark ran, whatever the numbers.
#include <algorithm>
#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include "deptran/persister.h"
#include "labs/harness/core/cluster.h"
#include "labs/harness/core/free_port.h"
#include "labs/harness/kv/kv_node.h"
#include "labs/harness/core/runner.h"
#include "labs/kv/client.h"
#include "rrr/base/logging.h"
#include "rrr/base/time.h"
#include "rrr/reactor/coroutine.h"
#include "rrr/reactor/event.h"
#include "rrr/reactor/node.h"

namespace {

struct Options {
  int servers = 3;
  int clerks = 64;
  int keys = 1000;
  int value_bytes = 16;
  double seconds = 2.0;
  double warmup_seconds = 0.5;
  bool one_thread = false;
};

bool ParseFlag(const char* arg, const char* name, double* out) {
  const size_t n = std::strlen(name);
  if (std::strncmp(arg, name, n) != 0 || arg[n] != '=') return false;
  *out = std::atof(arg + n + 1);
  return true;
}

bool Parse(int argc, char** argv, Options* o) {
  for (int i = 1; i < argc; i++) {
    double v = 0;
    if (ParseFlag(argv[i], "--servers", &v)) {
      o->servers = static_cast<int>(v);
    } else if (ParseFlag(argv[i], "--clerks", &v)) {
      o->clerks = static_cast<int>(v);
    } else if (ParseFlag(argv[i], "--keys", &v)) {
      o->keys = static_cast<int>(v);
    } else if (ParseFlag(argv[i], "--value-bytes", &v)) {
      o->value_bytes = static_cast<int>(v);
    } else if (ParseFlag(argv[i], "--seconds", &v)) {
      o->seconds = v;
    } else if (ParseFlag(argv[i], "--warmup", &v)) {
      o->warmup_seconds = v;
    } else if (std::strcmp(argv[i], "--one-thread") == 0) {
      o->one_thread = true;
    } else {
      std::fprintf(stderr,
                   "usage: kv_bench [--servers=N] [--clerks=N] [--keys=N] [--value-bytes=N] "
                   "[--seconds=S] [--warmup=S] [--one-thread]\n");
      return false;
    }
  }
  return o->servers > 0 && o->clerks > 0 && o->keys > 0 && o->seconds > 0;
}

double Percentile(std::vector<uint64_t>* v, double p) {
  if (v->empty()) return 0;
  const size_t at =
      std::min(v->size() - 1, static_cast<size_t>(p * static_cast<double>(v->size())));
  std::nth_element(v->begin(), v->begin() + static_cast<long>(at), v->end());
  return static_cast<double>((*v)[at]);
}

struct Result {
  uint64_t ops = 0;
  uint64_t measured_us = 0;
  std::vector<uint64_t> latencies_us;
  bool ok = false;
};

// One replica on a thread of its own: its reactor runs until `stop`.
class ReplicaThread {
 public:
  ReplicaThread(int index, const std::vector<std::string>& addrs)
      : thread_([this, index, addrs] { Main(index, addrs); }) {
    while (!ready_.load()) std::this_thread::yield();
  }
  ~ReplicaThread() {
    stop_.store(true);
    thread_.join();
  }

 private:
  void Main(int index, const std::vector<std::string>& addrs) {
    auto reactor =
        rrr::Reactor::Create(rrr::ReactorOptions{false, 1000 + static_cast<uint64_t>(index)});
    janus::MemoryPersister persister;
    auto node = rrr::NodeContext::Create(index, "s" + std::to_string(index));
    std::unique_ptr<janus::KvNode> replica;
    node->Run([&] {
      rrr::Coroutine::CreateRun(
          [&] {
            auto config =
                std::make_shared<const janus::Config>(janus::Config::FromAddresses("kv", addrs));
            replica = std::make_unique<janus::KvNode>(config, index, &persister);
          });
    });
    ready_.store(true);
    reactor->RunUntil([this] { return stop_.load(); }, 24ull * 3600 * 1000 * 1000);
    node->Cancel();
    {
      rrr::NodeScope scope(node.get());
      replica.reset();
    }
  }

  std::atomic<bool> ready_{false};
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

// The clerks' part of a run, on the current reactor, against the servers at `addrs`.
void RunClerks(const Options& o, const std::vector<std::string>& addrs,
               const std::shared_ptr<rrr::NodeContext>& node, Result* result) {
  std::vector<std::unique_ptr<janus::KvClient>> clerks;
  {
    rrr::NodeScope scope(node.get());
    for (int i = 0; i < o.clerks; i++) clerks.push_back(std::make_unique<janus::KvClient>(addrs));
  }
  const std::string value(static_cast<size_t>(o.value_bytes), 'v');
  const uint64_t start_us = rrr::Time::Now();
  const uint64_t measure_from = start_us + static_cast<uint64_t>(o.warmup_seconds * 1e6);
  const uint64_t measure_to = measure_from + static_cast<uint64_t>(o.seconds * 1e6);
  int running = o.clerks;
  auto all_done = std::make_shared<rrr::IntEvent>();
  std::vector<std::vector<uint64_t>> latencies(static_cast<size_t>(o.clerks));
  for (int c = 0; c < o.clerks; c++) {
    node->Run([&, c] {
      rrr::Coroutine::CreateRun([&, c] {
        janus::KvClient& ck = *clerks[static_cast<size_t>(c)];
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
  result->ops = result->latencies_us.size();
  result->measured_us = measure_to - measure_from;
  result->ok = true;
}

// Everything on this reactor: the replicas in a harness Cluster, and the clerks.
void RunOneThread(const Options& o, Result* result) {
  janus::harness::Cluster<janus::KvNode> cluster(
      o.servers, [](int i, janus::Persister* p, const std::vector<std::string>& addrs) {
        auto config =
            std::make_shared<const janus::Config>(janus::Config::FromAddresses("kv", addrs));
        return std::make_unique<janus::KvNode>(config, i, p);
      });
  RunClerks(o, cluster.addrs(), cluster.NewClientContext("bench"), result);
}

}  // namespace

int main(int argc, char** argv) {
  Options o;
  if (!Parse(argc, argv, &o)) return 2;
  rrr::Log::SetLevel(rrr::LogLevel::kWarn);
  Result r;
  janus::harness::RunSpec spec;
  spec.virtual_time = false;  // real time: the default transport is tcp
  spec.seed = 1;
  spec.watch = false;
  spec.limit_us = static_cast<uint64_t>((o.seconds + o.warmup_seconds + 60) * 1e6);
  std::vector<std::string> addrs;
  std::vector<std::unique_ptr<ReplicaThread>> replicas;
  if (!o.one_thread) {
    for (int i = 0; i < o.servers; i++) {
      addrs.push_back("127.0.0.1:" + std::to_string(janus::harness::PickFreeTcpPort()));
    }
    for (int i = 0; i < o.servers; i++)
      replicas.push_back(std::make_unique<ReplicaThread>(i, addrs));
  }
  janus::harness::RunOutcome out = janus::harness::RunOnFreshReactor(spec, [&] {
    if (o.one_thread) {
      RunOneThread(o, &r);
    } else {
      RunClerks(o, addrs, rrr::NodeContext::Create(1000, "bench"), &r);
    }
  });
  replicas.clear();
  if (!out.finished || !r.ok) {
    std::fprintf(stderr, "kv_bench: the run did not finish\n");
    return 1;
  }
  const double secs = static_cast<double>(r.measured_us) / 1e6;
  const double rate = static_cast<double>(r.ops) / secs;
  const double p50 = Percentile(&r.latencies_us, 0.50);
  const double p99 = Percentile(&r.latencies_us, 0.99);
  std::printf(
      "kv_bench: %d replicas, %d clerks, tcp loopback, %s, %d keys, %d-byte values, "
      "50%% Put / 50%% Get\n",
      o.servers, o.clerks,
      o.one_thread ? "everything on one reactor thread"
                   : "a reactor thread per replica + one for the clerks",
      o.keys, o.value_bytes);
  std::printf("  throughput  %.0f ops/s (%llu ops in %.2f s after %.2f s warm-up)\n", rate,
              static_cast<unsigned long long>(r.ops), secs, o.warmup_seconds);
  std::printf("  latency     median %.3f ms, p99 %.3f ms\n", p50 / 1000, p99 / 1000);
  std::printf("  target      >= 10000 ops/s: %s\n", rate >= 10000 ? "met" : "NOT met");
  return 0;
}
