// RaftTester, part D: the snapshotting service each peer runs in the snapshot tests (MIT's 3D
// applier), the checks of the snapshots Raft delivers, and the size check of the persisted state.
//
// A snapshot is the service's applied state: the index it was taken at, then the command
// applied at each index 1..index, in order (rrr::Marshal: u64 index, u64 count, count strings).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "labs/harness/raft/raft_tester.h"
#include "rrr/base/logging.h"
#include "rrr/marshal/marshal.h"

namespace janus {

namespace {

std::string U(uint64_t v) { return std::to_string(v); }
std::string Peer(int i) { return "peer " + std::to_string(i); }

std::string Quote(const std::string& cmd) {
  if (cmd.size() <= 24) return "\"" + cmd + "\"";
  return "\"" + cmd.substr(0, 16) + "...\" (" + U(cmd.size()) + " bytes)";
}

}  // namespace

std::string RaftTester::EncodeSnapshot(int i, uint64_t index) const {
  rrr::Marshal m;
  m << index << index;
  const auto& log = logs_[i];
  for (uint64_t k = 1; k <= index; k++) {
    auto it = log.find(k);
    m << (it == log.end() ? std::string() : it->second);
  }
  return std::string(m.data(), m.ContentSize());
}

bool RaftTester::DecodeSnapshot(const std::string& bytes, uint64_t* index,
                                std::vector<std::string>* cmds, std::string* error) {
  try {
    rrr::Marshal m = rrr::Marshal::FromString(bytes);
    uint64_t count = 0;
    m >> *index >> count;
    if (count != *index) {
      *error = "it claims index " + U(*index) + " but holds " + U(count) + " commands";
      return false;
    }
    if (count > bytes.size()) {
      *error = "it claims more commands than it has bytes";
      return false;
    }
    cmds->assign(count, std::string());
    for (std::string& cmd : *cmds) m >> cmd;
    if (!m.Empty()) {
      *error = U(m.ContentSize()) + " bytes are left after its last command";
      return false;
    }
    return true;
  } catch (const rrr::MarshalError& e) {
    *error = std::string("it does not decode (") + e.what() + ")";
    return false;
  }
}

void RaftTester::MaybeSnapshot(int i, uint64_t index) {
  if (index % kSnapshotInterval != 0) return;
  RaftNode* node = cluster().node(i);
  if (node == nullptr) return;  // still being built: Raft applies nothing before Setup returns
  node->raft().Snapshot(index, EncodeSnapshot(i, index));
  const size_t size = cluster().GetPersister(i)->RaftStateSize();
  Log_debug("test: peer %d snapshot through index %llu; Raft state %zu bytes", i,
            (unsigned long long)index, size);
  if (size >= kMaxRaftStateBytes) {
    ApplyError(Peer(i) + "'s persisted Raft state is " + U(size) + " bytes after Snapshot(" +
               U(index) + ", ...): the limit is " + U(kMaxRaftStateBytes) +
               " (Snapshot must drop the log entries through the index and save the shorter "
               "state with the snapshot)");
  }
}

void RaftTester::OnSnapshot(int i, uint64_t index, uint64_t term, const std::string& snapshot) {
  applied_->Set(applied_->value_ + 1);
  if (!apply_error_.empty()) return;
  const std::string what = Peer(i) + " received a snapshot through index " + U(index) +
                           " (term " + U(term) + ")";
  if (!snapshots_) {
    return ApplyError(what + ", but this test never takes snapshots (never calls Snapshot)");
  }
  uint64_t taken_at = 0;
  std::vector<std::string> cmds;
  std::string error;
  if (!DecodeSnapshot(snapshot, &taken_at, &cmds, &error)) {
    return ApplyError(what + " that is not a snapshot the service passed to Snapshot() (" +
                      U(snapshot.size()) + " bytes): " + error);
  }
  if (taken_at != index) {
    return ApplyError(what + ", but the service took that snapshot after applying index " +
                      U(taken_at));
  }
  if (index <= last_applied_[i]) {
    return ApplyError(what + " after it had applied index " + U(last_applied_[i]) +
                      ": its applied state would move back (a snapshot at or below what was "
                      "already applied, or committed, must be ignored)");
  }
  for (uint64_t k = 1; k <= index; k++) {
    auto was = ever_applied_.find(k);
    if (was != ever_applied_.end() && was->second != cmds[k - 1]) {
      return ApplyError(what + " holding " + Quote(cmds[k - 1]) + " at index " + U(k) + ", but " +
                        Quote(was->second) + " was applied there");
    }
  }
  auto& log = logs_[i];
  log.clear();
  for (uint64_t k = 1; k <= index; k++) {
    log.emplace_hint(log.end(), k, cmds[k - 1]);
    ever_applied_.emplace(k, cmds[k - 1]);
  }
  last_applied_[i] = index;
}

void RaftTester::CheckRaftStateSize(const char* file, int line) {
  CheckBackground();
  for (int i = 0; i < n(); i++) {
    const size_t size = cluster().GetPersister(i)->RaftStateSize();
    if (size >= kMaxRaftStateBytes) {
      Fail(Peer(i) + "'s persisted Raft state is " + U(size) + " bytes: the limit is " +
               U(kMaxRaftStateBytes) + " (the log must shrink at each snapshot)",
           file, line);
    }
  }
}

}  // namespace janus
