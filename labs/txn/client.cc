#include "labs/txn/client.h"

#include <set>
#include <utility>

#include "rrr/base/logging.h"
#include "rrr/base/rand.h"
#include "rrr/base/time.h"
#include "rrr/reactor/coroutine.h"
#include "rrr/rpc/errors.h"

namespace janus {

// BEGIN SOLUTION
namespace {
// How long one RPC may take before the clerk tries the group's next server; the pause after a
// round over the whole group; the pause before retrying a request that met a lock (ErrLocked).
constexpr uint64_t kRpcTimeoutUs = 250 * 1000;
constexpr uint64_t kRoundPauseUs = 50 * 1000;
constexpr uint64_t kLockPauseMinUs = 5 * 1000;
constexpr uint64_t kLockPauseMaxUs = 20 * 1000;
// How long a transaction may wait for locks (a TxGet, or its prepares together) before it
// aborts, and how long the clerk tries a group for a transaction's request before giving up
// (the transaction aborts; the group's own timeouts release what it holds).
constexpr uint64_t kLockWaitUs = 1500 * 1000;
constexpr uint64_t kGroupTryUs = 3000 * 1000;
// How long the clerk tries to tell a participant the decision (its timeout does the rest).
constexpr uint64_t kDecideTryUs = 2000 * 1000;

bool Retryable(TxnErr err) { return err == TxnErr::ErrWrongLeader || err == TxnErr::ErrTimeout; }

void PauseForLock() {
  rrr::Coroutine::Sleep(static_cast<uint64_t>(
      rrr::Rand::Int(static_cast<int64_t>(kLockPauseMinUs), static_cast<int64_t>(kLockPauseMaxUs))));
}
}  // namespace

struct TxnClient::Tx {
  uint64_t id = 0;
  uint64_t ts = 0;  // the age: (ts, id), smaller is older
  struct Read {
    bool found = false;
    std::string value;
    uint64_t version = 0;
  };
  std::map<std::string, Read> reads;          // first read of each key
  std::map<std::string, std::string> writes;  // buffered
  std::set<uint64_t> contacted;               // groups a TxGet reached (2PL: may hold locks)
};

// Sends one request to the servers of group `gid` until one answers with an error other than
// ErrWrongLeader / ErrTimeout, pausing after each round; gives up at `deadline` (0: never) or
// when config_ names no servers for gid. `call(proxy, attr, &err)` issues the RPC and returns
// false without a usable answer. True with *err set once a server answered.
template <typename Call>
bool CallGroup(rrr::ClientPool& pool, const ShardConfig& config, std::map<uint64_t, size_t>* first,
               uint64_t gid, uint64_t deadline, Call call, TxnErr* err) {
  auto group = config.groups.find(gid);
  if (group == config.groups.end() || group->second.empty()) return false;
  const std::vector<std::string> servers = group->second;  // config_ may change meanwhile
  size_t& start = (*first)[gid];
  while (true) {
    for (size_t tried = 0; tried < servers.size(); tried++) {
      const size_t i = (start + tried) % servers.size();
      rrr::Client* client = pool.GetClient(servers[i]);
      if (client == nullptr) continue;
      TxnProxy proxy(client);
      rrr::FutureAttr attr;
      attr.timeout_us = kRpcTimeoutUs;
      if (!call(proxy, attr, err) || Retryable(*err)) continue;
      start = i;
      return true;
    }
    if (deadline != 0 && rrr::Time::Now() >= deadline) return false;
    rrr::Coroutine::Sleep(kRoundPauseUs);
  }
}
// END SOLUTION

TxnClient::TxnClient(const std::vector<std::string>& master_addrs, Concurrency mode)
    : mode_(mode), master_(master_addrs) {
  // BEGIN SOLUTION
  client_id_ = rrr::Rand::Current().Next() >> 2;
  // END SOLUTION
}

TxnClient::~TxnClient() = default;

uint64_t TxnClient::TxBegin() {
  // BEGIN SOLUTION
  auto t = std::make_unique<Tx>();
  // Unique across clerks with overwhelming probability (client ids are random), never 0.
  t->id = rrr::Rand::Mix(client_id_ * 0x9e3779b97f4a7c15ull + next_tx_++) | 1;
  t->ts = rrr::Time::Now();
  const uint64_t id = t->id;
  txs_[id] = std::move(t);
  return id;
  // END SOLUTION
  // BEGIN STUB
  // return 0;  // TODO: a new transaction id; remember its age, reads and writes
  // END STUB
}

int TxnClient::TxGet(uint64_t tx, const std::string& key, std::string* value,
                     uint64_t* version) {
  *value = "";
  if (version != nullptr) *version = 0;
  // BEGIN SOLUTION
  Tx* t = Find(tx);
  if (t == nullptr) return TX_ABORTED;
  auto own = t->writes.find(key);
  if (own != t->writes.end()) {
    *value = own->second;
    if (version != nullptr) *version = kTxOwnWriteVersion;
    return TX_OK;
  }
  auto cached = t->reads.find(key);
  if (cached == t->reads.end()) {
    const uint64_t start = rrr::Time::Now();
    Tx::Read read;
    while (true) {
      const uint64_t gid = GroupOf(key);
      TxnErr err = TxnErr::ErrTimeout;
      std::string v;
      uint64_t ver = 0;
      t->contacted.insert(gid);
      const bool answered = CallGroup(
          pool_, config_, &leader_, gid, rrr::Time::Now() + kGroupTryUs,
          [&](TxnProxy& proxy, const rrr::FutureAttr& attr, TxnErr* e) {
            rrr::FuturePtr f = proxy.async_TxGet(tx, t->ts, key, attr);
            f->Wait();
            TxnProxy::TxGetReply r = TxnProxy::DecodeTxGet(f);
            if (r.error_code != rrr::kOk) return false;
            *e = r.err;
            v = std::move(r.value);
            ver = r.version;
            return true;
          },
          &err);
      t = Find(tx);  // still ours: one coroutine per transaction
      if (answered && (err == TxnErr::OK || err == TxnErr::ErrNoKey)) {
        read.found = err == TxnErr::OK;
        read.value = std::move(v);
        read.version = ver;
        break;
      }
      const bool waited_too_long = rrr::Time::Now() - start >= kLockWaitUs;
      if (answered && err == TxnErr::ErrLocked && !waited_too_long) {
        PauseForLock();
        continue;
      }
      if (answered && err == TxnErr::ErrWrongGroup) {
        Requery();
        continue;
      }
      if (!answered && rrr::Time::Now() - start < 2 * kGroupTryUs) {
        Requery();
        continue;
      }
      // Aborted by the group (wounded, timed out), or locked or unreachable for too long.
      return TxAbort(tx);
    }
    cached = t->reads.emplace(key, read).first;
  }
  *value = cached->second.value;
  if (version != nullptr) *version = cached->second.version;
  return cached->second.found ? TX_OK : TX_NOTFOUND;
  // END SOLUTION
  // BEGIN STUB
  // (void)tx, (void)key;
  // return TX_ABORTED;  // TODO: read from the group serving the key (or the tx's own write)
  // END STUB
}

int TxnClient::TxPut(uint64_t tx, const std::string& key, const std::string& value) {
  // BEGIN SOLUTION
  Tx* t = Find(tx);
  if (t == nullptr) return TX_ABORTED;
  t->writes[key] = value;
  return TX_OK;
  // END SOLUTION
  // BEGIN STUB
  // (void)tx, (void)key, (void)value;
  // return TX_ABORTED;  // TODO: buffer the write
  // END STUB
}

int TxnClient::TxCommit(uint64_t tx) {
  // BEGIN SOLUTION
  Tx* t = Find(tx);
  if (t == nullptr) return TX_ABORTED;
  const int outcome = Commit(t);
  txs_.erase(tx);
  return outcome;
  // END SOLUTION
  // BEGIN STUB
  // (void)tx;
  // return TX_ABORTED;  // TODO: two-phase commit over the groups involved
  // END STUB
}

int TxnClient::TxAbort(uint64_t tx) {
  // BEGIN SOLUTION
  Tx* t = Find(tx);
  if (t == nullptr) return TX_ABORTED;
  // Nothing is prepared before TxCommit: only the groups holding 2PL read locks need telling.
  std::vector<uint64_t> gids(t->contacted.begin(), t->contacted.end());
  txs_.erase(tx);
  if (mode_ == Concurrency::k2pl) AbortAt(tx, gids);
  return TX_ABORTED;
  // END SOLUTION
  // BEGIN STUB
  // (void)tx;
  // return TX_ABORTED;  // TODO: forget tx; release whatever it holds
  // END STUB
}

std::string TxnClient::Get(const std::string& key, uint64_t* version) {
  // BEGIN SOLUTION
  return RunPlain(KvOpKind::kGet, key, "", version);
  // END SOLUTION
  // BEGIN STUB
  // (void)key;
  // if (version != nullptr) *version = 0;
  // return "";  // TODO
  // END STUB
}

void TxnClient::Put(const std::string& key, const std::string& value, uint64_t* version) {
  // BEGIN SOLUTION
  RunPlain(KvOpKind::kPut, key, value, version);
  // END SOLUTION
  // BEGIN STUB
  // (void)key, (void)value;
  // if (version != nullptr) *version = 0;  // TODO
  // END STUB
}

void TxnClient::Append(const std::string& key, const std::string& value, uint64_t* version) {
  // BEGIN SOLUTION
  RunPlain(KvOpKind::kAppend, key, value, version);
  // END SOLUTION
  // BEGIN STUB
  // (void)key, (void)value;
  // if (version != nullptr) *version = 0;  // TODO
  // END STUB
}

// BEGIN SOLUTION
TxnClient::Tx* TxnClient::Find(uint64_t tx) {
  auto it = txs_.find(tx);
  return it == txs_.end() ? nullptr : it->second.get();
}

uint64_t TxnClient::GroupOf(const std::string& key) {
  if (config_.num == 0) config_ = master_.Query(-1);
  return config_.shards.empty() ? 0 : config_.shards[KeyToShard(key)];
}

void TxnClient::Requery() {
  rrr::Coroutine::Sleep(kRoundPauseUs);
  config_ = master_.Query(-1);
}

std::string TxnClient::RunPlain(KvOpKind op, const std::string& key, const std::string& value,
                                uint64_t* version) {
  const uint64_t seq = next_seq_++;
  while (true) {
    const uint64_t gid = GroupOf(key);
    TxnErr err = TxnErr::ErrTimeout;
    std::string out;
    uint64_t ver = 0;
    const bool answered = CallGroup(
        pool_, config_, &leader_, gid, rrr::Time::Now() + kGroupTryUs,
        [&](TxnProxy& proxy, const rrr::FutureAttr& attr, TxnErr* e) {
          rrr::FuturePtr f;
          int32_t code = rrr::kOk;
          if (op == KvOpKind::kGet) {
            f = proxy.async_Get(key, client_id_, seq, attr);
            f->Wait();
            TxnProxy::GetReply r = TxnProxy::DecodeGet(f);
            code = r.error_code;
            *e = r.err;
            out = std::move(r.value);
            ver = r.version;
          } else if (op == KvOpKind::kPut) {
            f = proxy.async_Put(key, value, client_id_, seq, attr);
            f->Wait();
            TxnProxy::PutReply r = TxnProxy::DecodePut(f);
            code = r.error_code;
            *e = r.err;
            ver = r.version;
          } else {
            f = proxy.async_Append(key, value, client_id_, seq, attr);
            f->Wait();
            TxnProxy::AppendReply r = TxnProxy::DecodeAppend(f);
            code = r.error_code;
            *e = r.err;
            ver = r.version;
          }
          return code == rrr::kOk;
        },
        &err);
    if (answered && (err == TxnErr::OK || err == TxnErr::ErrNoKey)) {
      if (version != nullptr) *version = ver;
      return err == TxnErr::OK ? out : "";
    }
    if (answered && err == TxnErr::ErrLocked) {
      PauseForLock();  // a transaction holds the key; its locks never outlive its timeouts
      continue;
    }
    Requery();  // ErrWrongGroup, or no server of the group helped
  }
}

int TxnClient::Commit(Tx* t) {
  const uint64_t tx = t->id;
  // The participants: the group of every key read or written, each with its part.
  struct Part {
    std::vector<TxRead> reads;
    std::vector<TxWrite> writes;
  };
  std::map<uint64_t, Part> parts;
  for (const auto& r : t->reads) {
    // A key also written is locked exclusively; its read version is still validated.
    parts[GroupOf(r.first)].reads.push_back(TxRead{r.first, r.second.version});
  }
  for (const auto& w : t->writes) parts[GroupOf(w.first)].writes.push_back(TxWrite{w.first, w.second});
  if (parts.empty()) return TX_COMMITTED;  // touched nothing
  std::vector<uint64_t> gids;
  for (const auto& p : parts) gids.push_back(p.first);
  for (uint64_t g : t->contacted) {
    if (parts.count(g) == 0) gids.push_back(g);  // 2PL: may hold read locks of a lost read
  }
  // The coordinator group: the smallest participant gid. It logs the decision.
  const uint64_t coord = parts.begin()->first;

  // Phase one: prepare everywhere, in gid order; the first "no" aborts.
  const uint64_t start = rrr::Time::Now();
  for (const auto& p : parts) {
    while (true) {
      TxnErr err = TxnErr::ErrTimeout;
      const bool answered = CallGroup(
          pool_, config_, &leader_, p.first, rrr::Time::Now() + kGroupTryUs,
          [&](TxnProxy& proxy, const rrr::FutureAttr& attr, TxnErr* e) {
            rrr::FuturePtr f =
                proxy.async_Prepare(tx, t->ts, coord, p.second.reads, p.second.writes, attr);
            f->Wait();
            TxnProxy::PrepareReply r = TxnProxy::DecodePrepare(f);
            if (r.error_code != rrr::kOk) return false;
            *e = r.err;
            return true;
          },
          &err);
      if (answered && err == TxnErr::OK) break;
      if (answered && err == TxnErr::ErrLocked && rrr::Time::Now() - start < kLockWaitUs) {
        PauseForLock();
        continue;
      }
      if (answered && err == TxnErr::ErrWrongGroup && rrr::Time::Now() - start < kGroupTryUs) {
        Requery();  // the group has not applied the latest configuration yet
        continue;
      }
      // No (validation, conflict, an earlier abort), a wrong group, locked or unreachable for
      // too long: abort. Nothing is logged at the coordinator: a participant that prepared
      // and never hears from us asks it, and it logs the abort then.
      AbortAt(tx, gids);
      return TX_ABORTED;
    }
  }

  // Every participant voted yes: log the decision at the coordinator group. This is the commit
  // point; the answer is the logged decision (an abort if a participant's timeout asked first).
  bool committed = false;
  while (true) {
    TxnErr err = TxnErr::ErrTimeout;
    const bool answered = CallGroup(
        pool_, config_, &leader_, coord, /*deadline=*/0,
        [&](TxnProxy& proxy, const rrr::FutureAttr& attr, TxnErr* e) {
          rrr::FuturePtr f = proxy.async_Resolve(tx, true, attr);
          f->Wait();
          TxnProxy::ResolveReply r = TxnProxy::DecodeResolve(f);
          if (r.error_code != rrr::kOk) return false;
          *e = r.err;
          committed = r.committed;
          return true;
        },
        &err);
    if (answered && err == TxnErr::OK) break;
    Requery();
  }

  // Phase two: tell the other participants (the coordinator applied it to its own part).
  for (uint64_t gid : gids) {
    if (gid == coord) continue;
    TxnErr err = TxnErr::ErrTimeout;
    CallGroup(
        pool_, config_, &leader_, gid, rrr::Time::Now() + kDecideTryUs,
        [&](TxnProxy& proxy, const rrr::FutureAttr& attr, TxnErr* e) {
          rrr::FuturePtr f = proxy.async_Decide(tx, committed, attr);
          f->Wait();
          TxnProxy::DecideReply r = TxnProxy::DecodeDecide(f);
          if (r.error_code != rrr::kOk) return false;
          *e = r.err;
          return true;
        },
        &err);
  }
  return committed ? TX_COMMITTED : TX_ABORTED;
}

void TxnClient::AbortAt(uint64_t tx, const std::vector<uint64_t>& gids) {
  for (uint64_t gid : gids) {
    TxnErr err = TxnErr::ErrTimeout;
    CallGroup(
        pool_, config_, &leader_, gid, rrr::Time::Now() + kRpcTimeoutUs,
        [&](TxnProxy& proxy, const rrr::FutureAttr& attr, TxnErr* e) {
          rrr::FuturePtr f = proxy.async_Decide(tx, false, attr);
          f->Wait();
          TxnProxy::DecideReply r = TxnProxy::DecodeDecide(f);
          if (r.error_code != rrr::kOk) return false;
          *e = r.err;
          return true;
        },
        &err);
  }
}
// END SOLUTION

}  // namespace janus
