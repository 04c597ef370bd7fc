#include "labs/harness/checkers/linearizability.h"

#include <algorithm>
#include <chrono>
#include <map>
#include <set>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "labs/harness/checkers/lin_explain.h"

namespace janus {
namespace harness {
namespace {

using SteadyClock = std::chrono::steady_clock;
constexpr size_t kNil = static_cast<size_t>(-1);
// The deadline is checked every this many search steps.
constexpr uint64_t kStepsPerClockCheck = 1024;
// Pruning looks ahead at most this many pending Gets, and this many list entries.
constexpr int kLookaheadGets = 16;
constexpr int kLookaheadEntries = 512;
// Steps the search without pruning may take to find a clearer explanation of a violation.
constexpr uint64_t kExplainSteps = 200000;
// Gets of an illegal key (the first, in call order) searched for a likely cause when the stuck
// ones show none.
constexpr size_t kCauseGets = 64;

std::string ShowTime(uint64_t us) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.3fs", static_cast<double>(us) / 1e6);
  return buf;
}

// The operation, its arguments and answer (long values cut at the end, never in the middle).
std::string DescribeOp(const KvOp& op) {
  std::string s = "client " + std::to_string(op.client) + " " + KvOpKindName(op.kind) + "(" +
                  ShowKvHead(op.key);
  if (op.kind == KvOpKind::kGet) {
    s += ") -> " + ShowKvHead(op.output);
  } else {
    s += ", " + ShowKvHead(op.value) + ")";
  }
  s += " [call " + ShowTime(op.call_us) + ", return " +
       (op.returned ? ShowTime(op.return_us) : std::string("never")) + "]";
  return s;
}

// A set of operations placed so far, plus the model state reached: one node of the search.
struct CacheKey {
  std::vector<uint64_t> bits;
  int state;
  bool operator==(const CacheKey& o) const { return state == o.state && bits == o.bits; }
};

struct CacheKeyHash {
  size_t operator()(const CacheKey& k) const {
    uint64_t h = 0x9e3779b97f4a7c15ull ^ static_cast<uint64_t>(k.state);
    for (uint64_t w : k.bits) {
      h ^= w + 0x9e3779b97f4a7c15ull + (h << 6) + (h >> 2);
    }
    return static_cast<size_t>(h);
  }
};

// The search over the operations of one key.
class KeySearch {
 public:
  KeySearch(const std::vector<KvOp>& all, std::vector<size_t> ids, SteadyClock::time_point deadline,
            bool has_deadline)
      : all_(all), ids_(std::move(ids)), deadline_(deadline), has_deadline_(has_deadline) {
    BuildEntries();
    Intern("");
  }

  // Runs the search and fills *out (except out->key).
  void Run(LinKeyResult* out) {
    out->ops = ids_;
    out->verdict = Search(&out->steps, /*prune=*/true, /*max_steps=*/0);
    if (out->verdict == LinVerdict::kIllegal) {
      // Pruning stops the search early, at a point that is hard to explain (an Append refused
      // because of some later Get). A search without pruning usually gets further, up to the
      // operation that really went wrong (e.g. the stale Get): use it if it finishes quickly.
      std::vector<size_t> pruned_best = best_;
      std::vector<int> pruned_states = best_states_;
      best_.clear();
      best_states_.clear();
      uint64_t extra = 0;
      if (Search(&extra, /*prune=*/false, kExplainSteps) != LinVerdict::kIllegal) {
        best_ = pruned_best;
        best_states_ = pruned_states;
      }
      out->steps += extra;
    }
    for (size_t local : best_) {
      out->best_order.push_back(ids_[local]);
      out->best_values.push_back(states_[best_states_[out->best_order.size() - 1]]);
    }
    if (out->verdict == LinVerdict::kIllegal) ExplainStuck(out);
  }

 private:
  struct Entry {
    bool is_call;
    size_t op;     // local operation index
    size_t match;  // the other entry of the same operation
    uint64_t point;
  };

  const KvOp& Op(size_t local) const { return all_[ids_[local]]; }
  uint64_t RetPoint(size_t local) const { return Op(local).returned ? Op(local).ret : UINT64_MAX; }

