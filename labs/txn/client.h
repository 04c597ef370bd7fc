// Lab 4: the clerk of the transactional key/value store.
//
//   TxnClient ck(master_addrs);            // with the client's node current
//   uint64_t tx = ck.TxBegin();            // inside a coroutine from here on
//   std::string v;
//   if (ck.TxGet(tx, "a", &v) == TX_ABORTED) ...;
//   ck.TxPut(tx, "b", v + "x");
//   int outcome = ck.TxCommit(tx);         // TX_COMMITTED or TX_ABORTED
//
// As the sharded clerk does, the clerk keeps the latest configuration from the shard master and
// sends each request to the group serving the key's shard (asking the shard master again on
// ErrWrongGroup). A TxnClient may run several transactions at once, interleaved by one
// coroutine or concurrently by several coroutines of the client's node; each transaction itself
// is used by one coroutine at a time. The plain Get/Put/Append run one at a time per clerk.
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include "labs/shardmaster/client.h"
#include "labs/txn/common.h"
#include "rrr/rpc/client_pool.h"

namespace janus {

class TxnClient {
 public:
  // A clerk whose shard master listens on `master_addrs`; `mode` is the servers' concurrency
  // control (config option "concurrency"). Construct it with the client's node current.
  explicit TxnClient(const std::vector<std::string>& master_addrs,
                     Concurrency mode = Concurrency::kOcc);
  ~TxnClient();

  TxnClient(const TxnClient&) = delete;
  TxnClient& operator=(const TxnClient&) = delete;

  // Starts a transaction and returns its id (never 0, unique across clerks). Its age, for
  // wound-wait, is fixed here: the begin time (rrr::Time::Now()), ties broken by the id; a
  // smaller age is older. Needs no coroutine and sends nothing.
  uint64_t TxBegin();

  // Reads `key` in transaction `tx`: TX_OK with *value (and, if `version` is given, *version:
  // the number of committed writes of the key the value reflects), TX_NOTFOUND (*value "",
  // *version 0) for a key without a value, or TX_ABORTED if tx is aborted (for instance
  // wounded under 2PL; tx is then over). A key tx wrote reads tx's own value, with *version
  // kTxOwnWriteVersion; a key read twice reads the same value twice. REQUIRES: a coroutine.
  int TxGet(uint64_t tx, const std::string& key, std::string* value, uint64_t* version = nullptr);

  // Writes `value` to `key` in tx; buffered at the clerk until TxCommit. TX_OK, or TX_ABORTED
  // if tx is already aborted.
  int TxPut(uint64_t tx, const std::string& key, const std::string& value);

  // Commits tx with two-phase commit over the groups it read or wrote: TX_COMMITTED once
  // every write took effect (each bumping its key's version by one), TX_ABORTED if none did.
  // Returns only once the outcome is decided. tx is over either way. REQUIRES: a coroutine.
  int TxCommit(uint64_t tx);

  // Aborts tx (releasing whatever it locked) and returns TX_ABORTED. REQUIRES: a coroutine.
  int TxAbort(uint64_t tx);

  // Plain operations, each a transaction of its own, applied exactly once. `version`, if given,
  // receives the version read (Get; 0 for a key without a value, which reads "") or the
  // version the write installed (Put, Append: the key's previous version + 1).
  // REQUIRES: a coroutine.
  std::string Get(const std::string& key, uint64_t* version = nullptr);
  void Put(const std::string& key, const std::string& value, uint64_t* version = nullptr);
  void Append(const std::string& key, const std::string& value, uint64_t* version = nullptr);

 private:
  const Concurrency mode_;
  ShardMasterClient master_;
  rrr::ClientPool pool_;  // connections to group servers, (re)opened on demand

  // BEGIN SOLUTION
  struct Tx;   // a live transaction's reads, writes and age (client.cc)
  struct Rpc;  // one request's retry loop over a group's servers (client.cc)

  // Finds the live transaction `tx`, or null.
  Tx* Find(uint64_t tx);
  // The group serving `key` in config_ (0 if none), after asking the shard master when none.
  uint64_t GroupOf(const std::string& key);
  // Runs a plain operation until a group serving the key's shard executed it.
  std::string RunPlain(KvOpKind op, const std::string& key, const std::string& value,
                       uint64_t* version);
  // Two-phase commit of `t` (README.md, "Committing"); TX_COMMITTED or TX_ABORTED.
  int Commit(Tx* t);
  // Tells the groups `gids` that tx is aborted (best effort: their timeouts do the rest).
  void AbortAt(uint64_t tx, const std::vector<uint64_t>& gids);
  // Refreshes config_ from the shard master, after a pause.
  void Requery();

  uint64_t client_id_ = 0;
  uint64_t next_seq_ = 1;
  uint64_t next_tx_ = 1;
  ShardConfig config_ = InitialShardConfig();
  std::map<uint64_t, size_t> leader_;           // gid -> index of the server to ask first
  std::map<uint64_t, std::unique_ptr<Tx>> txs_;  // live transactions by id
  // END SOLUTION
  // BEGIN STUB
  // // TODO: a client id, the next sequence number, the latest configuration, and per live
  // // transaction what it read (with versions) and the writes it buffered.
  // END STUB
};

}  // namespace janus
