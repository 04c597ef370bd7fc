// SOLUTION FILE
// The reference's transactions (README.md, "OCC and two-phase commit", "Coordinator recovery",
// "2PL wound-wait"): the requests a clerk sends, what applying each command does to the keys,
// locks and transactions of the group, and the leader's recovery sweep.
#include <utility>

#include "labs/txn/server.h"
#include "rrr/base/logging.h"
#include "rrr/base/time.h"
#include "rrr/reactor/coroutine.h"
#include "rrr/rpc/errors.h"

namespace janus {

TxnErr TxnServer::TxGet(uint64_t tx, uint64_t ts, const std::string& key, std::string* value,
                        uint64_t* version) {
  *value = "";
  *version = 0;
  TxnErr err = CheckKey(key);
  if (err != TxnErr::OK) return err;
  auto cmd = std::make_shared<TxnCommand>();
  cmd->op = TxnOp::kTxGet;
  cmd->tx = tx;
  cmd->ts = ts;
  cmd->key = key;
  Result r = Propose(cmd);
  *value = r.value;
  *version = r.version;
  return r.err;
}

TxnErr TxnServer::Prepare(uint64_t tx, uint64_t ts, uint64_t coord_gid,
                          const std::vector<TxRead>& reads, const std::vector<TxWrite>& writes) {
  if (!IsLeader()) return TxnErr::ErrWrongLeader;
  for (const TxRead& r : reads) {
    if (!Serves(r.key)) return TxnErr::ErrWrongGroup;
  }
  for (const TxWrite& w : writes) {
    if (!Serves(w.key)) return TxnErr::ErrWrongGroup;
  }
  auto cmd = std::make_shared<TxnCommand>();
  cmd->op = TxnOp::kPrepare;
  cmd->tx = tx;
  cmd->ts = ts;
  cmd->coord_gid = coord_gid;
  cmd->reads = reads;
  cmd->writes = writes;
  return Propose(cmd).err;
}

TxnErr TxnServer::Decide(uint64_t tx, bool commit) {
  if (!IsLeader()) return TxnErr::ErrWrongLeader;
  auto cmd = std::make_shared<TxnCommand>();
  cmd->op = TxnOp::kDecide;
  cmd->tx = tx;
  cmd->commit = commit;
  return Propose(cmd).err;
}

TxnErr TxnServer::Resolve(uint64_t tx, bool commit, bool* committed) {
  *committed = false;
  if (!IsLeader()) return TxnErr::ErrWrongLeader;
  auto cmd = std::make_shared<TxnCommand>();
  cmd->op = TxnOp::kResolve;
  cmd->tx = tx;
  cmd->commit = commit;
  Result r = Propose(cmd);
  *committed = r.committed;
  return r.err;
}

bool TxnServer::Older(uint64_t holder, uint64_t ts, uint64_t tx) const {
  auto it = txs_.find(holder);
  const uint64_t holder_ts = it == txs_.end() ? 0 : it->second.ts;
  return holder_ts < ts || (holder_ts == ts && holder < tx);
}

std::vector<uint64_t> TxnServer::Conflicts(uint64_t tx, const std::string& key,
                                           bool exclusive) const {
  std::vector<uint64_t> holders;
  auto it = locks_.find(key);
  if (it == locks_.end()) return holders;
  const Lock& l = it->second;
  if (l.exclusive != 0 && l.exclusive != tx) holders.push_back(l.exclusive);
  if (exclusive) {
    for (uint64_t h : l.shared) {
      if (h != tx) holders.push_back(h);
    }
  }
  return holders;
}

bool TxnServer::MustWait(uint64_t tx, uint64_t ts, const std::string& key, bool exclusive) const {
  for (uint64_t h : Conflicts(tx, key, exclusive)) {
    auto it = txs_.find(h);
    // A prepared holder voted yes: only its decision may end it. An older one is waited for.
    if (it == txs_.end() || it->second.prepared || Older(h, ts, tx)) return true;
  }
  return false;
}

void TxnServer::HurryYounger(uint64_t tx, uint64_t ts, const std::string& key, bool exclusive) {
  for (uint64_t h : Conflicts(tx, key, exclusive)) {
    auto it = txs_.find(h);
    if (it == txs_.end() || !it->second.prepared || Older(h, ts, tx)) continue;
    // A younger holder that voted yes cannot be aborted here alone: the next sweep asks its
    // coordinator group at once, which aborts it unless its commit is already logged.
    touched_[h] = 0;
  }
}

void TxnServer::Wound(uint64_t tx, const std::string& key, bool exclusive) {
  for (uint64_t h : Conflicts(tx, key, exclusive)) {
    Log_debug("txn %llu: tx %llx wounds tx %llx on key %s", static_cast<unsigned long long>(gid_),
              static_cast<unsigned long long>(tx), static_cast<unsigned long long>(h),
              key.c_str());
    Finish(h, false);
  }
}

void TxnServer::TakeLock(uint64_t tx, const std::string& key, bool exclusive) {
  Lock& l = locks_[key];
  if (exclusive) {
    l.shared.erase(tx);
    l.exclusive = tx;
  } else if (l.exclusive != tx) {
    l.shared.insert(tx);
  }
  txs_[tx].keys.insert(key);
}

void TxnServer::Finish(uint64_t tx, bool committed) {
  auto it = txs_.find(tx);
  if (it != txs_.end()) {
    for (const std::string& key : it->second.keys) {
      auto l = locks_.find(key);
      if (l == locks_.end()) continue;
      if (l->second.exclusive == tx) l->second.exclusive = 0;
      l->second.shared.erase(tx);
      if (l->second.exclusive == 0 && l->second.shared.empty()) locks_.erase(l);
    }
    txs_.erase(it);
  }
  touched_.erase(tx);
  outcomes_[tx] = committed;
}

TxnServer::Result TxnServer::ApplyTxGet(const TxnCommand& cmd) {
  if (!Serves(cmd.key)) return Fail(TxnErr::ErrWrongGroup);
  if (outcomes_.count(cmd.tx) != 0) return Fail(TxnErr::ErrAborted);  // over here
  auto lock = locks_.find(cmd.key);
  const bool held_by_other = lock != locks_.end() && lock->second.exclusive != 0 &&
                             lock->second.exclusive != cmd.tx;
  if (mode_ == Concurrency::k2pl) {
    // Wound-wait on a shared lock: the only conflicting holder is an exclusive one, which is
    // prepared (writes lock at prepare), so the reader waits (hurrying it if it is younger).
    if (MustWait(cmd.tx, cmd.ts, cmd.key, false)) {
      HurryYounger(cmd.tx, cmd.ts, cmd.key, false);
      return Fail(TxnErr::ErrLocked);
    }
    Wound(cmd.tx, cmd.key, false);
    txs_[cmd.tx].ts = cmd.ts;
    TakeLock(cmd.tx, cmd.key, false);
    touched_[cmd.tx] = rrr::Time::Now();
  } else if (held_by_other) {
    // OCC: the key is about to change (a prepared writer); reading the old value now would
    // only fail validation later, and could read a value older than a commit already returned.
    return Fail(TxnErr::ErrLocked);
  }
  Result r;
  auto it = data_.find(cmd.key);
  if (it != data_.end()) r.version = it->second.version;
  if (it == data_.end() || !it->second.exists) {
    r.err = TxnErr::ErrNoKey;
  } else {
    r.value = it->second.value;
  }
  return r;
}

TxnServer::Result TxnServer::ApplyPrepare(const TxnCommand& cmd) {
  for (const TxRead& r : cmd.reads) {
    if (!Serves(r.key)) return Fail(TxnErr::ErrWrongGroup);
  }
  for (const TxWrite& w : cmd.writes) {
    if (!Serves(w.key)) return Fail(TxnErr::ErrWrongGroup);
  }
  // A retried (or late) prepare answers what the first one did.
  auto done = outcomes_.find(cmd.tx);
  if (done != outcomes_.end()) return Fail(done->second ? TxnErr::OK : TxnErr::ErrAborted);
  auto live = txs_.find(cmd.tx);
  if (live != txs_.end() && live->second.prepared) return Result{};

  // Validation: every key read still has the version the transaction read.
  for (const TxRead& r : cmd.reads) {
    auto it = data_.find(r.key);
    const uint64_t now_version = it == data_.end() ? 0 : it->second.version;
    if (now_version != r.version) {
      Finish(cmd.tx, false);
      return Fail(TxnErr::ErrAborted);
    }
  }
  // Locks: shared on the keys read, exclusive on the keys written.
  std::map<std::string, bool> want;  // key -> exclusive
  for (const TxRead& r : cmd.reads) want[r.key] = false;
  for (const TxWrite& w : cmd.writes) want[w.key] = true;
  if (mode_ == Concurrency::k2pl) {
    for (const auto& k : want) {
      if (MustWait(cmd.tx, cmd.ts, k.first, k.second)) {
        for (const auto& h : want) HurryYounger(cmd.tx, cmd.ts, h.first, h.second);
        return Fail(TxnErr::ErrLocked);
      }
    }
    for (const auto& k : want) Wound(cmd.tx, k.first, k.second);
  } else {
    for (const auto& k : want) {
      if (!Conflicts(cmd.tx, k.first, k.second).empty()) {
        Finish(cmd.tx, false);  // OCC never waits: a conflict votes no
        return Fail(TxnErr::ErrAborted);
      }
    }
  }
  TxState& st = txs_[cmd.tx];
  st.prepared = true;
  st.ts = cmd.ts;
  st.coord_gid = cmd.coord_gid;
  st.writes = cmd.writes;
  for (const auto& k : want) TakeLock(cmd.tx, k.first, k.second);
  touched_[cmd.tx] = rrr::Time::Now();
  return Result{};
}

TxnServer::Result TxnServer::ApplyDecide(uint64_t tx, bool commit) {
  if (outcomes_.count(tx) != 0) return Result{};  // decided already
  auto it = txs_.find(tx);
  if (!commit) {
    Finish(tx, false);  // also remembers the abort of a transaction never seen here
    return Result{};
  }
  if (it == txs_.end() || !it->second.prepared) {
    Log_warn("txn %llu: commit of tx %llx, which is not prepared here; ignored",
             static_cast<unsigned long long>(gid_), static_cast<unsigned long long>(tx));
    return Result{};
  }
  for (const TxWrite& w : it->second.writes) {
    Entry& e = data_[w.key];
    e.value = w.value;
    e.exists = true;
    e.version++;
  }
  Finish(tx, true);
  return Result{};
}

TxnServer::Result TxnServer::ApplyResolve(uint64_t tx, bool commit) {
  auto d = decisions_.find(tx);
  if (d == decisions_.end()) {
    // First decision wins. A commit proposal for a transaction this group already aborted
    // (it cannot happen with a correct clerk) is logged as an abort.
    auto done = outcomes_.find(tx);
    const bool decided = commit && (done == outcomes_.end() || done->second);
    d = decisions_.emplace(tx, decided).first;
  }
  Result r;
  r.committed = d->second;
  // The coordinator group is a participant too: apply the decision to its own part.
  auto live = txs_.find(tx);
  if (live != txs_.end() && (live->second.prepared || !r.committed)) {
    ApplyDecide(tx, r.committed);
  } else if (live == txs_.end() && !r.committed) {
    ApplyDecide(tx, false);
  }
  return r;
}

void TxnServer::SweepLoop(std::shared_ptr<Life> life) {
  while (true) {
    life->stop->Wait(kSweepUs);
    if (life->stopped) return;
    bool is_leader = false;
    uint64_t term = 0;
    raft_->GetState(&is_leader, &term);
    if (!is_leader) continue;
    if (term != noop_term_) {
      // A new leader commits the entries of earlier terms only with one of its own: without
      // client traffic a prepare or decision of the old leader could stay uncommitted.
      noop_term_ = term;
      auto noop = std::make_shared<TxnCommand>();
      noop->op = TxnOp::kNoop;
      Propose(noop);
      if (life->stopped) return;
      continue;
    }
    const uint64_t now = rrr::Time::Now();
    std::vector<std::pair<uint64_t, uint64_t>> ask;  // (tx, coordinator gid)
    std::vector<uint64_t> idle;
    for (const auto& entry : txs_) {
      const uint64_t tx = entry.first;
      auto t = touched_.find(tx);
      if (t == touched_.end()) {
        touched_[tx] = now;
        continue;
      }
      if (resolving_.count(tx) != 0) continue;
      // (touched 0: hurried by an older transaction waiting for it; see HurryYounger.)
      if (entry.second.prepared && (t->second == 0 || now - t->second >= kResolveAfterUs)) {
        ask.emplace_back(tx, entry.second.coord_gid);
      } else if (!entry.second.prepared && now - t->second >= kIdleAbortUs) {
        idle.push_back(tx);
      }
    }
    for (const auto& a : ask) {
      resolving_.insert(a.first);
      rrr::Coroutine::CreateRun([this, life, a] { AskCoordinator(life, a.first, a.second); });
      if (life->stopped) return;
    }
    for (uint64_t tx : idle) {
      // Not prepared here: this group may abort it on its own (its prepare will vote no), if
      // it is still not prepared when the command is applied (TxnOp::kExpire).
      resolving_.insert(tx);
      rrr::Coroutine::CreateRun([this, life, tx] {
        auto cmd = std::make_shared<TxnCommand>();
        cmd->op = TxnOp::kExpire;
        cmd->tx = tx;
        Propose(cmd);
        if (!life->stopped) resolving_.erase(tx);
      });
      if (life->stopped) return;
    }
  }
}

void TxnServer::AskCoordinator(std::shared_ptr<Life> life, uint64_t tx, uint64_t coord) {
  auto finish = [this, &life, tx] {
    if (!life->stopped) resolving_.erase(tx);
  };
  if (coord == gid_) {
    // This group coordinates: logging the abort (if nothing is logged) also applies it here.
    auto cmd = std::make_shared<TxnCommand>();
    cmd->op = TxnOp::kResolve;
    cmd->tx = tx;
    cmd->commit = false;
    Propose(cmd);
    finish();
    return;
  }
  auto group = config_.groups.find(coord);
  if (group == config_.groups.end()) {
    finish();
    return;
  }
  const std::vector<std::string> servers = group->second;
  bool known = false, committed = false;
  for (const std::string& addr : servers) {
    rrr::Client* client = pool_.GetClient(addr);
    if (client == nullptr) continue;
    TxnProxy proxy(client);
    rrr::FutureAttr attr;
    attr.timeout_us = kRpcTimeoutUs;
    rrr::FuturePtr f = proxy.async_Resolve(tx, false, attr);
    f->Wait();
    if (life->stopped) return;
    TxnProxy::ResolveReply reply = TxnProxy::DecodeResolve(f);
    if (reply.error_code == rrr::kOk && reply.err == TxnErr::OK) {
      known = true;
      committed = reply.committed;
      break;
    }
  }
  if (known && txs_.count(tx) != 0) {
    Log_info("txn %llu: tx %llx resolved by group %llu: %s",
             static_cast<unsigned long long>(gid_), static_cast<unsigned long long>(tx),
             static_cast<unsigned long long>(coord), committed ? "commit" : "abort");
    auto cmd = std::make_shared<TxnCommand>();
    cmd->op = TxnOp::kDecide;
    cmd->tx = tx;
    cmd->commit = committed;
    Propose(cmd);
    if (life->stopped) return;
  }
  finish();
}

}  // namespace janus