  // Entries 1..2n in (point, calls before returns, operation) order, linked after head 0.
  void BuildEntries() {
    const size_t n = ids_.size();
    std::vector<Entry> raw;
    for (size_t i = 0; i < n; i++) {
      raw.push_back(Entry{true, i, 0, Op(i).call});
      raw.push_back(Entry{false, i, 0, RetPoint(i)});
    }
    std::sort(raw.begin(), raw.end(), [](const Entry& a, const Entry& b) {
      if (a.point != b.point) return a.point < b.point;
      if (a.is_call != b.is_call) return a.is_call;
      return a.op < b.op;
    });
    entries_.assign(1, Entry{false, kNil, kNil, 0});  // head sentinel
    std::vector<size_t> call_at(n), ret_at(n);
    for (const Entry& e : raw) {
      (e.is_call ? call_at : ret_at)[e.op] = entries_.size();
      entries_.push_back(e);
    }
    for (size_t i = 0; i < n; i++) {
      entries_[call_at[i]].match = ret_at[i];
      entries_[ret_at[i]].match = call_at[i];
    }
    for (size_t i = 0; i < n; i++) {
      if (Op(i).kind == KvOpKind::kPut) pending_puts_.insert({Op(i).call, i});
    }
    next_.resize(entries_.size());
    prev_.resize(entries_.size());
    for (size_t i = 0; i < entries_.size(); i++) {
      next_[i] = i + 1 < entries_.size() ? i + 1 : kNil;
      prev_[i] = i == 0 ? kNil : i - 1;
    }
  }

  // Pruning: a value that no pending Get can still observe is a dead end. A pending Get g will
  // be linearized after everything placed so far; if no pending Put can come before it (every
  // pending Put was called after g returned), only Appends separate the current value from
  // g's answer, so the value must be a prefix of what g returned. Checks the first few pending
  // Gets in time order; `placing` is the operation about to be placed (not pending any more).
  bool FutureGetsAgree(int state, size_t placing) const {
    return DisagreeingGet(state, placing) == kNil;
  }
  // The first pending Get (of those checked) that contradicts `state`, or kNil.
  size_t DisagreeingGet(int state, size_t placing) const {
    const std::string& value = states_[state];
    uint64_t put_limit = UINT64_MAX;  // earliest call of a pending Put
    for (const auto& p : pending_puts_) {
      if (p.second != placing) {
        put_limit = p.first;
        break;
      }
    }
    int gets = 0, scanned = 0;
    for (size_t e = next_[0]; e != kNil && gets < kLookaheadGets && scanned < kLookaheadEntries;
         e = next_[e], scanned++) {
      const Entry& en = entries_[e];
      if (!en.is_call || en.op == placing || Op(en.op).kind != KvOpKind::kGet) continue;
      gets++;
      if (RetPoint(en.op) >= put_limit) continue;  // a Put may still come before it
      const std::string& seen = Op(en.op).output;
      if (seen.size() < value.size() || seen.compare(0, value.size(), value) != 0) return en.op;
    }
    return kNil;
  }

  void Unlink(size_t e) {
    next_[prev_[e]] = next_[e];
    if (next_[e] != kNil) prev_[next_[e]] = prev_[e];
  }
  void Relink(size_t e) {
    next_[prev_[e]] = e;
    if (next_[e] != kNil) prev_[next_[e]] = e;
  }
  // Removes an operation (its call entry and its return entry) from the list; Unlift undoes it.
  void Lift(size_t call) {
    Unlink(call);
    Unlink(entries_[call].match);
    const size_t op = entries_[call].op;
    if (Op(op).kind == KvOpKind::kPut) pending_puts_.erase({Op(op).call, op});
  }
  void Unlift(size_t call) {
    Relink(entries_[call].match);
    Relink(call);
    const size_t op = entries_[call].op;
    if (Op(op).kind == KvOpKind::kPut) pending_puts_.insert({Op(op).call, op});
  }

  int Intern(const std::string& s) {
    auto it = state_ids_.find(s);
    if (it != state_ids_.end()) return it->second;
    const int id = static_cast<int>(states_.size());
    states_.push_back(s);
    state_ids_.emplace(s, id);
    return id;
  }

  // The KV model: the value after `op` from `state`, or false if the op's answer contradicts it.
  bool Apply(int state, size_t local, int* next) {
    const KvOp& op = Op(local);
    switch (op.kind) {
      case KvOpKind::kGet:
        *next = state;
        return op.output == states_[state];
      case KvOpKind::kPut:
        *next = Intern(op.value);
        return true;
      case KvOpKind::kAppend:
        *next = Intern(states_[state] + op.value);
        return true;
    }
    return false;
  }

