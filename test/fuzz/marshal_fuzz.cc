// libFuzzer target for rrr/marshal: decodes a sequence of values from untrusted bytes.
//
// Input: repeated [selector byte][encoded value]. The selector picks the type to decode
// (kDecoders[selector % size]); decoding stops at the end of the input and goes on after a
// MarshalError (with the next byte as the next selector). For every value it checks:
//  - decoding either succeeds or throws MarshalError (anything else, a crash, or a sanitizer
//    report is a finding) and a failed decode consumes nothing;
//  - canonical encodings: re-encoding the decoded value gives back exactly the bytes consumed;
//    other types (sets, maps: wire order may differ) satisfy decode(encode(v)) == v.
// test/fuzz/gen_marshal_corpus.py writes the seeds and depends on the order of kDecoders:
// append new types at the end. Built with -DRRR_FUZZ_STRICT, any rejected value aborts (used to
// check that the valid seeds decode completely).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>

#include "rrr/marshal/marshal.h"

namespace {

using rrr::Marshal;
using rrr::MarshalError;
using rrr::v32;
using rrr::v64;

// A user-defined record, as generated code would write it.
struct Rec {
  v32 id;
  std::string name;
  std::optional<double> score;
  std::vector<std::pair<uint16_t, v64>> kv;
};

Marshal& operator<<(Marshal& m, const Rec& r) { return m << r.id << r.name << r.score << r.kv; }
Marshal& operator>>(Marshal& m, Rec& r) {
  Marshal::ReadTxn txn(m);
  Rec tmp;
  m >> tmp.id >> tmp.name >> tmp.score >> tmp.kv;
  txn.Commit();
  r = std::move(tmp);
  return m;
}

[[noreturn]] void Fail(const char* what, const char* type) {
  std::fprintf(stderr, "marshal_fuzz: %s (type %s)\n", what, type);
  std::abort();
}

// Decodes one T from m and checks the properties above. Returns false if the input was rejected.
template <class T, bool kCanonical>
bool Check(Marshal& m, const char* type) {
  const char* start = m.data();
  const size_t avail = m.ContentSize();
  T v{};
  try {
    m >> v;
  } catch (const MarshalError&) {
    if (m.ContentSize() != avail || m.data() != start) Fail("failed decode consumed bytes", type);
#ifdef RRR_FUZZ_STRICT  // for checking valid seeds: any rejection is a failure
    Fail("input rejected", type);
#endif
    return false;
  }
  const size_t used = avail - m.ContentSize();
  Marshal again;
  again << v;
  if constexpr (kCanonical) {
    if (again.ContentSize() != used || std::memcmp(again.data(), start, used) != 0) {
      Fail("re-encoding differs from the bytes decoded", type);
    }
  } else {
    T w{};
    try {
      again >> w;
    } catch (const MarshalError&) {
      Fail("own encoding rejected", type);
    }
    if (!again.Empty() || !(w == v)) Fail("decode(encode(v)) != v", type);
  }
  return true;
}

// Exercises the raw length reader (the rpc layer's building block): n items of 4 bytes each.
bool CheckLength(Marshal& m) {
  const size_t avail = m.ContentSize();
  try {
    const size_t n = m.ReadLength(4);
    if (n > Marshal::kMaxLength || n * 4 > m.ContentSize()) Fail("length bound violated", "len");
    m.Skip(n * 4);
  } catch (const MarshalError&) {
    if (m.ContentSize() != avail) Fail("failed decode consumed bytes", "len");
    return false;
  }
  return true;
}

// Peek<T> must agree with operator>> without consuming.
bool CheckPeek(Marshal& m) {
  const size_t avail = m.ContentSize();
  std::string peeked;
  bool ok = true;
  try {
    m.Peek(&peeked);
  } catch (const MarshalError&) {
    ok = false;
  }
  if (m.ContentSize() != avail) Fail("peek consumed bytes", "peek");
  std::string read;
  try {
    m >> read;
  } catch (const MarshalError&) {
    if (ok) Fail("peek succeeded but read failed", "peek");
    return false;
  }
  if (!ok || read != peeked) Fail("peek and read disagree", "peek");
  return true;
}

#define RRR_CHECK(canonical, ...) \
  [](Marshal& m) { return Check<__VA_ARGS__, canonical>(m, #__VA_ARGS__); }

using Decoder = bool (*)(Marshal&);
const Decoder kDecoders[] = {
    RRR_CHECK(true, uint8_t),                                   // 0
    RRR_CHECK(true, int16_t),                                   // 1
    RRR_CHECK(true, uint32_t),                                  // 2
    RRR_CHECK(true, int64_t),                                   // 3
    RRR_CHECK(true, v32),                                       // 4
    RRR_CHECK(true, v64),                                       // 5
    RRR_CHECK(true, bool),                                      // 6
    RRR_CHECK(true, double),                                    // 7
    RRR_CHECK(true, float),                                     // 8
    RRR_CHECK(true, std::string),                               // 9
    RRR_CHECK(true, Marshal),                                   // 10
    RRR_CHECK(true, std::vector<v32>),                          // 11
    RRR_CHECK(true, std::vector<uint8_t>),                      // 12
    RRR_CHECK(true, std::list<std::string>),                    // 13
    RRR_CHECK(true, std::vector<bool>),                         // 14
    RRR_CHECK(false, std::set<int16_t>),                        // 15
    RRR_CHECK(false, std::map<std::string, std::vector<uint8_t>>),  // 16
    RRR_CHECK(false, std::unordered_map<v64, bool>),            // 17
    RRR_CHECK(false, std::unordered_set<std::string>),          // 18
    RRR_CHECK(true, std::pair<v32, std::string>),               // 19
    RRR_CHECK(true, std::optional<std::vector<std::optional<bool>>>),  // 20
    RRR_CHECK(false, std::vector<std::map<v32, std::set<std::string>>>),  // 21
    RRR_CHECK(true, Rec),                                       // 22
    CheckLength,                                                // 23
    CheckPeek,                                                  // 24
};
constexpr size_t kNumDecoders = sizeof(kDecoders) / sizeof(kDecoders[0]);

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  Marshal m(data, size);
  while (!m.Empty()) {
    uint8_t selector;
    m >> selector;
    kDecoders[selector % kNumDecoders](m);
  }
  return 0;
}
