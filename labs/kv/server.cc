#include "labs/kv/server.h"

#include <algorithm>
#include <string>
#include <utility>

#include "rrr/base/logging.h"
#include "rrr/base/time.h"
#include "rrr/base/verify.h"

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

KvServer::KvServer(RaftServer* raft, int64_t maxraftstate)
    : raft_(raft), maxraftstate_(maxraftstate) {}

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
  if (index <= last_applied_) return;  // covered by a snapshot already restored
  last_applied_ = index;
  auto kv = std::dynamic_pointer_cast<KvCommand>(cmd);
  Result result;
  if (kv != nullptr) {
    result = Execute(*kv);
  } else {
    Log_warn("kv: index %llu holds a command that is not a KvCommand (kind %d); skipped",
             static_cast<unsigned long long>(index), cmd ? cmd->kind_ : 0);
  }
  // The state now includes `index`: snapshot it if the Raft state has grown too large.
  if (maxraftstate_ >= 0) MaybeSnapshot(index);
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
  // // Lab 3, part C: then, if maxraftstate_ is not -1 and the persisted Raft state
  // // (raft_->persister()->RaftStateSize()) has reached maxraftstate_ bytes, save a snapshot
  // // of your state with raft_->Snapshot(index, bytes).
  // (void)index, (void)cmd, (void)maxraftstate_;
  // END STUB
}

void KvServer::OnSnapshot(uint64_t index, uint64_t term, const std::string& snapshot) {
  // BEGIN SOLUTION
  (void)term;
  if (index <= last_applied_) return;  // Raft never goes back; nothing newer to learn here
  DecodeState(snapshot);
  last_applied_ = index;
  // The commands at the indices the snapshot covers are never applied here one by one, so a
  // request waiting for one of them cannot learn whether its own command took that slot: it
  // answers ErrWrongLeader and the clerk retries (the duplicate table, restored too, makes the
  // retry execute at most once).
  for (auto it = waiting_.begin(); it != waiting_.end() && it->first <= index;) {
    it->second->done->Set(Result{KvErr::ErrWrongLeader, ""});
    it = waiting_.erase(it);
  }
  // END SOLUTION
  // BEGIN STUB
  // // TODO (lab 3, part C): replace your whole state (the map, the duplicate table, anything
  // // else OnApply relies on) with the one `snapshot` encodes. Raft calls this at start-up too.
  // (void)index, (void)term, (void)snapshot;
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

void KvServer::MaybeSnapshot(uint64_t index) {
  // Raft's state also holds the entries not applied yet, which no snapshot can drop. When they
  // alone pass maxraftstate (many requests in flight), snapshotting after every command would
  // save the whole map again and again (and, with a file persister, sync it to disk each time)
  // for nothing: the state must also have grown by half of maxraftstate since the smallest it
  // has been since the last snapshot. Without such a backlog this is simply size >= maxraftstate.
  const int64_t size = static_cast<int64_t>(raft_->persister()->RaftStateSize());
  smallest_state_ = std::min(smallest_state_, size);
  if (size < maxraftstate_ || size - smallest_state_ < maxraftstate_ / 2) return;
  raft_->Snapshot(index, EncodeState());
  smallest_state_ = static_cast<int64_t>(raft_->persister()->RaftStateSize());
}

// The snapshot's layout: a format byte, the map, then the duplicate table (the number of
// clients, then per client its id, last sequence number and that operation's result).
namespace {
constexpr uint8_t kSnapshotFormat = 1;
}  // namespace

std::string KvServer::EncodeState() const {
  rrr::Marshal m;
  m << kSnapshotFormat << data_ << static_cast<uint64_t>(sessions_.size());
  for (const auto& entry : sessions_) {
    const Session& s = entry.second;
    m << entry.first << s.last_seq << s.last_result.err << s.last_result.value;
  }
  return m.ToString();
}

void KvServer::DecodeState(const std::string& snapshot) {
  std::map<std::string, std::string> data;
  std::map<uint64_t, Session> sessions;
  try {
    rrr::Marshal m = rrr::Marshal::FromString(snapshot);
    uint8_t format = 0;
    uint64_t n_sessions = 0;
    m >> format;
    verify_msg(format == kSnapshotFormat, "kv: a snapshot of an unknown format");
    m >> data >> n_sessions;
    for (uint64_t i = 0; i < n_sessions; i++) {
      uint64_t client_id = 0;
      Session s;
      m >> client_id >> s.last_seq >> s.last_result.err >> s.last_result.value;
      sessions[client_id] = s;
    }
    verify_msg(m.Empty(), "kv: bytes left after the snapshot's last field");
  } catch (const rrr::MarshalError& e) {
    verify_msg(false, (std::string("kv: a snapshot that does not decode: ") + e.what()).c_str());
  }
  data_ = std::move(data);
  sessions_ = std::move(sessions);
}
// END SOLUTION

}  // namespace janus
