#include "labs/cluster/kv_cli_session.h"

#include <algorithm>
#include <random>

#include "deptran/launcher.h"
#include "rrr/base/time.h"
#include "rrr/reactor/coroutine.h"

namespace janus {

KvCliSession::KvCliSession(const Config& config, const std::string& partition) {
  if (config.lab() != "kv") {
    throw LaunchError(config.source() + ": lab is '" + config.lab() + "', kv_cli needs lab: kv");
  }
  const PartitionInfo* p = partition.empty() ? &config.Partition(0) : config.FindPartition(partition);
  if (p == nullptr) throw LaunchError(config.source() + ": no partition named '" + partition + "'");
  CheckFixedPorts(config);
  for (int id : p->site_ids) {
    const SiteInfo& s = config.Site(id);
    addrs_.push_back(s.Address());
    describe_ += (describe_.empty() ? "" : ", ") + s.name + " (" + s.Address() + ")";
  }
  rrr::ReactorOptions opts;
  opts.seed = (uint64_t{std::random_device{}()} << 32) ^ std::random_device{}();
  reactor_ = rrr::Reactor::Create(opts);
  NewClerk();
}

KvCliSession::~KvCliSession() {
  if (node_ != nullptr) node_->Cancel();
  clerk_.reset();
  node_.reset();
}

void KvCliSession::NewClerk() {
  if (node_ != nullptr) node_->Cancel();  // unwinds a stuck operation before its clerk goes
  clerk_.reset();
  node_ = rrr::NodeContext::Create(next_node_id_++, "kv_cli");
  node_->Run([this] { clerk_ = std::make_unique<KvClient>(addrs_); });
}

bool KvCliSession::Run(const std::function<void(KvClient&)>& fn, uint64_t timeout_us) {
  auto done = std::make_shared<bool>(false);
  KvClient* ck = clerk_.get();
  node_->Run([&] {
    rrr::Coroutine::CreateRun([fn, ck, done] {
      fn(*ck);
      *done = true;
    });
  });
  if (reactor_->RunUntil([done] { return *done; }, timeout_us)) return true;
  NewClerk();
  return false;
}

bool KvCliSession::Bench(int n, int clients, uint64_t timeout_us, BenchResult* out) {
  struct Worker {
    std::shared_ptr<rrr::NodeContext> node;
    std::unique_ptr<KvClient> clerk;
  };
  std::vector<Worker> workers(clients);
  auto latencies = std::make_shared<std::vector<uint64_t>>();
  auto finished = std::make_shared<int>(0);
  const uint64_t start = rrr::Time::Now();
  for (int c = 0; c < clients; c++) {
    Worker& w = workers[c];
    w.node = rrr::NodeContext::Create(next_node_id_++, "kv_cli-bench-" + std::to_string(c));
    const int ops = n / clients + (c < n % clients ? 1 : 0);
    w.node->Run([&] {
      w.clerk = std::make_unique<KvClient>(addrs_);
      KvClient* ck = w.clerk.get();
      rrr::Coroutine::CreateRun([ck, c, ops, latencies, finished] {
        for (int i = 0; i < ops; i++) {
          uint64_t t0 = rrr::Time::Now();
          ck->Put("bench-" + std::to_string(c) + "-" + std::to_string(i), std::to_string(i));
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
