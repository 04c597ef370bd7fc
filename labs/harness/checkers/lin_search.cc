#include "labs/harness/checkers/lin_search.h"

#include <algorithm>
#include <cstring>

namespace janus {
namespace harness {
namespace {

// `stop` is asked every this many search steps.
constexpr uint64_t kStepsPerPoll = 1024;
// Pruning looks ahead at most this many pending Gets, this many list entries, and for each
// Get this many pending Puts that may come before it.
constexpr int kLookaheadGets = 16;
constexpr int kLookaheadEntries = 512;
constexpr int kLookaheadPuts = 16;
// The value id that stands for every dead value in the visited set (LinValues never gives it).
constexpr uint32_t kDeadValue = LinValues::kFull - 1;

// `text` starts with `base` followed by `piece`.
bool StartsWith(const std::string& text, const std::string& base, const LinPiece& piece) {
  return text.size() >= base.size() + piece.len && text.compare(0, base.size(), base) == 0 &&
         std::memcmp(text.data() + base.size(), piece.data, piece.len) == 0;
}

}  // namespace

LinKeySearch::LinKeySearch(const std::vector<KvOp>& all, std::vector<size_t> ids)
    : all_(all), ids_(std::move(ids)) {
  for (size_t i = 0; i < ids_.size(); i++) {
    pieces_.push_back(MakeLinPiece(Op(i).value));
    if (Op(i).kind == KvOpKind::kGet) outputs_.push_back(&Op(i).output);
  }
  auto less = [](const std::string* a, const std::string* b) { return *a < *b; };
  std::sort(outputs_.begin(), outputs_.end(), less);
  outputs_.erase(std::unique(outputs_.begin(), outputs_.end(),
                             [](const std::string* a, const std::string* b) { return *a == *b; }),
                 outputs_.end());
  BuildEntries();
}

// The outputs starting with `value` are a run in sorted order beginning at the first output
// not less than `value`.
bool LinKeySearch::Observable(const std::string& value) const {
  auto it = std::lower_bound(outputs_.begin(), outputs_.end(), &value,
                             [](const std::string* a, const std::string* b) { return *a < *b; });
  return it != outputs_.end() && (*it)->compare(0, value.size(), value) == 0;
}

LinKeySearch::~LinKeySearch() = default;

// Entries 1..2n in (point, calls before returns, operation) order, linked after head 0.
void LinKeySearch::BuildEntries() {
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
  calls_before_.assign(1, 0);
  std::vector<size_t> call_at(n), ret_at(n);
  for (const Entry& e : raw) {
    (e.is_call ? call_at : ret_at)[e.op] = entries_.size();
    calls_before_.push_back(calls_before_.back() + (entries_.back().is_call ? 1 : 0));
    entries_.push_back(e);
  }
  for (size_t i = 0; i < n; i++) {
    entries_[call_at[i]].match = ret_at[i];
    entries_[ret_at[i]].match = call_at[i];
  }
  next_.resize(entries_.size());
  prev_.resize(entries_.size());
  for (size_t i = 0; i < entries_.size(); i++) {
    next_[i] = i + 1 < entries_.size() ? i + 1 : kNil;
    prev_[i] = i == 0 ? kNil : i - 1;
  }
  // Local ops are in call order, so the Puts' list is in call order too.
  put_next_.assign(n + 1, kNil);
  put_prev_.assign(n + 1, kNil);
  size_t last = 0;
  for (size_t i = 0; i < n; i++) {
    if (Op(i).kind != KvOpKind::kPut) continue;
    put_next_[last] = i + 1;
    put_prev_[i + 1] = last;
    last = i + 1;
  }
}

void LinKeySearch::Unlink(size_t e) {
  next_[prev_[e]] = next_[e];
  if (next_[e] != kNil) prev_[next_[e]] = prev_[e];
}

void LinKeySearch::Relink(size_t e) {
  next_[prev_[e]] = e;
  if (next_[e] != kNil) prev_[next_[e]] = e;
}

// Removes an operation (its call entry and its return entry, and a Put from the Puts' list);
// Unlift undoes it (in reverse order of Lifts).
void LinKeySearch::Lift(size_t call) {
  Unlink(call);
  Unlink(entries_[call].match);
  const size_t p = entries_[call].op + 1;
  if (Op(p - 1).kind == KvOpKind::kPut) {
    put_next_[put_prev_[p]] = put_next_[p];
    if (put_next_[p] != kNil) put_prev_[put_next_[p]] = put_prev_[p];
  }
}

void LinKeySearch::Unlift(size_t call) {
  Relink(entries_[call].match);
  Relink(call);
  const size_t p = entries_[call].op + 1;
  if (Op(p - 1).kind == KvOpKind::kPut) {
    put_next_[put_prev_[p]] = p;
    if (put_next_[p] != kNil) put_prev_[put_next_[p]] = p;
  }
}

// Pruning: a value that no pending Get can still observe is a dead end. A pending Get g will be
// linearized after everything placed so far, and between now and g only pending operations
// called before g returned can take effect: Appends, which extend the value, and Puts, which
// replace it. So g's answer must start with the new value, or with the value of such a Put.
size_t LinKeySearch::DisagreeingGet(const std::string& base, const LinPiece& piece,
                                    size_t placing) const {
  int gets = 0, scanned = 0;
  for (size_t e = next_[0]; e != kNil && gets < kLookaheadGets && scanned < kLookaheadEntries;
       e = next_[e], scanned++) {
    const Entry& en = entries_[e];
    if (!en.is_call || en.op == placing || Op(en.op).kind != KvOpKind::kGet) continue;
    gets++;
    const std::string& seen = Op(en.op).output;
    if (StartsWith(seen, base, piece)) continue;
    const uint64_t g_ret = RetPoint(en.op);
    bool put_fits = false;
    int puts = 0;
    for (size_t p = put_next_[0]; p != kNil && !put_fits; p = put_next_[p]) {
      if (Op(p - 1).call > g_ret) break;  // called after g returned: cannot come before it
      if (p - 1 == placing) continue;
      put_fits = ++puts > kLookaheadPuts || StartsWith(seen, "", pieces_[p - 1]);
    }
    if (!put_fits) return en.op;
  }
  return kNil;
}

LinSearchOutcome LinKeySearch::Run(uint64_t max_steps, size_t memory_bytes,
                                   const std::function<bool()>& stop) {
  steps_ = 0;
  decided_.reset();
  auto run = std::make_unique<Attempt>(memory_bytes);
  const LinSearchOutcome outcome = Search(run.get(), /*prune=*/true, max_steps, stop);
  if (outcome == LinSearchOutcome::kOk || outcome == LinSearchOutcome::kIllegal) {
    decided_ = std::move(run);
  }
  return outcome;
}

// Depth-first search for a linearization (see the file comment of linearizability.h). Leaves
// the lists as it found them.
LinSearchOutcome LinKeySearch::Search(Attempt* run, bool prune, uint64_t max_steps,
                                      const std::function<bool()>& stop) {
  std::vector<Frame> stack;
  LinValues::Id state = LinValues::kEmpty;
  text_.clear();
  bool dead = !Observable(text_);
  std::string candidate;  // scratch: the value an Append would make
  LinSearchOutcome outcome = LinSearchOutcome::kOk;
  size_t cur = next_[0];
  uint64_t steps = 0;
  while (next_[0] != kNil) {
    if (++steps % kStepsPerPoll == 0 && stop && stop()) {
      outcome = LinSearchOutcome::kStopped;
      break;
    }
    if (max_steps > 0 && steps > max_steps) {
      outcome = LinSearchOutcome::kStepLimit;
      break;
    }
    const Entry& e = entries_[cur];
    if (!e.is_call) {
      // An operation returned before any choice placed it: undo the latest choice.
      if (stack.empty()) {
        outcome = LinSearchOutcome::kIllegal;
        break;
      }
      const Frame f = stack.back();
      stack.pop_back();
      const KvOpKind kind = Op(entries_[f.call].op).kind;
      if (kind == KvOpKind::kAppend) text_.resize(f.prev_len);
      if (kind == KvOpKind::kPut) text_ = run->values.Text(f.prev_state);
      state = f.prev_state;
      dead = f.prev_dead;
      Unlift(f.call);
      cur = next_[f.call];
      continue;
    }
    const KvOp& op = Op(e.op);
    const LinPiece& piece = pieces_[e.op];
    LinValues::Id next_state = state;
    bool next_dead = dead;
    if (op.kind == KvOpKind::kGet) {
      if (dead || op.output != text_) {
        cur = next_[cur];
        continue;
      }
    } else {
      const bool put = op.kind == KvOpKind::kPut;
      if (prune && DisagreeingGet(put ? std::string() : text_, piece, e.op) != kNil) {
        cur = next_[cur];
        continue;
      }
      next_state = run->values.Append(put ? LinValues::kEmpty : state, piece);
      if (next_state == LinValues::kFull) {
        outcome = LinSearchOutcome::kMemoryLimit;
        break;
      }
      if (put || !dead) {
        candidate.assign(put ? std::string() : text_);
        candidate.append(piece.data, piece.len);
        next_dead = !Observable(candidate);
      }
    }
    Lift(cur);
    // The node reached: the placed set is the first calls_before_[F] operations (F: the first
    // return still in the list) except the calls still in the list before F.
    unplaced_.clear();
    size_t f = next_[0];
    while (f != kNil && entries_[f].is_call) {
      unplaced_.push_back(static_cast<uint32_t>(entries_[f].op));
      f = next_[f];
    }
    const uint32_t window = f == kNil ? static_cast<uint32_t>(ids_.size()) : calls_before_[f];
    // All dead values are one node (see Observable).
    const LinVisited::Result r =
        run->visited.Insert(next_dead ? kDeadValue : next_state, window, unplaced_);
    if (r != LinVisited::kNew) {
      Unlift(cur);
      if (r == LinVisited::kFull) {
        outcome = LinSearchOutcome::kMemoryLimit;
        break;
      }
      cur = next_[cur];
      continue;
    }
    stack.push_back(Frame{cur, state, text_.size(), dead});
    dead = next_dead;
    if (op.kind == KvOpKind::kPut) text_.assign(piece.data, piece.len);
    if (op.kind == KvOpKind::kAppend) text_.append(piece.data, piece.len);
    state = next_state;
    if (stack.size() > run->best.size()) {
      run->best.clear();
      run->best_states.clear();
      for (size_t k = 0; k < stack.size(); k++) {
        run->best.push_back(entries_[stack[k].call].op);
        run->best_states.push_back(k + 1 < stack.size() ? stack[k + 1].prev_state : state);
      }
    }
    cur = next_[0];
  }
  while (!stack.empty()) {
    Unlift(stack.back().call);
    stack.pop_back();
  }
  steps_ += steps;
  return outcome;
}

}  // namespace harness
}  // namespace janus
