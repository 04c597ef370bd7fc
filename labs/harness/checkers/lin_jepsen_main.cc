// lin_jepsen: the linearizability checker on Jepsen-format KV histories (jepsen_kv.h), and the
// generator of such histories with a known verdict (kv_history_gen.h). Not part of a lab.
//
//   lin_jepsen gen c50 --seed=1 --bad-keys=4 > c50-bad.txt   # the violations go to stderr
//   lin_jepsen check c50-bad.txt --timeout-ms=10000
//   lin_jepsen check history.edn --html=report.html --title="jepsen_kv seed 7"
//
// `check` prints the checker's summary, then "verdict: ..., wall time: ...s" to stderr; it exits
// 0 if linearizable, 1 if NOT linearizable, 2 if undecided, 3 on a usage or input error. With
// --html=FILE, a history that is not found linearizable also gets the HTML report (lin_html.h,
// with the history's nemesis lines on its timeline), and "HTML report: FILE" goes to stderr.
#include <chrono>
#include <cstdio>
#include <fstream>
#include <sstream>

#include "labs/harness/checkers/jepsen_kv.h"
#include "labs/harness/checkers/kv_history_gen.h"
#include "labs/harness/checkers/lin_html.h"
#include "labs/harness/checkers/linearizability.h"
#include "rrr/base/flags.h"

namespace janus {
namespace harness {
namespace {

constexpr const char* kUsage =
    "usage: lin_jepsen gen c01|c10|c50 [--seed=N] [--bad-keys=N] [--clients=N] [--ops=N]\n"
    "                      [--keys=N] [--slow-percent=N] [--crash-percent=N]\n"
    "                      [--stuck-percent=N] [--hot-percent=N]\n"
    "       lin_jepsen check FILE [--timeout-ms=N] [--threads=N] [--memory-mb=N]\n"
    "                        [--html=REPORT] [--title=TEXT]\n";

int Usage(const std::string& error) {
  if (!error.empty()) std::fprintf(stderr, "lin_jepsen: %s\n", error.c_str());
  std::fputs(kUsage, stderr);
  return 3;
}

int Gen(const std::vector<std::string>& args) {
  if (args.empty() || (args[0] != "c01" && args[0] != "c10" && args[0] != "c50")) {
    return Usage("gen needs a size: c01, c10 or c50");
  }
  uint64_t seed = 1;
  int bad_keys = 0;
  KvGenOptions o = KvGenPreset(args[0], 1, 0);
  rrr::FlagParser flags;
  flags.Uint64("seed", &seed, 0, UINT32_MAX);
  flags.Int("bad-keys", &bad_keys, 0, 1000);
  flags.Int("clients", &o.clients, 1, 500);
  flags.Int("ops", &o.ops_per_client, 0, 1000000);
  flags.Int("keys", &o.keys, 1, 1000);
  flags.Int("hot-percent", &o.hot_percent, 0, 100);
  flags.Int("slow-percent", &o.slow_percent, 0, 100);
  flags.Int("crash-percent", &o.crash_percent, 0, 100);
  flags.Int("stuck-percent", &o.stuck_percent, 0, 100);
  std::vector<std::string> rest;
  std::string error;
  if (!flags.Parse({args.begin() + 1, args.end()}, &rest, &error)) return Usage(error);
  o.seed = static_cast<uint32_t>(seed);
  o.bad_keys = bad_keys;
  const KvGenHistory h = GenerateKvHistory(o);
  std::fputs(WriteJepsenKv(h.ops).c_str(), stdout);
  std::fprintf(stderr, "%zu operations; %s\n", h.ops.size(),
               h.bad_keys.empty() ? "linearizable" : "NOT linearizable:");
  for (const std::string& v : h.violations) std::fprintf(stderr, "  %s\n", v.c_str());
  return 0;
}

int Check(const std::vector<std::string>& args) {
  LinOptions options;
  std::string html, title;
  rrr::FlagParser flags;
  flags.NonEmptyString("html", &html);
  flags.String("title", &title);
  flags.Uint64("timeout-ms", &options.timeout_ms);
  flags.Uint64("memory-mb", &options.memory_limit_mb);
  flags.Int("threads", &options.threads, 0, 64);
  flags.AllowPositional();
  std::vector<std::string> rest;
  std::string error;
  if (!flags.Parse(args, &rest, &error)) return Usage(error);
  if (rest.size() != 1) return Usage("check needs one FILE");
  std::ifstream in(rest[0]);
  if (!in) return Usage("cannot read " + rest[0]);
  std::stringstream text;
  text << in.rdbuf();
  std::vector<KvOp> ops;
  std::vector<TimedEvent> events;
  if (!ParseJepsenKv(text.str(), &ops, &error, &events)) return Usage(rest[0] + ": " + error);
  const auto start = std::chrono::steady_clock::now();
  const LinResult r = CheckKvLinearizable(ops, options);
  const double secs =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("%s\n", r.Summary(ops).c_str());
  std::fflush(stdout);
  std::fprintf(stderr, "verdict: %s, wall time: %.3fs, threads: %d\n", LinVerdictName(r.verdict),
               secs, r.threads);
  if (!html.empty() && r.verdict != LinVerdict::kOk) {
    if (!WriteLinearizabilityHtml(html, title.empty() ? rest[0] : title, ops, r, events, &error)) {
      std::fprintf(stderr, "lin_jepsen: %s\n", error.c_str());
      return 3;
    }
    std::fprintf(stderr, "HTML report: %s\n", html.c_str());
  }
  return r.verdict == LinVerdict::kOk ? 0 : r.verdict == LinVerdict::kIllegal ? 1 : 2;
}

}  // namespace
}  // namespace harness
}  // namespace janus

int main(int argc, char** argv) {
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty()) return janus::harness::Usage("");
  const std::string cmd = args[0];
  args.erase(args.begin());
  if (cmd == "gen") return janus::harness::Gen(args);
  if (cmd == "check") return janus::harness::Check(args);
  return janus::harness::Usage("unknown command '" + cmd + "'");
}
