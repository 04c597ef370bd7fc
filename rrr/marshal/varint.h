// Variable-length signed integers: rrr::v32 and rrr::v64.
//
// Wire format: ZigZag-mapped, then an unsigned LEB128 varint (Marshal::WriteVarint). ZigZag maps
// 0, -1, 1, -2, 2, ... to 0, 1, 2, 3, 4, ..., so values of small magnitude of either sign are
// short: |x| < 64 takes 1 byte, < 8192 2 bytes, ...; v32 takes at most 5 bytes, v64 at most 10.
// Every int32_t / int64_t value round-trips (an unsigned 64-bit quantity can be carried in a
// v64 through static_cast<int64_t> and back). For unsigned values without ZigZag use
// Marshal::WriteVarint / ReadVarint directly.
#pragma once

#include <cstdint>
#include <functional>
#include <limits>

#include "rrr/marshal/buffer.h"

namespace rrr {

// A 32-bit signed integer marshalled as a ZigZag varint (1..5 bytes).
struct v32 {
  int32_t val;
  constexpr v32(int32_t v = 0) : val(v) {}  // NOLINT: implicit on purpose, `m << v32(x)`.
  constexpr int32_t get() const { return val; }
};

// A 64-bit signed integer marshalled as a ZigZag varint (1..10 bytes).
struct v64 {
  int64_t val;
  constexpr v64(int64_t v = 0) : val(v) {}  // NOLINT: implicit on purpose, `m << v64(x)`.
  constexpr int64_t get() const { return val; }
};

constexpr bool operator==(v32 a, v32 b) { return a.val == b.val; }
constexpr bool operator!=(v32 a, v32 b) { return a.val != b.val; }
constexpr bool operator<(v32 a, v32 b) { return a.val < b.val; }
constexpr bool operator==(v64 a, v64 b) { return a.val == b.val; }
constexpr bool operator!=(v64 a, v64 b) { return a.val != b.val; }
constexpr bool operator<(v64 a, v64 b) { return a.val < b.val; }

// ZigZag mapping and its inverse (all arithmetic unsigned: no undefined behaviour).
constexpr uint64_t ZigZagEncode64(int64_t v) {
  const uint64_t u = static_cast<uint64_t>(v);
  return (u << 1) ^ (0 - (u >> 63));
}
constexpr int64_t ZigZagDecode64(uint64_t z) {
  return static_cast<int64_t>((z >> 1) ^ (0 - (z & 1)));
}
constexpr uint32_t ZigZagEncode32(int32_t v) {
  const uint32_t u = static_cast<uint32_t>(v);
  return (u << 1) ^ (0u - (u >> 31));
}
constexpr int32_t ZigZagDecode32(uint32_t z) {
  return static_cast<int32_t>((z >> 1) ^ (0u - (z & 1)));
}

// Reading throws MarshalError (consuming nothing) for a truncated, over-long, non-canonical or
// overflowing varint; for v32, also when the decoded value does not fit 32 bits.
inline Marshal& operator<<(Marshal& m, v32 v) {
  m.WriteVarint(ZigZagEncode32(v.val));
  return m;
}
inline Marshal& operator>>(Marshal& m, v32& v) {
  v.val = ZigZagDecode32(static_cast<uint32_t>(m.ReadVarint(std::numeric_limits<uint32_t>::max())));
  return m;
}
inline Marshal& operator<<(Marshal& m, v64 v) {
  m.WriteVarint(ZigZagEncode64(v.val));
  return m;
}
inline Marshal& operator>>(Marshal& m, v64& v) {
  v.val = ZigZagDecode64(m.ReadVarint());
  return m;
}

template <>
struct WireMinSize<v32> {
  static constexpr size_t value = 1;
};
template <>
struct WireMinSize<v64> {
  static constexpr size_t value = 1;
};

}  // namespace rrr

namespace std {
// So v32 / v64 can key an unordered_map.
template <>
struct hash<rrr::v32> {
  size_t operator()(rrr::v32 v) const noexcept { return hash<int32_t>()(v.val); }
};
template <>
struct hash<rrr::v64> {
  size_t operator()(rrr::v64 v) const noexcept { return hash<int64_t>()(v.val); }
};
}  // namespace std
