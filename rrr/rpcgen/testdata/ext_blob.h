// ext::Blob, the pass-through C++ type that types.rpc uses: any type with rrr::Marshal
// operators can appear in a .rpc file under its qualified name. Include before "types.h".
#pragma once

#include <string>

#include "rrr/marshal/marshal.h"

namespace ext {

struct Blob {
  std::string bytes;
};

inline rrr::Marshal& operator<<(rrr::Marshal& m, const Blob& b) { return m << b.bytes; }
inline rrr::Marshal& operator>>(rrr::Marshal& m, Blob& b) { return m >> b.bytes; }
inline bool operator==(const Blob& a, const Blob& b) { return a.bytes == b.bytes; }

}  // namespace ext
