// SOLUTION FILE
// The reference's snapshots (README.md, "Snapshots"): when to take one, and the state it holds.
#include <algorithm>
#include <string>
#include <utility>

#include "labs/shardkv/server.h"
#include "rrr/base/verify.h"

namespace janus {

namespace {
// The layout: a format byte, the current and previous configurations, then per shard (0 ..
// kNShards-1) its state byte, its keys and its duplicate table.
constexpr uint8_t kSnapshotFormat = 1;
}  // namespace

void ShardKvServer::MaybeSnapshot(uint64_t index) {
  // As in lab 2's reference (labs/kv/server.cc): snapshot once the Raft state reaches
  // maxraftstate and has grown by half of it since its smallest size since the last snapshot,
  // so that a backlog of entries not applied yet does not cause a snapshot per command.
  const int64_t size = static_cast<int64_t>(raft_->persister()->RaftStateSize());
  smallest_state_ = std::min(smallest_state_, size);
  if (size < maxraftstate_ || size - smallest_state_ < maxraftstate_ / 2) return;
  raft_->Snapshot(index, EncodeState());
  smallest_state_ = static_cast<int64_t>(raft_->persister()->RaftStateSize());
}

std::string ShardKvServer::EncodeState() const {
  rrr::Marshal m;
  m << kSnapshotFormat << cur_ << prev_;
  for (const Shard& s : shards_) m << static_cast<uint8_t>(s.state) << s.kv << s.sessions;
  return m.ToString();
}

void ShardKvServer::DecodeState(const std::string& snapshot) {
  ShardConfig cur, prev;
  std::vector<Shard> shards(kNShards);
  try {
    rrr::Marshal m = rrr::Marshal::FromString(snapshot);
    uint8_t format = 0;
    m >> format;
    verify_msg(format == kSnapshotFormat, "shardkv: a snapshot of an unknown format");
    m >> cur >> prev;
    for (Shard& s : shards) {
      uint8_t state = 0;
      m >> state >> s.kv >> s.sessions;
      verify_msg(state <= static_cast<uint8_t>(ShardState::kGcing),
                 "shardkv: a snapshot with an unknown shard state");
      s.state = static_cast<ShardState>(state);
    }
    verify_msg(m.Empty(), "shardkv: bytes left after the snapshot's last field");
  } catch (const rrr::MarshalError& e) {
    verify_msg(false, (std::string("shardkv: a snapshot that does not decode: ") + e.what()).c_str());
  }
  verify_msg(cur.shards.size() == static_cast<size_t>(kNShards) &&
                 prev.shards.size() == static_cast<size_t>(kNShards),
             "shardkv: a snapshot whose configurations do not have kNShards shards");
  cur_ = std::move(cur);
  prev_ = std::move(prev);
  shards_ = std::move(shards);
}

}  // namespace janus