  // Depth-first search for a linearization (see the file comment of linearizability.h). With
  // max_steps > 0 it gives up (kUnknown) after that many steps.
  LinVerdict Search(uint64_t* steps, bool prune, uint64_t max_steps) {
    struct Frame {
      size_t call;     // call entry of the operation placed
      int prev_state;  // state before it
    };
    std::vector<uint64_t> bits((ids_.size() + 63) / 64, 0);
    std::unordered_set<CacheKey, CacheKeyHash> cache;
    std::vector<Frame> stack;
    int state = 0;
    size_t cur = next_[0];
    while (next_[0] != kNil) {
      if (++*steps % kStepsPerClockCheck == 0 && has_deadline_ && SteadyClock::now() >= deadline_) {
        return Abandon(&stack);
      }
      if (max_steps > 0 && *steps > max_steps) return Abandon(&stack);
      const Entry& e = entries_[cur];
      if (e.is_call) {
        int next_state;
        if (Apply(state, e.op, &next_state) &&
            (!prune || next_state == state || FutureGetsAgree(next_state, e.op))) {
          bits[e.op / 64] |= uint64_t{1} << (e.op % 64);
          if (cache.insert(CacheKey{bits, next_state}).second) {
            stack.push_back(Frame{cur, state});
            state = next_state;
            Lift(cur);
            if (stack.size() > best_.size()) {
              best_.clear();
              best_states_.clear();
              for (size_t k = 0; k < stack.size(); k++) {
                best_.push_back(entries_[stack[k].call].op);
                best_states_.push_back(k + 1 < stack.size() ? stack[k + 1].prev_state : state);
              }
            }
            cur = next_[0];
            continue;
          }
          bits[e.op / 64] &= ~(uint64_t{1} << (e.op % 64));
        }
        cur = next_[cur];
      } else {
        // An operation returned before any choice placed it: undo the latest choice.
        if (stack.empty()) return LinVerdict::kIllegal;
        const Frame f = stack.back();
        stack.pop_back();
        const size_t op = entries_[f.call].op;
        bits[op / 64] &= ~(uint64_t{1} << (op % 64));
        state = f.prev_state;
        Unlift(f.call);
        cur = next_[f.call];
      }
    }
    return LinVerdict::kOk;
  }

  // Gives up a search: undoes the choices still on the stack (restoring the list for another
  // search) and returns kUnknown.
  template <typename Stack>
  LinVerdict Abandon(Stack* stack) {
    while (!stack->empty()) {
      Unlift(stack->back().call);
      stack->pop_back();
    }
    return LinVerdict::kUnknown;
  }

  // After the longest linearizable prefix, the operations that could come next and why none
  // fits, and the likely cause: the first that a Get shows, trying the stuck Gets (those whose
  // answer contradicts the value first), then every Get of the key in call order (the culprit
  // may be a Get that the search fitted in by choosing another order).
  void ExplainStuck(LinKeyResult* out) {
    std::vector<bool> placed(ids_.size(), false);
    std::vector<size_t> call_entry(ids_.size());
    for (size_t e = 1; e < entries_.size(); e++) {
      if (entries_[e].is_call) call_entry[entries_[e].op] = e;
    }
    for (size_t local : best_) {
      placed[local] = true;
      Lift(call_entry[local]);
    }
    const int state = best_.empty() ? 0 : best_states_.back();
    std::vector<std::string> appended;  // the key's Append texts, to align diffs on
    for (size_t i = 0; i < ids_.size(); i++) {
      if (Op(i).kind == KvOpKind::kAppend) appended.push_back(Op(i).value);
    }
    std::vector<size_t> wrong_gets, contradicted_gets;
    uint64_t min_ret = UINT64_MAX;
    for (size_t i = 0; i < ids_.size(); i++) {
      if (!placed[i]) min_ret = std::min(min_ret, RetPoint(i));
    }
    for (size_t i = 0; i < ids_.size(); i++) {
      if (placed[i] || Op(i).call > min_ret) continue;
      int next_state;
      std::string why;
      size_t contradicted = kNil;
      if (!Apply(state, i, &next_state)) {
        why = "Get returned " + DescribeMismatch(Op(i).output, states_[state], appended);
        wrong_gets.push_back(i);
      } else if (next_state != state && (contradicted = DisagreeingGet(next_state, i)) != kNil) {
        const std::string& value = states_[next_state];
        why = "would make the value " +
              (value.size() <= kLinShortValue ? ShowKvHead(value)
                                              : std::to_string(value.size()) + " bytes long") +
              ", which " + DescribeOp(Op(contradicted)) + " cannot have seen later (it returned " +
              DescribeMismatch(Op(contradicted).output, value, appended) + ")";
        contradicted_gets.push_back(contradicted);
      } else {
        why = "can take effect here, but then the other operations cannot be linearized";
      }
      out->stuck.push_back(ids_[i]);
      out->stuck_reasons.push_back(why);
    }
    for (auto it = best_.rbegin(); it != best_.rend(); ++it) Unlift(call_entry[*it]);
    wrong_gets.insert(wrong_gets.end(), contradicted_gets.begin(), contradicted_gets.end());
    for (size_t i : wrong_gets) {
      out->likely_cause = LikelyCause(all_, ids_, out->best_order, out->best_values, ids_[i]);
      if (!out->likely_cause.empty()) return;
    }
    size_t tried = 0;
    for (size_t i = 0; i < ids_.size() && out->likely_cause.empty() && tried < kCauseGets; i++) {
      if (Op(i).kind != KvOpKind::kGet) continue;
      out->likely_cause = LikelyCause(all_, ids_, {}, {}, ids_[i]);
      tried++;
    }
  }

