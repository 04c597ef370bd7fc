#include "rrr/rpcgen/sema.h"

#include <gtest/gtest.h>

#include "rrr/rpcgen/parser.h"
#include "rrr/rpcgen/rpcgen.h"

namespace rrr {
namespace rpcgen {
namespace {

TEST(SemaTest, Fnv1a32KnownValues) {
  EXPECT_EQ(Fnv1a32(""), 0x811c9dc5u);
  EXPECT_EQ(Fnv1a32("a"), 0xe40c292cu);
  EXPECT_EQ(Fnv1a32("foobar"), 0xbf9cf968u);
}

TEST(SemaTest, ResolvesTypes) {
  File f = Parse("f",
                 "namespace n;\n"
                 "struct A { i32 a; u64 b; v32 c; string d; std::string e; bool g; double h; }\n"
                 "struct B { vector<A> v; std::map<string, list<A>> m; pair<i8, u16> p;\n"
                 "           optional<set<i64>> o; unordered_map<uint32_t, A> u; }\n"
                 "struct C { x::Y y; std::array<i32, A> z; B b; }\n"
                 "struct D { C c; }\n");
  ASSERT_TRUE(Check(&f).empty());
  const auto& a = f.structs[0].fields;
  EXPECT_EQ(a[0].type.cpp, "int32_t");
  EXPECT_EQ(a[1].type.cpp, "uint64_t");
  EXPECT_EQ(a[2].type.cpp, "rrr::v32");
  EXPECT_EQ(a[3].type.cpp, "std::string");
  EXPECT_EQ(a[4].type.cpp, "std::string");
  const auto& b = f.structs[1].fields;
  EXPECT_EQ(b[0].type.cpp, "std::vector<A>");
  EXPECT_EQ(b[1].type.cpp, "std::map<std::string, std::list<A>>");
  EXPECT_EQ(b[2].type.cpp, "std::pair<int8_t, uint16_t>");
  EXPECT_EQ(b[3].type.cpp, "std::optional<std::set<int64_t>>");
  EXPECT_EQ(b[4].type.cpp, "std::unordered_map<uint32_t, A>");
  const auto& c = f.structs[2].fields;
  EXPECT_EQ(c[0].type.cpp, "x::Y");
  EXPECT_EQ(c[1].type.cpp, "std::array<int32_t, A>");  // passed through as written
  EXPECT_TRUE(f.structs[0].comparable);
  EXPECT_TRUE(f.structs[1].comparable);
  EXPECT_FALSE(f.structs[2].comparable);  // x::Y may lack operator==
  EXPECT_FALSE(f.structs[3].comparable);  // and so may C
}

TEST(SemaTest, MethodIds) {
  File f = Parse("f", "namespace a::b; service S { M(); } service T { M(); }");
  ASSERT_TRUE(Check(&f).empty());
  EXPECT_EQ(f.services[0].methods[0].id_key, "a.b.SService.M");
  EXPECT_EQ(f.services[0].methods[0].id, Fnv1a32("a.b.SService.M"));
  EXPECT_EQ(f.services[1].methods[0].id_key, "a.b.TService.M");
  // a::b and a.b give the same ids.
  File g = Parse("f", "namespace a.b; service S { M(); }");
  ASSERT_TRUE(Check(&g).empty());
  EXPECT_EQ(g.services[0].methods[0].id, f.services[0].methods[0].id);
  File h = Parse("f", "service S { M(); }");
  ASSERT_TRUE(Check(&h).empty());
  EXPECT_EQ(h.services[0].methods[0].id_key, "SService.M");
}

TEST(SemaTest, CollisionThroughHashHook) {
  CheckOptions opt;
  opt.hash = [](const std::string& key) {
    return key.back() == 'Z' || key.back() == 'A' ? 7u : 8u;
  };
  std::string header, errors;
  EXPECT_FALSE(Compile("c.rpc", "namespace n;\nservice S { A(); Z(); }\nservice T {\n  Z(); }\n",
                       opt, &header, &errors));
  EXPECT_EQ(errors,
            "c.rpc:2:18: error: method id 0x00000007 of 'n.SService.Z' collides with "
            "'n.SService.A' (2:13); rename one of them\n"
            "c.rpc:4:3: error: method id 0x00000007 of 'n.TService.Z' collides with "
            "'n.SService.A' (2:13); rename one of them\n");
}

std::string Errors(const std::string& src) {
  std::string header, errors;
  if (Compile("f", src, CheckOptions(), &header, &errors)) return "ok";
  return errors;
}

TEST(SemaTest, Errors) {
  EXPECT_EQ(Errors("struct A { Foo f; }"),
            "f:1:12: error: unknown type 'Foo': declare a struct or enum of that name in this "
            "file, or write the qualified C++ name of a type with rrr::Marshal operators (e.g. "
            "janus::MarshallDeputy)\n");
  EXPECT_EQ(Errors("struct A { A a; }"), "f:1:12: error: struct 'A' cannot contain itself\n");
  EXPECT_EQ(Errors("struct A { i32 x; }\nservice S { M(i32 x, A x | i32 x); }"),
            "f:2:24: error: duplicate parameter 'x' in method M (first declared at 2:19)\n"
            "f:2:32: error: duplicate parameter 'x' in method M (first declared at 2:19)\n");
  EXPECT_EQ(Errors("service S { Foo(); kFoo(); }"),
            "f:1:20: error: method kFoo generates SService::kFoo, which clashes with method Foo "
            "(1:13)\n");
  EXPECT_EQ(Errors("namespace x::class;"),
            "f:1:11: error: namespace component 'class' is a C++ keyword\n");
  EXPECT_EQ(Errors("struct V { v32<i32> x; }"),
            "f:1:12: error: type 'v32' takes no template arguments\n");
  EXPECT_EQ(Errors("service S {} struct SProxy {}"),
            "f:1:9: error: class SProxy generated for service 'S' clashes with struct 'SProxy' "
            "(1:21)\n");
  EXPECT_EQ(Errors("struct A {} service S { M(A a | A b); }"), "ok");
  EXPECT_EQ(Errors("enum E { A = 0 } struct S { E E; }"),
            "f:1:31: error: field name 'E' has the name of a type\n");
  EXPECT_EQ(Errors("enum E { A = 0 } struct E {}"),
            "f:1:25: error: struct 'E' clashes with enum 'E' (1:6)\n");
  EXPECT_EQ(Errors("service S { M(| i32 x); MReply(); }"),
            "f:1:25: error: method MReply generates SProxy::MReply, which clashes with method M "
            "(1:13)\n");
}

TEST(SemaTest, Enums) {
  File f = Parse("f",
                 "struct S { E e; set<E> s; map<E, E> m; unordered_map<E, i32> u; }\n"
                 "enum E { A = -1, B = 0, C = 2147483647, D = -2147483648, }\n"
                 "service V { M(E e | optional<E> o); }\n");
  ASSERT_TRUE(Check(&f).empty());
  EXPECT_EQ(f.structs[0].fields[0].type.cpp, "E");
  EXPECT_TRUE(f.structs[0].comparable);
  EXPECT_EQ(f.enums[0].values[0].value, -1);
  EXPECT_EQ(f.enums[0].values[3].value, INT32_MIN);
  EXPECT_EQ(f.services[0].methods[0].outputs[0].type.cpp, "std::optional<E>");
}

}  // namespace
}  // namespace rpcgen
}  // namespace rrr
