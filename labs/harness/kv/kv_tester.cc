#include "labs/harness/kv/kv_tester.h"

#include "labs/harness/core/trace.h"
#include "labs/harness/core/trace_event.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>

#include "labs/harness/checkers/lin_html.h"
#include "labs/harness/core/graded_test.h"
#include "labs/harness/core/watchdog.h"
#include "rrr/base/logging.h"
#include "rrr/base/time.h"
#include "rrr/reactor/coroutine.h"

namespace janus {

using harness::KvOpKind;

namespace {

// Linearizability check time limit (real time), unless DSLABS_LIN_TIMEOUT_MS says otherwise.
constexpr uint64_t kDefaultLinTimeoutMs = 10000;

std::string Show(const std::string& v) { return harness::ShowKvValue(v); }

// Where the HTML report of the running test goes: the current directory, named after the test.
std::string ReportPath() {
  std::string name = "kv-linearizability.html";
  if (const harness::TestEnv* env = harness::CurrentEnvOrNull()) {
    name = "lin-" + env->info().full_name() + "-" + harness::NetModeName(env->net()) + "-seed" +
           std::to_string(env->iteration_seed()) + ".html";
  }
  char cwd[4096];
  if (getcwd(cwd, sizeof(cwd)) == nullptr) return name;
  return std::string(cwd) + "/" + name;
}

}  // namespace

KvTester::KvTester(int n, bool unreliable, int64_t maxraftstate)
    : LabTester(n, "kv test"), maxraftstate_(maxraftstate) {
  StartCluster([this](int i, Persister* p, const std::vector<std::string>& addrs) {
    return MakeNode(i, p, addrs);
  });
  CreateTesterNode();
  Note("start: " + std::to_string(n) + " servers, maxraftstate " + std::to_string(maxraftstate));
  if (unreliable) SetUnreliable(true);
}

KvTester::~KvTester() {
  // Unwind every coroutine that could still touch the clerks, the history or the cluster.
  for (auto& ck : clerks_) ck->context->Cancel();
  StopCoroutines();
  clerks_.clear();
  StopCluster();
}

std::unique_ptr<KvNode> KvTester::MakeNode(int i, Persister* persister,
                                           const std::vector<std::string>& addrs) {
  Config config = Config::FromAddresses("kv", addrs);
  config.SetOption("maxraftstate", std::to_string(maxraftstate_));
  return std::make_unique<KvNode>(std::make_shared<const Config>(std::move(config)), i, persister);
}

void KvTester::Note(const std::string& what) {
  history_.AddEvent(what);
  LabTester::Note(what);
}

// ---- Clerks and operations. ----

KvTestClerk* KvTester::MakeClerk() {
  std::vector<int> all;
  for (int i = 0; i < n(); i++) all.push_back(i);
  return MakeClerk(all);
}

KvTestClerk* KvTester::MakeClerk(const std::vector<int>& servers) {
  auto ck = std::make_unique<KvTestClerk>();
  ck->id = static_cast<int>(clerks_.size());
  ck->context = cluster().NewClientContext("c" + std::to_string(ck->id));
  {
    rrr::NodeScope scope(ck->context.get());
    ck->client = std::make_unique<KvClient>(cluster().addrs());
  }
  clerks_.push_back(std::move(ck));
  KvTestClerk* raw = clerks_.back().get();
  if (static_cast<int>(servers.size()) != n()) ConnectClerk(raw, servers);
  return raw;
}

void KvTester::ConnectClerk(KvTestClerk* ck, const std::vector<int>& servers) {
  for (int i = 0; i < n(); i++) {
    const bool up = std::find(servers.begin(), servers.end(), i) != servers.end();
    cluster().net().SetLink(ck->context->id(), cluster().NodeId(i), up);
    cluster().net().SetLink(cluster().NodeId(i), ck->context->id(), up);
  }
  Note("clerk c" + std::to_string(ck->id) + " reaches " + ListNodes(servers));
}

std::string KvTester::DoOp(KvTestClerk* ck, KvOpKind kind, const std::string& key,
                           const std::string& value) {
  const size_t id = history_.Call(ck->id, kind, key, value);
  const uint64_t start = Now();
  const uint64_t trace_start = harness::StructuredTrace() ? harness::TraceNowUs() : 0;
  std::string out;
  switch (kind) {
    case KvOpKind::kGet:
      out = ck->client->Get(key);
      break;
    case KvOpKind::kPut:
      ck->client->Put(key, value);
      break;
    case KvOpKind::kAppend:
      ck->client->Append(key, value);
      break;
  }
  history_.Return(id, out);
  if (harness::StructuredTrace()) {
    const std::string& shown = kind == KvOpKind::kGet ? out : value;
    const char* op = kind == KvOpKind::kGet ? "get" : kind == KvOpKind::kPut ? "put" : "append";
    harness::TraceEvent("kv_op")
        .Int("client", ck->context->id())
        .Str("op", op)
        .Str("key", key)
        .Str("value", shown.size() > 200 ? shown.substr(0, 197) + "..." : shown)
        .Str("outcome", "ok")
        .Uint("start_us", trace_start)
        .Uint("end_us", harness::TraceNowUs())
        .Emit();
  }
  Log_debug("kv test: c%d %s(%s) took %.1f ms", ck->id, harness::KvOpKindName(kind), key.c_str(),
            static_cast<double>(Now() - start) / 1000);
  // Any real answer needs a network round trip. A clerk that answers without one (such as the
  // handout's stub) must not spin the test's loops without letting time pass.
  if (Now() - start < 5) Sleep(1000);
  return out;
}

std::shared_ptr<rrr::BoxEvent<std::string>> KvTester::StartOp(KvTestClerk* ck, KvOpKind kind,
                                                              const std::string& key,
                                                              const std::string& value) {
  auto box = std::make_shared<rrr::BoxEvent<std::string>>();
  ck->context->Run([&] {
    rrr::Coroutine::CreateRun(
        [this, ck, kind, key, value, box] { box->Set(DoOp(ck, kind, key, value)); });
  });
  return box;
}

std::string KvTester::RunOp(KvTestClerk* ck, KvOpKind kind, const std::string& key,
                            const std::string& value) {
  rrr::Coroutine* co = rrr::Coroutine::Current();
  if (co != nullptr && co->node() == ck->context.get()) return DoOp(ck, kind, key, value);
  auto box = StartOp(ck, kind, key, value);
  box->Wait(kOpLimitUs);
  if (!box->IsReady()) {
    FailStep("clerk c" + std::to_string(ck->id) + ": " + harness::KvOpKindName(kind) + "(" +
             Show(key) + ") did not return within " + std::to_string(kOpLimitUs / 1000000) + " s");
  }
  return box->Get();
}

std::string KvTester::Get(KvTestClerk* ck, const std::string& key, const char* file, int line) {
  Step(file, line);
  return RunOp(ck, KvOpKind::kGet, key, "");
}

void KvTester::Put(KvTestClerk* ck, const std::string& key, const std::string& value,
                   const char* file, int line) {
  Step(file, line);
  RunOp(ck, KvOpKind::kPut, key, value);
}

void KvTester::Append(KvTestClerk* ck, const std::string& key, const std::string& value,
                      const char* file, int line) {
  Step(file, line);
  RunOp(ck, KvOpKind::kAppend, key, value);
}

void KvTester::CheckGet(KvTestClerk* ck, const std::string& key, const std::string& expected,
                        const char* file, int line) {
  const std::string v = Get(ck, key, file, line);
  if (v != expected) {
    FailStep("Get(" + Show(key) + ") by clerk c" + std::to_string(ck->id) + " returned " + Show(v) +
             ", expected " + Show(expected));
  }
}

// ---- Network and replicas. ----

void KvTester::Partition(const std::vector<int>& a, const std::vector<int>& b) {
  PartitionServers(a, b);
}

void KvTester::ConnectAll() { ConnectAllServers(); }

void KvTester::Restart(int i) {
  LabTester::Restart(i);
  Connect(i);
}

int KvTester::Leader(const char* file, int line) {
  Step(file, line);
  for (int attempt = 0; attempt < 10; attempt++) {
    int leader = -1;
    uint64_t leader_term = 0;
    for (int i = 0; i < n(); i++) {
      if (!cluster().IsUp(i) || !cluster().IsConnected(i)) continue;
      bool is_leader = false;
      uint64_t term = 0;
      cluster().At(i, [&](KvNode& node) { node.raft().GetState(&is_leader, &term); });
      harness::TraceGetState(cluster().NodeId(i), term, is_leader);
      if (is_leader && (leader < 0 || term > leader_term)) {
        leader = i;
        leader_term = term;
      }
    }
    if (leader >= 0) {
      Note("leader is " + NodeName(leader) + " (term " + std::to_string(leader_term) + ")");
      return leader;
    }
    Sleep(500 * 1000);
  }
  FailStep("no server believes it is the leader after 5 s");
}

// ---- The generic workload. ----

void KvTester::ClientLoop(int cli, KvTestClerk* ck, const GenericSpec& spec, const bool* stop,
                          int* appended, std::string* last) {
  std::string key = std::to_string(cli);
  DoOp(ck, KvOpKind::kPut, key, "");
  last->clear();
  int j = 0;
  while (!*stop) {
    if (spec.think_us_max > 0) {
      Sleep(static_cast<uint64_t>(Rand(0, static_cast<int64_t>(spec.think_us_max) * spec.clients)));
    }
    if (*stop) break;
    if (spec.random_keys) key = std::to_string(Rand(0, spec.clients - 1));
    const std::string nv = "x " + std::to_string(cli) + " " + std::to_string(j) + " y";
    if (Rand(0, 1) == 0) {
      DoOp(ck, KvOpKind::kAppend, key, nv);
      if (!spec.random_keys) *last += nv;
      j++;
      *appended = j;
    } else if (spec.random_keys && Rand(0, 999) < 100) {
      DoOp(ck, KvOpKind::kPut, key, nv);
      j++;
    } else {
      const std::string v = DoOp(ck, KvOpKind::kGet, key, "");
      if (!spec.random_keys && v != *last) {
        FailStep("client " + std::to_string(cli) + ": Get(" + Show(key) + ") returned " + Show(v) +
                 ", expected " + Show(*last));
      }
    }
  }
}

void KvTester::Partitioner(const bool* stop) {
  while (!*stop) {
    std::vector<int> a, b;
    for (int i = 0; i < n(); i++) (Rand(0, 1) == 0 ? a : b).push_back(i);
    Partition(a, b);
    Sleep(kElectionTimeoutUs + static_cast<uint64_t>(Rand(0, 200)) * 1000);
  }
}

void KvTester::Generic(const GenericSpec& spec, const char* file, int line) {
  Step(file, line);
  // A service that cannot even store one value fails here, before the long workload. A key
  // that was never written reads as "" (the server answers ErrNoKey; the clerk returns "").
  KvTestClerk* sanity = MakeClerk();
  Put(sanity, "sanity", "ok", file, line);
  CheckGet(sanity, "sanity", "ok", file, line);
  CheckGet(sanity, "never written", "", file, line);
  for (int it = 0; it < spec.iterations; it++) {
    Note("iteration " + std::to_string(it) + ": " + std::to_string(spec.clients) +
         " clients start");
    bool stop = false;
    std::vector<int> counts(spec.clients, 0);
    std::vector<std::string> lasts(spec.clients);
    harness::CoGroup clients, side;
    for (int cli = 0; cli < spec.clients; cli++) {
      KvTestClerk* ck = MakeClerk();
      clients.Go(ck->context.get(), [this, cli, ck, &spec, &stop, &counts, &lasts] {
        ClientLoop(cli, ck, spec, &stop, &counts[cli], &lasts[cli]);
      });
    }
    if (spec.partitions) {
      side.Go(tester_node(), [this, &stop] {
        Sleep(1000 * 1000);
        Partitioner(&stop);
      });
    }
    if (spec.scenario) {
      side.Go(tester_node(), [&spec, &stop] { spec.scenario([&stop] { return stop; }); });
    }
    Sleep(spec.workload_us);
    stop = true;
    Note("iteration " + std::to_string(it) + ": workload ends");
    side.Wait();
    if (spec.partitions) {
      ConnectAll();
      Sleep(kElectionTimeoutUs);
    }
    clients.Wait();
    harness::ThrowIfFailed();
    if (spec.crash) {
      // Everyone at once, as in MIT's crash tests: nothing survives but the persisters. Restart
      // (KvTester's) connects each server again at once.
      for (int i = 0; i < n(); i++) Crash(i);
      for (int i = 0; i < n(); i++) Restart(i);
      step_context_ = " (read after every server crashed and restarted at the end of iteration " +
                      std::to_string(it) + ")";
      if (spec.random_keys) {
        // Read back what the servers rebuilt; the linearizability checker judges the values.
        for (int key = 0; key < spec.clients; key++) Get(sanity, std::to_string(key), file, line);
      }
    }
    if (!spec.random_keys) {
      // With crashes, the clerk of the whole test (it knew the servers before they crashed).
      KvTestClerk* ck = spec.crash ? sanity : MakeClerk();
      for (int cli = 0; cli < spec.clients; cli++) {
        const std::string v = Get(ck, std::to_string(cli), file, line);
        CheckClientAppends(cli, v, counts[cli], file, line);
        if (v != lasts[cli]) {
          FailStep("client " + std::to_string(cli) + "'s key holds " + Show(v) + ", expected " +
                   Show(lasts[cli]));
        }
      }
    }
    // After the servers have applied the clients' operations (and had the chance to snapshot).
    if (maxraftstate_ > 0) CheckRaftStateSize(file, line);
    if (maxraftstate_ < 0) CheckNoSnapshot(file, line);
    step_context_.clear();
  }
}

// ---- Checks. ----

void KvTester::CheckClientAppends(int client, const std::string& value, int count, const char* file,
                                  int line) {
  Step(file, line);
  size_t last_at = 0;
  bool any = false;
  for (int j = 0; j < count; j++) {
    const std::string wanted = "x " + std::to_string(client) + " " + std::to_string(j) + " y";
    const size_t at = value.find(wanted);
    if (at == std::string::npos) {
      FailStep("client " + std::to_string(client) + "'s append " + Show(wanted) +
               " is missing from " + Show(value));
    }
    if (value.rfind(wanted) != at) {
      FailStep("client " + std::to_string(client) + "'s append " + Show(wanted) +
               " occurs more than once in " + Show(value));
    }
    if (any && at <= last_at) {
      FailStep("client " + std::to_string(client) + "'s append " + Show(wanted) +
               " is out of order in " + Show(value));
    }
    last_at = at;
    any = true;
  }
}

void KvTester::CheckAppendSpeed(KvTestClerk* ck, const char* name, const char* file, int line) {
  constexpr int kOps = 1000;
  constexpr uint64_t kMaxPerOpUs = 33 * 1000;
  const uint64_t start = Now();
  for (int i = 0; i < kOps; i++) Append(ck, "x", "x 0 " + std::to_string(i) + " y", file, line);
  const uint64_t took_us = Now() - start;
  CheckClientAppends(0, Get(ck, "x", file, line), kOps, file, line);
  if (took_us > kOps * kMaxPerOpUs) {
    Fail("operations completed too slowly: " + std::to_string(took_us / kOps / 1000) +
             " ms per op on average, over the 33 ms bound",
         file, line);
  }
  Log_info("kv test: %s: %.2f ms per append", name, static_cast<double>(took_us) / kOps / 1000);
}

harness::LinResult KvTester::CheckLinearizable(bool fail, const char* file, int line) {
  Step(file, line);
  harness::LinOptions options;
  options.timeout_ms = kDefaultLinTimeoutMs;
  if (const char* env = std::getenv("DSLABS_LIN_TIMEOUT_MS")) {
    options.timeout_ms = std::strtoull(env, nullptr, 10);
  }
  harness::LinResult r;
  {
    harness::Watchdog::LongStep long_step;  // the search may legitimately take seconds
    r = harness::CheckKvLinearizable(history_.ops(), options);
  }
  // The log gets the verdict line; a failure's explanation is reported once, by FailStep below
  // (which logs the verdict line itself).
  const std::string summary = r.Summary(history_.ops());
  if (r.verdict == harness::LinVerdict::kOk || !fail) {
    Log_info("kv test: %s", summary.substr(0, summary.find('\n')).c_str());
  }
  if (r.verdict == harness::LinVerdict::kOk) return r;

  std::string title = "KV history";
  if (const harness::TestEnv* env = harness::CurrentEnvOrNull()) {
    title = env->info().full_name() + " (" + harness::NetModeName(env->net()) + ", seed " +
            std::to_string(env->iteration_seed()) + ")";
  }
  // With --trace=auto the report's operations link to the failing test's trace page.
  harness::LinTraceLink trace;
  if (const harness::TestEnv* env = harness::CurrentEnvOrNull()) {
    trace.test = env->info().full_name();
    trace.page = harness::AutoTracePage(trace.test, env->iteration_seed());
    trace.zero_us = Now() - harness::TraceNowUs();
  }
  const std::string path = ReportPath();
  std::string error;
  if (harness::WriteLinearizabilityHtml(path, title, history_.ops(), r, history_.events(),
                                        &error, trace)) {
    last_report_ = path;
  } else {
    Log_error("kv test: %s", error.c_str());
  }
  if (fail) {
    std::string message = summary;
    if (r.verdict == harness::LinVerdict::kUnknown) {
      message +=
          "\n  (the checker could not decide within its time or memory limit: the history was "
          "not verified, which does not count as a pass; DSLABS_LIN_TIMEOUT_MS raises the time "
          "limit)";
    }
    message += "\n  history, failure and faults drawn in: " +
               (last_report_.empty() ? "(report not written: " + error + ")" : last_report_);
    FailStep(message);
  }
  return r;
}

void KvTester::EndChecks(const char* file, int line) { CheckLinearizable(true, file, line); }

}  // namespace janus
