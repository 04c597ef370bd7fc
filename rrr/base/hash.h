// FNV-1a, the one non-cryptographic hash of the tree: rpcgen's method ids (32 bits, see
// rrr/rpcgen/sema.h), the harness's per-test seeds (64 bits, labs/harness/core/options.h) and
// state digests in tests. Values are part of the wire format and of every printed seed: never
// change them (rrr/base/hash_test.cc pins known values).
//
//   uint32_t id = rrr::Fnv1a32("janus.RaftService.RequestVote");
//   uint64_t h = rrr::Fnv1a64("RaftA.InitialElection");
//   uint64_t d = rrr::kFnv1a64Offset;  // or any starting value
//   for (int64_t v : values) d = rrr::Fnv1a64Word(d, static_cast<uint64_t>(v));
#pragma once

#include <cstdint>
#include <string_view>

namespace rrr {

// The standard FNV parameters (offset basis and prime) for 32 and 64 bits.
constexpr uint32_t kFnv1a32Offset = 0x811c9dc5u;
constexpr uint32_t kFnv1a32Prime = 0x01000193u;
constexpr uint64_t kFnv1a64Offset = 0xcbf29ce484222325ull;
constexpr uint64_t kFnv1a64Prime = 0x100000001b3ull;
// The 64-bit basis the harness has always started from: the standard one, 14695981039346656037,
// with its last digit lost. Per-test seeds and the toy digest are derived with it, and changing it
// would change every printed seed's meaning, so it stays (as an explicit argument).
constexpr uint64_t kHarnessFnvOffset = 1469598103934665603ull;

// FNV-1a, 32 bits, over the bytes of `s`.
constexpr uint32_t Fnv1a32(std::string_view s) {
  uint32_t h = kFnv1a32Offset;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= kFnv1a32Prime;
  }
  return h;
}

// FNV-1a, 64 bits, over the bytes of `s`, starting from `offset` (the standard basis unless
// given).
constexpr uint64_t Fnv1a64(std::string_view s, uint64_t offset = kFnv1a64Offset) {
  uint64_t h = offset;
  for (char c : s) {
    h ^= static_cast<unsigned char>(c);
    h *= kFnv1a64Prime;
  }
  return h;
}

// One FNV-1a step over a whole 64-bit word instead of a byte: (h ^ word) * prime. Start from
// kFnv1a64Offset (or another basis). Cheap digests of integer sequences (not the byte-wise hash of
// the word).
constexpr uint64_t Fnv1a64Word(uint64_t h, uint64_t word) { return (h ^ word) * kFnv1a64Prime; }

}  // namespace rrr
