// rpcgen: compiles one .rpc file to a C++ header.
//
//   rpcgen <in.rpc> <out.h>    writes out.h (through a temporary file, so a failed run leaves
//                              no half-written header); `-` or no <out.h> writes to stdout.
//
// Errors go to stderr as "file:line:col: error: message"; the exit status is then 1 (2 for
// usage or I/O errors). The language and the generated code are described in parser.h,
// sema.h and gen_cpp.h; rpcgen.cmake has the CMake helper rrr_add_rpc.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <iostream>
#include <sstream>
#include <string>

#include "rrr/rpcgen/rpcgen.h"

namespace {

int Usage() {
  std::cerr << "usage: rpcgen <in.rpc> [<out.h> | -]\n";
  return 2;
}

bool WriteFile(const std::string& path, const std::string& text) {
  std::string tmp = path + ".tmp";
  {
    std::ofstream out(tmp, std::ios::binary | std::ios::trunc);
    out << text;
    out.flush();
    if (!out) {
      std::cerr << "rpcgen: cannot write " << tmp << ": " << strerror(errno) << "\n";
      return false;
    }
  }
  if (rename(tmp.c_str(), path.c_str()) != 0) {
    std::cerr << "rpcgen: cannot rename " << tmp << " to " << path << ": " << strerror(errno)
              << "\n";
    remove(tmp.c_str());
    return false;
  }
  return true;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 2 || argc > 3 || argv[1][0] == '-') return Usage();
  std::string in_path = argv[1];
  std::string out_path = argc == 3 ? argv[2] : "-";
  std::ifstream in(in_path, std::ios::binary);
  if (!in) {
    std::cerr << "rpcgen: cannot read " << in_path << ": " << strerror(errno) << "\n";
    return 2;
  }
  std::stringstream source;
  source << in.rdbuf();
  std::string header, errors;
  if (!rrr::rpcgen::Compile(in_path, source.str(), rrr::rpcgen::CheckOptions(), &header,
                            &errors)) {
    std::cerr << errors;
    return 1;
  }
  if (out_path == "-") {
    std::cout << header;
    return std::cout.flush() ? 0 : 2;
  }
  return WriteFile(out_path, header) ? 0 : 2;
}
