#include "labs/cluster/kv_cli_session.h"

#include <algorithm>
#include <random>

#include "deptran/launcher.h"
#include "labs/kv/client.h"
#include "rrr/base/time.h"
#include "rrr/reactor/coroutine.h"

namespace janus {

KvCliSession::KvCliSession(CliTarget target) : target_(std::move(target)) {
  if (!target_.bench_key) {
    target_.bench_key = [](int c, int i) {
      return "bench-" + std::to_string(c) + "-" + std::to_string(i);
    };
  }
  rrr::ReactorOptions opts;
  opts.seed = (uint64_t{std::random_device{}()} << 32) ^ std::random_device{}();
  reactor_ = rrr::Reactor::Create(opts);
  NewNode();
}

std::unique_ptr<KvCliSession> KvCliSession::OpenKv(const Config& config,
                                                   const std::string& partition) {
  if (config.lab() != "kv") {
    throw LaunchError(config.source() + ": lab is '" + config.lab() +
                      "', kv_cli needs lab kv, shardkv, shardmaster or txn");
  }
  const PartitionInfo* p = partition.empty() ? &config.Partition(0) : config.FindPartition(partition);
  if (p == nullptr) throw LaunchError(config.source() + ": no partition named '" + partition + "'");
  CheckFixedPorts(config);
  CliTarget t;
  t.config = std::make_shared<const Config>(config);
  std::vector<std::string> addrs;
  for (int id : p->site_ids) {
    const SiteInfo& s = config.Site(id);
    addrs.push_back(s.Address());
    t.describe += (t.describe.empty() ? "" : ", ") + s.name + " (" + s.Address() + ")";
  }
  t.clerks = [addrs] { return std::make_unique<CliClerkOf<KvClient>>(addrs); };
  return std::make_unique<KvCliSession>(std::move(t));
}

KvCliSession::~KvCliSession() {
  if (node_ != nullptr) node_->Cancel();
  clerk_.reset();
  node_.reset();
}

void KvCliSession::NewNode() {
  if (node_ != nullptr) node_->Cancel();  // unwinds a stuck operation before its clerk goes
  clerk_.reset();
  node_ = rrr::NodeContext::Create(next_node_id_++, "kv_cli");
  if (has_keys()) node_->Run([this] { clerk_ = target_.clerks(); });
}

void KvCliSession::InNode(const std::function<void()>& fn) { node_->Run(fn); }

std::shared_ptr<rrr::NodeContext> KvCliSession::NewWorkerNode(const std::string& name) {
  return rrr::NodeContext::Create(next_node_id_++, name);
}

bool KvCliSession::RunUntil(const std::function<bool()>& done, uint64_t timeout_us) {
  return reactor_->RunUntil(done, timeout_us);
}

bool KvCliSession::RunTask(const std::function<void()>& fn, uint64_t timeout_us) {
  auto done = std::make_shared<bool>(false);
  node_->Run([&] {
    rrr::Coroutine::CreateRun([fn, done] {
      fn();
      *done = true;
    });
  });
  if (reactor_->RunUntil([done] { return *done; }, timeout_us)) return true;
  NewNode();
  return false;
}

bool KvCliSession::Run(const std::function<void(CliClerk&)>& fn, uint64_t timeout_us) {
  CliClerk* ck = clerk_.get();
  return RunTask([fn, ck] { fn(*ck); }, timeout_us);
}

bool KvCliSession::Bench(int n, int clients, uint64_t timeout_us, BenchResult* out) {
  struct Worker {
    std::shared_ptr<rrr::NodeContext> node;
    std::unique_ptr<CliClerk> clerk;
  };
  std::vector<Worker> workers(clients);
  auto latencies = std::make_shared<std::vector<uint64_t>>();
  auto finished = std::make_shared<int>(0);
  const auto key = target_.bench_key;
  const uint64_t start = rrr::Time::Now();
  for (int c = 0; c < clients; c++) {
    Worker& w = workers[c];
    w.node = rrr::NodeContext::Create(next_node_id_++, "kv_cli-bench-" + std::to_string(c));
    const int ops = n / clients + (c < n % clients ? 1 : 0);
    w.node->Run([&] {
      w.clerk = target_.clerks();
      CliClerk* ck = w.clerk.get();
      rrr::Coroutine::CreateRun([ck, c, ops, key, latencies, finished] {
        for (int i = 0; i < ops; i++) {
          uint64_t t0 = rrr::Time::Now();
          ck->Put(key(c, i), std::to_string(i));
          latencies->push_back(rrr::Time::Now() - t0);
        }
        ++*finished;
      });
    });
  }
  bool ok = reactor_->RunUntil([&] { return *finished == clients; }, timeout_us);
  out->seconds = (rrr::Time::Now() - start) / 1e6;
  out->done = static_cast<int>(latencies->size());
  std::vector<uint64_t> sorted = *latencies;
  std::sort(sorted.begin(), sorted.end());
  if (!sorted.empty()) {
    double sum = 0;
    for (uint64_t l : sorted) sum += l;
    out->mean_ms = sum / sorted.size() / 1000.0;
    out->p50_ms = sorted[sorted.size() / 2] / 1000.0;
    out->p99_ms = sorted[std::min(sorted.size() - 1, sorted.size() * 99 / 100)] / 1000.0;
  }
  for (Worker& w : workers) w.node->Cancel();  // before the clerks they use go
  return ok;
}

}  // namespace janus
