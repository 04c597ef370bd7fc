#include "deptran/kinds.h"

namespace janus {

const char* KindRangeName(int32_t kind) {
  if (kind == kKindNone) return "none";
  if (kind >= kKindRuntimeFirst && kind <= kKindRuntimeLast) return "runtime";
  if (kind >= kKindRaftFirst && kind <= kKindRaftLast) return "raft";
  if (kind >= kKindKvFirst && kind <= kKindKvLast) return "kv";
  if (kind >= kKindShardMasterFirst && kind <= kKindShardMasterLast) return "shardmaster";
  if (kind >= kKindShardKvFirst && kind <= kKindShardKvLast) return "shardkv";
  if (kind >= kKindTxnFirst && kind <= kKindTxnLast) return "txn";
  return "unassigned";
}

}  // namespace janus
