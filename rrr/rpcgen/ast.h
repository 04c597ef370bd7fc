// The syntax tree of one .rpc file, as the parser builds it. The checker (sema.h) fills in the
// resolved fields marked "set by Check"; the C++ generator reads only checked trees.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace rrr {
namespace rpcgen {

// A position in the source: 1-based line and column (columns count bytes; a tab is one).
struct SourceLoc {
  int line = 1;
  int col = 1;
};

// A type as written: an optionally qualified name with optional template arguments,
// e.g. `i32`, `janus::MarshallDeputy`, `std::map<string, vector<Pt>>`.
struct TypeRef {
  SourceLoc loc;
  bool global = false;              // written with a leading `::`
  std::vector<std::string> parts;   // name components: {"std", "map"}
  std::vector<TypeRef> args;        // template arguments, empty when none
  bool has_args = false;            // `<...>` was written (args may not be empty then)

  // Set by Check: the C++ spelling, and whether operator== is known to exist for it.
  std::string cpp;
  bool comparable = false;

  // The name as written, components joined with "::" (no template arguments).
  std::string Name() const;
};

// `type name` in a struct body or a method's parameter list.
struct Field {
  SourceLoc loc;  // of the name
  TypeRef type;
  std::string name;
};

struct StructDecl {
  SourceLoc loc;  // of the name
  std::string name;
  std::vector<Field> fields;
  bool comparable = false;  // set by Check: every field type has a known operator==
};

// `Name = value` in an enum body. Values are written explicitly (they are the wire format).
struct Enumerator {
  SourceLoc loc;        // of the name
  SourceLoc value_loc;  // of the value
  std::string name;
  std::string value_text;  // the number as written
  int64_t value = 0;       // set by Check (when the text fits an int32)
};

// `enum Name { A = 0, B = 1 }`: a C++ `enum class Name : int32_t`, sent as its int32 value.
struct EnumDecl {
  SourceLoc loc;  // of the name
  std::string name;
  std::vector<Enumerator> values;
};

// The qualifier written before a method name. All three generate the same deferred handler;
// see gen_cpp.h.
enum class MethodKind { kDefer, kFast, kRaw, kNone };

struct Method {
  SourceLoc loc;  // of the name
  MethodKind kind = MethodKind::kNone;
  std::string name;
  std::vector<Field> inputs;
  std::vector<Field> outputs;

  // Set by Check: the hashed key ("ns.ClassService.Method") and the method id.
  std::string id_key;
  uint32_t id = 0;
};

struct ServiceDecl {
  SourceLoc loc;  // of the name
  bool is_abstract = false;
  std::string name;
  std::vector<Method> methods;
};

struct File {
  std::string filename;                // as given to the compiler; used in messages
  std::vector<std::string> includes;   // `include "x.h";` paths, in order
  std::vector<std::string> ns;         // namespace components, empty for the global namespace
  SourceLoc ns_loc;
  std::vector<EnumDecl> enums;         // in declaration order
  std::vector<StructDecl> structs;     // in declaration order
  std::vector<ServiceDecl> services;   // in declaration order
};

}  // namespace rpcgen
}  // namespace rrr
