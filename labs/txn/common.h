// Lab 4, distributed transactions: definitions shared by the transaction clerk and servers (add
// your own here).
#pragma once

#include <cstdint>
#include <string>

#include "deptran/kv_op.h"              // KvOpKind: Get, Put or Append
#include "labs/shardmaster/common.h"  // kNShards, KeyToShard, ShardConfig

// TxnErr, the outcome of one request, is declared in txn_rpc.rpc (generated txn_rpc.h).
#include "txn_rpc.h"

namespace janus {

// What the clerk's transaction calls return (client.h). TxGet and TxPut return 0 (OK) when the
// transaction may go on.
constexpr int TX_OK = 0;
constexpr int TX_COMMITTED = 101;  // TxCommit: every write took effect, atomically
constexpr int TX_ABORTED = 102;    // the transaction is aborted: none of its writes took effect
constexpr int TX_NOTFOUND = 103;   // TxGet: the key has no value (value "", version 0)

// The version TxGet reports for a key the transaction wrote itself before reading it (the value
// is the transaction's own buffered write, which no committed version holds yet).
constexpr uint64_t kTxOwnWriteVersion = ~static_cast<uint64_t>(0);

// How a TxnServer orders transactions (config option "concurrency": "occ" or "2pl").
enum class Concurrency {
  kOcc,  // optimistic: reads take no locks; prepare validates the versions read (part A)
  k2pl,  // two-phase locking, wound-wait: reads lock at TxGet, writes at prepare (part B)
};

// "occ" or "2pl".
const char* ConcurrencyName(Concurrency c);
// Parses "occ" / "2pl" (case-sensitive) into *c; false for anything else.
bool ParseConcurrency(const std::string& text, Concurrency* c);

}  // namespace janus
