// ShardMasterTester's checks of configurations (see shardmaster_tester.h): validity, balance,
// minimal transfers, the answers of queries, and the agreement of the replicas.
#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "labs/harness/shardmaster/config_checks.h"
#include "labs/harness/shardmaster/shardmaster_tester.h"

namespace janus {

namespace {

std::string Describe(const ShardConfig& c) { return DescribeShardConfig(c); }

}  // namespace

void ShardMasterTester::CheckValid(const ShardConfig& c, const std::string& what, const char* file,
                                   int line) {
  Step(file, line);
  const std::string problem = ConfigValidityProblem(c);
  if (!problem.empty()) FailStep(what + ": invalid configuration: " + problem);
}

void ShardMasterTester::CheckBalanced(const ShardConfig& c, const std::string& what,
                                      const char* file, int line) {
  Step(file, line);
  const std::string problem = ConfigBalanceProblem(c);
  if (!problem.empty()) FailStep(what + ": " + problem);
}

void ShardMasterTester::CheckMinimalTransfer(const ShardConfig& before, const ShardConfig& after,
                                             const std::string& what, const char* file, int line) {
  Step(file, line);
  const std::string problem = TransferProblem(before, after);
  if (!problem.empty()) FailStep(what + ": " + problem);
}

void ShardMasterTester::CheckAnswer(const SmRequest& req, const ShardConfig& c,
                                    uint64_t known_at_start, const std::string& who) {
  const std::string what = who + ": " + req.Describe() + " answered config " +
                           std::to_string(c.num);
  CheckValid(c, what, step_file_, step_line_);
  if (req.num < 0 || static_cast<uint64_t>(req.num) > known_at_start) {
    // The latest (or, for a number above the latest, the latest at that time).
    if (req.num >= 0 && c.num > static_cast<uint64_t>(req.num)) {
      FailStep(what + ": a configuration numbered above the one asked for");
    }
    if (c.num < known_at_start) {
      FailStep(what + ", older than the latest: configuration " + std::to_string(known_at_start) +
               " existed before the query started (a stale answer: queries must go through "
               "the log too)\n  " + Describe(c));
    }
  } else if (c.num != static_cast<uint64_t>(req.num)) {
    FailStep(what + ", expected configuration " + std::to_string(req.num) +
             " (it exists: the latest was at least " + std::to_string(known_at_start) + ")");
  }
  auto it = seen_.find(c.num);
  if (it != seen_.end() && it->second != c) {
    FailStep(what + ", which differs from configuration " + std::to_string(c.num) +
             " as seen before (a configuration never changes once made)\n  before: " +
             Describe(it->second) + "\n  now:    " + Describe(c));
  }
  seen_[c.num] = c;
  known_latest_ = std::max(known_latest_, c.num);
}

ShardConfig ShardMasterTester::CheckGroups(SmTestClerk* ck, const std::vector<uint64_t>& gids,
                                           const char* file, int line) {
  const ShardConfig c = Query(ck, -1, file, line);
  Step(file, line);
  std::set<uint64_t> want(gids.begin(), gids.end()), have;
  for (const auto& g : c.groups) have.insert(g.first);
  if (want != have) {
    std::string w, h;
    for (uint64_t g : want) w += " " + std::to_string(g);
    for (uint64_t g : have) h += " " + std::to_string(g);
    FailStep("the latest configuration has groups {" + h + " }, expected {" + w + " }\n  " +
             Describe(c));
  }
  for (const auto& g : c.groups) {
    if (g.second != ServersOf(g.first)) {
      FailStep("group " + std::to_string(g.first) + " has " + std::to_string(g.second.size()) +
               " servers other than the ones it joined with\n  " + Describe(c));
    }
  }
  CheckBalanced(c, "the latest configuration", file, line);
  return c;
}

void ShardMasterTester::CheckHistory(SmTestClerk* ck, uint64_t latest, const char* file,
                                     int line) {
  ShardConfig prev = Query(ck, 0, file, line);
  for (uint64_t k = 1; k <= latest; k++) {
    const ShardConfig c = Query(ck, static_cast<int64_t>(k), file, line);
    if (c.groups != prev.groups) {
      CheckMinimalTransfer(prev, c, "configuration " + std::to_string(k), file, line);
    }
    prev = c;
  }
}

void ShardMasterTester::CheckReplicasAgree(const char* file, int line) {
  Step(file, line);
  int up = 0;
  for (int i = 0; i < n(); i++) up += IsUp(i) ? 1 : 0;
  if (2 * up <= n()) {
    Note("replica agreement not checked: only " + std::to_string(up) + " replicas are up");
    return;
  }
  ConnectAll();
  // A Query of this term, committed, makes every entry before it committed too.
  const ShardConfig latest = Query(MakeClerk(), -1, file, line);
  Step(file, line);
  const uint64_t deadline = Now() + 5 * kElectionTimeoutUs;
  while (true) {
    std::vector<std::pair<int, std::vector<ShardConfig>>> applied;
    for (int i = 0; i < n(); i++) {
      if (!IsUp(i)) continue;
      applied.emplace_back(i, cluster().At(i, [](ShardMasterNode& node) {
        return node.server().configs();
      }));
    }
    bool complete = true;
    for (const auto& a : applied) {
      const std::string who = NodeName(a.first);
      for (size_t k = 0; k < a.second.size(); k++) {
        const ShardConfig& c = a.second[k];
        if (c.num != k) {
          FailStep(who + "'s configuration at position " + std::to_string(k) + " is numbered " +
                   std::to_string(c.num) + " (configs() must be numbered 0, 1, 2, ...)");
        }
        CheckValid(c, who + "'s configuration " + std::to_string(k), file, line);
        const auto& first = applied.front();
        if (k < first.second.size() && first.second[k] != c) {
          FailStep("the replicas disagree on configuration " + std::to_string(k) + " (every "
                   "replica must compute the same one from the same commands: no randomness, no "
                   "iteration over unordered containers)\n  " + NodeName(first.first) + ": " +
                   Describe(first.second[k]) + "\n  " + who + ": " + Describe(c));
        }
      }
      if (a.second.size() != applied.front().second.size() || a.second.size() <= latest.num) {
        complete = false;
      }
    }
    // The replicas agree so far; and with the queries' answers?
    for (const auto& a : applied) {
      for (size_t k = 0; k < a.second.size(); k++) {
        auto seen = seen_.find(k);
        if (seen != seen_.end() && seen->second != a.second[k]) {
          FailStep(NodeName(a.first) + "'s configuration " + std::to_string(k) + " differs "
                   "from what a query returned (a configuration never changes once made)\n"
                   "  replica: " + Describe(a.second[k]) + "\n  query:   " +
                   Describe(seen->second));
        }
      }
    }
    if (complete) return;
    if (Now() >= deadline) {
      std::string counts;
      for (const auto& a : applied) {
        counts += (counts.empty() ? "" : ", ") + NodeName(a.first) + " " +
                  std::to_string(a.second.size());
      }
      FailStep("the replicas that are up did not all apply the same configurations within 5 s "
               "of healing (configurations applied: " + counts + "; the latest is " +
               std::to_string(latest.num) + ")");
    }
    Sleep(50 * 1000);
  }
}

}  // namespace janus
