#include "rrr/rpcgen/parser.h"

#include <utility>

namespace rrr {
namespace rpcgen {
namespace {

class Parser {
 public:
  explicit Parser(std::vector<Token> toks) : toks_(std::move(toks)) {}

  void ParseFile(File* f) {
    while (IsWord("include")) ParseInclude(f);
    if (IsWord("namespace")) ParseNamespace(f);
    while (Peek().kind != Tok::kEnd) {
      if (IsWord("include")) {
        ParseInclude(f);
      } else if (IsWord("struct")) {
        f->structs.push_back(ParseStruct());
      } else if (IsWord("enum")) {
        f->enums.push_back(ParseEnum());
      } else if (IsWord("service") || IsWord("abstract")) {
        f->services.push_back(ParseService());
      } else if (IsWord("namespace")) {
        throw SyntaxError(Peek().loc,
                          "the namespace must be declared once, before any struct or service");
      } else {
        throw SyntaxError(Peek().loc, "expected 'struct', 'enum', 'service' or 'include', found " +
                                          Describe(Peek()));
      }
    }
  }

 private:
  const Token& Peek(size_t ahead = 0) const {
    size_t i = pos_ + ahead;
    return i < toks_.size() ? toks_[i] : toks_.back();
  }
  bool IsWord(const char* w) const { return Peek().kind == Tok::kIdent && Peek().text == w; }
  Token Next() {
    Token t = Peek();
    if (pos_ < toks_.size() - 1) pos_++;
    return t;
  }

  // Consumes a token of `kind` or throws "expected <what>, found ...". A missing ';' is reported
  // just after the previous token, where it belongs; other errors at the unexpected token.
  Token Expect(Tok kind, const std::string& what) {
    if (Peek().kind == kind) return Next();
    SourceLoc at = Peek().loc;
    if (kind == Tok::kSemi && pos_ > 0) at = toks_[pos_ - 1].end;
    throw SyntaxError(at, "expected " + what + ", found " + Describe(Peek()));
  }

  void ExpectWord(const char* w) {
    if (!IsWord(w)) Expect(Tok::kEnd, std::string("'") + w + "'");  // always throws
    Next();
  }

  void ParseInclude(File* f) {
    Next();
    Token path = Expect(Tok::kString, "a quoted header path after 'include'");
    if (path.text.empty()) throw SyntaxError(path.loc, "empty include path");
    f->includes.push_back(path.text);
    Expect(Tok::kSemi, "';' after the include");
  }

  void ParseNamespace(File* f) {
    Next();
    f->ns_loc = Peek().loc;
    f->ns.push_back(Expect(Tok::kIdent, "a namespace name").text);
    while (Peek().kind == Tok::kColonColon || Peek().kind == Tok::kDot) {
      Next();
      f->ns.push_back(Expect(Tok::kIdent, "a namespace component after '::' or '.'").text);
    }
    Expect(Tok::kSemi, "';' after the namespace");
  }

  StructDecl ParseStruct() {
    StructDecl s;
    Next();
    Token name = Expect(Tok::kIdent, "a struct name");
    s.name = name.text;
    s.loc = name.loc;
    Expect(Tok::kLBrace, "'{' after the struct name");
    while (Peek().kind != Tok::kRBrace) {
      if (Peek().kind == Tok::kEnd) Expect(Tok::kRBrace, "'}' closing struct " + s.name);
      Field fld = ParseField("field");
      Expect(Tok::kSemi, "';' after field '" + fld.name + "'");
      s.fields.push_back(std::move(fld));
    }
    Next();
    if (Peek().kind == Tok::kSemi) Next();
    return s;
  }

  // enum Name { A = 0, B = 1 }: values separated by ',' (a trailing ',' is allowed).
  EnumDecl ParseEnum() {
    EnumDecl e;
    Next();
    Token name = Expect(Tok::kIdent, "an enum name");
    e.name = name.text;
    e.loc = name.loc;
    Expect(Tok::kLBrace, "'{' after the enum name");
    while (Peek().kind != Tok::kRBrace) {
      Enumerator v;
      Token vname = Expect(Tok::kIdent, "an enumerator name or '}' in enum " + e.name);
      v.name = vname.text;
      v.loc = vname.loc;
      Expect(Tok::kEquals, "'=' and a value after enumerator '" + v.name + "'");
      Token num = Expect(Tok::kNumber, "a number after '" + v.name + " ='");
      v.value_text = num.text;
      v.value_loc = num.loc;
      e.values.push_back(std::move(v));
      if (Peek().kind != Tok::kComma) break;
      Next();
    }
    Expect(Tok::kRBrace, "',' or '}' in enum " + e.name);
    if (Peek().kind == Tok::kSemi) Next();
    return e;
  }

