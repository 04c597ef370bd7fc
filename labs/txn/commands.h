// SOLUTION FILE
// The one command the reference TxnServer (server.h) replicates through its group's Raft log,
// kind kKindTxnCommand, encoded and registered in commands.cc. Its `op` says what it does; each
// op uses only some of the fields (listed with the op).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "deptran/kinds.h"
#include "deptran/marshallable.h"
#include "labs/txn/common.h"

namespace janus {

constexpr int32_t kKindTxnCommand = kKindTxnFirst + 0;

enum class TxnOp : uint8_t {
  kGet = 0,      // plain Get: key
  kPut = 1,      // plain Put: key, value, client_id, seq
  kAppend = 2,   // plain Append: key, value, client_id, seq
  kTxGet = 3,    // transactional read: tx, ts, key
  kPrepare = 4,  // 2PC phase one: tx, ts, coord_gid, reads, writes
  kDecide = 5,   // 2PC phase two: tx, commit
  kResolve = 6,  // coordinator decision: tx, commit (the decision proposed)
  kConfig = 7,   // a newer shard configuration: config
  kNoop = 8,     // nothing: lets a new leader commit the entries of earlier terms
  kExpire = 9,   // the group's own abort of an idle transaction not prepared here: tx
};

class TxnCommand : public Marshallable {
 public:
  TxnCommand() : Marshallable(kKindTxnCommand) {}
  rrr::Marshal& ToMarshal(rrr::Marshal& m) const override;
  rrr::Marshal& FromMarshal(rrr::Marshal& m) override;

  TxnOp op = TxnOp::kNoop;
  std::string key;
  std::string value;
  uint64_t client_id = 0;
  uint64_t seq = 0;
  uint64_t tx = 0;
  uint64_t ts = 0;
  uint64_t coord_gid = 0;
  bool commit = false;
  std::vector<TxRead> reads;
  std::vector<TxWrite> writes;
  ShardConfig config;
};

}  // namespace janus
