// KvOpKind: the three operations of a key/value service, one enum for all who name them: the KV
// lab (its clerk, and the command its servers replicate, labs/kv/), kv_cli
// (labs/cluster/kv_cli.cc) and the history checker (labs/harness/checkers/kv_history.h), which
// must not depend on a lab. Header-only.
#pragma once

#include <cstdint>
#include <string_view>

namespace janus {

// The values are also the one-byte encoding of the operation in the reference KV command: never
// renumber.
enum class KvOpKind : uint8_t { kGet = 0, kPut = 1, kAppend = 2 };

// "Get", "Put" or "Append" ("?" for a value outside the enum).
constexpr const char* KvOpKindName(KvOpKind kind) {
  switch (kind) {
    case KvOpKind::kGet:
      return "Get";
    case KvOpKind::kPut:
      return "Put";
    case KvOpKind::kAppend:
      return "Append";
  }
  return "?";
}

// Reads a command word, "get", "put" or "append" (lowercase, as kv_cli takes them). Returns false
// for anything else.
constexpr bool ParseKvOpKind(std::string_view word, KvOpKind* out) {
  if (word == "get") {
    *out = KvOpKind::kGet;
  } else if (word == "put") {
    *out = KvOpKind::kPut;
  } else if (word == "append") {
    *out = KvOpKind::kAppend;
  } else {
    return false;
  }
  return true;
}

}  // namespace janus
