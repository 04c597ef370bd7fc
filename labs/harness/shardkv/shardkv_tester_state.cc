// ShardKvTester (shardkv_tester.h): what the group servers persist, as MIT's sharded-KV tests
// measure it (Raft state and snapshot sizes).
#include <string>

#include "labs/harness/shardkv/shardkv_tester.h"

namespace janus {

size_t ShardKvTester::GroupPersistedBytes(int g) {
  size_t total = 0;
  for (int i = 0; i < kGroupSize; i++) {
    Persister* p = group(g).GetPersister(i);
    total += p->RaftStateSize() + p->SnapshotSize();
  }
  return total;
}

size_t ShardKvTester::TotalPersistedBytes() {
  size_t total = 0;
  for (int g = 0; g < ngroups(); g++) total += GroupPersistedBytes(g);
  return total;
}

void ShardKvTester::CheckLogs(const char* file, int line) {
  for (int g = 0; g < ngroups(); g++) {
    for (int i = 0; i < kGroupSize; i++) {
      Persister* p = group(g).GetPersister(i);
      const std::string who = group(g).NodeName(i);
      if (maxraftstate_ > 0 && p->RaftStateSize() > 8 * static_cast<size_t>(maxraftstate_)) {
        Fail(who + "'s Raft state is " + std::to_string(p->RaftStateSize()) +
                 " bytes, over 8 x maxraftstate (" + std::to_string(maxraftstate_) +
                 "): the server does not snapshot (or does not trim the log)",
             file, line);
      }
      if (maxraftstate_ < 0 && p->SnapshotSize() > 0) {
        Fail(who + " saved a snapshot of " + std::to_string(p->SnapshotSize()) +
                 " bytes, but maxraftstate is -1 (never snapshot)",
             file, line);
      }
    }
  }
}

}  // namespace janus
