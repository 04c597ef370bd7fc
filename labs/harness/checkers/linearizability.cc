#include "labs/harness/checkers/linearizability.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <map>
#include <mutex>
#include <queue>
#include <thread>

#include "labs/harness/checkers/lin_explain.h"
#include "labs/harness/checkers/lin_search.h"

namespace janus {
namespace harness {
namespace {

using Clock = std::chrono::steady_clock;
constexpr size_t kNone = static_cast<size_t>(-1);
// Round r of a key's search may take kFirstRoundSteps * 4^r steps (no limit from round
// kLastLimitedRound on).
constexpr uint64_t kFirstRoundSteps = 20000;
constexpr int kLastLimitedRound = 16;
constexpr int kMaxThreads = 8;
// Histories with fewer operations are checked on the calling thread alone.
constexpr size_t kParallelMinOps = 256;

// The keys' searches, shared by the threads that run them: a queue of (round, key) tasks,
// smallest round first and then key order, and what stops a search early.
class KeyScheduler {
 public:
  KeyScheduler(const std::vector<KvOp>& ops, std::vector<LinKeyResult>* keys,
               const LinOptions& options, int threads, Clock::time_point start)
      : ops_(ops),
        keys_(*keys),
        has_deadline_(options.timeout_ms > 0),
        deadline_(start + std::chrono::milliseconds(options.timeout_ms)),
        settle_(std::chrono::milliseconds(options.settle_ms)),
        memory_share_(options.memory_limit_mb == 0
                          ? SIZE_MAX
                          : std::max<size_t>(options.memory_limit_mb << 20, size_t{1} << 20) /
                                static_cast<size_t>(threads)) {
    for (size_t k = 0; k < keys_.size(); k++) queue_.push(Task{0, k});
  }

  // Runs tasks until none is left; every thread calls it.
  void Work() {
    Task t;
    while (Next(&t)) {
      LinKeyResult& kr = keys_[t.key];
      LinUndecided why = LinUndecided::kNo;
      auto stop = [&] { return (why = StopReason(t.key)) != LinUndecided::kNo; };
      LinKeySearch search(ops_, kr.ops);
      const uint64_t max_steps =
          t.round >= kLastLimitedRound ? 0 : kFirstRoundSteps << (2 * t.round);
      const LinSearchOutcome outcome = search.Run(max_steps, memory_share_, stop);
      bool again = false;
      if (outcome == LinSearchOutcome::kOk || outcome == LinSearchOutcome::kIllegal) {
        kr.verdict = outcome == LinSearchOutcome::kOk ? LinVerdict::kOk : LinVerdict::kIllegal;
        if (kr.verdict == LinVerdict::kIllegal) FoundIllegal(t.key);
        // The explanation is not cut short by the clock (it must not depend on it), only
        // abandoned when a key before this one turned out NOT linearizable.
        search.Fill(&kr, [&] { return t.key > lowest_illegal_.load(); });
      } else if (outcome == LinSearchOutcome::kStepLimit) {
        why = StopReason(t.key);
        again = why == LinUndecided::kNo;
      } else if (outcome == LinSearchOutcome::kMemoryLimit) {
        why = LinUndecided::kMemoryLimit;
      }
      std::lock_guard<std::mutex> lock(mu_);
      if (again) {
        queue_.push(Task{t.round + 1, t.key});
      } else if (outcome != LinSearchOutcome::kOk && outcome != LinSearchOutcome::kIllegal) {
        MarkUndecided(t.key, why);
      }
      running_--;
      cv_.notify_all();
    }
  }

  // The first key (in key order) found NOT linearizable, or kNone.
  size_t lowest_illegal() const { return lowest_illegal_.load(); }

 private:
  struct Task {
    int round = 0;
    size_t key = 0;
    bool operator>(const Task& o) const { return round != o.round ? round > o.round : key > o.key; }
  };

  // Takes the next task to run, waiting while other threads may still add some; false when
  // all is done. Tasks that may not run any more leave their key undecided.
  bool Next(Task* out) {
    std::unique_lock<std::mutex> lock(mu_);
    for (;;) {
      while (!queue_.empty()) {
        const Task t = queue_.top();
        queue_.pop();
        const LinUndecided why = StopReason(t.key);
        if (why != LinUndecided::kNo) {
          MarkUndecided(t.key, why);
          continue;
        }
        *out = t;
        running_++;
        return true;
      }
      if (running_ == 0) return false;
      cv_.wait(lock);
    }
  }

  // Why the search of `key` must stop now, or kNo.
  LinUndecided StopReason(size_t key) const {
    const Clock::time_point now = Clock::now();
    if (has_deadline_ && now >= deadline_) return LinUndecided::kTimeLimit;
    const size_t low = lowest_illegal_.load();
    if (low == kNone || key == low) return LinUndecided::kNo;
    if (key > low) return LinUndecided::kNotNeeded;
    return now.time_since_epoch().count() >= settle_at_.load() ? LinUndecided::kSettled
                                                               : LinUndecided::kNo;
  }

  void FoundIllegal(size_t key) {
    size_t low = lowest_illegal_.load();
    while (key < low && !lowest_illegal_.compare_exchange_weak(low, key)) {
    }
    int64_t unset = INT64_MAX;
    settle_at_.compare_exchange_strong(unset, (Clock::now() + settle_).time_since_epoch().count());
  }

