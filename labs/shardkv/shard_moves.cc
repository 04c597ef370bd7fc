// SOLUTION FILE
// The reference's configuration changes and shard moves (README.md, "The configuration poll
// loop" and "Moving shards"): the leader polls the shard master, pulls the shards a new
// configuration gives its group from their previous owners, and tells those owners to delete
// their copies once the data is in its own log.
#include <utility>

#include "labs/shardkv/server.h"
#include "rrr/base/logging.h"
#include "rrr/reactor/coroutine.h"
#include "rrr/rpc/errors.h"

namespace janus {

namespace {
// The servers of group `gid` in `config` (none if it has no such group).
std::vector<std::string> ServersOf(const ShardConfig& config, uint64_t gid) {
  auto it = config.groups.find(gid);
  return it == config.groups.end() ? std::vector<std::string>() : it->second;
}
}  // namespace

void ShardKvServer::PollLoop(std::shared_ptr<Life> life) {
  while (true) {
    life->stop->Wait(kPollUs);
    if (life->stopped) return;
    // Only a leader whose every shard has settled asks for the next configuration: configs are
    // applied one at a time, in order, so no shard move is ever skipped.
    if (!IsLeader() || !Settled()) continue;
    const uint64_t want = cur_.num + 1;
    ShardConfig next = master_.Query(static_cast<int64_t>(want));
    if (life->stopped) return;
    if (next.num != want || cur_.num + 1 != want || !IsLeader()) continue;
    auto cmd = std::make_shared<SkvConfigCommand>();
    cmd->config = std::move(next);
    Propose(cmd);  // applied or not, the next round looks again
    if (life->stopped) return;
  }
}

void ShardKvServer::MoveLoop(std::shared_ptr<Life> life) {
  while (true) {
    life->stop->Wait(kMoveUs);
    if (life->stopped) return;
    bool is_leader = false;
    uint64_t term = 0;
    raft_->GetState(&is_leader, &term);
    if (!is_leader) continue;
    if (term != noop_term_) {
      // A new leader commits the entries of earlier terms only along with one of its own
      // (Raft's commit rule). Without client traffic (a group waiting for a shard move has
      // none) a Delete or Insert the old leader applied might never commit here: propose an
      // empty command at the start of each term.
      noop_term_ = term;
      Propose(std::make_shared<SkvNoopCommand>());
      if (life->stopped) return;
      continue;
    }
    // Group the shards to pull, and the shards whose old owner must delete its copy, by the
    // group that owned them in the previous configuration (std::map: a deterministic order).
    std::map<uint64_t, std::vector<uint32_t>> pulls, deletes;
    for (int s = 0; s < kNShards; s++) {
      if (shards_[s].state == ShardState::kPulling) pulls[prev_.shards[s]].push_back(s);
      if (shards_[s].state == ShardState::kGcing) deletes[prev_.shards[s]].push_back(s);
    }
    const uint64_t num = cur_.num;
    for (auto& entry : pulls) {
      std::vector<std::string> servers = ServersOf(prev_, entry.first);
      std::vector<uint32_t> shards = entry.second;
      rrr::Coroutine::CreateRun([this, life, num, servers, shards] {
        PullFrom(life, num, servers, shards);
      });
      if (life->stopped) return;
    }
    for (auto& entry : deletes) {
      std::vector<std::string> servers = ServersOf(prev_, entry.first);
      std::vector<uint32_t> shards = entry.second;
      rrr::Coroutine::CreateRun([this, life, num, servers, shards] {
        DeleteAt(life, num, servers, shards);
      });
      if (life->stopped) return;
    }
  }
}

void ShardKvServer::PullFrom(std::shared_ptr<Life> life, uint64_t num,
                             std::vector<std::string> servers, std::vector<uint32_t> shards) {
  const std::string key = "pull " + std::to_string(num) + " " + std::to_string(shards[0]);
  if (!moving_.insert(key).second) return;  // the previous round's pull is still going
  // Any replica of the old owner that has reached `num` holds the same frozen data.
  for (const std::string& addr : servers) {
    rrr::Client* client = pool_.GetClient(addr);
    if (client == nullptr) continue;
    ShardKvProxy proxy(client);
    rrr::FutureAttr attr;
    attr.timeout_us = kMoveRpcTimeoutUs;
    rrr::FuturePtr f = proxy.async_PullShards(num, shards, attr);
    f->Wait();
    if (life->stopped) return;
    ShardKvProxy::PullShardsReply r = ShardKvProxy::DecodePullShards(f);
    if (r.error_code != rrr::kOk || r.err != SkvErr::OK) continue;
    if (cur_.num == num && IsLeader()) {
      auto cmd = std::make_shared<SkvInsertCommand>();
      cmd->config_num = num;
      cmd->shards = std::move(r.data);
      Propose(cmd);
      if (life->stopped) return;
    }
    break;
  }
  moving_.erase(key);
}

void ShardKvServer::DeleteAt(std::shared_ptr<Life> life, uint64_t num,
                             std::vector<std::string> servers, std::vector<uint32_t> shards) {
  const std::string key = "delete " + std::to_string(num) + " " + std::to_string(shards[0]);
  if (!moving_.insert(key).second) return;
  for (const std::string& addr : servers) {
    rrr::Client* client = pool_.GetClient(addr);
    if (client == nullptr) continue;
    ShardKvProxy proxy(client);
    rrr::FutureAttr attr;
    attr.timeout_us = kMoveRpcTimeoutUs;
    rrr::FuturePtr f = proxy.async_DeleteShards(num, shards, attr);
    f->Wait();
    if (life->stopped) return;
    ShardKvProxy::DeleteShardsReply r = ShardKvProxy::DecodeDeleteShards(f);
    if (r.error_code != rrr::kOk || r.err != SkvErr::OK) continue;
    if (cur_.num == num && IsLeader()) {
      auto cmd = std::make_shared<SkvGcDoneCommand>();
      cmd->config_num = num;
      cmd->shards = shards;
      Propose(cmd);
      if (life->stopped) return;
    }
    break;
  }
  moving_.erase(key);
}

SkvErr ShardKvServer::PullShards(uint64_t config_num, const std::vector<uint32_t>& shards,
                                 std::vector<ShardData>* data) {
  // Not ready before `config_num`; after it, the new owner already has the data (we moved on
  // only once it told us to delete our copy) and asks no more.
  if (life_->stopped || cur_.num != config_num) return SkvErr::ErrNotReady;
  std::vector<ShardData> out;
  for (uint32_t s : shards) {
    if (s >= static_cast<uint32_t>(kNShards) || shards_[s].state != ShardState::kOffering) {
      return SkvErr::ErrNotReady;
    }
    ShardData d;
    d.shard = s;
    d.kv = shards_[s].kv;
    d.sessions = shards_[s].sessions;
    out.push_back(std::move(d));
  }
  *data = std::move(out);
  return SkvErr::OK;
}

SkvErr ShardKvServer::DeleteShards(uint64_t config_num, const std::vector<uint32_t>& shards) {
  if (life_->stopped) return SkvErr::ErrWrongLeader;
  if (config_num < cur_.num) return SkvErr::OK;  // deleted long ago
  if (!IsLeader()) return SkvErr::ErrWrongLeader;
  auto cmd = std::make_shared<SkvDeleteCommand>();
  cmd->config_num = config_num;
  cmd->shards = shards;
  return Propose(cmd).err;
}

}  // namespace janus
