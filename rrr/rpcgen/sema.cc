#include "rrr/rpcgen/sema.h"

#include <algorithm>
#include <cerrno>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <set>

#include "rrr/base/hash.h"

namespace rrr {
namespace rpcgen {
namespace {

const std::set<std::string>& CppKeywords() {
  static const std::set<std::string> kw = {
      "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break",
      "case", "catch", "char", "char8_t", "char16_t", "char32_t", "class", "compl", "concept",
      "const", "consteval", "constexpr", "constinit", "const_cast", "continue", "co_await",
      "co_return", "co_yield", "decltype", "default", "delete", "do", "double", "dynamic_cast",
      "else", "enum", "explicit", "export", "extern", "false", "float", "for", "friend", "goto",
      "if", "inline", "int", "long", "mutable", "namespace", "new", "noexcept", "not", "not_eq",
      "nullptr", "operator", "or", "or_eq", "private", "protected", "public", "register",
      "reinterpret_cast", "requires", "return", "short", "signed", "sizeof", "static",
      "static_assert", "static_cast", "struct", "switch", "template", "this", "thread_local",
      "throw", "true", "try", "typedef", "typeid", "typename", "union", "unsigned", "using",
      "virtual", "void", "volatile", "wchar_t", "while", "xor", "xor_eq"};
  return kw;
}

// Scalar types: .rpc spelling -> C++ spelling. All have operator==.
const std::map<std::string, std::string>& Scalars() {
  static const std::map<std::string, std::string> m = {
      {"i8", "int8_t"},       {"i16", "int16_t"},     {"i32", "int32_t"},
      {"i64", "int64_t"},     {"u8", "uint8_t"},      {"u16", "uint16_t"},
      {"u32", "uint32_t"},    {"u64", "uint64_t"},    {"int8_t", "int8_t"},
      {"int16_t", "int16_t"}, {"int32_t", "int32_t"}, {"int64_t", "int64_t"},
      {"uint8_t", "uint8_t"}, {"uint16_t", "uint16_t"}, {"uint32_t", "uint32_t"},
      {"uint64_t", "uint64_t"}, {"v32", "rrr::v32"}, {"v64", "rrr::v64"},
      {"bool", "bool"},       {"float", "float"},     {"double", "double"},   {"string", "std::string"}};
  return m;
}

// Containers: name -> number of template arguments. C++ spelling is std::<name>.
const std::map<std::string, size_t>& Containers() {
  static const std::map<std::string, size_t> m = {
      {"vector", 1}, {"list", 1}, {"set", 1},      {"map", 2},
      {"unordered_map", 2}, {"pair", 2}, {"optional", 1}};
  return m;
}

std::string LocText(SourceLoc l) { return std::to_string(l.line) + ":" + std::to_string(l.col); }

class Checker {
 public:
  Checker(File* f, const CheckOptions& opt) : f_(f), opt_(opt) {}

  std::vector<Diagnostic> Run() {
    for (const std::string& c : f_->ns) CheckKeyword(c, f_->ns_loc, "namespace component");
    DeclareGlobalNames();
    for (EnumDecl& e : f_->enums) CheckEnum(&e);
    for (StructDecl& s : f_->structs) {
      CheckStruct(&s);
      complete_.insert(s.name);
    }
    for (ServiceDecl& svc : f_->services) CheckService(&svc);
    CheckIds();
    std::stable_sort(diags_.begin(), diags_.end(), [](const Diagnostic& a, const Diagnostic& b) {
      return a.loc.line != b.loc.line ? a.loc.line < b.loc.line : a.loc.col < b.loc.col;
    });
    return diags_;
  }

 private:
  void Error(SourceLoc loc, const std::string& msg) { diags_.push_back({loc, msg}); }

  // Every name: no C++ keyword, no `rrr_` prefix (reserved for generated code).
  bool CheckKeyword(const std::string& name, SourceLoc loc, const std::string& what) {
    if (CppKeywords().count(name)) {
      Error(loc, what + " '" + name + "' is a C++ keyword");
      return false;
    }
    if (name.compare(0, 4, "rrr_") == 0) {
      Error(loc, what + " '" + name + "' is reserved: names starting with rrr_ are for "
                 "generated code");
      return false;
    }
    return true;
  }