  void MarkUndecided(size_t key, LinUndecided why) {
    keys_[key].verdict = LinVerdict::kUnknown;
    keys_[key].undecided = why;
  }

  const std::vector<KvOp>& ops_;
  std::vector<LinKeyResult>& keys_;
  const bool has_deadline_;
  const Clock::time_point deadline_;
  const Clock::duration settle_;
  const size_t memory_share_;
  std::atomic<size_t> lowest_illegal_{kNone};
  std::atomic<int64_t> settle_at_{INT64_MAX};  // steady clock ticks; set with the first illegal
  std::mutex mu_;
  std::condition_variable cv_;
  std::priority_queue<Task, std::vector<Task>, std::greater<Task>> queue_;  // guarded by mu_
  int running_ = 0;                                                         // guarded by mu_
};

}  // namespace

const char* LinVerdictName(LinVerdict verdict) {
  switch (verdict) {
    case LinVerdict::kOk:
      return "linearizable";
    case LinVerdict::kIllegal:
      return "NOT linearizable";
    case LinVerdict::kUnknown:
      return "unknown (not decided)";
  }
  return "?";
}

std::string LinUndecidedReason(LinUndecided why) {
  switch (why) {
    case LinUndecided::kNo:
      return "";
    case LinUndecided::kTimeLimit:
      return "the time limit ran out";
    case LinUndecided::kMemoryLimit:
      return "the search reached its memory bound";
    case LinUndecided::kSettled:
      return "stopped once a later key was found NOT linearizable";
    case LinUndecided::kNotNeeded:
      return "not needed: an earlier key is NOT linearizable";
  }
  return "?";
}

std::string ShowKvValue(const std::string& value) { return ShowKvHead(value); }

LinResult CheckKvLinearizable(const std::vector<KvOp>& ops, const LinOptions& options) {
  const Clock::time_point start = Clock::now();
  LinResult result;
  std::map<std::string, std::vector<size_t>> by_key;
  for (size_t i = 0; i < ops.size(); i++) {
    if (!ops[i].returned && ops[i].kind == KvOpKind::kGet) continue;
    by_key[ops[i].key].push_back(i);
    result.checked_ops++;
  }
  for (auto& [key, ids] : by_key) {
    std::stable_sort(ids.begin(), ids.end(),
                     [&](size_t a, size_t b) { return ops[a].call < ops[b].call; });
    result.keys.emplace_back();
    result.keys.back().key = key;
    result.keys.back().ops = std::move(ids);
  }
  int threads = options.threads > 0
                    ? options.threads
                    : std::min<int>(kMaxThreads, std::max(1u, std::thread::hardware_concurrency()));
  threads = std::max(1, std::min<int>(threads, static_cast<int>(result.keys.size())));
  if (options.threads == 0 && result.checked_ops < kParallelMinOps) threads = 1;
  result.threads = threads;

  KeyScheduler scheduler(ops, &result.keys, options, threads, start);
  std::vector<std::thread> helpers;
  for (int t = 1; t < threads; t++) helpers.emplace_back([&scheduler] { scheduler.Work(); });
  scheduler.Work();
  for (std::thread& t : helpers) t.join();

  const size_t reported = scheduler.lowest_illegal();
  for (size_t k = 0; k < result.keys.size(); k++) {
    LinKeyResult& kr = result.keys[k];
    if (reported != kNone && k > reported) {
      // Whatever was found for it, the report must not depend on how far the threads got.
      LinKeyResult cleared;
      cleared.key = std::move(kr.key);
      cleared.ops = std::move(kr.ops);
      kr = std::move(cleared);
      kr.verdict = LinVerdict::kUnknown;
      kr.undecided = LinUndecided::kNotNeeded;
    } else if (kr.verdict == LinVerdict::kUnknown) {
      result.undecided.push_back(kr.key);
    }
  }
  result.verdict = reported != kNone           ? LinVerdict::kIllegal
                   : !result.undecided.empty() ? LinVerdict::kUnknown
                                               : LinVerdict::kOk;
  result.elapsed_us = static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(Clock::now() - start).count());
  return result;
}

std::string LinResult::Summary(const std::vector<KvOp>& ops) const {
  std::string s = "linearizability: " + std::string(LinVerdictName(verdict)) + " (" +
                  std::to_string(checked_ops) + " operations on " + std::to_string(keys.size()) +
                  " keys)";
  for (const LinKeyResult& k : keys) {
    if (k.verdict != LinVerdict::kIllegal) continue;
    s += "\n  key " + ShowKvValue(k.key) + ": at most " + std::to_string(k.best_order.size()) +
         " of its " + std::to_string(k.ops.size()) +
         " operations linearize; after them none of these fits:";
    for (size_t i = 0; i < k.stuck.size(); i++) {
      s += "\n    " + DescribeLinOp(ops[k.stuck[i]]) + ": " + k.stuck_reasons[i];
    }
    if (!k.likely_cause.empty()) s += "\n  likely cause: " + k.likely_cause;
  }
  for (const LinKeyResult& k : keys) {
    if (k.verdict != LinVerdict::kUnknown || k.undecided == LinUndecided::kNotNeeded) continue;
    s += "\n  key " + ShowKvValue(k.key) + ": not decided (" + std::to_string(k.ops.size()) +
         " operations): " + LinUndecidedReason(k.undecided);
  }
  return s;
}

}  // namespace harness
}  // namespace janus
