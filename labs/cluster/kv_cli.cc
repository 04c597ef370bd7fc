// kv_cli: a command-line clerk of a cluster run by deptran_server (lab kv, shardkv, shardmaster
// or txn).
//
//   kv_cli --config FILE [--partition NAME] [--timeout-ms MS] put KEY VALUE
//   kv_cli --config FILE ... append KEY VALUE
//   kv_cli --config FILE ... get KEY          prints the value ("" for a missing key)
//   kv_cli --config FILE ... bench N [CLIENTS]  N puts by CLIENTS concurrent clerks (default 1)
//   kv_cli --config FILE ... shell            one command per stdin line ("put k v", "get k",
//                                             "query", ...; not bench)
//   kv_cli --config FILE ... jepsen [P [S]]   one get/put/append per stdin line, each printed
//                                             as Jepsen :invoke and :ok/:info events with wall
//                                             times (kv_cli_jepsen.h)
//   kv_cli --config FILE ... join GID... | join GID ADDR... | leave GID... | move SHARD GID
//   kv_cli --config FILE ... query [NUM]      (labs shardmaster, shardkv, txn: kv_cli_shard.h)
//   kv_cli --config FILE ... txbench [--keys N] [--clients C] [--seconds S] [--ops-per-tx K]
//                                             (lab txn: kv_cli_txn.h; the shell also takes
//                                             begin, get, put, commit, abort)
//
// Lab kv: the clerk (labs/kv/client.h) talks to the sites of the config's first partition (or
// --partition NAME). Lab shardkv: the clerk (labs/shardkv/client.h) finds each key's group
// through the shard master, partition "ctrl"; join/leave/move/query go to the shard master.
// Lab shardmaster: only join/leave/move/query, to the first partition (or --partition NAME).
// Lab txn: as shardkv, through labs/txn's TxnClient, plus the shell's transactions and txbench.
// Every site must have a fixed port. The clerk retries until the operation took effect; if that
// takes longer than --timeout-ms (default 10000; bench: 120000 for the whole run; txbench: the
// grace after its S seconds) kv_cli gives up. Exit codes: 0 success (an aborted transaction
// included: TX_ABORTED is an outcome), 1 no answer in time, a request the shard master refused
// (or a failed shell command), 2 bad input (flags, config, arguments). Put, append, join, leave
// and move print "OK".
#include <cstdio>
#include <iostream>
#include <sstream>

#include "deptran/kv_op.h"
#include "deptran/launcher.h"
#include "labs/cluster/kv_cli_jepsen.h"
#include "labs/cluster/kv_cli_session.h"
#include "labs/cluster/kv_cli_shard.h"
#include "labs/cluster/kv_cli_txn.h"
#include "rrr/base/flags.h"
#include "rrr/base/logging.h"