  ServiceDecl ParseService() {
    ServiceDecl svc;
    if (IsWord("abstract")) {
      Next();
      svc.is_abstract = true;
    }
    ExpectWord("service");
    Token name = Expect(Tok::kIdent, "a service name");
    svc.name = name.text;
    svc.loc = name.loc;
    Expect(Tok::kLBrace, "'{' after the service name");
    while (Peek().kind != Tok::kRBrace) {
      if (Peek().kind == Tok::kEnd) Expect(Tok::kRBrace, "'}' closing service " + svc.name);
      svc.methods.push_back(ParseMethod());
    }
    Next();
    if (Peek().kind == Tok::kSemi) Next();
    return svc;
  }

  Method ParseMethod() {
    Method m;
    // A qualifier is a keyword only when another identifier (the name) follows it.
    if (Peek().kind == Tok::kIdent && Peek(1).kind == Tok::kIdent) {
      const std::string& q = Peek().text;
      if (q == "defer") {
        m.kind = MethodKind::kDefer;
      } else if (q == "fast") {
        m.kind = MethodKind::kFast;
      } else if (q == "raw") {
        m.kind = MethodKind::kRaw;
      } else {
        throw SyntaxError(Peek().loc, "unknown method qualifier '" + q +
                                          "' (expected 'defer', 'fast' or 'raw')");
      }
      Next();
    }
    Token name = Expect(Tok::kIdent, "a method name");
    m.name = name.text;
    m.loc = name.loc;
    Expect(Tok::kLParen, "'(' after the method name");
    ParseParams(&m.inputs, Tok::kPipe);
    if (Peek().kind == Tok::kPipe) {
      Next();
      ParseParams(&m.outputs, Tok::kRParen);
    }
    Expect(Tok::kRParen, "')' closing the parameters of " + m.name);
    Expect(Tok::kSemi, "';' after method " + m.name);
    return m;
  }

  // Parses a possibly empty comma-separated list ending before ')' or `stop`.
  void ParseParams(std::vector<Field>* out, Tok stop) {
    if (Peek().kind == Tok::kRParen || Peek().kind == stop) return;
    for (;;) {
      out->push_back(ParseField("parameter"));
      if (Peek().kind != Tok::kComma) return;
      Next();
    }
  }

  Field ParseField(const std::string& what) {
    Field f;
    f.type = ParseType();
    Token name = Expect(Tok::kIdent, "a " + what + " name after the type");
    f.name = name.text;
    f.loc = name.loc;
    return f;
  }

  TypeRef ParseType(int depth = 0) {
    TypeRef t;
    t.loc = Peek().loc;
    if (depth > kMaxTypeDepth) throw SyntaxError(t.loc, "type nested too deeply");
    if (Peek().kind == Tok::kColonColon) {
      Next();
      t.global = true;
    }
    t.parts.push_back(Expect(Tok::kIdent, "a type").text);
    while (Peek().kind == Tok::kColonColon) {
      Next();
      t.parts.push_back(Expect(Tok::kIdent, "a name after '::'").text);
    }
    if (Peek().kind == Tok::kLess) {
      Next();
      t.has_args = true;
      for (;;) {
        t.args.push_back(ParseType(depth + 1));
        if (Peek().kind != Tok::kComma) break;
        Next();
      }
      Expect(Tok::kGreater, "',' or '>' in the template arguments of " + t.Name());
    }
    return t;
  }

  static constexpr int kMaxTypeDepth = 32;  // bounds the recursion on hostile input

  std::vector<Token> toks_;
  size_t pos_ = 0;
};

}  // namespace

std::string TypeRef::Name() const {
  std::string s = global ? "::" : "";
  for (size_t i = 0; i < parts.size(); i++) {
    if (i > 0) s += "::";
    s += parts[i];
  }
  return s;
}

File Parse(const std::string& filename, const std::string& source) {
  File f;
  f.filename = filename;
  Parser p(Lex(source));
  p.ParseFile(&f);
  return f;
}

}  // namespace rpcgen
}  // namespace rrr
