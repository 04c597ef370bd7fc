#include "labs/shardmaster/server.h"

#include <algorithm>
#include <set>
#include <utility>

#include "rrr/base/logging.h"
#include "rrr/base/time.h"

namespace janus {

// BEGIN SOLUTION
rrr::Marshal& ShardMasterCommand::ToMarshal(rrr::Marshal& m) const {
  m << static_cast<uint8_t>(op) << servers << gids << shard << gid << num << client_id << seq;
  return m;
}

rrr::Marshal& ShardMasterCommand::FromMarshal(rrr::Marshal& m) {
  uint8_t op_byte = 0;
  m >> op_byte >> servers >> gids >> shard >> gid >> num >> client_id >> seq;
  op = static_cast<Op>(op_byte);
  return m;
}

JANUS_REGISTER_MARSHALLABLE(kKindShardMasterCommand, ShardMasterCommand);
// END SOLUTION

ShardMasterServer::ShardMasterServer(RaftServer* raft) : raft_(raft) {
  configs_.push_back(InitialShardConfig());
}

ShardMasterServer::~ShardMasterServer() { Shutdown(); }

SmErr ShardMasterServer::Join(const std::map<uint64_t, std::vector<std::string>>& servers,
                              uint64_t client_id, uint64_t seq) {
  // BEGIN SOLUTION
  auto cmd = std::make_shared<ShardMasterCommand>();
  cmd->op = ShardMasterCommand::Op::kJoin;
  cmd->servers = servers;
  cmd->client_id = client_id;
  cmd->seq = seq;
  return Submit(cmd).err;
  // END SOLUTION
  // BEGIN STUB
  // // TODO: make a command, propose it with raft_->Start, wait until it is applied at the index
  // // Start returned (as the KV server of lab 2 does).
  // (void)servers, (void)client_id, (void)seq;
  // return SmErr::ErrWrongLeader;  // TODO: replace
  // END STUB
}

SmErr ShardMasterServer::Leave(const std::vector<uint64_t>& gids, uint64_t client_id,
                               uint64_t seq) {
  // BEGIN SOLUTION
  auto cmd = std::make_shared<ShardMasterCommand>();
  cmd->op = ShardMasterCommand::Op::kLeave;
  cmd->gids = gids;
  cmd->client_id = client_id;
  cmd->seq = seq;
  return Submit(cmd).err;
  // END SOLUTION
  // BEGIN STUB
  // // TODO: like Join.
  // (void)gids, (void)client_id, (void)seq;
  // return SmErr::ErrWrongLeader;  // TODO: replace
  // END STUB
}

SmErr ShardMasterServer::Move(uint32_t shard, uint64_t gid, uint64_t client_id, uint64_t seq) {
  // BEGIN SOLUTION
  auto cmd = std::make_shared<ShardMasterCommand>();
  cmd->op = ShardMasterCommand::Op::kMove;
  cmd->shard = shard;
  cmd->gid = gid;
  cmd->client_id = client_id;
  cmd->seq = seq;
  return Submit(cmd).err;
  // END SOLUTION
  // BEGIN STUB
  // // TODO: like Join.
  // (void)shard, (void)gid, (void)client_id, (void)seq;
  // return SmErr::ErrWrongLeader;  // TODO: replace
  // END STUB
}

SmErr ShardMasterServer::Query(int64_t num, uint64_t client_id, uint64_t seq,
                               ShardConfig* config) {
  // BEGIN SOLUTION
  auto cmd = std::make_shared<ShardMasterCommand>();
  cmd->op = ShardMasterCommand::Op::kQuery;
  cmd->num = num;
  cmd->client_id = client_id;
  cmd->seq = seq;
  Result r = Submit(cmd);
  if (r.err == SmErr::OK) *config = r.config;
  return r.err;
  // END SOLUTION
  // BEGIN STUB
  // // TODO: like Join; the command's result carries the configuration.
  // (void)num, (void)client_id, (void)seq, (void)config;
  // return SmErr::ErrWrongLeader;  // TODO: replace
  // END STUB
}

void ShardMasterServer::OnApply(uint64_t index, std::shared_ptr<Marshallable> cmd) {
  // BEGIN SOLUTION
  if (index <= last_applied_) return;
  last_applied_ = index;
  auto sm = std::dynamic_pointer_cast<ShardMasterCommand>(cmd);
  Result result;
  if (sm != nullptr) {
    result = Execute(*sm);
  } else {
    Log_warn("shardmaster: index %llu holds a command that is not a ShardMasterCommand (kind "
             "%d); skipped",
             static_cast<unsigned long long>(index), cmd ? cmd->kind_ : 0);
  }
  auto it = waiting_.find(index);
  if (it == waiting_.end()) return;
  std::shared_ptr<Waiter> w = it->second;
  waiting_.erase(it);
  if (sm != nullptr && sm->client_id == w->client_id && sm->seq == w->seq) {
    w->done->Set(result);
  } else {
    w->done->Set(Result{SmErr::ErrWrongLeader, {}});
  }
  // END SOLUTION
  // BEGIN STUB
  // // TODO: apply the command unless this client's sequence number shows it already ran: a
  // // Join, Leave or Move appends a new configuration to configs_ (numbered one higher, with
  // // Rebalance for Join and Leave), a Query reads one. Then wake the request waiting for this
  // // index, if any.
  // (void)index, (void)cmd;
  // END STUB
}

void ShardMasterServer::Shutdown() {
  // BEGIN SOLUTION
  stopped_ = true;
  for (auto& entry : waiting_) entry.second->done->Set(Result{SmErr::ErrWrongLeader, {}});
  waiting_.clear();
  // END SOLUTION
  // BEGIN STUB
  // (void)raft_;  // TODO: wake any request still waiting
  // END STUB
}

void Rebalance(ShardConfig* config) {
  // BEGIN SOLUTION
  config->shards.resize(kNShards, 0);
  if (config->groups.empty()) {
    std::fill(config->shards.begin(), config->shards.end(), 0);
    return;
  }
  // Current load of every group (std::map: gids in increasing order).
  std::map<uint64_t, int> load;
  for (const auto& g : config->groups) load[g.first] = 0;
  for (uint64_t gid : config->shards) {
    auto it = load.find(gid);
    if (it != load.end()) it->second++;
  }
  // Shares: kNShards / n each, and one more for the `extra` groups that hold the most already
  // (ties: smaller gid first), so that as few shards as possible move.
  const int n = static_cast<int>(load.size());
  const int base = kNShards / n;
  const int extra = kNShards % n;
  std::vector<std::pair<int, uint64_t>> by_load;  // (-load, gid): most loaded first
  for (const auto& l : load) by_load.emplace_back(-l.second, l.first);
  std::sort(by_load.begin(), by_load.end());
  std::map<uint64_t, int> share;
  for (int rank = 0; rank < n; rank++) share[by_load[rank].second] = base + (rank < extra ? 1 : 0);

  // Free the shards of departed groups (and of gid 0), and the highest-numbered shards of
  // groups above their share.
  std::vector<int> free_shards;
  for (int s = kNShards - 1; s >= 0; s--) {
    auto it = load.find(config->shards[s]);
    if (it == load.end()) {
      free_shards.push_back(s);
    } else if (it->second > share[it->first]) {
      it->second--;
      free_shards.push_back(s);
    }
  }
  // Hand them out, lowest shard first, to the groups below their share, smallest gid first.
  std::sort(free_shards.begin(), free_shards.end());
  auto next = load.begin();
  for (int s : free_shards) {
    while (next->second >= share[next->first]) ++next;
    config->shards[s] = next->first;
    next->second++;
  }
  // END SOLUTION
  // BEGIN STUB
  // // TODO: see server.h. Iterate over std::map (ordered), never std::unordered_map, so that
  // // every replica computes the same assignment.
  // (void)config;
  // END STUB
}

// BEGIN SOLUTION
ShardMasterServer::Result ShardMasterServer::Submit(
    const std::shared_ptr<ShardMasterCommand>& cmd) {
  if (stopped_) return Result{SmErr::ErrWrongLeader, {}};
  uint64_t index = 0, term = 0;
  if (!raft_->Start(cmd, &index, &term)) return Result{SmErr::ErrWrongLeader, {}};
  auto w = std::make_shared<Waiter>();
  w->client_id = cmd->client_id;
  w->seq = cmd->seq;
  w->done = std::make_shared<rrr::BoxEvent<Result>>();
  auto& slot = waiting_[index];
  if (slot != nullptr) slot->done->Set(Result{SmErr::ErrWrongLeader, {}});
  slot = w;

  const uint64_t deadline = rrr::Time::Now() + kCommitWaitUs;
  Result result{SmErr::ErrTimeout, {}};
  while (true) {
    w->done->Wait(kLeaderCheckUs);
    if (w->done->IsReady()) {
      result = w->done->Get();
      break;
    }
    bool is_leader = false;
    uint64_t now_term = 0;
    raft_->GetState(&is_leader, &now_term);
    if (!is_leader || now_term != term) {
      result = Result{SmErr::ErrWrongLeader, {}};
      break;
    }
    if (rrr::Time::Now() >= deadline) break;
  }
  auto it = waiting_.find(index);
  if (it != waiting_.end() && it->second == w) waiting_.erase(it);
  return result;
}

ShardConfig ShardMasterServer::NextConfig() const {
  ShardConfig next = configs_.back();
  next.num = configs_.back().num + 1;
  return next;
}

ShardMasterServer::Result ShardMasterServer::Execute(const ShardMasterCommand& cmd) {
  Session& s = sessions_[cmd.client_id];
  if (cmd.seq < s.last_seq) return Result{SmErr::ErrWrongLeader, {}};  // the clerk moved on
  if (cmd.seq == s.last_seq) return s.last_result;
  Result r;
  const ShardConfig& latest = configs_.back();
  switch (cmd.op) {
    case ShardMasterCommand::Op::kJoin: {
      bool ok = !cmd.servers.empty();
      for (const auto& g : cmd.servers) {
        ok = ok && g.first != 0 && !g.second.empty() && latest.groups.count(g.first) == 0;
      }
      if (!ok) {
        r.err = SmErr::ErrInvalid;
        break;
      }
      ShardConfig next = NextConfig();
      for (const auto& g : cmd.servers) next.groups[g.first] = g.second;
      Rebalance(&next);
      configs_.push_back(std::move(next));
      break;
    }
    case ShardMasterCommand::Op::kLeave: {
      bool ok = !cmd.gids.empty();
      for (uint64_t gid : cmd.gids) ok = ok && latest.groups.count(gid) == 1;
      if (!ok) {
        r.err = SmErr::ErrInvalid;
        break;
      }
      ShardConfig next = NextConfig();
      for (uint64_t gid : cmd.gids) next.groups.erase(gid);
      Rebalance(&next);
      configs_.push_back(std::move(next));
      break;
    }
    case ShardMasterCommand::Op::kMove: {
      if (cmd.shard >= static_cast<uint32_t>(kNShards) || latest.groups.count(cmd.gid) == 0) {
        r.err = SmErr::ErrInvalid;
        break;
      }
      ShardConfig next = NextConfig();
      next.shards[cmd.shard] = cmd.gid;
      configs_.push_back(std::move(next));
      break;
    }
    case ShardMasterCommand::Op::kQuery: {
      const int64_t latest_num = static_cast<int64_t>(latest.num);
      r.config = cmd.num < 0 || cmd.num > latest_num ? latest : configs_[cmd.num];
      break;
    }
  }
  s.last_seq = cmd.seq;
  s.last_result = r;
  return r;
}
// END SOLUTION

}  // namespace janus
