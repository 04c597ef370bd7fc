// KvTester's checks of what the replicas persist (see kv_tester.h): the size of each server's
// Raft state and snapshot, as MIT 6.5840's snapshot tests measure them (lab 3, part C).
#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "labs/harness/kv/kv_tester.h"
#include "rrr/base/verify.h"

namespace janus {

namespace {

// "s2: 9123 bytes, s0: 812 bytes, ...": each server's size, largest first.
std::string DescribeSizes(const std::vector<std::pair<size_t, std::string>>& by_server) {
  std::vector<std::pair<size_t, std::string>> sorted = by_server;
  std::stable_sort(sorted.begin(), sorted.end(),
                   [](const auto& a, const auto& b) { return a.first > b.first; });
  std::string out;
  for (const auto& s : sorted) {
    out += (out.empty() ? "" : ", ") + s.second + ": " + std::to_string(s.first) + " bytes";
  }
  return out;
}

}  // namespace

std::vector<std::pair<size_t, std::string>> KvTester::RaftStateSizes() {
  std::vector<std::pair<size_t, std::string>> out;
  for (int i = 0; i < n(); i++) {
    out.emplace_back(cluster().GetPersister(i)->RaftStateSize(), NodeName(i));
  }
  return out;
}

std::vector<std::pair<size_t, std::string>> KvTester::SnapshotSizes() {
  std::vector<std::pair<size_t, std::string>> out;
  for (int i = 0; i < n(); i++) {
    out.emplace_back(cluster().GetPersister(i)->SnapshotSize(), NodeName(i));
  }
  return out;
}

size_t KvTester::MaxRaftStateSize() {
  size_t most = 0;
  for (const auto& s : RaftStateSizes()) most = std::max(most, s.first);
  return most;
}

size_t KvTester::MaxSnapshotSize() {
  size_t most = 0;
  for (const auto& s : SnapshotSizes()) most = std::max(most, s.first);
  return most;
}

void KvTester::CheckRaftStateSize(const char* file, int line) {
  Step(file, line);
  verify_msg(maxraftstate_ > 0, "KvTester::CheckRaftStateSize needs a maxraftstate above 0");
  const size_t limit = 8 * static_cast<size_t>(maxraftstate_);
  const size_t most = MaxRaftStateSize();
  Note("largest Raft state " + std::to_string(most) + " bytes (limit " + std::to_string(limit) +
       ")");
  if (most <= limit) return;
  FailStep("logs were not trimmed: a server's Raft state is " + std::to_string(most) +
           " bytes, over 8 x maxraftstate = " + std::to_string(limit) + " (" +
           DescribeSizes(RaftStateSizes()) +
           "): once the Raft state reaches maxraftstate, the server must call "
           "raft->Snapshot(index, its state) and Raft must drop the entries it covers");
}

void KvTester::CheckSnapshotSize(size_t limit, const char* file, int line) {
  Step(file, line);
  const size_t most = MaxSnapshotSize();
  Note("largest snapshot " + std::to_string(most) + " bytes (limit " + std::to_string(limit) +
       ")");
  if (most <= limit) return;
  FailStep("snapshot too large: " + std::to_string(most) + " bytes, over " +
           std::to_string(limit) + " (" +
           DescribeSizes(SnapshotSizes()) +
           "): a snapshot should hold the map and the duplicate table, not the log");
}

void KvTester::CheckHasSnapshot(const std::vector<int>& servers, const std::string& why,
                                const char* file, int line) {
  Step(file, line);
  std::vector<int> without;
  for (int i : servers) {
    if (cluster().GetPersister(i)->SnapshotSize() == 0) without.push_back(i);
  }
  if (without.empty()) return;
  FailStep("no snapshot saved by " + ListNodes(without) + ": " + why);
}

void KvTester::CheckNoSnapshot(const char* file, int line) {
  Step(file, line);
  const size_t most = MaxSnapshotSize();
  if (most == 0) return;
  FailStep("a server saved a snapshot (" +
           DescribeSizes(SnapshotSizes()) +
           ") although maxraftstate is " + std::to_string(maxraftstate_) +
           ": with maxraftstate -1 a server never snapshots");
}

}  // namespace janus
