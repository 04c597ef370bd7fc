#include "rrr/rpcgen/lexer.h"

#include <gtest/gtest.h>

namespace rrr {
namespace rpcgen {
namespace {

std::string Kinds(const std::vector<Token>& toks) {
  std::string s;
  for (const Token& t : toks) s += (s.empty() ? "" : " ") + (t.kind == Tok::kEnd ? "$" : t.text);
  return s;
}

TEST(LexerTest, PunctuationAndIdentifiers) {
  std::vector<Token> t = Lex("namespace a::b.c; x<y<z>>{}(|),_q1");
  EXPECT_EQ(Kinds(t), "namespace a :: b . c ; x < y < z > > { } ( | ) , _q1 $");
  EXPECT_EQ(t[0].kind, Tok::kIdent);
  EXPECT_EQ(t[2].kind, Tok::kColonColon);
  EXPECT_EQ(t[12].kind, Tok::kGreater);
  EXPECT_EQ(t[13].kind, Tok::kGreater);
}

TEST(LexerTest, Locations) {
  std::vector<Token> t = Lex("a\n  bc;\n\tdd");
  ASSERT_EQ(t.size(), 5u);
  EXPECT_EQ(t[1].loc.line, 2);
  EXPECT_EQ(t[1].loc.col, 3);
  EXPECT_EQ(t[1].end.col, 5);
  EXPECT_EQ(t[2].loc.col, 5);  // ';'
  EXPECT_EQ(t[3].loc.line, 3);
  EXPECT_EQ(t[3].loc.col, 2);  // a tab is one column
  EXPECT_EQ(t[4].kind, Tok::kEnd);
  EXPECT_EQ(t[4].loc.col, 4);
}

TEST(LexerTest, Comments) {
  std::vector<Token> t = Lex("a // b c\n/* d\n e */ f /**/g/*x*/");
  EXPECT_EQ(Kinds(t), "a f g $");
  EXPECT_EQ(t[1].loc.line, 3);
  EXPECT_EQ(t[1].loc.col, 7);
}

TEST(LexerTest, EmptyInput) {
  EXPECT_EQ(Kinds(Lex("")), "$");
  EXPECT_EQ(Kinds(Lex("  // only a comment")), "$");
}

SourceLoc ErrorAt(const std::string& src, std::string* msg) {
  try {
    Lex(src);
  } catch (const SyntaxError& e) {
    *msg = e.what();
    return e.loc();
  }
  ADD_FAILURE() << "no error for " << src;
  return {};
}

TEST(LexerTest, Errors) {
  std::string msg;
  SourceLoc l = ErrorAt("a\n /* open", &msg);
  EXPECT_EQ(msg, "unterminated /* comment");
  EXPECT_EQ(l.line, 2);
  EXPECT_EQ(l.col, 2);
  l = ErrorAt("x @ 3", &msg);
  EXPECT_EQ(msg, "unexpected character '@'");
  EXPECT_EQ(l.col, 3);
  l = ErrorAt("x = 12ab", &msg);
  EXPECT_EQ(msg, "bad number '12a...': write a decimal integer such as 42 or -1");
  EXPECT_EQ(l.col, 5);
  ErrorAt("x - 1", &msg);
  EXPECT_EQ(msg, "unexpected character '-'");
  ErrorAt("a:b", &msg);
  EXPECT_EQ(msg, "unexpected character ':'");
  ErrorAt("\x01", &msg);
  EXPECT_EQ(msg, "unexpected character byte 0x01");
  ErrorAt("i32& a", &msg);
  EXPECT_NE(msg.find("without const, & or *"), std::string::npos) << msg;
}

TEST(LexerTest, Strings) {
  std::vector<Token> t = Lex("include \"a/b.h\";");
  ASSERT_EQ(t.size(), 4u);
  EXPECT_EQ(t[1].kind, Tok::kString);
  EXPECT_EQ(t[1].text, "a/b.h");
  EXPECT_EQ(t[1].loc.col, 9);
  EXPECT_EQ(t[2].loc.col, 16);
  EXPECT_EQ(Describe(t[1]), "string \"a/b.h\"");
  std::string msg;
  SourceLoc l = ErrorAt("x \"open\n\"", &msg);
  EXPECT_EQ(msg, "unterminated string");
  EXPECT_EQ(l.col, 3);
}

TEST(LexerTest, NumbersAndEquals) {
  std::vector<Token> t = Lex("A = 0, B=-12,C = 2147483648");
  EXPECT_EQ(Kinds(t), "A = 0 , B = -12 , C = 2147483648 $");
  EXPECT_EQ(t[1].kind, Tok::kEquals);
  EXPECT_EQ(t[2].kind, Tok::kNumber);
  EXPECT_EQ(t[6].kind, Tok::kNumber);
  EXPECT_EQ(t[6].text, "-12");
  EXPECT_EQ(Describe(t[6]), "number -12");
}

TEST(LexerTest, Describe) {
  std::vector<Token> t = Lex("foo ;");
  EXPECT_EQ(Describe(t[0]), "identifier 'foo'");
  EXPECT_EQ(Describe(t[1]), "';'");
  EXPECT_EQ(Describe(t[2]), "end of file");
}

}  // namespace
}  // namespace rpcgen
}  // namespace rrr
