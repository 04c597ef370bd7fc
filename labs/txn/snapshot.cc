// SOLUTION FILE
// The reference's snapshots: when to take one, and the state it holds (everything a replica
// needs to act as if it had applied the log up to the snapshot's index).
#include <algorithm>
#include <string>
#include <utility>

#include "labs/txn/server.h"
#include "rrr/base/verify.h"

namespace janus {

namespace {
// The layout: a format byte, the configuration, the keys (key, exists, value, version), the
// locks (key, exclusive holder, shared holders), the live transactions (id, prepared, ts,
// coordinator, writes, keys), the outcomes, the coordinator decisions, the plain sessions.
constexpr uint8_t kSnapshotFormat = 1;
}  // namespace

void TxnServer::MaybeSnapshot(uint64_t index) {
  // As in lab 2's reference (labs/kv/server.cc): snapshot once the Raft state reaches
  // maxraftstate and has grown by half of it since its smallest size since the last snapshot.
  const int64_t size = static_cast<int64_t>(raft_->persister()->RaftStateSize());
  smallest_state_ = std::min(smallest_state_, size);
  if (size < maxraftstate_ || size - smallest_state_ < maxraftstate_ / 2) return;
  raft_->Snapshot(index, EncodeState());
  smallest_state_ = static_cast<int64_t>(raft_->persister()->RaftStateSize());
}

std::string TxnServer::EncodeState() const {
  rrr::Marshal m;
  m << kSnapshotFormat << config_ << static_cast<uint64_t>(data_.size());
  for (const auto& e : data_) m << e.first << e.second.exists << e.second.value << e.second.version;
  m << static_cast<uint64_t>(locks_.size());
  for (const auto& l : locks_) m << l.first << l.second.exclusive << l.second.shared;
  m << static_cast<uint64_t>(txs_.size());
  for (const auto& t : txs_) {
    const TxState& s = t.second;
    m << t.first << s.prepared << s.ts << s.coord_gid << s.writes << s.keys;
  }
  m << outcomes_ << decisions_ << static_cast<uint64_t>(sessions_.size());
  for (const auto& s : sessions_) {
    m << s.first << s.second.last_seq << s.second.last.err << s.second.last.version;
  }
  return m.ToString();
}

void TxnServer::DecodeState(const std::string& snapshot) {
  ShardConfig config;
  std::map<std::string, Entry> data;
  std::map<std::string, Lock> locks;
  std::map<uint64_t, TxState> txs;
  std::map<uint64_t, bool> outcomes, decisions;
  std::map<uint64_t, Session> sessions;
  try {
    rrr::Marshal m = rrr::Marshal::FromString(snapshot);
    uint8_t format = 0;
    m >> format;
    verify_msg(format == kSnapshotFormat, "txn: a snapshot of an unknown format");
    uint64_t n = 0;
    m >> config >> n;
    for (uint64_t i = 0; i < n; i++) {
      std::string key;
      Entry e;
      m >> key >> e.exists >> e.value >> e.version;
      data[key] = std::move(e);
    }
    m >> n;
    for (uint64_t i = 0; i < n; i++) {
      std::string key;
      Lock l;
      m >> key >> l.exclusive >> l.shared;
      locks[key] = std::move(l);
    }
    m >> n;
    for (uint64_t i = 0; i < n; i++) {
      uint64_t tx = 0;
      TxState s;
      m >> tx >> s.prepared >> s.ts >> s.coord_gid >> s.writes >> s.keys;
      txs[tx] = std::move(s);
    }
    m >> outcomes >> decisions >> n;
    for (uint64_t i = 0; i < n; i++) {
      uint64_t client_id = 0;
      Session s;
      m >> client_id >> s.last_seq >> s.last.err >> s.last.version;
      sessions[client_id] = s;
    }
    verify_msg(m.Empty(), "txn: bytes left after the snapshot's last field");
  } catch (const rrr::MarshalError& e) {
    verify_msg(false, (std::string("txn: a snapshot that does not decode: ") + e.what()).c_str());
  }
  config_ = std::move(config);
  data_ = std::move(data);
  locks_ = std::move(locks);
  txs_ = std::move(txs);
  outcomes_ = std::move(outcomes);
  decisions_ = std::move(decisions);
  sessions_ = std::move(sessions);
}

}  // namespace janus
