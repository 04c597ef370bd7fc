// Semantic checks of a parsed .rpc file: names, types and method ids.
//
// Types. Built in: i8 i16 i32 i64 u8 u16 u32 u64 (and their <cstdint> spellings int32_t ...),
// v32 v64 (rrr::v32 / rrr::v64 varints), bool, float, double, string; the containers vector<T>,
// list<T>, set<T>, map<K,V>, unordered_map<K,V>, pair<A,B>, optional<T>, with or without `std::`.
// A struct of the file may be used by a struct declared after it and by any service. Any other
// qualified name (`janus::MarshallDeputy`, `std::array<...>`) is passed to C++ as written; it must
// have rrr::Marshal operators, and the .rpc file should `include "..."` its header. An unknown
// unqualified name is an error (catches typos).
//
// Method ids: FNV-1a 32-bit of "<namespace>.<Name>Service.<Method>", the namespace components
// joined by '.' whether written `a::b` or `a.b` (no namespace: "<Name>Service.<Method>"), e.g.
// "janus.RaftService.RequestVote" for `namespace janus; service Raft { RequestVote(...); }`.
// Two methods of one file with the same id are an error naming both.
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "rrr/rpcgen/ast.h"

namespace rrr {
namespace rpcgen {

struct Diagnostic {
  SourceLoc loc;
  std::string message;  // without the "file:line:col: error: " prefix
};

// FNV-1a, 32 bits, over the bytes of `s`: rrr::Fnv1a32 (rrr/base/hash.h), named here for the
// CheckOptions default and the tests.
uint32_t Fnv1a32(const std::string& s);

struct CheckOptions {
  // Hash from id key to method id. Tests replace it to force collisions.
  std::function<uint32_t(const std::string&)> hash = Fnv1a32;
};

// Checks `f` and fills its resolved fields (TypeRef::cpp, comparable, Method::id ...).
// Returns the problems found, sorted by location; empty means `f` can be generated.
std::vector<Diagnostic> Check(File* f, const CheckOptions& options = CheckOptions());

}  // namespace rpcgen
}  // namespace rrr
