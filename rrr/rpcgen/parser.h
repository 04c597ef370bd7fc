// Parser for the .rpc language. Grammar (keywords are contextual; `//` and `/* */` comments):
//
//   file     := { include } [ 'namespace' qualname ';' ] { include | struct | service }
//   include  := 'include' string ';'                     // "a/b.h": #include'd by the header
//   qualname := ident { ('::' | '.') ident }             // a::b and a.b mean the same
//   struct   := 'struct' ident '{' { type ident ';' } '}' [';']
//   service  := ['abstract'] 'service' ident '{' { method } '}' [';']
//   method   := ['defer' | 'fast' | 'raw'] ident '(' [params] ['|' [params]] ')' ';'
//   params   := type ident { ',' type ident }
//   type     := ['::'] ident { '::' ident } [ '<' type { ',' type } '>' ]
//
// Parsing checks only syntax; names and types are checked by Check (sema.h).
#pragma once

#include <string>

#include "rrr/rpcgen/ast.h"
#include "rrr/rpcgen/lexer.h"

namespace rrr {
namespace rpcgen {

// Parses `source`. Throws SyntaxError (with the location of the problem) on the first error.
// `filename` is only stored in the result.
File Parse(const std::string& filename, const std::string& source);

}  // namespace rpcgen
}  // namespace rrr
