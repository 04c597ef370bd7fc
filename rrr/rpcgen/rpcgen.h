// The whole compiler as one call: parse, check, generate. Used by main.cc and the tests.
#pragma once

#include <string>

#include "rrr/rpcgen/sema.h"

namespace rrr {
namespace rpcgen {

// Compiles the .rpc text `source`. On success stores the generated header in *header and
// returns true. On failure returns false and stores in *errors one line per problem,
// "<filename>:<line>:<col>: error: <message>\n" (a syntax error stops at the first one; checks
// report all they find). The header's first comment names the base name of `filename`.
bool Compile(const std::string& filename, const std::string& source, const CheckOptions& options,
             std::string* header, std::string* errors);

}  // namespace rpcgen
}  // namespace rrr