  // Names of members and parameters: no keyword, and not the name of a type the generated
  // code spells unqualified (it would hide the type).
  void CheckMemberName(const std::string& name, SourceLoc loc, const std::string& what) {
    if (!CheckKeyword(name, loc, what)) return;
    bool int_type = Scalars().count(name) && Scalars().at(name) == name && name != "bool" &&
                    name != "float" && name != "double";
    if (int_type || struct_loc_.count(name) || enum_loc_.count(name)) {
      Error(loc, what + " '" + name + "' has the name of a type");
    }
  }

  // Structs and the generated <Name>Service / <Name>Proxy classes share the namespace.
  void DeclareGlobalNames() {
    std::map<std::string, std::string> owner;  // C++ name -> description of its origin
    auto claim = [&](const std::string& cpp, SourceLoc loc, const std::string& origin) {
      auto it = owner.find(cpp);
      if (it != owner.end()) {
        Error(loc, origin + " clashes with " + it->second);
        return false;
      }
      owner[cpp] = origin + " (" + LocText(loc) + ")";
      return true;
    };
    for (const EnumDecl& e : f_->enums) {
      if (!CheckKeyword(e.name, e.loc, "enum name")) continue;
      if (claim(e.name, e.loc, "enum '" + e.name + "'")) enum_loc_[e.name] = e.loc;
      claim(e.name + "Name", e.loc, "function " + e.name + "Name generated for enum '" + e.name +
                                        "'");
    }
    for (const StructDecl& s : f_->structs) {
      if (!CheckKeyword(s.name, s.loc, "struct name")) continue;
      if (struct_loc_.count(s.name)) {
        Error(s.loc, "duplicate struct '" + s.name + "' (first declared at " +
                         LocText(struct_loc_[s.name]) + ")");
        continue;
      }
      if (claim(s.name, s.loc, "struct '" + s.name + "'")) struct_loc_[s.name] = s.loc;
    }
    std::map<std::string, SourceLoc> seen;
    for (const ServiceDecl& svc : f_->services) {
      if (!CheckKeyword(svc.name, svc.loc, "service name")) continue;
      if (seen.count(svc.name)) {
        Error(svc.loc, "duplicate service '" + svc.name + "' (first declared at " +
                           LocText(seen[svc.name]) + ")");
        continue;
      }
      seen[svc.name] = svc.loc;
      claim(svc.name + "Service", svc.loc,
            "class " + svc.name + "Service generated for service '" + svc.name + "'");
      claim(svc.name + "Proxy", svc.loc,
            "class " + svc.name + "Proxy generated for service '" + svc.name + "'");
    }
  }

  // Enumerators: unique names, unique values that fit an int32 (the wire format), one of them 0.
  void CheckEnum(EnumDecl* e) {
    if (e->values.empty()) Error(e->loc, "enum '" + e->name + "' has no enumerators");
    std::map<std::string, SourceLoc> names;
    std::map<int64_t, const Enumerator*> values;
    for (Enumerator& v : e->values) {
      CheckKeyword(v.name, v.loc, "enumerator name");
      if (names.count(v.name)) {
        Error(v.loc, "duplicate enumerator '" + v.name + "' in enum " + e->name +
                         " (first declared at " + LocText(names[v.name]) + ")");
      }
      names.emplace(v.name, v.loc);
      errno = 0;
      char* end = nullptr;
      long long n = strtoll(v.value_text.c_str(), &end, 10);
      if (errno != 0 || *end != '\0' || n < INT32_MIN || n > INT32_MAX) {
        Error(v.value_loc, "value " + v.value_text + " of enumerator '" + v.name +
                               "' does not fit an i32");
        continue;
      }
      v.value = n;
      auto it = values.find(n);
      if (it != values.end()) {
        Error(v.value_loc, "enumerators '" + it->second->name + "' and '" + v.name + "' of enum " +
                               e->name + " have the same value " + std::to_string(n));
        continue;
      }
      values[n] = &v;
    }
    if (!e->values.empty() && !values.count(0)) {
      Error(e->loc, "enum '" + e->name + "' needs an enumerator of value 0: a value-initialized " +
                        e->name + " is 0, and it must decode");
    }
  }

