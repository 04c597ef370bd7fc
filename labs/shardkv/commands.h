// SOLUTION FILE
// The commands the reference ShardKvServer (server.h) replicates through its group's Raft log,
// kinds in kKindShardKvFirst .. kKindShardKvLast, encoded and registered in commands.cc.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "deptran/kinds.h"
#include "deptran/marshallable.h"
#include "labs/shardkv/common.h"

namespace janus {

constexpr int32_t kKindSkvOp = kKindShardKvFirst + 0;
constexpr int32_t kKindSkvConfig = kKindShardKvFirst + 1;
constexpr int32_t kKindSkvInsert = kKindShardKvFirst + 2;
constexpr int32_t kKindSkvDelete = kKindShardKvFirst + 3;
constexpr int32_t kKindSkvGcDone = kKindShardKvFirst + 4;
constexpr int32_t kKindSkvNoop = kKindShardKvFirst + 5;

// A clerk's Put, Append or Get.
class SkvOpCommand : public Marshallable {
 public:
  SkvOpCommand() : Marshallable(kKindSkvOp) {}
  rrr::Marshal& ToMarshal(rrr::Marshal& m) const override;
  rrr::Marshal& FromMarshal(rrr::Marshal& m) override;

  KvOpKind op = KvOpKind::kGet;
  std::string key;
  std::string value;
  uint64_t client_id = 0;
  uint64_t seq = 0;
};

// Move to the next configuration (applied only if it is the current number + 1 and every
// shard of the current one has settled).
class SkvConfigCommand : public Marshallable {
 public:
  SkvConfigCommand() : Marshallable(kKindSkvConfig) {}
  rrr::Marshal& ToMarshal(rrr::Marshal& m) const override;
  rrr::Marshal& FromMarshal(rrr::Marshal& m) override;

  ShardConfig config;
};

// The data of shards pulled for configuration `config_num` (applied to shards still waiting
// for it in that configuration; a duplicate changes nothing).
class SkvInsertCommand : public Marshallable {
 public:
  SkvInsertCommand() : Marshallable(kKindSkvInsert) {}
  rrr::Marshal& ToMarshal(rrr::Marshal& m) const override;
  rrr::Marshal& FromMarshal(rrr::Marshal& m) override;

  uint64_t config_num = 0;
  std::vector<ShardData> shards;
};

// Shards of configuration `config_num` whose move finished: for SkvDeleteCommand the old
// owner deletes its copy; for SkvGcDoneCommand the new owner stops telling the old one.
class SkvShardsCommand : public Marshallable {
 public:
  explicit SkvShardsCommand(int32_t kind) : Marshallable(kind) {}
  rrr::Marshal& ToMarshal(rrr::Marshal& m) const override;
  rrr::Marshal& FromMarshal(rrr::Marshal& m) override;

  uint64_t config_num = 0;
  std::vector<uint32_t> shards;
};
class SkvDeleteCommand : public SkvShardsCommand {
 public:
  SkvDeleteCommand() : SkvShardsCommand(kKindSkvDelete) {}
};
class SkvGcDoneCommand : public SkvShardsCommand {
 public:
  SkvGcDoneCommand() : SkvShardsCommand(kKindSkvGcDone) {}
};

// An empty command a new leader proposes so that the entries of earlier terms commit.
class SkvNoopCommand : public Marshallable {
 public:
  SkvNoopCommand() : Marshallable(kKindSkvNoop) {}
  rrr::Marshal& ToMarshal(rrr::Marshal& m) const override { return m; }
  rrr::Marshal& FromMarshal(rrr::Marshal& m) override { return m; }
};

}  // namespace janus
