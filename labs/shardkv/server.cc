#include "labs/shardkv/server.h"

#include <algorithm>
#include <utility>

#include "rrr/base/logging.h"
#include "rrr/base/time.h"
#include "rrr/base/verify.h"
#include "rrr/reactor/coroutine.h"

namespace janus {

ShardKvServer::ShardKvServer(RaftServer* raft, uint64_t gid,
                             const std::vector<std::string>& master_addrs, int64_t maxraftstate)
    : raft_(raft), gid_(gid), maxraftstate_(maxraftstate), master_(master_addrs) {
  // BEGIN SOLUTION
  // Both loops first wait, so they start after the node (and a snapshot it restores) is built.
  std::shared_ptr<Life> life = life_;
  rrr::Coroutine::CreateRun([this, life] { PollLoop(life); });
  rrr::Coroutine::CreateRun([this, life] { MoveLoop(life); });
  // END SOLUTION
  // BEGIN STUB
  // // TODO: start the coroutine that polls the shard master (rrr::Coroutine::CreateRun).
  // END STUB
}

ShardKvServer::~ShardKvServer() { Shutdown(); }

SkvErr ShardKvServer::Put(const std::string& key, const std::string& value, uint64_t client_id,
                          uint64_t seq) {
  // BEGIN SOLUTION
  return SubmitOp(KvOpKind::kPut, key, value, client_id, seq).err;
  // END SOLUTION
  // BEGIN STUB
  // (void)key, (void)value, (void)client_id, (void)seq;
  // return SkvErr::ErrWrongLeader;  // TODO: replace
  // END STUB
}

SkvErr ShardKvServer::Append(const std::string& key, const std::string& value,
                             uint64_t client_id, uint64_t seq) {
  // BEGIN SOLUTION
  return SubmitOp(KvOpKind::kAppend, key, value, client_id, seq).err;
  // END SOLUTION
  // BEGIN STUB
  // (void)key, (void)value, (void)client_id, (void)seq;
  // return SkvErr::ErrWrongLeader;  // TODO: replace
  // END STUB
}

SkvErr ShardKvServer::Get(const std::string& key, uint64_t client_id, uint64_t seq,
                          std::string* value) {
  // BEGIN SOLUTION
  Result r = SubmitOp(KvOpKind::kGet, key, "", client_id, seq);
  *value = r.value;
  return r.err;
  // END SOLUTION
  // BEGIN STUB
  // (void)key, (void)client_id, (void)seq;
  // *value = "";
  // return SkvErr::ErrWrongLeader;  // TODO: replace
  // END STUB
}

void ShardKvServer::OnApply(uint64_t index, std::shared_ptr<Marshallable> cmd) {
  // BEGIN SOLUTION
  if (index <= last_applied_) return;  // covered by a snapshot already restored
  last_applied_ = index;
  Result result;
  if (auto op = std::dynamic_pointer_cast<SkvOpCommand>(cmd)) {
    result = ApplyOp(*op);
  } else if (auto config = std::dynamic_pointer_cast<SkvConfigCommand>(cmd)) {
    ApplyConfig(config->config);
  } else if (auto insert = std::dynamic_pointer_cast<SkvInsertCommand>(cmd)) {
    ApplyInsert(*insert);
  } else if (auto del = std::dynamic_pointer_cast<SkvDeleteCommand>(cmd)) {
    result = ApplyDelete(*del);
  } else if (auto gc = std::dynamic_pointer_cast<SkvGcDoneCommand>(cmd)) {
    ApplyGcDone(*gc);
  } else if (std::dynamic_pointer_cast<SkvNoopCommand>(cmd) != nullptr) {
    // Nothing to do: it only lets a new leader commit (shard_moves.cc).
  } else {
    Log_warn("shardkv %llu: index %llu holds an unknown command (kind %d); skipped",
             static_cast<unsigned long long>(gid_), static_cast<unsigned long long>(index),
             cmd ? cmd->kind_ : 0);
  }
  if (maxraftstate_ >= 0) MaybeSnapshot(index);
  auto it = waiting_.find(index);
  if (it == waiting_.end()) return;
  std::shared_ptr<Waiter> w = it->second;
  waiting_.erase(it);
  // The proposer's own object comes back at its index unless another leader took the slot.
  w->done->Set(w->cmd == cmd ? result : Result{SkvErr::ErrWrongLeader, ""});
  // END SOLUTION
  // BEGIN STUB
  // (void)index, (void)cmd;  // TODO
  // END STUB
}

void ShardKvServer::OnSnapshot(uint64_t index, uint64_t term, const std::string& snapshot) {
  // BEGIN SOLUTION
  (void)term;
  if (index <= last_applied_) return;
  DecodeState(snapshot);
  last_applied_ = index;
  for (auto it = waiting_.begin(); it != waiting_.end() && it->first <= index;) {
    it->second->done->Set(Result{SkvErr::ErrWrongLeader, ""});
    it = waiting_.erase(it);
  }
  // END SOLUTION
  // BEGIN STUB
  // (void)index, (void)term, (void)snapshot;  // TODO
  // END STUB
}

void ShardKvServer::Shutdown() {
  // BEGIN SOLUTION
  if (life_->stopped) return;
  life_->stopped = true;
  life_->stop->Set(true);  // wakes the loops, which then see `stopped` and return
  for (auto& entry : waiting_) entry.second->done->Set(Result{SkvErr::ErrWrongLeader, ""});
  waiting_.clear();
  // END SOLUTION
  // BEGIN STUB
  // (void)raft_, (void)maxraftstate_;  // TODO: wake waiting requests, stop your coroutines
  // END STUB
}

// BEGIN SOLUTION
bool ShardKvServer::IsLeader() {
  bool is_leader = false;
  uint64_t term = 0;
  raft_->GetState(&is_leader, &term);
  return is_leader && !life_->stopped;
}

bool ShardKvServer::Serves(int shard) const {
  ShardState st = shards_[shard].state;
  return st == ShardState::kServing || st == ShardState::kGcing;
}

bool ShardKvServer::Settled() const {
  for (const Shard& s : shards_) {
    if (s.state != ShardState::kServing && s.state != ShardState::kAbsent) return false;
  }
  return true;
}

ShardKvServer::Result ShardKvServer::SubmitOp(KvOpKind op, const std::string& key,
                                              const std::string& value, uint64_t client_id,
                                              uint64_t seq) {
  // A leader that does not serve the shard says so at once; whether it does is decided again
  // when the command is applied (the configuration may change meanwhile).
  if (!IsLeader()) return Result{SkvErr::ErrWrongLeader, ""};
  if (!Serves(KeyToShard(key))) return Result{SkvErr::ErrWrongGroup, ""};
  auto cmd = std::make_shared<SkvOpCommand>();
  cmd->op = op;
  cmd->key = key;
  cmd->value = value;
  cmd->client_id = client_id;
  cmd->seq = seq;
  return Propose(cmd);
}

ShardKvServer::Result ShardKvServer::Propose(const std::shared_ptr<Marshallable>& cmd) {
  if (life_->stopped) return Result{SkvErr::ErrWrongLeader, ""};
  uint64_t index = 0, term = 0;
  if (!raft_->Start(cmd, &index, &term)) return Result{SkvErr::ErrWrongLeader, ""};
  auto w = std::make_shared<Waiter>();
  w->cmd = cmd;
  w->done = std::make_shared<rrr::BoxEvent<Result>>();
  auto& slot = waiting_[index];
  if (slot != nullptr) slot->done->Set(Result{SkvErr::ErrWrongLeader, ""});  // an older term's
  slot = w;

  std::shared_ptr<Life> life = life_;
  const uint64_t deadline = rrr::Time::Now() + kCommitWaitUs;
  Result result{SkvErr::ErrTimeout, ""};
  while (true) {
    w->done->Wait(kLeaderCheckUs);
    if (w->done->IsReady()) return w->done->Get();  // Shutdown sets it too
    if (life->stopped) return Result{SkvErr::ErrWrongLeader, ""};
    bool is_leader = false;
    uint64_t now_term = 0;
    raft_->GetState(&is_leader, &now_term);
    if (!is_leader || now_term != term) {
      result = Result{SkvErr::ErrWrongLeader, ""};
      break;
    }
    if (rrr::Time::Now() >= deadline) break;  // ErrTimeout
  }
  auto it = waiting_.find(index);
  if (it != waiting_.end() && it->second == w) waiting_.erase(it);
  return result;
}

ShardKvServer::Result ShardKvServer::ApplyOp(const SkvOpCommand& cmd) {
  const int s = KeyToShard(cmd.key);
  if (!Serves(s)) return Result{SkvErr::ErrWrongGroup, ""};
  Shard& shard = shards_[s];
  Result r;
  if (cmd.op == KvOpKind::kGet) {
    // Gets are not recorded: executing a retried Get again reads a value that is current at a
    // point inside the retried call, which is all linearizability asks.
    auto it = shard.kv.find(cmd.key);
    if (it == shard.kv.end()) return Result{SkvErr::ErrNoKey, ""};
    r.value = it->second;
    return r;
  }
  uint64_t& last = shard.sessions[cmd.client_id];
  if (cmd.seq <= last) return r;  // executed already (here, or in a group the shard came from)
  last = cmd.seq;
  if (cmd.op == KvOpKind::kPut) {
    shard.kv[cmd.key] = cmd.value;
  } else {
    shard.kv[cmd.key] += cmd.value;
  }
  return r;
}

void ShardKvServer::ApplyConfig(const ShardConfig& next) {
  if (next.num != cur_.num + 1 || !Settled()) return;  // a duplicate, or not its turn yet
  prev_ = cur_;
  cur_ = next;
  for (int s = 0; s < kNShards; s++) {
    const bool had = prev_.shards[s] == gid_;
    const bool has = cur_.shards[s] == gid_;
    Shard& shard = shards_[s];
    if (had && !has) {
      shard.state = ShardState::kOffering;
    } else if (!had && has) {
      // A shard nobody served before (config 0's gid 0) starts empty; any other is pulled.
      shard.state = prev_.shards[s] == 0 ? ShardState::kServing : ShardState::kPulling;
    }
  }
  Log_debug("shardkv %llu: now at %s", static_cast<unsigned long long>(gid_),
            DescribeShardConfig(cur_).c_str());
}

void ShardKvServer::ApplyInsert(const SkvInsertCommand& cmd) {
  if (cmd.config_num != cur_.num) return;
  for (const ShardData& d : cmd.shards) {
    if (d.shard >= static_cast<uint32_t>(kNShards)) continue;
    Shard& shard = shards_[d.shard];
    if (shard.state != ShardState::kPulling) continue;  // a duplicate
    shard.kv = d.kv;
    shard.sessions = d.sessions;
    shard.state = ShardState::kGcing;
  }
}

ShardKvServer::Result ShardKvServer::ApplyDelete(const SkvShardsCommand& cmd) {
  if (cmd.config_num > cur_.num) return Result{SkvErr::ErrNotReady, ""};
  if (cmd.config_num < cur_.num) return Result{};  // long done: we moved on only after it
  for (uint32_t s : cmd.shards) {
    if (s >= static_cast<uint32_t>(kNShards)) continue;
    if (shards_[s].state == ShardState::kOffering) shards_[s] = Shard{};
  }
  return Result{};
}

void ShardKvServer::ApplyGcDone(const SkvShardsCommand& cmd) {
  if (cmd.config_num != cur_.num) return;
  for (uint32_t s : cmd.shards) {
    if (s < static_cast<uint32_t>(kNShards) && shards_[s].state == ShardState::kGcing) {
      shards_[s].state = ShardState::kServing;
    }
  }
}
// END SOLUTION

}  // namespace janus
