// TxnTester (txn_tester.h): the placement helpers (which group serves a key, keys on a given
// group, assertions of the placement a test assumes) and the serializability check.
#include <unistd.h>

#include <set>

#include "labs/harness/checkers/ser_html.h"
#include "labs/harness/checkers/serializability.h"
#include "labs/harness/core/graded_test.h"
#include "labs/harness/core/watchdog.h"
#include "labs/harness/txn/txn_tester.h"
#include "rrr/base/logging.h"

namespace janus {

namespace {

// The HTML report of the running test: in the current directory, named after the test.
std::string ReportPath() {
  std::string name = "txn-serializability.html";
  if (const harness::TestEnv* env = harness::CurrentEnvOrNull()) {
    name = "ser-" + env->info().full_name() + "-" + harness::NetModeName(env->net()) + "-seed" +
           std::to_string(env->iteration_seed()) + ".html";
  }
  char cwd[4096];
  if (getcwd(cwd, sizeof(cwd)) == nullptr) return name;
  return std::string(cwd) + "/" + name;
}

}  // namespace

int TxnTester::GroupOf(const std::string& key) const {
  const uint64_t gid = config_.shards.at(KeyToShard(key));
  for (int g = 0; g < static_cast<int>(groups_.size()); g++) {
    if (Gid(g) == gid) return g;
  }
  return -1;
}

std::string TxnTester::KeyOnGroup(int g, const std::string& suffix) const {
  for (char c = 'a'; c <= 'z'; c++) {
    const std::string key = std::string(1, c) + suffix;
    if (GroupOf(key) == g) return key;
  }
  verify_msg(false, "TxnTester::KeyOnGroup: the group serves no shard");
  return "";
}

void TxnTester::AssertSameShard(const std::vector<std::string>& keys, const char* file, int line) {
  for (const std::string& k : keys) {
    if (KeyToShard(k) != KeyToShard(keys.front())) {
      Fail("test setup: keys \"" + keys.front() + "\" and \"" + k + "\" are in shards " +
               std::to_string(KeyToShard(keys.front())) + " and " +
               std::to_string(KeyToShard(k)) + ", the test assumes one shard",
           file, line);
    }
  }
}

void TxnTester::AssertDifferentGroups(const std::vector<std::string>& keys, const char* file,
                                      int line) {
  std::set<int> seen;
  for (const std::string& k : keys) {
    const int g = GroupOf(k);
    if (g < 0 || !seen.insert(g).second) {
      Fail("test setup: key \"" + k + "\" is served by group " +
               (g < 0 ? std::string("(none)") : std::to_string(Gid(g))) +
               ", the test assumes each key on a different group (" +
               DescribeShardConfig(config_) + ")",
           file, line);
    }
  }
}

void TxnTester::CheckSerializable(const char* file, int line) {
  harness::SerResult r;
  {
    harness::Watchdog::LongStep long_step;
    r = harness::CheckSerializable(history_.txns());
  }
  if (r.ok) {
    Log_info("txn test: serializable: %zu committed, %zu aborted, %zu unknown (%zu included)",
             r.counts.committed, r.counts.aborted,
             r.counts.unknown_included + r.counts.unknown_dropped, r.counts.unknown_included);
    return;
  }
  std::string title = "transaction history";
  if (const harness::TestEnv* env = harness::CurrentEnvOrNull()) {
    title = env->info().full_name() + " (" + harness::NetModeName(env->net()) + ", seed " +
            std::to_string(env->iteration_seed()) + ")";
  }
  const std::string path = ReportPath();
  std::string error;
  const bool written =
      harness::WriteSerializabilityHtml(path, title, history_.txns(), r, &error);
  Fail("not serializable: " + r.explanation + "\n  the cycle and its transactions drawn in: " +
           (written ? path : "(report not written: " + error + ")"),
       file, line);
}

}  // namespace janus