  void CheckStruct(StructDecl* s) {
    std::map<std::string, SourceLoc> seen;
    s->comparable = true;
    for (Field& fld : s->fields) {
      CheckMemberName(fld.name, fld.loc, "field name");
      if (seen.count(fld.name)) {
        Error(fld.loc, "duplicate field '" + fld.name + "' in struct " + s->name +
                           " (first declared at " + LocText(seen[fld.name]) + ")");
      }
      seen.emplace(fld.name, fld.loc);
      Resolve(&fld.type, s->name);
      s->comparable = s->comparable && fld.type.comparable;
    }
    struct_comparable_[s->name] = s->comparable;
  }

  void CheckService(ServiceDecl* svc) {
    // Member names of the two generated classes, to catch clashes such as Foo vs async_Foo.
    std::map<std::string, std::string> service_members = {
        {"RegisterTo", "the generated RegisterTo(rrr::Server*)"}};
    std::map<std::string, std::string> proxy_members = {{"client_", "the member client_"}};
    auto claim = [&](std::map<std::string, std::string>* members, const std::string& name,
                     const Method& m, const std::string& cls) {
      auto it = members->find(name);
      if (it == members->end()) {
        (*members)[name] = "method " + m.name + " (" + LocText(m.loc) + ")";
      } else {
        Error(m.loc, "method " + m.name + " generates " + cls + "::" + name +
                         ", which clashes with " + it->second);
      }
    };
    std::map<std::string, SourceLoc> seen;
    for (Method& m : svc->methods) {
      CheckMemberName(m.name, m.loc, "method name");
      if (seen.count(m.name)) {
        Error(m.loc, "duplicate method '" + m.name + "' in service " + svc->name +
                         " (first declared at " + LocText(seen[m.name]) + ")");
      } else {
        seen[m.name] = m.loc;
        claim(&service_members, m.name, m, svc->name + "Service");
        claim(&service_members, "k" + m.name, m, svc->name + "Service");
        claim(&proxy_members, m.name, m, svc->name + "Proxy");
        claim(&proxy_members, "async_" + m.name, m, svc->name + "Proxy");
        claim(&proxy_members, m.name + "Reply", m, svc->name + "Proxy");
        claim(&proxy_members, "Decode" + m.name, m, svc->name + "Proxy");
        // Inside the proxy the nested reply struct would hide a file type of the same name.
        const std::string reply = m.name + "Reply";
        if (struct_loc_.count(reply) || enum_loc_.count(reply)) {
          Error(m.loc, "method " + m.name + " generates " + svc->name + "Proxy::" + reply +
                           ", which hides the type '" + reply + "' of this file; rename one");
        }
      }
      CheckParams(&m);
      std::string key;
      for (const std::string& c : f_->ns) key += c + ".";
      m.id_key = key + svc->name + "Service." + m.name;
      m.id = opt_.hash(m.id_key);
    }
  }

  void CheckParams(Method* m) {
    std::map<std::string, SourceLoc> seen;
    for (std::vector<Field>* list : {&m->inputs, &m->outputs}) {
      for (Field& p : *list) {
        CheckMemberName(p.name, p.loc, "parameter name");
        if (p.name == "defer" || p.name == "attr") {
          Error(p.loc, "parameter name '" + p.name + "' is reserved for generated code");
        }
        if (list == &m->outputs && p.name == "error_code") {
          Error(p.loc, "output name 'error_code' is reserved: the generated " + m->name +
                           "Reply struct has a member error_code");
        } else if (list == &m->outputs && p.name == m->name + "Reply") {
          Error(p.loc, "output name '" + p.name + "' is the name of the generated struct "
                       "holding the outputs");
        }
        if (seen.count(p.name)) {
          Error(p.loc, "duplicate parameter '" + p.name + "' in method " + m->name +
                           " (first declared at " + LocText(seen[p.name]) + ")");
        }
        seen.emplace(p.name, p.loc);
        Resolve(&p.type, "");
      }
    }
  }