  const std::vector<KvOp>& all_;
  const std::vector<size_t> ids_;
  const SteadyClock::time_point deadline_;
  const bool has_deadline_;
  std::vector<Entry> entries_;
  std::vector<size_t> next_, prev_;
  std::set<std::pair<uint64_t, size_t>> pending_puts_;  // (call point, op) of unplaced Puts
  std::vector<std::string> states_;
  std::unordered_map<std::string, int> state_ids_;
  std::vector<size_t> best_;      // local ops of the longest prefix found
  std::vector<int> best_states_;  // state after each of them
};

}  // namespace

const char* LinVerdictName(LinVerdict verdict) {
  switch (verdict) {
    case LinVerdict::kOk:
      return "linearizable";
    case LinVerdict::kIllegal:
      return "NOT linearizable";
    case LinVerdict::kUnknown:
      return "unknown (timed out)";
  }
  return "?";
}

std::string ShowKvValue(const std::string& value) { return ShowKvHead(value); }

LinResult CheckKvLinearizable(const std::vector<KvOp>& ops, const LinOptions& options) {
  const SteadyClock::time_point start = SteadyClock::now();
  const SteadyClock::time_point deadline = start + std::chrono::milliseconds(options.timeout_ms);
  LinResult result;
  std::map<std::string, std::vector<size_t>> by_key;
  for (size_t i = 0; i < ops.size(); i++) {
    if (!ops[i].returned && ops[i].kind == KvOpKind::kGet) continue;
    by_key[ops[i].key].push_back(i);
    result.checked_ops++;
  }
  bool unknown = false, illegal = false;
  for (auto& [key, ids] : by_key) {
    std::stable_sort(ids.begin(), ids.end(),
                     [&](size_t a, size_t b) { return ops[a].call < ops[b].call; });
    LinKeyResult kr;
    kr.key = key;
    if (illegal || unknown) {
      // Stop at the first key that is not linearizable or not decided; the rest stay kUnknown
      // unless the verdict is already settled as illegal.
      kr.verdict = LinVerdict::kUnknown;
      kr.ops = ids;
    } else {
      KeySearch search(ops, ids, deadline, options.timeout_ms > 0);
      search.Run(&kr);
    }
    if (kr.verdict == LinVerdict::kIllegal) illegal = true;
    if (kr.verdict == LinVerdict::kUnknown) unknown = true;
    result.keys.push_back(std::move(kr));
  }
  result.verdict = illegal   ? LinVerdict::kIllegal
                   : unknown ? LinVerdict::kUnknown
                             : LinVerdict::kOk;
  result.elapsed_us = static_cast<uint64_t>(
      std::chrono::duration_cast<std::chrono::microseconds>(SteadyClock::now() - start).count());
  return result;
}

std::string LinResult::Summary(const std::vector<KvOp>& ops) const {
  std::string s = "linearizability: " + std::string(LinVerdictName(verdict)) + " (" +
                  std::to_string(checked_ops) + " operations on " + std::to_string(keys.size()) +
                  " keys, checked in " + ShowTime(elapsed_us) + ")";
  for (const LinKeyResult& k : keys) {
    if (k.verdict == LinVerdict::kUnknown && verdict == LinVerdict::kUnknown) {
      s += "\n  key " + ShowKvValue(k.key) + ": not decided (" + std::to_string(k.ops.size()) +
           " operations)";
    }
    if (k.verdict != LinVerdict::kIllegal) continue;
    s += "\n  key " + ShowKvValue(k.key) + ": at most " + std::to_string(k.best_order.size()) +
         " of its " + std::to_string(k.ops.size()) +
         " operations linearize; after them none of these fits:";
    for (size_t i = 0; i < k.stuck.size(); i++) {
      s += "\n    " + DescribeOp(ops[k.stuck[i]]) + ": " + k.stuck_reasons[i];
    }
    if (!k.likely_cause.empty()) s += "\n  likely cause: " + k.likely_cause;
  }
  return s;
}

}  // namespace harness
}  // namespace janus
