#include "labs/cluster/kv_cli_txn.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <random>

#include "deptran/launcher.h"
#include "labs/cluster/shard_config.h"
#include "labs/txn/client.h"
#include "rrr/base/time.h"
#include "rrr/reactor/coroutine.h"

namespace janus {
namespace {

// The session's clerk: a TxnClient, for the plain commands (CliClerk) and the shell's
// transactions (txn()).
class TxnCliClerk : public CliClerk {
 public:
  TxnCliClerk(const std::vector<std::string>& master_addrs, Concurrency mode)
      : clerk_(master_addrs, mode) {}
  std::string Get(const std::string& key) override { return clerk_.Get(key); }
  void Put(const std::string& key, const std::string& value) override { clerk_.Put(key, value); }
  void Append(const std::string& key, const std::string& value) override {
    clerk_.Append(key, value);
  }
  TxnClient& txn() { return clerk_; }

 private:
  TxnClient clerk_;
};

// The concurrency control named by the config (CheckShardLabConfig accepted it).
Concurrency ModeOf(const Config& config) {
  Concurrency mode = Concurrency::kOcc;
  ParseConcurrency(config.GetString("concurrency", "occ"), &mode);
  return mode;
}

// "TX_COMMITTED", ... for the clerk's codes; "code N" for anything else.
std::string TxCodeName(int code) {
  switch (code) {
    case TX_OK:
      return "OK";
    case TX_COMMITTED:
      return "TX_COMMITTED";
    case TX_ABORTED:
      return "TX_ABORTED";
    case TX_NOTFOUND:
      return "TX_NOTFOUND";
  }
  return "code " + std::to_string(code);
}

// txbench's key i: a leading digit spreads the keys over the shards (KeyToShard: first byte).
std::string BenchKey(int i) { return std::to_string(i % 10) + "txb" + std::to_string(i); }

double Percentile(const std::vector<uint64_t>& sorted_us, int pct) {
  if (sorted_us.empty()) return 0;
  return sorted_us[std::min(sorted_us.size() - 1, sorted_us.size() * pct / 100)] / 1000.0;
}

}  // namespace

std::unique_ptr<KvCliSession> OpenTxnSession(const Config& config, const std::string& partition) {
  CheckShardLabConfig(config);
  if (!partition.empty()) {
    throw LaunchError("--partition does not apply to lab txn (the shard master is partition "
                      "\"ctrl\", the groups come from its configurations)");
  }
  CheckFixedPorts(config);
  const PartitionInfo& master = ShardMasterPartitionOf(config, "");
  CliTarget t;
  t.config = std::make_shared<const Config>(config);
  t.master_addrs = PartitionAddrs(config, master);
  for (int id : master.site_ids) {
    const SiteInfo& s = config.Site(id);
    t.master_describe +=
        (t.master_describe.empty() ? "" : ", ") + s.name + " (" + s.Address() + ")";
  }
  const std::vector<std::string> addrs = t.master_addrs;
  const Concurrency mode = ModeOf(config);
  t.clerks = [addrs, mode] { return std::make_unique<TxnCliClerk>(addrs, mode); };
  t.describe = "the shard master " + t.master_describe + " and the key's group";
  t.bench_key = [](int c, int i) {
    return std::to_string(i % 10) + "bench-" + std::to_string(c) + "-" + std::to_string(i);
  };
  return std::make_unique<KvCliSession>(std::move(t));
}

bool TxnShell::Handle(KvCliSession& session, const std::vector<std::string>& words,
                      uint64_t timeout_us, int* rc, std::string* bad_input) {
  const std::string& op = words[0];
  if (!IsTxnCommand(op) && !(open_ && (op == "get" || op == "put" || op == "append"))) {
    return false;
  }
  *rc = kExitBadInput;
  if (op == "append") {
    *bad_input = "append: not in a transaction (tx " + std::to_string(tx_) + " is open): use put";
    return true;
  }
  const size_t want = op == "put" ? 3 : op == "get" ? 2 : 1;
  if (words.size() != want) {
    *bad_input = op + " takes " + std::to_string(want - 1) + " argument(s)";
    return true;
  }
  if (op == "begin" && open_) {
    *bad_input = "begin: tx " + std::to_string(tx_) + " is open (commit or abort it first)";
    return true;
  }
  if (op != "begin" && !open_) {
    *bad_input = op + ": no open transaction (begin first)";
    return true;
  }
  int code = TX_OK;
  std::string value;
  uint64_t tx = tx_;
  const bool answered = session.Run(
      [&](CliClerk& ck) {
        TxnClient& c = static_cast<TxnCliClerk&>(ck).txn();
        if (op == "begin") {
          tx = c.TxBegin();
        } else if (op == "get") {
          code = c.TxGet(tx, words[1], &value);
        } else if (op == "put") {
          code = c.TxPut(tx, words[1], words[2]);
        } else if (op == "commit") {
          code = c.TxCommit(tx);
        } else {
          code = c.TxAbort(tx);
        }
      },
      timeout_us);
  if (!answered) {
    fprintf(stderr, "kv_cli: %s: no answer within %llu ms (is a majority of %s up?); tx %llu "
            "forgotten%s\n", op.c_str(), static_cast<unsigned long long>(timeout_us / 1000),
            session.Describe().c_str(), static_cast<unsigned long long>(tx_),
            op == "commit" ? ": its outcome is unknown" : "");
    open_ = false;
    *rc = kExitRuntimeError;
    return true;
  }
  *rc = kExitOk;
  if (op == "begin") {
    open_ = true;
    tx_ = tx;
    printf("tx %llu\n", static_cast<unsigned long long>(tx));
  } else if (op == "get" && code == TX_OK) {
    printf("%s\n", value.c_str());
  } else {
    printf("%s\n", TxCodeName(code).c_str());
    const bool known = code == TX_OK || code == TX_ABORTED || code == TX_NOTFOUND ||
                       (op == "commit" && code == TX_COMMITTED);
    if (!known) *rc = kExitRuntimeError;
  }
  if (op == "commit" || op == "abort" || code == TX_ABORTED) open_ = false;
  fflush(stdout);
  return true;
}

int RunTxBench(KvCliSession& session, const TxBenchOptions& o, uint64_t timeout_us) {
  struct Worker {
    std::shared_ptr<rrr::NodeContext> node;
    std::unique_ptr<CliClerk> clerk;
  };
  struct Tally {
    std::vector<uint64_t> committed_us;  // latency of each committed transaction
    long aborted = 0;
    int finished = 0;                    // workers done
    std::string unexpected;              // the first unexpected return code
  };
  auto tally = std::make_shared<Tally>();
  std::vector<Worker> workers(o.clients);
  const uint64_t start = rrr::Time::Now();
  const uint64_t end = start + static_cast<uint64_t>(o.seconds) * 1000000;
  std::random_device seed;
  for (int c = 0; c < o.clients; c++) {
    Worker& w = workers[c];
    w.node = session.NewWorkerNode("kv_cli-txbench-" + std::to_string(c));
    const uint64_t worker_seed = (uint64_t{seed()} << 32) ^ seed();
    w.node->Run([&] {
      w.clerk = session.target().clerks();
      TxnClient* ck = &static_cast<TxnCliClerk&>(*w.clerk).txn();
      rrr::Coroutine::CreateRun([ck, o, end, worker_seed, tally] {
        std::mt19937_64 rng(worker_seed);
        std::vector<int> keys(o.keys);
        for (int i = 0; i < o.keys; i++) keys[i] = i;
        while (rrr::Time::Now() < end && tally->unexpected.empty()) {
          for (int i = 0; i < o.ops_per_tx; i++) {  // the first K: K distinct keys at random
            std::swap(keys[i], keys[i + rng() % (o.keys - i)]);
          }
          const uint64_t t0 = rrr::Time::Now();
          const uint64_t tx = ck->TxBegin();
          int code = TX_OK;
          for (int i = 0; i < o.ops_per_tx && code == TX_OK; i++) {
            const std::string key = BenchKey(keys[i]);
            std::string value;
            code = ck->TxGet(tx, key, &value);
            if (code == TX_NOTFOUND) code = TX_OK;  // a counter not written yet: 0
            if (code != TX_OK) break;
            code = ck->TxPut(tx, key, std::to_string(std::strtoll(value.c_str(), nullptr, 10) + 1));
          }
          if (code == TX_OK) code = ck->TxCommit(tx);
          if (code == TX_COMMITTED) {
            tally->committed_us.push_back(rrr::Time::Now() - t0);
          } else if (code == TX_ABORTED) {
            tally->aborted++;
          } else {
            tally->unexpected = TxCodeName(code);
          }
        }
        tally->finished++;
      });
    });
  }
  const bool ok = session.RunUntil([&] { return tally->finished == o.clients; },
                                   static_cast<uint64_t>(o.seconds) * 1000000 + timeout_us);
  const double seconds = (rrr::Time::Now() - start) / 1e6;
  for (Worker& w : workers) w.node->Cancel();  // before the clerks they use go
  std::vector<uint64_t> sorted = tally->committed_us;
  std::sort(sorted.begin(), sorted.end());
  const long committed = static_cast<long>(sorted.size());
  const long finished = committed + tally->aborted;
  printf("txbench (%s): %d keys, %d clients, %d ops/tx, %.1f s: %ld committed (%.1f tx/s), "
         "%ld aborted (abort rate %.1f%%), committed latency p50 %.2f ms, p99 %.2f ms\n",
         ConcurrencyName(ModeOf(*session.target().config)), o.keys, o.clients, o.ops_per_tx,
         seconds, committed, committed / seconds, tally->aborted,
         finished == 0 ? 0.0 : 100.0 * tally->aborted / finished, Percentile(sorted, 50),
         Percentile(sorted, 99));
  fflush(stdout);
  if (!tally->unexpected.empty()) {
    fprintf(stderr, "kv_cli: txbench: a transaction call returned %s\n",
            tally->unexpected.c_str());
    return kExitRuntimeError;
  }
  if (!ok) {
    fprintf(stderr, "kv_cli: txbench: %d of %d clients still in a transaction %llu ms after the "
            "%d s (is a majority of every group and of the shard master %s up?)\n",
            o.clients - tally->finished, o.clients,
            static_cast<unsigned long long>(timeout_us / 1000), o.seconds,
            session.target().master_describe.c_str());
    return kExitRuntimeError;
  }
  return kExitOk;
}

}  // namespace janus