  void CheckIds() {
    std::map<uint32_t, const Method*> by_id;
    for (const ServiceDecl& svc : f_->services) {
      for (const Method& m : svc.methods) {
        auto it = by_id.find(m.id);
        if (it == by_id.end()) {
          by_id[m.id] = &m;
          continue;
        }
        if (it->second->id_key == m.id_key) continue;  // a duplicate, reported already
        char hex[16];
        snprintf(hex, sizeof(hex), "0x%08x", m.id);
        Error(m.loc, std::string("method id ") + hex + " of '" + m.id_key + "' collides with '" +
                         it->second->id_key + "' (" + LocText(it->second->loc) +
                         "); rename one of them");
      }
    }
  }

  // Resolves `t` to its C++ spelling. `in_struct` names the struct being checked, if any:
  // only structs declared before it are complete there.
  void Resolve(TypeRef* t, const std::string& in_struct) {
    const std::string name = t->Name();
    bool std_qualified = t->parts.size() == 2 && t->parts[0] == "std";
    bool plain = t->parts.size() == 1 && !t->global;
    const std::string& last = t->parts.back();
    if ((plain || std_qualified) && Containers().count(last)) {
      size_t want = Containers().at(last);
      if (!t->has_args || t->args.size() != want) {
        Error(t->loc, "'" + name + "' takes " + std::to_string(want) + " template argument" +
                          (want == 1 ? "" : "s") + ", e.g. " + last +
                          (want == 1 ? "<i32>" : "<i32, string>"));
        return;
      }
      t->cpp = "std::" + last + "<";
      t->comparable = true;
      for (size_t i = 0; i < t->args.size(); i++) {
        Resolve(&t->args[i], in_struct);
        t->cpp += (i ? ", " : "") + t->args[i].cpp;
        t->comparable = t->comparable && t->args[i].comparable;
      }
      t->cpp += ">";
      bool keyed = last == "set" || last == "map" || last == "unordered_map";
      const TypeRef& key = t->args[0];
      if (keyed && key.parts.size() == 1 && !key.global && struct_loc_.count(key.parts[0])) {
        Error(key.loc, "struct '" + key.parts[0] + "' cannot be a key of '" + name +
                           "': rpcgen generates no ordering or hash for structs");
      }
      return;
    }
    if (plain && Scalars().count(last)) {
      t->cpp = Scalars().at(last);
      t->comparable = true;
    } else if (plain && enum_loc_.count(last)) {
      t->cpp = last;
      t->comparable = true;
    } else if (plain && struct_loc_.count(last)) {
      t->cpp = last;
      if (complete_.count(last)) {
        t->comparable = struct_comparable_[last];
      } else {
        Error(t->loc, last == in_struct
                          ? "struct '" + last + "' cannot contain itself"
                          : "struct '" + last + "' is used before its declaration (" +
                                LocText(struct_loc_[last]) + "); declare it first");
        return;
      }
    } else if (plain) {
      Error(t->loc, "unknown type '" + name +
                        "': declare a struct or enum of that name in this file, or write the "
                        "qualified C++ name of a type with rrr::Marshal operators (e.g. "
                        "janus::MarshallDeputy)");
      return;
    } else if (std_qualified && last == "string") {
      t->cpp = "std::string";
      t->comparable = true;
    } else {
      // A qualified C++ type, passed through; operator== is not known to exist.
      t->cpp = name;
      t->comparable = false;
      if (t->has_args) {
        t->cpp += "<";
        for (size_t i = 0; i < t->args.size(); i++) {
          Resolve(&t->args[i], in_struct);
          t->cpp += (i ? ", " : "") + t->args[i].cpp;
        }
        t->cpp += ">";
      }
      return;
    }
    if (t->has_args) Error(t->loc, "type '" + name + "' takes no template arguments");
  }

  File* f_;
  const CheckOptions& opt_;
  std::vector<Diagnostic> diags_;
  std::map<std::string, SourceLoc> struct_loc_;      // every struct of the file
  std::map<std::string, SourceLoc> enum_loc_;        // every enum of the file
  std::set<std::string> complete_;                   // structs checked so far
  std::map<std::string, bool> struct_comparable_;
};

}  // namespace

uint32_t Fnv1a32(const std::string& s) { return rrr::Fnv1a32(s); }

std::vector<Diagnostic> Check(File* f, const CheckOptions& options) {
  return Checker(f, options).Run();
}

}  // namespace rpcgen
}  // namespace rrr
