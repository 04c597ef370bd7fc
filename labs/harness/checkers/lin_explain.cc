#include "labs/harness/checkers/lin_explain.h"

#include <algorithm>
#include <cstdio>

namespace janus {
namespace harness {
namespace {

// Differing bytes shown whole up to this size (then cut at the end, never in the middle).
constexpr size_t kMaxDiffShown = 200;
// Bytes of the common prefix or suffix shown as context around the difference.
constexpr size_t kContext = 16;
// Positions of a duplicate listed at most.
constexpr size_t kMaxPositions = 4;
// Missing writes (the first, in call order) checked against the other Gets for a stale read.
constexpr size_t kMaxMissingChecked = 8;

// Non-overlapping occurrences of `needle` in `hay`, left to right; their offsets go to *at.
size_t Count(const std::string& hay, const std::string& needle, std::vector<size_t>* at) {
  size_t n = 0;
  if (needle.empty()) return 0;
  for (size_t pos = hay.find(needle); pos != std::string::npos;
       pos = hay.find(needle, pos + needle.size())) {
    n++;
    if (at != nullptr) at->push_back(pos);
  }
  return n;
}

// "client 3's Append(\"x 3 12 y\")".
std::string OpName(const KvOp& op) {
  return "client " + std::to_string(op.client) + "'s " + KvOpKindName(op.kind) + "(" +
         ShowKvHead(op.value) + ")";
}

bool IsWrite(const KvOp& op) { return op.kind != KvOpKind::kGet; }

// True if Put `p` can explain why Get `g` lacks write `w` acknowledged before it: it can come
// after w and before g, and g's answer starts with the value it wrote.
bool CanReset(const KvOp& p, const KvOp& w, const KvOp& g) {
  if (p.kind != KvOpKind::kPut || &p == &w) return false;
  const bool before_w = p.returned && p.ret < w.call;
  const bool after_g = p.call > g.ret;
  return !before_w && !after_g && g.output.compare(0, p.value.size(), p.value) == 0;
}

// "client 2's Get", plus " at 1.660s" (its call) when the history carries times.
std::string GetName(const KvOp& get) {
  std::string s = "client " + std::to_string(get.client) + "'s Get";
  if (get.call_us != 0) {
    char buf[32];
    std::snprintf(buf, sizeof(buf), " at %.3fs", static_cast<double>(get.call_us) / 1e6);
    s += buf;
  }
  return s;
}

// The length of the common prefix of `longer` and `shorter` when `longer` is `shorter` with
// bytes inserted at one place: among the equivalent places (an insertion can slide while the
// bytes around it repeat), one where the inserted bytes are one of `pieces` (e.g. an Append's
// text), else `prefix` (the rightmost place).
size_t AlignInsertion(const std::string& longer, const std::string& shorter, size_t prefix,
                      const std::vector<std::string>& pieces) {
  const size_t len = longer.size() - shorter.size();
  for (size_t at = prefix;; at--) {
    const std::string inserted = longer.substr(at, len);
    if (std::find(pieces.begin(), pieces.end(), inserted) != pieces.end()) return at;
    if (at == 0 || longer[at - 1] != longer[at - 1 + len]) break;
  }
  return prefix;
}

}  // namespace

std::string ShowKvHead(const std::string& value, size_t max_bytes) {
  if (value.size() <= max_bytes) return "\"" + value + "\"";
  return "\"" + value.substr(0, max_bytes) + "...\" (" + std::to_string(value.size()) + " bytes)";
}

std::string DescribeMismatch(const std::string& got, const std::string& expected,
                             const std::vector<std::string>& pieces) {
  if (got.size() <= kLinShortValue && expected.size() <= kLinShortValue) {
    return "\"" + got + "\" but the value was \"" + expected + "\"";
  }
  const size_t shorter = std::min(got.size(), expected.size());
  size_t prefix = 0;
  while (prefix < shorter && got[prefix] == expected[prefix]) prefix++;
  size_t suffix = 0;
  while (prefix + suffix < shorter &&
         got[got.size() - 1 - suffix] == expected[expected.size() - 1 - suffix]) {
    suffix++;
  }
  // One side is the other with bytes inserted: place them on an operation's text if possible.
  if (prefix + suffix == shorter && got.size() != expected.size()) {
    prefix = got.size() > expected.size() ? AlignInsertion(got, expected, prefix, pieces)
                                          : AlignInsertion(expected, got, prefix, pieces);
    suffix = shorter - prefix;
  }
  std::string s = std::to_string(got.size()) + " bytes but the value was " +
                  std::to_string(expected.size()) + " bytes: ";
  if (prefix == 0) {
    s += "they differ from the first byte";
  } else {
    const size_t ctx = std::min(prefix, kContext);
    s += "both start with the same " + std::to_string(prefix) + " bytes (" +
         (ctx < prefix ? "..." : "") + "\"" + got.substr(prefix - ctx, ctx) + "\")";
  }
  s += ", then the Get has " +
       ShowKvHead(got.substr(prefix, got.size() - prefix - suffix), kMaxDiffShown) +
       " where the value has " +
       ShowKvHead(expected.substr(prefix, expected.size() - prefix - suffix), kMaxDiffShown);
  if (suffix > 0) {
    const size_t ctx = std::min(suffix, kContext);
    s += ", then both end with the same " + std::to_string(suffix) + " bytes (\"" +
         got.substr(got.size() - suffix, ctx) + "\"" + (ctx < suffix ? "...)" : ")");
  }
  return s;
}

std::string LikelyCause(const std::vector<KvOp>& ops, const std::vector<size_t>& key_ops,
                        const std::vector<size_t>& best_order,
                        const std::vector<std::string>& best_values, size_t get) {
  const KvOp& g = ops[get];
  const std::string& answer = g.output;
  const std::string get_name = GetName(g);
  const std::string hint =
      "; a Get answered from a server's own map, by a follower or by a leader that lost its "
      "leadership?";

  // A duplicate: an Append's text occurs in the answer more often than all writes sent it.
  size_t dup = key_ops.size();
  std::vector<size_t> dup_at;
  size_t dup_sent = 0;
  for (size_t i = 0; i < key_ops.size(); i++) {
    const KvOp& a = ops[key_ops[i]];
    if (a.kind != KvOpKind::kAppend || a.value.empty()) continue;
    if (dup < key_ops.size() && ops[key_ops[dup]].value.size() >= a.value.size()) continue;
    std::vector<size_t> at;
    if (Count(answer, a.value, &at) < 2) continue;
    size_t sent = 0;
    for (size_t id : key_ops) {
      if (IsWrite(ops[id])) sent += Count(ops[id].value, a.value, nullptr);
    }
    if (at.size() <= sent) continue;
    dup = i;
    dup_at = at;
    dup_sent = sent;
  }
  if (dup < key_ops.size()) {
    std::string where;
    for (size_t i = 0; i < dup_at.size() && i < kMaxPositions; i++) {
      where += (i ? ", " : "") + std::to_string(dup_at[i]);
    }
    if (dup_at.size() > kMaxPositions) where += ", ...";
    return "a duplicate: " + OpName(ops[key_ops[dup]]) + " appears " +
           std::to_string(dup_at.size()) + " times in what " + get_name + " returned (at bytes " +
           where + ") but was sent " +
           (dup_sent == 1 ? "once" : std::to_string(dup_sent) + " times") +
           "; an Append applied twice: was a retried request not recognised as a duplicate?";
  }

  // A stale read, seen in the longest linearization: the answer is what the key held earlier.
  const std::string expected = best_values.empty() ? "" : best_values.back();
  if (!best_values.empty() && answer != expected) {
    // The latest earlier value equal to the answer; -1 stands for the initial "".
    long same = -2;
    for (long k = static_cast<long>(best_values.size()) - 2; k >= -1 && same == -2; k--) {
      if ((k < 0 ? std::string() : best_values[k]) == answer) same = k;
    }
    if (same >= -1) {
      size_t missed = 0, first = best_order.size(), acked = best_order.size();
      for (size_t k = static_cast<size_t>(same + 1); k < best_order.size(); k++) {
        const KvOp& w = ops[best_order[k]];
        if (!IsWrite(w)) continue;
        missed++;
        if (first == best_order.size()) first = k;
        if (acked == best_order.size() && w.returned && w.ret < g.call) acked = k;
      }
      const std::string more =
          missed > 1 ? ", and misses " + std::to_string(missed) + " writes in all" : "";
      if (acked < best_order.size()) {
        return "a stale read: " + get_name + " returned the value the key had before " +
               OpName(ops[best_order[acked]]) + ", which had returned before the Get was called" +
               more + hint;
      }
      return "a stale read: " + get_name +
             " returned an earlier value of the key, the one before " +
             OpName(ops[best_order[first]]) + more + hint;
    }
  }

  // Writes acknowledged before the Get was called whose text the answer lacks.
  std::vector<size_t> missing;
  for (size_t id : key_ops) {
    const KvOp& w = ops[id];
    if (!IsWrite(w) || !w.returned || w.ret >= g.call || w.value.empty()) continue;
    const bool lacks = w.kind == KvOpKind::kAppend
                           ? Count(answer, w.value, nullptr) == 0
                           : answer.compare(0, w.value.size(), w.value) != 0;
    if (lacks) missing.push_back(id);
  }

  // A stale read, seen in the other Gets: one of them returned the answer followed by more,
  // including a write the answer lacks (so the answer was the key's value before that write),
  // and no Put can have reset the key to the answer after that write (a Put that h may
  // precede).
  for (size_t m = 0; m < missing.size() && m < kMaxMissingChecked; m++) {
    const KvOp& w = ops[missing[m]];
    if (w.kind != KvOpKind::kAppend) continue;
    for (size_t other : key_ops) {
      const KvOp& h = ops[other];
      if (h.kind != KvOpKind::kGet || !h.returned || h.output.size() <= answer.size() ||
          h.output.compare(0, answer.size(), answer) != 0 ||
          h.output.find(w.value, answer.size()) == std::string::npos) {
        continue;
      }
      bool reset = false;
      for (size_t put : key_ops) {
        const KvOp& p = ops[put];
        if (CanReset(p, w, g) && !(p.returned && p.ret < h.call)) reset = true;
      }
      if (reset) continue;
      return "a stale read: " + get_name + " returned an earlier value of the key, without " +
             OpName(w) + ", which had returned before the Get was called (" + GetName(h) +
             " returned the same beginning followed by that Append)" + hint;
    }
  }

  // A lost write: a missing write that no Put can have overwritten before the Get.
  for (size_t id : missing) {
    const KvOp& w = ops[id];
    bool overwritable = false;
    for (size_t other : key_ops) overwritable = overwritable || CanReset(ops[other], w, g);
    if (overwritable) continue;
    return "a lost write: " + OpName(w) + " returned before " + get_name +
           " was called, but that Get's answer does not contain it; was it acknowledged before "
           "it was committed, or its log entry lost later?";
  }
  return "";
}

}  // namespace harness
}  // namespace janus
