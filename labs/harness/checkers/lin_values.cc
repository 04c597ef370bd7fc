#include "labs/harness/checkers/lin_values.h"

#include <algorithm>
#include <cstring>
#include <vector>

#include "rrr/base/verify.h"

namespace janus {
namespace harness {
namespace {

constexpr uint64_t kMod = (uint64_t{1} << 61) - 1;
constexpr uint64_t kBase = 1000003;

uint64_t MulMod(uint64_t a, uint64_t b) {
  const unsigned __int128 p = static_cast<unsigned __int128>(a) * b;
  uint64_t r = static_cast<uint64_t>(p & kMod) + static_cast<uint64_t>(p >> 61);
  return r >= kMod ? r - kMod : r;
}

uint64_t AddMod(uint64_t a, uint64_t b) {
  const uint64_t r = a + b;
  return r >= kMod ? r - kMod : r;
}

// Reads a value backwards, a run of bytes at a time: first `extra` if any, then the pieces of
// the chain from its last node to the root.
class BackReader {
 public:
  BackReader(const char* extra, uint32_t extra_len, uint32_t node)
      : data_(extra), left_(extra_len), node_(node) {}
  // Makes the current run non-empty; false at the start of the value.
  template <typename Nodes>
  bool Fill(const Nodes& nodes) {
    while (left_ == 0) {
      if (node_ == LinValues::kEmpty) return false;
      const auto& n = nodes[node_];
      data_ = n.piece;
      left_ = n.piece_len;
      node_ = n.parent;
    }
    return true;
  }
  const char* end() const { return data_ + left_; }
  uint32_t left() const { return left_; }
  void Consume(uint32_t n) { left_ -= n; }

 private:
  const char* data_;
  uint32_t left_;
  uint32_t node_;
};

}  // namespace

LinPiece MakeLinPiece(const std::string& s) {
  verify_msg(s.size() < UINT32_MAX, "MakeLinPiece: value too long");
  LinPiece p;
  p.data = s.data();
  p.len = static_cast<uint32_t>(s.size());
  for (unsigned char c : s) {
    p.hash = AddMod(MulMod(p.hash, kBase), c + 1);
    p.power = MulMod(p.power, kBase);
  }
  return p;
}

LinValues::LinValues(LinBudget* budget) : nodes_(budget), index_(budget) {
  Node* empty = nodes_.Add();
  verify_msg(empty != nullptr, "LinValues: budget too small for the empty value");
  *empty = Node{0, 0, nullptr, 0, kEmpty};
}

uint64_t LinValues::TableHash(uint64_t hash, uint64_t len) const {
  uint64_t x = hash ^ (len * 0x9e3779b97f4a7c15ull);
  x ^= x >> 31;
  x *= 0xbf58476d1ce4e5b9ull;
  x ^= x >> 29;
  return x;
}

LinValues::Id LinValues::Append(Id v, const LinPiece& p) {
  if (p.len == 0) return v;
  const Node& base = nodes_[v];
  const uint64_t hash = AddMod(MulMod(base.hash, p.power), p.hash);
  const uint64_t len = base.len + p.len;
  const uint64_t th = TableHash(hash, len);
  const int64_t found = index_.Find(th, [&](uint32_t c) {
    const Node& n = nodes_[c];
    if (n.hash != hash || n.len != len) return false;
    if (n.parent == v && n.piece_len == p.len &&
        (n.piece == p.data || std::memcmp(n.piece, p.data, p.len) == 0)) {
      return true;
    }
    return SameBytes(v, &p, c);
  });
  if (found >= 0) return static_cast<Id>(found);
  if (nodes_.size() >= kFull - 1) return kFull;
  const Id id = static_cast<Id>(nodes_.size());
  Node* n = nodes_.Add();
  if (n == nullptr) return kFull;
  *n = Node{hash, len, p.data, p.len, v};
  if (!index_.Insert(th, id,
                     [&](uint32_t i) { return TableHash(nodes_[i].hash, nodes_[i].len); })) {
    return kFull;  // the node stays unreachable: the search stops anyway
  }
  return id;
}

bool LinValues::SameBytes(Id a, const LinPiece* extra, Id b) const {
  BackReader ra(extra ? extra->data : nullptr, extra ? extra->len : 0, a);
  BackReader rb(nullptr, 0, b);
  for (;;) {
    const bool more_a = ra.Fill(nodes_), more_b = rb.Fill(nodes_);
    if (!more_a || !more_b) return more_a == more_b;
    const uint32_t n = std::min(ra.left(), rb.left());
    if (std::memcmp(ra.end() - n, rb.end() - n, n) != 0) return false;
    ra.Consume(n);
    rb.Consume(n);
  }
}

bool LinValues::SameAsText(Id v, const char* s, uint64_t len) const {
  BackReader r(nullptr, 0, v);
  const char* end = s + len;
  while (r.Fill(nodes_)) {
    const uint32_t n = r.left();
    if (std::memcmp(r.end() - n, end - n, n) != 0) return false;
    end -= n;
    r.Consume(n);
  }
  return end == s;
}

bool LinValues::Equals(Id v, const std::string& s) const {
  return nodes_[v].len == s.size() && SameAsText(v, s.data(), s.size());
}

bool LinValues::IsPrefixOf(Id v, const std::string& s) const {
  return nodes_[v].len <= s.size() && SameAsText(v, s.data(), nodes_[v].len);
}

std::string LinValues::Text(Id v) const {
  std::vector<Id> chain;
  for (Id n = v; n != kEmpty; n = nodes_[n].parent) chain.push_back(n);
  std::string s;
  s.reserve(nodes_[v].len);
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    s.append(nodes_[*it].piece, nodes_[*it].piece_len);
  }
  return s;
}

}  // namespace harness
}  // namespace janus