namespace {

const char kUsage[] =
    "usage: kv_cli --config FILE [--partition NAME] [--timeout-ms MS] COMMAND\n"
    "  put KEY VALUE | append KEY VALUE | get KEY | bench N [CLIENTS] | shell\n"
    "  jepsen [PROCESS [STRIDE]]   stdin ops -> Jepsen history events on stdout\n"
    "  join GID... | join GID ADDR... | leave GID... | move SHARD GID | query [NUM]\n"
    "    (the last five: labs shardmaster, shardkv and txn)\n"
    "  txbench [--keys N] [--clients C] [--seconds S] [--ops-per-tx K]   (lab txn)\n"
    "    read-modify-write transactions over N keys (default 100, 8, 10, 2): prints\n"
    "    committed tx/s, abort rate, p50/p99 latency of the committed\n"
    "  lab txn's shell also takes: begin | get KEY | put KEY VALUE | commit | abort\n";

int BadInput(const std::string& message) {
  fprintf(stderr, "kv_cli: %s\n%s", message.c_str(), kUsage);
  return janus::kExitBadInput;
}

// Checks that the session's lab has what command `op` needs; returns "" or the problem.
std::string LabMismatch(const janus::KvCliSession& session, const std::string& op) {
  const janus::Config& config = *session.target().config;
  if (janus::IsShardCommand(op) && session.target().master_addrs.empty()) {
    return op + " needs a config of lab shardmaster, shardkv or txn (" + config.source() +
           " is lab " + config.lab() + ")";
  }
  if (!janus::IsShardCommand(op) && !session.has_keys()) {
    return op + ": lab " + config.lab() + " has no keys (" + config.source() +
           "); its commands: join, leave, move, query";
  }
  return "";
}

// Runs one command line (already split). Returns the exit code; prints results to stdout.
int RunCommand(janus::KvCliSession& session, const std::vector<std::string>& cmd,
               uint64_t timeout_us) {
  const std::string& op = cmd[0];
  janus::KvOpKind kind = janus::KvOpKind::kGet;
  if (janus::IsTxnCommand(op)) {
    return BadInput(op + ": a transaction command of lab txn's shell (" +
                    session.target().config->source() + " is lab " +
                    session.target().config->lab() + ")");
  }
  if (!janus::IsShardCommand(op) && !janus::ParseKvOpKind(op, &kind)) {
    return BadInput("unknown command '" + op + "'");
  }
  const std::string mismatch = LabMismatch(session, op);
  if (!mismatch.empty()) return BadInput(mismatch);
  if (janus::IsShardCommand(op)) {
    std::string bad;
    const int rc = janus::RunShardCommand(session, cmd, timeout_us, &bad);
    return rc == janus::kExitBadInput ? BadInput(bad) : rc;
  }
  const size_t want = kind == janus::KvOpKind::kGet ? 2 : 3;
  if (cmd.size() != want) return BadInput(op + " takes " + std::to_string(want - 1) + " argument(s)");
  std::string value;
  bool ok = session.Run(
      [&](janus::CliClerk& ck) {
        switch (kind) {
          case janus::KvOpKind::kGet:
            value = ck.Get(cmd[1]);
            break;
          case janus::KvOpKind::kPut:
            ck.Put(cmd[1], cmd[2]);
            break;
          case janus::KvOpKind::kAppend:
            ck.Append(cmd[1], cmd[2]);
            break;
        }
      },
      timeout_us);
  if (!ok) {
    fprintf(stderr, "kv_cli: %s %s: no answer within %llu ms (is a majority of %s up?)\n",
            op.c_str(), cmd[1].c_str(), static_cast<unsigned long long>(timeout_us / 1000),
            session.Describe().c_str());
    return janus::kExitRuntimeError;
  }
  printf("%s\n", kind == janus::KvOpKind::kGet ? value.c_str() : "OK");
  fflush(stdout);
  return janus::kExitOk;
}

int RunShell(janus::KvCliSession& session, uint64_t timeout_us) {
  int rc = janus::kExitOk;
  janus::TxnShell txn;  // lab txn's open transaction
  const bool txn_lab = janus::IsTxnLab(session.target().config->lab());
  std::string line;
  while (std::getline(std::cin, line)) {
    std::istringstream in(line);
    std::vector<std::string> words;
    for (std::string w; in >> w;) words.push_back(w);
    if (words.empty() || words[0][0] == '#') continue;
    if (words[0] == "quit" || words[0] == "exit") break;
    int one = janus::kExitOk;
    std::string bad;
    if (txn_lab && txn.Handle(session, words, timeout_us, &one, &bad)) {
      if (one == janus::kExitBadInput) {
        fprintf(stderr, "kv_cli: %s\n", bad.c_str());
        fflush(stderr);
      }
    } else {
      one = RunCommand(session, words, timeout_us);
    }
    if (one != janus::kExitOk) rc = janus::kExitRuntimeError;
  }
  return rc;
}

int RunBench(janus::KvCliSession& session, const std::vector<std::string>& cmd,
             uint64_t timeout_us) {
  uint64_t n64 = 0, clients64 = 1;
  const bool ok = (cmd.size() == 2 || cmd.size() == 3) && rrr::ParseDecimalU64(cmd[1], &n64) &&
                  (cmd.size() == 2 || rrr::ParseDecimalU64(cmd[2], &clients64));
  if (!ok || n64 == 0 || clients64 == 0 || n64 > 1000000000 || clients64 > 100000) {
    return BadInput("bench takes N [CLIENTS], positive integers");
  }
  const std::string mismatch = LabMismatch(session, "bench");
  if (!mismatch.empty()) return BadInput(mismatch);
  const long n = static_cast<long>(n64), clients = static_cast<long>(clients64);
  janus::KvCliSession::BenchResult r;
  if (!session.Bench(static_cast<int>(n), static_cast<int>(clients), timeout_us, &r)) {
    fprintf(stderr, "kv_cli: bench: %d of %ld puts done within %llu ms (is a majority of %s up?)\n",
            r.done, n, static_cast<unsigned long long>(timeout_us / 1000),
            session.Describe().c_str());
    return janus::kExitRuntimeError;
  }
  printf("bench: %d puts by %ld clients in %.3f s: %.0f ops/s, latency mean %.2f ms, "
         "p50 %.2f ms, p99 %.2f ms\n",
         r.done, clients, r.seconds, r.done / r.seconds, r.mean_ms, r.p50_ms, r.p99_ms);
  return janus::kExitOk;
}

// txbench's flags (registered on the one parser) and their check. Returns "" or the problem.
struct TxBenchFlags {
  janus::TxBenchOptions options;
  void Register(rrr::FlagParser* flags) {
    flags->Int("keys", &options.keys, 1, 10000000);
    flags->Int("clients", &options.clients, 1, 10000);
    flags->Int("seconds", &options.seconds, 1, 24 * 3600);
    flags->Int("ops-per-tx", &options.ops_per_tx, 1, 1000);
  }
  std::string Check(const rrr::FlagParser& flags, const std::string& op) const {
    for (const char* f : {"keys", "clients", "seconds", "ops-per-tx"}) {
      if (flags.Seen(f) && op != "txbench") return std::string("--") + f + " is a txbench flag";
    }
    if (op == "txbench" && options.ops_per_tx > options.keys) {
      return "txbench: --ops-per-tx " + std::to_string(options.ops_per_tx) +
             " is more than --keys " + std::to_string(options.keys) +
             " (each transaction touches distinct keys)";
    }
    return "";
  }
};

}  // namespace

