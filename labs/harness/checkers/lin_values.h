// The values a linearizability search of one key (lin_search.h) reaches, interned: each
// distinct value gets one id, so that a state of the search is a small number. A value is kept
// as the value it extends plus the piece appended (a Put's value extends the empty value), not
// as a copy of its bytes, so that a value reached by many Appends costs one small record; its
// bytes are compared piece by piece from the end, and a hash of the whole value makes lookups
// cheap. Equal values always get the same id, whatever Puts and Appends built them.
//
//   LinValues values(&budget);
//   LinPiece a = MakeLinPiece(op.value);   // op.value must outlive `values`
//   LinValues::Id v = values.Append(LinValues::kEmpty, a);
//   if (v == LinValues::kFull) ...          // the budget is spent
//   values.Equals(v, get.output), values.IsPrefixOf(v, get.output), values.Text(v)
#pragma once

#include <cstdint>
#include <string>

#include "labs/harness/checkers/lin_memory.h"

namespace janus {
namespace harness {

// Bytes a value is built from (a Put's or an Append's argument) with their hash. The bytes are
// not copied: they must outlive every LinValues that uses the piece.
struct LinPiece {
  const char* data = nullptr;
  uint32_t len = 0;
  uint64_t hash = 0;   // polynomial hash of the bytes (mod 2^61-1)
  uint64_t power = 1;  // the hash base to the power len
};

// The piece of `s`. REQUIRES: s shorter than 4 GB.
LinPiece MakeLinPiece(const std::string& s);

class LinValues {
 public:
  using Id = uint32_t;
  static constexpr Id kEmpty = 0;          // the value ""
  static constexpr Id kFull = UINT32_MAX;  // what Append returns once the budget is spent

  explicit LinValues(LinBudget* budget);

  // The id of value(v) followed by p's bytes (p itself when v is kEmpty: a Put), or kFull.
  Id Append(Id v, const LinPiece& p);

  // The number of bytes of value(v).
  uint64_t Length(Id v) const { return nodes_[v].len; }
  // value(v) == s.
  bool Equals(Id v, const std::string& s) const;
  // s starts with value(v).
  bool IsPrefixOf(Id v, const std::string& s) const;
  // The bytes of value(v).
  std::string Text(Id v) const;

 private:
  struct Node {
    uint64_t hash;  // of the whole value
    uint64_t len;
    const char* piece;  // the bytes appended to the parent's value
    uint32_t piece_len;
    Id parent;
  };
  // value(a) followed by `extra` (null for none) equals value(b). REQUIRES: equal lengths.
  bool SameBytes(Id a, const LinPiece* extra, Id b) const;
  // value(v) equals the `len` bytes at s. REQUIRES: len == Length(v).
  bool SameAsText(Id v, const char* s, uint64_t len) const;
  uint64_t TableHash(uint64_t hash, uint64_t len) const;

  LinArena<Node> nodes_;
  LinIndexTable index_;
};

}  // namespace harness
}  // namespace janus
