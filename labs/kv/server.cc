#include "labs/kv/server.h"

#include "rrr/base/logging.h"
#include "rrr/base/time.h"

namespace janus {

// BEGIN SOLUTION
std::shared_ptr<KvCommand> KvCommand::Make(Op op, const std::string& key, const std::string& value,
                                           uint64_t client_id, uint64_t seq) {
  auto cmd = std::make_shared<KvCommand>();
  cmd->op = op;
  cmd->key = key;
  cmd->value = value;
  cmd->client_id = client_id;
  cmd->seq = seq;
  return cmd;
}

rrr::Marshal& KvCommand::ToMarshal(rrr::Marshal& m) const {
  if (encoded_.empty()) {
    rrr::Marshal fields;
    fields << static_cast<uint8_t>(op) << key << value << client_id << seq;
    encoded_ = fields.ToString();
  }
  m.Write(encoded_.data(), encoded_.size());
  return m;
}

rrr::Marshal& KvCommand::FromMarshal(rrr::Marshal& m) {
  encoded_.clear();
  uint8_t op_byte = 0;
  m >> op_byte >> key >> value >> client_id >> seq;
  op = static_cast<KvOpKind>(op_byte);
  return m;
}

JANUS_REGISTER_MARSHALLABLE(kKindKvCommand, KvCommand);
// END SOLUTION

KvServer::KvServer(RaftServer* raft) : raft_(raft) {}

KvServer::~KvServer() { Shutdown(); }

KvErr KvServer::Put(const std::string& key, const std::string& value, uint64_t client_id,
                    uint64_t seq) {
  // BEGIN SOLUTION
  return Submit(KvCommand::Make(KvOpKind::kPut, key, value, client_id, seq)).err;
  // END SOLUTION
  // BEGIN STUB
  // // TODO: make a command for this operation, propose it with raft_->Start, and wait until it
  // // is applied at the index Start returned (see server.h and README.md).
  // (void)key, (void)value, (void)client_id, (void)seq;
  // return KvErr::ErrWrongLeader;  // TODO: replace
  // END STUB
}

KvErr KvServer::Append(const std::string& key, const std::string& value, uint64_t client_id,
                       uint64_t seq) {
  // BEGIN SOLUTION
  return Submit(KvCommand::Make(KvOpKind::kAppend, key, value, client_id, seq)).err;
  // END SOLUTION
  // BEGIN STUB
  // // TODO: like Put.
  // (void)key, (void)value, (void)client_id, (void)seq;
  // return KvErr::ErrWrongLeader;  // TODO: replace
  // END STUB
}

KvErr KvServer::Get(const std::string& key, uint64_t client_id, uint64_t seq, std::string* value) {
  // BEGIN SOLUTION
#ifdef KV_UNSAFE_LOCAL_READS
  // A deliberately broken variant, built only for the instructor check that the linearizability
  // tests catch it (labs/harness/kv/kv_unsafe_reads_check.cc): any replica answers from its own
  // map at once, without Raft, so a lagging follower or a deposed leader returns stale values.
  (void)client_id, (void)seq;
  if (stopped_) return KvErr::ErrWrongLeader;
  auto local = data_.find(key);
  *value = local == data_.end() ? "" : local->second;
  return local == data_.end() ? KvErr::ErrNoKey : KvErr::OK;
#endif
  Result r = Submit(KvCommand::Make(KvOpKind::kGet, key, "", client_id, seq));
  *value = r.value;
  return r.err;
  // END SOLUTION
  // BEGIN STUB
  // // TODO: like Put; the command's result carries the value.
  // (void)key, (void)client_id, (void)seq;
  // *value = "";
  // return KvErr::ErrWrongLeader;  // TODO: replace
  // END STUB
}

void KvServer::OnApply(uint64_t index, std::shared_ptr<Marshallable> cmd) {
  // BEGIN SOLUTION
  auto kv = std::dynamic_pointer_cast<KvCommand>(cmd);
  Result result;
  if (kv != nullptr) {
    result = Execute(*kv);
  } else {
    Log_warn("kv: index %llu holds a command that is not a KvCommand (kind %d); skipped",
             static_cast<unsigned long long>(index), cmd ? cmd->kind_ : 0);
  }
  auto it = waiting_.find(index);
  if (it == waiting_.end()) return;
  std::shared_ptr<Waiter> w = it->second;
  waiting_.erase(it);
  if (kv != nullptr && kv->client_id == w->client_id && kv->seq == w->seq) {
    w->done->Set(result);
  } else {
    // Another leader's command took the slot: ours was lost with the old leader's log.
    w->done->Set(Result{KvErr::ErrWrongLeader, ""});
  }
  // END SOLUTION
  // BEGIN STUB
  // // TODO: execute the command on the map unless this client's sequence number shows it
  // // already ran, then wake the request waiting for this index, if any.
  // (void)index, (void)cmd;
  // END STUB
}

void KvServer::Shutdown() {
  // BEGIN SOLUTION
  stopped_ = true;
  for (auto& entry : waiting_) entry.second->done->Set(Result{KvErr::ErrWrongLeader, ""});
  waiting_.clear();
  // END SOLUTION
  // BEGIN STUB
  // (void)raft_;  // TODO: wake any request still waiting
  // END STUB
}

// BEGIN SOLUTION
KvServer::Result KvServer::Submit(const std::shared_ptr<KvCommand>& cmd) {
  if (stopped_) return Result{KvErr::ErrWrongLeader, ""};
  uint64_t index = 0, term = 0;
  if (!raft_->Start(cmd, &index, &term)) return Result{KvErr::ErrWrongLeader, ""};

  auto w = std::make_shared<Waiter>();
  w->client_id = cmd->client_id;
  w->seq = cmd->seq;
  w->done = std::make_shared<rrr::BoxEvent<Result>>();
  auto& slot = waiting_[index];
  if (slot != nullptr) {
    // An older request was given this index in an earlier term; its entry is gone.
    slot->done->Set(Result{KvErr::ErrWrongLeader, ""});
  }
  slot = w;

  const uint64_t deadline = rrr::Time::Now() + kCommitWaitUs;
  Result result{KvErr::ErrTimeout, ""};
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
      result = Result{KvErr::ErrWrongLeader, ""};
      break;
    }
    if (rrr::Time::Now() >= deadline) break;  // ErrTimeout
  }
  auto it = waiting_.find(index);
  if (it != waiting_.end() && it->second == w) waiting_.erase(it);
  return result;
}

KvServer::Result KvServer::Execute(const KvCommand& cmd) {
  Session& s = sessions_[cmd.client_id];
  if (cmd.seq < s.last_seq) return Result{KvErr::ErrWrongLeader, ""};  // the clerk moved on
  if (cmd.seq == s.last_seq) return s.last_result;                     // a retry: answer again
  Result r;
  switch (cmd.op) {
    case KvOpKind::kPut:
      data_[cmd.key] = cmd.value;
      break;
    case KvOpKind::kAppend:
      data_[cmd.key] += cmd.value;
      break;
    default: {
      auto it = data_.find(cmd.key);
      if (it == data_.end()) {
        r.err = KvErr::ErrNoKey;
      } else {
        r.value = it->second;
      }
    }
  }
  s.last_seq = cmd.seq;
  s.last_result = r;
  return r;
}
// END SOLUTION

}  // namespace janus
