// LinKeySearch::Fill: the result of a decided key, and for a key that is not linearizable the
// explanation of where the search got stuck (see lin_search.h).
#include <algorithm>

#include "labs/harness/checkers/lin_explain.h"
#include "labs/harness/checkers/lin_search.h"

namespace janus {
namespace harness {
namespace {

// Steps (and memory) the search without pruning may take to find a clearer explanation of a
// violation. Fixed, so that the explanation does not depend on the machine.
constexpr uint64_t kExplainSteps = 200000;
constexpr size_t kExplainBytes = size_t{64} << 20;
// Gets of an illegal key (the first, in call order) searched for a likely cause when the stuck
// ones show none.
constexpr size_t kCauseGets = 64;

std::string ShowTime(uint64_t us) {
  char buf[32];
  std::snprintf(buf, sizeof(buf), "%.3fs", static_cast<double>(us) / 1e6);
  return buf;
}

}  // namespace

// The operation, its arguments and answer (long values cut at the end, never in the middle).
std::string DescribeLinOp(const KvOp& op) {
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

void LinKeySearch::Fill(LinKeyResult* out, const std::function<bool()>& stop) {
  out->ops = ids_;
  const Attempt* chosen = decided_.get();
  std::unique_ptr<Attempt> explain;
  if (out->verdict == LinVerdict::kIllegal) {
    // Pruning stops the search early, at a point that is hard to explain (an Append refused
    // because of some later Get). A search without pruning usually gets further, up to the
    // operation that really went wrong (e.g. the stale Get): use it if it finishes quickly.
    explain = std::make_unique<Attempt>(kExplainBytes);
    if (Search(explain.get(), /*prune=*/false, kExplainSteps, stop) == LinSearchOutcome::kIllegal) {
      chosen = explain.get();
    }
  }
  out->steps = steps_;
  for (size_t k = 0; k < chosen->best.size(); k++) {
    out->best_order.push_back(ids_[chosen->best[k]]);
    out->best_values.push_back(chosen->values.Text(chosen->best_states[k]));
  }
  if (out->verdict == LinVerdict::kIllegal) ExplainStuck(*chosen, out);
}

// After the longest linearizable prefix, the operations that could come next and why none
// fits, and the likely cause: the first that a Get shows, trying the stuck Gets (those whose
// answer contradicts the value first), then every Get of the key in call order (the culprit
// may be a Get that the search fitted in by choosing another order).
void LinKeySearch::ExplainStuck(const Attempt& run, LinKeyResult* out) {
  std::vector<bool> placed(ids_.size(), false);
  std::vector<size_t> call_entry(ids_.size());
  for (size_t e = 1; e < entries_.size(); e++) {
    if (entries_[e].is_call) call_entry[entries_[e].op] = e;
  }
  for (size_t local : run.best) {
    placed[local] = true;
    Lift(call_entry[local]);
  }
  const std::string value = out->best_values.empty() ? "" : out->best_values.back();
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
    const KvOp& op = Op(i);
    std::string why;
    size_t contradicted = kNil;
    const std::string base = op.kind == KvOpKind::kAppend ? value : "";
    if (op.kind == KvOpKind::kGet && op.output != value) {
      why = "Get returned " + DescribeMismatch(op.output, value, appended);
      wrong_gets.push_back(i);
    } else if (op.kind != KvOpKind::kGet && base + op.value != value &&
               (contradicted = DisagreeingGet(base, pieces_[i], i)) != kNil) {
      const std::string next = base + op.value;
      why = "would make the value " +
            (next.size() <= kLinShortValue ? ShowKvHead(next)
                                           : std::to_string(next.size()) + " bytes long") +
            ", which " + DescribeLinOp(Op(contradicted)) + " cannot have seen later (it returned " +
            DescribeMismatch(Op(contradicted).output, next, appended) + ")";
      contradicted_gets.push_back(contradicted);
    } else {
      why = "can take effect here, but then the other operations cannot be linearized";
    }
    out->stuck.push_back(ids_[i]);
    out->stuck_reasons.push_back(why);
  }
  for (auto it = run.best.rbegin(); it != run.best.rend(); ++it) Unlift(call_entry[*it]);
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

}  // namespace harness
}  // namespace janus
