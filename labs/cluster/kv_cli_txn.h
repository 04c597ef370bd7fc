// kv_cli's side of lab txn (Lab 4, distributed transactions; labs/cluster/kv_cli.cc): the session
// of a config of lab txn, the transaction commands of its shell, and txbench. Implemented by
// kv_cli_txn.cc, or by kv_cli_txn_none.cc when the lab is not built (labs/cluster/CMakeLists.txt).
//
// A txn config is laid out like a shardkv one (shard master "ctrl", groups "g<gid>",
// labs/cluster/shard_config.h); the clerk is labs/txn's TxnClient, which finds each key's group
// through the shard master. join/leave/move/query are kv_cli_shard.h's; get/put/append outside a
// transaction are the clerk's plain operations.
//
// The shell (kv_cli ... shell) takes, besides the plain and shard-master commands:
//   begin            starts a transaction; prints "tx ID"
//   get KEY          inside a transaction: TxGet; prints the value, or TX_NOTFOUND, or
//                    TX_ABORTED (the transaction is then over)
//   put KEY VALUE    inside a transaction: TxPut (buffered until commit); prints OK or TX_ABORTED
//   commit           TxCommit; prints TX_COMMITTED or TX_ABORTED
//   abort            TxAbort; prints TX_ABORTED
// One transaction at a time per shell. If the cluster does not answer a transaction command
// within --timeout-ms, kv_cli says so on stderr and forgets the transaction (its clerk is
// replaced; the servers resolve what it left prepared): after a timed-out commit its outcome is
// unknown.
//
//   txbench [--keys N] [--clients C] [--seconds S] [--ops-per-tx K]
// C clerks, each in a loop for S seconds: a transaction that reads K distinct keys picked at
// random among N ("<digit>txb<i>": spread over the ten shards), writes each back plus one
// (read-modify-write counters; a missing key counts as 0) and commits; an aborted transaction is
// counted and the clerk moves on to a new one. Prints one line: committed transactions per
// second, the abort rate (aborted / finished) and the p50/p99 latency of the committed ones
// (TxBegin to TxCommit's answer). Defaults: 100 keys, 8 clients, 10 s, 2 ops per transaction.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "deptran/config.h"
#include "labs/cluster/kv_cli_session.h"

namespace janus {

// True for lab txn's configs.
inline bool IsTxnLab(const std::string& lab) { return lab == "txn"; }

// True for the shell's transaction commands that exist only in lab txn (begin, commit, abort).
inline bool IsTxnCommand(const std::string& name) {
  return name == "begin" || name == "commit" || name == "abort";
}

// Opens a session for a config of lab txn: shard master "ctrl", keys through a TxnClient.
// `partition` must be empty. Throws LaunchError (or ConfigError) for a config it cannot use:
// shard_config.h's checks, a port 0, or the lab not built.
// REQUIRES: IsTxnLab(config.lab()).
std::unique_ptr<KvCliSession> OpenTxnSession(const Config& config, const std::string& partition);

// txbench's parameters (see above), checked by the caller: all >= 1, ops_per_tx <= keys.
struct TxBenchOptions {
  int keys = 100;
  int clients = 8;
  int seconds = 10;
  int ops_per_tx = 2;
};

// Runs txbench on a session opened by OpenTxnSession and prints its line. Returns kExitOk, or
// kExitRuntimeError (with a line on stderr) if the clients did not all finish their last
// transaction within timeout_us after the S seconds, or a call returned an unexpected code.
int RunTxBench(KvCliSession& session, const TxBenchOptions& options, uint64_t timeout_us);

// The shell's transaction state: at most one open transaction.
class TxnShell {
 public:
  // Handles one shell line if it is a transaction command: begin, commit, abort, or get/put
  // while a transaction is open. Returns false, touching nothing, for any other line (the
  // caller runs it as a plain or shard-master command). When it returns true, *rc is the
  // command's exit code (kExitOk, kExitRuntimeError, or kExitBadInput with *bad_input set and
  // nothing printed); results go to stdout, runtime failures to stderr.
  // REQUIRES: a session opened by OpenTxnSession; !words.empty().
  bool Handle(KvCliSession& session, const std::vector<std::string>& words, uint64_t timeout_us,
              int* rc, std::string* bad_input);

 private:
  bool open_ = false;  // a transaction is open
  uint64_t tx_ = 0;    // its id (TxBegin's)
};

}  // namespace janus
