// C++ generator: one header per .rpc file, self-contained (everything inline), including only
// standard headers, "rrr/marshal/marshal.h", "rrr/rpc/rpc.h" and the file's `include "x.h";`
// lines (for the pass-through types it uses).
//
// For each enum E: `enum class E : int32_t` with the values as written, inline operator<< and
// operator>> sending it as its int32_t value (reading a value that names no enumerator throws
// rrr::MarshalError, all or nothing), and `const char* EName(E)` (the enumerator's name, or "?").
// Enums come first in the header, so structs and services may use them wherever declared.
//
// For each struct S: `struct S` with value-initialized fields, and inline
// `rrr::Marshal& operator<<(rrr::Marshal&, const S&)`, `operator>>(rrr::Marshal&, S&)` (fields in
// declaration order), `operator==` and `operator!=`. When a field's type is a pass-through C++
// type (operator== not known to exist), == and != are templates compiled only where used.
//
// For each `service X` (`abstract` is accepted and changes nothing):
//   class XService : public rrr::Service   method ids `enum : uint32_t { kFoo = 0x... }`,
//       RegisterTo(rrr::Server*) registering one handler per method, and per method
//       `virtual void Foo(const In& in..., Out* out..., rrr::DeferredReply* defer) = 0;`
//   class XProxy   `explicit XProxy(rrr::Client*)`, per method
//       `rrr::FuturePtr async_Foo(const In& in..., const rrr::FutureAttr& attr = {})` and
//       `int32_t Foo(const In& in..., Out* out...)` (waits; returns the rrr error code), the
//       reply struct `struct FooReply { int32_t error_code; Out out...; }` and
//       `static FooReply DecodeFoo(rrr::Future*)` (and a `const rrr::FuturePtr&` overload):
//       error code and outputs of a finished call in one step, never throwing; error_code is
//       rrr::kErrBadReply for a reply that does not decode. The sync call uses it.
// The qualifiers defer, fast and raw all generate this same deferred handler: the harness has no
// separate fast path, and a single handler shape keeps student code uniform.
#pragma once

#include <string>

#include "rrr/rpcgen/ast.h"

namespace rrr {
namespace rpcgen {

// Returns the header for `f`. REQUIRES: Check(f) reported no error.
// `source_name` is named in the header's first comment (a base name keeps output reproducible).
std::string GenerateHeader(const File& f, const std::string& source_name);

}  // namespace rpcgen
}  // namespace rrr
