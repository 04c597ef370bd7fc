#include "rrr/rpcgen/rpcgen.h"

#include "rrr/rpcgen/gen_cpp.h"
#include "rrr/rpcgen/parser.h"

namespace rrr {
namespace rpcgen {
namespace {

std::string Format(const std::string& filename, SourceLoc loc, const std::string& message) {
  return filename + ":" + std::to_string(loc.line) + ":" + std::to_string(loc.col) +
         ": error: " + message + "\n";
}

std::string BaseName(const std::string& path) {
  size_t slash = path.find_last_of('/');
  return slash == std::string::npos ? path : path.substr(slash + 1);
}

}  // namespace

bool Compile(const std::string& filename, const std::string& source, const CheckOptions& options,
             std::string* header, std::string* errors) {
  File f;
  try {
    f = Parse(filename, source);
  } catch (const SyntaxError& e) {
    *errors = Format(filename, e.loc(), e.what());
    return false;
  }
  std::vector<Diagnostic> diags = Check(&f, options);
  if (!diags.empty()) {
    errors->clear();
    for (const Diagnostic& d : diags) *errors += Format(filename, d.loc, d.message);
    return false;
  }
  *header = GenerateHeader(f, BaseName(filename));
  return true;
}

}  // namespace rpcgen
}  // namespace rrr
