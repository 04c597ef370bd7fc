#include "labs/txn/server.h"

#include <utility>

#include "rrr/base/logging.h"
#include "rrr/base/time.h"
#include "rrr/reactor/coroutine.h"

namespace janus {

TxnServer::TxnServer(RaftServer* raft, uint64_t gid, const std::vector<std::string>& master_addrs,
                     int64_t maxraftstate, Concurrency mode)
    : raft_(raft), gid_(gid), maxraftstate_(maxraftstate), mode_(mode), master_(master_addrs) {
  // BEGIN SOLUTION
  // Both loops first wait, so they start after the node (and a snapshot it restores) is built.
  std::shared_ptr<Life> life = life_;
  rrr::Coroutine::CreateRun([this, life] { PollLoop(life); });
  rrr::Coroutine::CreateRun([this, life] { SweepLoop(life); });
  // END SOLUTION
  // BEGIN STUB
  // // TODO: start the coroutine that polls the shard master (rrr::Coroutine::CreateRun), and
  // // the one that resolves transactions left prepared too long.
  // END STUB
}

TxnServer::~TxnServer() { Shutdown(); }

TxnErr TxnServer::Put(const std::string& key, const std::string& value, uint64_t client_id,
                      uint64_t seq, uint64_t* version) {
  // BEGIN SOLUTION
  return Plain(TxnOp::kPut, key, value, client_id, seq, nullptr, version);
  // END SOLUTION
  // BEGIN STUB
  // (void)key, (void)value, (void)client_id, (void)seq;
  // *version = 0;
  // return TxnErr::ErrWrongLeader;  // TODO: replace
  // END STUB
}

TxnErr TxnServer::Append(const std::string& key, const std::string& value, uint64_t client_id,
                         uint64_t seq, uint64_t* version) {
  // BEGIN SOLUTION
  return Plain(TxnOp::kAppend, key, value, client_id, seq, nullptr, version);
  // END SOLUTION
  // BEGIN STUB
  // (void)key, (void)value, (void)client_id, (void)seq;
  // *version = 0;
  // return TxnErr::ErrWrongLeader;  // TODO: replace
  // END STUB
}

TxnErr TxnServer::Get(const std::string& key, uint64_t client_id, uint64_t seq,
                      std::string* value, uint64_t* version) {
  // BEGIN SOLUTION
  return Plain(TxnOp::kGet, key, "", client_id, seq, value, version);
  // END SOLUTION
  // BEGIN STUB
  // (void)key, (void)client_id, (void)seq;
  // *value = "";
  // *version = 0;
  // return TxnErr::ErrWrongLeader;  // TODO: replace
  // END STUB
}

void TxnServer::OnApply(uint64_t index, std::shared_ptr<Marshallable> cmd) {
  // BEGIN SOLUTION
  if (index <= last_applied_) return;  // covered by a snapshot already restored
  last_applied_ = index;
  Result result;
  auto c = std::dynamic_pointer_cast<TxnCommand>(cmd);
  if (c == nullptr) {
    Log_warn("txn %llu: index %llu holds an unknown command (kind %d); skipped",
             static_cast<unsigned long long>(gid_), static_cast<unsigned long long>(index),
             cmd ? cmd->kind_ : 0);
  } else {
    switch (c->op) {
      case TxnOp::kGet:
      case TxnOp::kPut:
      case TxnOp::kAppend:
        result = ApplyPlain(*c);
        break;
      case TxnOp::kTxGet:
        result = ApplyTxGet(*c);
        break;
      case TxnOp::kPrepare:
        result = ApplyPrepare(*c);
        break;
      case TxnOp::kDecide:
        result = ApplyDecide(c->tx, c->commit);
        break;
      case TxnOp::kResolve:
        result = ApplyResolve(c->tx, c->commit);
        break;
      case TxnOp::kExpire: {
        // Decided by the sweep on an earlier state: the transaction may have prepared since,
        // and then only its coordinator's decision may end it.
        auto live = txs_.find(c->tx);
        if (live != txs_.end() && !live->second.prepared) Finish(c->tx, false);
        break;
      }
      case TxnOp::kConfig:
        ApplyConfig(c->config);
        break;
      case TxnOp::kNoop:
        break;
    }
  }
  if (maxraftstate_ >= 0) MaybeSnapshot(index);
  auto it = waiting_.find(index);
  if (it == waiting_.end()) return;
  std::shared_ptr<Waiter> w = it->second;
  waiting_.erase(it);
  // The proposer's own object comes back at its index unless another leader took the slot.
  w->done->Set(w->cmd == cmd ? result : Fail(TxnErr::ErrWrongLeader));
  // END SOLUTION
  // BEGIN STUB
  // (void)index, (void)cmd;  // TODO
  // END STUB
}

void TxnServer::OnSnapshot(uint64_t index, uint64_t term, const std::string& snapshot) {
  // BEGIN SOLUTION
  (void)term;
  if (index <= last_applied_) return;
  DecodeState(snapshot);
  last_applied_ = index;
  // The timeouts restart from now for every live transaction the snapshot holds.
  touched_.clear();
  const uint64_t now = rrr::Time::Now();
  for (const auto& entry : txs_) touched_[entry.first] = now;
  for (auto it = waiting_.begin(); it != waiting_.end() && it->first <= index;) {
    it->second->done->Set(Fail(TxnErr::ErrWrongLeader));
    it = waiting_.erase(it);
  }
  // END SOLUTION
  // BEGIN STUB
  // (void)index, (void)term, (void)snapshot;  // TODO
  // END STUB
}

void TxnServer::Shutdown() {
  // BEGIN SOLUTION
  if (life_->stopped) return;
  life_->stopped = true;
  life_->stop->Set(true);  // wakes the loops, which then see `stopped` and return
  for (auto& entry : waiting_) entry.second->done->Set(Fail(TxnErr::ErrWrongLeader));
  waiting_.clear();
  // END SOLUTION
  // BEGIN STUB
  // (void)raft_, (void)maxraftstate_, (void)mode_;  // TODO: wake waiting requests, stop loops
  // END STUB
}

// BEGIN SOLUTION
bool TxnServer::IsLeader() {
  bool is_leader = false;
  uint64_t term = 0;
  raft_->GetState(&is_leader, &term);
  return is_leader && !life_->stopped;
}

bool TxnServer::Serves(const std::string& key) const {
  return config_.shards.size() == static_cast<size_t>(kNShards) &&
         config_.shards[KeyToShard(key)] == gid_;
}

TxnErr TxnServer::CheckKey(const std::string& key) {
  // Whether the group serves the key is decided again when the command is applied.
  if (!IsLeader()) return TxnErr::ErrWrongLeader;
  if (!Serves(key)) return TxnErr::ErrWrongGroup;
  return TxnErr::OK;
}

TxnErr TxnServer::Plain(TxnOp op, const std::string& key, const std::string& value,
                        uint64_t client_id, uint64_t seq, std::string* out, uint64_t* version) {
  *version = 0;
  if (out != nullptr) *out = "";
  TxnErr err = CheckKey(key);
  if (err != TxnErr::OK) return err;
  auto cmd = std::make_shared<TxnCommand>();
  cmd->op = op;
  cmd->key = key;
  cmd->value = value;
  cmd->client_id = client_id;
  cmd->seq = seq;
  Result r = Propose(cmd);
  if (out != nullptr) *out = r.value;
  *version = r.version;
  return r.err;
}

TxnServer::Result TxnServer::Propose(const std::shared_ptr<TxnCommand>& cmd) {
  if (life_->stopped) return Fail(TxnErr::ErrWrongLeader);
  uint64_t index = 0, term = 0;
  if (!raft_->Start(cmd, &index, &term)) return Fail(TxnErr::ErrWrongLeader);
  auto w = std::make_shared<Waiter>();
  w->cmd = cmd;
  w->done = std::make_shared<rrr::BoxEvent<Result>>();
  auto& slot = waiting_[index];
  if (slot != nullptr) slot->done->Set(Fail(TxnErr::ErrWrongLeader));  // an older term's
  slot = w;

  std::shared_ptr<Life> life = life_;
  const uint64_t deadline = rrr::Time::Now() + kCommitWaitUs;
  Result result = Fail(TxnErr::ErrTimeout);
  while (true) {
    w->done->Wait(kLeaderCheckUs);
    if (w->done->IsReady()) return w->done->Get();  // Shutdown sets it too
    if (life->stopped) return Fail(TxnErr::ErrWrongLeader);
    bool is_leader = false;
    uint64_t now_term = 0;
    raft_->GetState(&is_leader, &now_term);
    if (!is_leader || now_term != term) {
      result = Fail(TxnErr::ErrWrongLeader);
      break;
    }
    if (rrr::Time::Now() >= deadline) break;  // ErrTimeout
  }
  auto it = waiting_.find(index);
  if (it != waiting_.end() && it->second == w) waiting_.erase(it);
  return result;
}

TxnServer::Result TxnServer::ApplyPlain(const TxnCommand& cmd) {
  if (!Serves(cmd.key)) return Fail(TxnErr::ErrWrongGroup);
  auto lock = locks_.find(cmd.key);
  Result r;
  if (cmd.op == TxnOp::kGet) {
    // A key a prepared transaction is about to overwrite is not read until it is decided: the
    // read would otherwise see the old value after the transaction's commit returned.
    if (lock != locks_.end() && lock->second.exclusive != 0) return Fail(TxnErr::ErrLocked);
    auto it = data_.find(cmd.key);
    if (it == data_.end() || !it->second.exists) return Fail(TxnErr::ErrNoKey);
    r.value = it->second.value;
    r.version = it->second.version;
    return r;
  }
  Session& s = sessions_[cmd.client_id];
  if (cmd.seq < s.last_seq) return Fail(TxnErr::ErrWrongLeader);  // the clerk moved on
  if (cmd.seq == s.last_seq) return s.last;                         // a retry: answer again
  // A plain write is a transaction of its own: it waits for every transaction locking the key.
  if (lock != locks_.end()) return Fail(TxnErr::ErrLocked);  // not executed: retried later
  Entry& e = data_[cmd.key];
  if (cmd.op == TxnOp::kPut) {
    e.value = cmd.value;
  } else {
    e.value += cmd.value;
  }
  e.exists = true;
  e.version++;
  r.version = e.version;
  s.last_seq = cmd.seq;
  s.last = r;
  return r;
}

void TxnServer::ApplyConfig(const ShardConfig& config) {
  if (config.num <= config_.num) return;  // a duplicate or an older one
  config_ = config;
  Log_debug("txn %llu: now at %s", static_cast<unsigned long long>(gid_),
            DescribeShardConfig(config_).c_str());
}

void TxnServer::PollLoop(std::shared_ptr<Life> life) {
  while (true) {
    life->stop->Wait(kPollUs);
    if (life->stopped) return;
    if (!IsLeader()) continue;
    ShardConfig latest = master_.Query(-1);
    if (life->stopped) return;
    if (latest.num <= config_.num || !IsLeader()) continue;
    // Static placement: the newest configuration replaces the current one at once (no shard
    // data moves between groups; README.md, "Static placement").
    auto cmd = std::make_shared<TxnCommand>();
    cmd->op = TxnOp::kConfig;
    cmd->config = std::move(latest);
    Propose(cmd);
    if (life->stopped) return;
  }
}
// END SOLUTION

}  // namespace janus
