#include "rrr/rpcgen/parser.h"

#include <gtest/gtest.h>

namespace rrr {
namespace rpcgen {
namespace {

std::string Spell(const TypeRef& t) {
  std::string s = t.Name();
  if (t.has_args) {
    s += "<";
    for (size_t i = 0; i < t.args.size(); i++) s += (i ? "," : "") + Spell(t.args[i]);
    s += ">";
  }
  return s;
}

TEST(ParserTest, FullFile) {
  File f = Parse("x.rpc",
                 "namespace a::b;\n"
                 "struct P { i32 x; map<string, vector<P2>> m; };\n"
                 "abstract service S {\n"
                 "  defer A(i32 x, ::ext::T y | bool ok);\n"
                 "  fast B();\n"
                 "  raw C(| i64 z);\n"
                 "  D(i8 q |);\n"
                 "}\n"
                 "service T {}\n");
  EXPECT_EQ(f.filename, "x.rpc");
  ASSERT_EQ(f.ns, (std::vector<std::string>{"a", "b"}));
  ASSERT_EQ(f.structs.size(), 1u);
  const StructDecl& p = f.structs[0];
  EXPECT_EQ(p.name, "P");
  EXPECT_EQ(p.loc.line, 2);
  EXPECT_EQ(p.loc.col, 8);
  ASSERT_EQ(p.fields.size(), 2u);
  EXPECT_EQ(Spell(p.fields[1].type), "map<string,vector<P2>>");
  EXPECT_EQ(p.fields[1].name, "m");

  ASSERT_EQ(f.services.size(), 2u);
  const ServiceDecl& s = f.services[0];
  EXPECT_TRUE(s.is_abstract);
  EXPECT_FALSE(f.services[1].is_abstract);
  EXPECT_TRUE(f.services[1].methods.empty());
  ASSERT_EQ(s.methods.size(), 4u);
  EXPECT_EQ(s.methods[0].kind, MethodKind::kDefer);
  EXPECT_EQ(s.methods[1].kind, MethodKind::kFast);
  EXPECT_EQ(s.methods[2].kind, MethodKind::kRaw);
  EXPECT_EQ(s.methods[3].kind, MethodKind::kNone);
  const Method& a = s.methods[0];
  ASSERT_EQ(a.inputs.size(), 2u);
  ASSERT_EQ(a.outputs.size(), 1u);
  EXPECT_EQ(Spell(a.inputs[1].type), "::ext::T");
  EXPECT_TRUE(a.inputs[1].type.global);
  EXPECT_EQ(a.outputs[0].name, "ok");
  EXPECT_TRUE(s.methods[1].inputs.empty());
  EXPECT_TRUE(s.methods[2].inputs.empty());
  EXPECT_EQ(s.methods[2].outputs.size(), 1u);
  EXPECT_EQ(s.methods[3].inputs.size(), 1u);
  EXPECT_TRUE(s.methods[3].outputs.empty());
}

TEST(ParserTest, Includes) {
  File f = Parse("f", "include \"a.h\"; namespace n; include \"b/c.h\"; struct A {}");
  EXPECT_EQ(f.includes, (std::vector<std::string>{"a.h", "b/c.h"}));
  EXPECT_EQ(f.ns, (std::vector<std::string>{"n"}));
}

TEST(ParserTest, DottedNamespaceAndNoNamespace) {
  EXPECT_EQ(Parse("f", "namespace a.b.c;").ns, (std::vector<std::string>{"a", "b", "c"}));
  File f = Parse("f", "struct A {}");
  EXPECT_TRUE(f.ns.empty());
  EXPECT_EQ(f.structs.size(), 1u);
}

TEST(ParserTest, QualifierWordsAreOnlyKeywordsBeforeAName) {
  File f = Parse("f", "struct raw { i32 defer; } service S { fast(raw fast | raw defer); }");
  EXPECT_EQ(f.structs[0].name, "raw");
  EXPECT_EQ(f.structs[0].fields[0].name, "defer");
  const Method& m = f.services[0].methods[0];
  EXPECT_EQ(m.kind, MethodKind::kNone);
  EXPECT_EQ(m.name, "fast");
}

// Returns "line:col: message" of the syntax error in `src`.
std::string ErrorOf(const std::string& src) {
  try {
    Parse("f", src);
  } catch (const SyntaxError& e) {
    return std::to_string(e.loc().line) + ":" + std::to_string(e.loc().col) + ": " + e.what();
  }
  return "no error";
}

TEST(ParserTest, Enums) {
  File f = Parse("f", "enum E { A = 0, B = -7, };\nenum F { X = 1 }");
  ASSERT_EQ(f.enums.size(), 2u);
  EXPECT_EQ(f.enums[0].name, "E");
  ASSERT_EQ(f.enums[0].values.size(), 2u);
  EXPECT_EQ(f.enums[0].values[1].name, "B");
  EXPECT_EQ(f.enums[0].values[1].value_text, "-7");
  EXPECT_EQ(f.enums[0].values[1].value_loc.col, 21);
  EXPECT_EQ(f.enums[1].loc.line, 2);
  EXPECT_EQ(f.enums[1].values[0].value_text, "1");
}

TEST(ParserTest, Errors) {
  EXPECT_EQ(ErrorOf("namespace a"), "1:12: expected ';' after the namespace, found end of file");
  EXPECT_EQ(ErrorOf("struct P {\n  i32 x\n}"),
            "2:8: expected ';' after field 'x', found '}'");
  EXPECT_EQ(ErrorOf("struct P { i32 }"), "1:16: expected a field name after the type, found '}'");
  EXPECT_EQ(ErrorOf("struct P { i32 x;"), "1:18: expected '}' closing struct P, found end of file");
  EXPECT_EQ(ErrorOf("service S { A(i32 a, ) ; }"),
            "1:22: expected a type, found ')'");
  EXPECT_EQ(ErrorOf("service S { A(i32 a | | i32 b); }"), "1:23: expected a type, found '|'");
  EXPECT_EQ(ErrorOf("service S { A() }"), "1:16: expected ';' after method A, found '}'");
  EXPECT_EQ(ErrorOf("service S { slow A(); }"),
            "1:13: unknown method qualifier 'slow' (expected 'defer', 'fast' or 'raw')");
  EXPECT_EQ(ErrorOf("struct P { map<i32, i32 m; }"),
            "1:25: expected ',' or '>' in the template arguments of map, found identifier 'm'");
  EXPECT_EQ(ErrorOf("abstract struct P {}"), "1:10: expected 'service', found identifier 'struct'");
  EXPECT_EQ(ErrorOf("union E {}"),
            "1:1: expected 'struct', 'enum', 'service' or 'include', found identifier 'union'");
  EXPECT_EQ(ErrorOf("enum E { A }"),
            "1:12: expected '=' and a value after enumerator 'A', found '}'");
  EXPECT_EQ(ErrorOf("enum E { A = B }"),
            "1:14: expected a number after 'A =', found identifier 'B'");
  EXPECT_EQ(ErrorOf("enum E { A = 1 B = 2 }"),
            "1:16: expected ',' or '}' in enum E, found identifier 'B'");
  EXPECT_EQ(ErrorOf("enum E { A = 1x }"),
            "1:14: bad number '1x...': write a decimal integer such as 42 or -1");
  EXPECT_EQ(ErrorOf("include a.h;"),
            "1:9: expected a quoted header path after 'include', found identifier 'a'");
  EXPECT_EQ(ErrorOf("include \"\";"), "1:9: empty include path");
  EXPECT_EQ(ErrorOf("include \"a.h\""), "1:14: expected ';' after the include, found end of file");
  EXPECT_EQ(ErrorOf("struct A {} namespace b;"),
            "1:13: the namespace must be declared once, before any struct or service");
  std::string deep = "struct P { ";
  for (int i = 0; i < 40; i++) deep += "vector<";
  EXPECT_EQ(ErrorOf(deep), "1:243: type nested too deeply");
  EXPECT_EQ(ErrorOf("namespace a::;"),
            "1:14: expected a namespace component after '::' or '.', found ';'");
}

}  // namespace
}  // namespace rpcgen
}  // namespace rrr