int main(int argc, char** argv) {
  std::string config_path, partition;
  uint64_t timeout_ms = 0;
  rrr::FlagParser flags;
  flags.String("config", &config_path);
  flags.String("partition", &partition);
  flags.Uint64("timeout-ms", &timeout_ms, 1, 24 * 3600 * 1000);  // up to a day
  TxBenchFlags txbench;
  txbench.Register(&flags);
  flags.AllowPositional();
  std::vector<std::string> cmd;
  std::string error;
  if (!flags.Parse(std::vector<std::string>(argv + 1, argv + argc), &cmd, &error)) {
    if (!flags.help_requested()) return BadInput(error);
    printf("%s", kUsage);
    return janus::kExitOk;
  }
  if (config_path.empty()) return BadInput("missing --config FILE");
  if (cmd.empty()) return BadInput("missing command");
  janus::KvOpKind kind;
  if (janus::IsTxnCommand(cmd[0])) {
    return BadInput(cmd[0] + ": a transaction command; run it in `kv_cli ... shell` (lab txn)");
  }
  if (!janus::ParseKvOpKind(cmd[0], &kind) && cmd[0] != "bench" && cmd[0] != "shell" &&
      cmd[0] != "jepsen" && cmd[0] != "txbench" && !janus::IsShardCommand(cmd[0])) {
    return BadInput("unknown command '" + cmd[0] + "'");
  }
  const std::string txbench_bad = txbench.Check(flags, cmd[0]);
  if (!txbench_bad.empty()) return BadInput(txbench_bad);
  if (!flags.Seen("timeout-ms")) timeout_ms = cmd[0] == "bench" ? 120000 : 10000;
  const uint64_t timeout_us = timeout_ms * 1000;
  rrr::Log::SetLevel(rrr::LogLevel::kWarn);

  std::unique_ptr<janus::KvCliSession> session;
  try {
    janus::Config config = janus::Config::LoadFile(config_path);
    if (janus::IsTxnLab(config.lab())) {
      session = janus::OpenTxnSession(config, partition);
    } else if (janus::IsShardLab(config.lab())) {
      session = janus::OpenShardSession(config, partition);
    } else {
      session = janus::KvCliSession::OpenKv(config, partition);
    }
  } catch (const std::exception& e) {  // ConfigError or LaunchError
    fprintf(stderr, "kv_cli: %s\n", e.what());
    return janus::kExitBadInput;
  }
  if (cmd[0] == "shell") return cmd.size() == 1 ? RunShell(*session, timeout_us)
                                                : BadInput("shell takes no arguments");
  if (cmd[0] == "bench") return RunBench(*session, cmd, timeout_us);
  if (cmd[0] == "jepsen") {
    const std::string mismatch = LabMismatch(*session, "jepsen");
    if (!mismatch.empty()) return BadInput(mismatch);
    return janus::RunJepsenClient(*session, {cmd.begin() + 1, cmd.end()}, timeout_us);
  }
  if (cmd[0] == "txbench") {
    if (cmd.size() != 1) return BadInput("txbench takes only flags (--keys, --clients, ...)");
    if (!janus::IsTxnLab(session->target().config->lab())) {
      return BadInput("txbench needs a config of lab txn (" + config_path + " is lab " +
                      session->target().config->lab() + ")");
    }
    return janus::RunTxBench(*session, txbench.options, timeout_us);
  }
  return RunCommand(*session, cmd, timeout_us);
}
