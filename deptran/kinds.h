// Kind numbers of Marshallable subclasses, reserved in ranges per lab.
//
// Every Marshallable subclass has a kind: a small integer written on the wire in front of its
// payload so the receiver can build the right subclass (see deptran/marshallable.h). Kinds are
// global to a process, so each lab owns one range and declares its kinds inside it, in its own
// header, e.g. `constexpr int32_t kKindRaftLogEntry = janus::kKindRaftFirst + 0;`. Registering
// a kind twice is an error reported at startup, so two labs cannot clash silently.
//
//   range      owner
//   0          kKindNone: an empty MarshallDeputy (no payload object)
//   1-99       runtime (deptran) and unit tests
//   100-199    raft
//   200-299    kv (replicated key/value store)
//   300-399    shardmaster
//   400-499    shardkv
//   500-599    txn (distributed transactions)
//   600-       unassigned; add a range here before using it
//
// The labs' ranges are also in labs/labs.json (each lab's "kinds"); test/scripts/test_manifest.py
// checks that this header, KindRangeName and the manifest agree.
#pragma once

#include <cstdint>

namespace janus {

// The kind of an empty MarshallDeputy (sp_data_ == nullptr). Never registered.
constexpr int32_t kKindNone = 0;

// First and last kind (inclusive) of each reserved range.
constexpr int32_t kKindRuntimeFirst = 1;
constexpr int32_t kKindRuntimeLast = 99;
constexpr int32_t kKindRaftFirst = 100;
constexpr int32_t kKindRaftLast = 199;
constexpr int32_t kKindKvFirst = 200;
constexpr int32_t kKindKvLast = 299;
constexpr int32_t kKindShardMasterFirst = 300;
constexpr int32_t kKindShardMasterLast = 399;
constexpr int32_t kKindShardKvFirst = 400;
constexpr int32_t kKindShardKvLast = 499;
constexpr int32_t kKindTxnFirst = 500;
constexpr int32_t kKindTxnLast = 599;

// Kinds used by deptran's own unit tests (inside the runtime range).
constexpr int32_t kKindTestFirst = 90;
constexpr int32_t kKindTestLast = 99;

// Returns the name of the range `kind` falls in ("none", "runtime", "raft", "kv",
// "shardmaster", "shardkv", "txn"), or "unassigned" (negative kinds and kinds >= 600).
const char* KindRangeName(int32_t kind);

}  // namespace janus
