#include "rrr/rpcgen/lexer.h"

#include <cstdio>

namespace rrr {
namespace rpcgen {
namespace {

bool IsIdentStart(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

bool IsIdentChar(char c) { return IsIdentStart(c) || IsDigit(c); }

// Walks the source keeping line and column of the next byte.
class Cursor {
 public:
  explicit Cursor(const std::string& s) : s_(s) {}
  bool AtEnd() const { return pos_ >= s_.size(); }
  char Peek(size_t ahead = 0) const {
    return pos_ + ahead < s_.size() ? s_[pos_ + ahead] : '\0';
  }
  SourceLoc Loc() const { return loc_; }
  void Advance() {
    if (s_[pos_] == '\n') {
      loc_.line++;
      loc_.col = 1;
    } else {
      loc_.col++;
    }
    pos_++;
  }

 private:
  const std::string& s_;
  size_t pos_ = 0;
  SourceLoc loc_;
};

// Skips whitespace and comments. Throws on an unterminated block comment.
void SkipSpace(Cursor* c) {
  for (;;) {
    char ch = c->Peek();
    if (ch == ' ' || ch == '\t' || ch == '\n' || ch == '\r' || ch == '\f' || ch == '\v') {
      c->Advance();
    } else if (ch == '/' && c->Peek(1) == '/') {
      while (!c->AtEnd() && c->Peek() != '\n') c->Advance();
    } else if (ch == '/' && c->Peek(1) == '*') {
      SourceLoc start = c->Loc();
      c->Advance();
      c->Advance();
      while (!(c->Peek() == '*' && c->Peek(1) == '/')) {
        if (c->AtEnd()) throw SyntaxError(start, "unterminated /* comment");
        c->Advance();
      }
      c->Advance();
      c->Advance();
    } else {
      return;
    }
  }
}

std::string CharName(char ch) {
  unsigned char u = static_cast<unsigned char>(ch);
  char buf[16];
  if (u >= 0x21 && u < 0x7f) {
    snprintf(buf, sizeof(buf), "'%c'", ch);
  } else {
    snprintf(buf, sizeof(buf), "byte 0x%02x", u);
  }
  return buf;
}

}  // namespace

std::vector<Token> Lex(const std::string& source) {
  std::vector<Token> out;
  Cursor c(source);
  for (;;) {
    SkipSpace(&c);
    Token t;
    t.loc = c.Loc();
    if (c.AtEnd()) {
      t.kind = Tok::kEnd;
      t.end = t.loc;
      out.push_back(t);
      return out;
    }
    char ch = c.Peek();
    if (IsIdentStart(ch)) {
      while (IsIdentChar(c.Peek())) {
        t.text += c.Peek();
        c.Advance();
      }
      t.kind = Tok::kIdent;
    } else if (IsDigit(ch) || (ch == '-' && IsDigit(c.Peek(1)))) {
      do {
        t.text += c.Peek();
        c.Advance();
      } while (IsDigit(c.Peek()));
      if (IsIdentChar(c.Peek())) {
        throw SyntaxError(t.loc, "bad number '" + t.text + c.Peek() +
                                     "...': write a decimal integer such as 42 or -1");
      }
      t.kind = Tok::kNumber;
    } else if (ch == '"') {
      c.Advance();
      while (c.Peek() != '"') {
        if (c.AtEnd() || c.Peek() == '\n') throw SyntaxError(t.loc, "unterminated string");
        t.text += c.Peek();
        c.Advance();
      }
      c.Advance();
      t.kind = Tok::kString;
    } else if (ch == ':' && c.Peek(1) == ':') {
      t.kind = Tok::kColonColon;
      t.text = "::";
      c.Advance();
      c.Advance();
    } else {
      switch (ch) {
        case '.': t.kind = Tok::kDot; break;
        case ';': t.kind = Tok::kSemi; break;
        case ',': t.kind = Tok::kComma; break;
        case '|': t.kind = Tok::kPipe; break;
        case '{': t.kind = Tok::kLBrace; break;
        case '}': t.kind = Tok::kRBrace; break;
        case '(': t.kind = Tok::kLParen; break;
        case ')': t.kind = Tok::kRParen; break;
        case '<': t.kind = Tok::kLess; break;
        case '>': t.kind = Tok::kGreater; break;
        case '=': t.kind = Tok::kEquals; break;
        case '&':
        case '*':
          throw SyntaxError(t.loc, "unexpected " + CharName(ch) +
                                       ": parameters are written `type name` (outputs go after "
                                       "'|'), without const, & or *");
        default:
          throw SyntaxError(t.loc, "unexpected character " + CharName(ch));
      }
      t.text = std::string(1, ch);
      c.Advance();
    }
    t.end = c.Loc();
    out.push_back(t);
  }
}

std::string Describe(const Token& t) {
  switch (t.kind) {
    case Tok::kIdent: return "identifier '" + t.text + "'";
    case Tok::kEnd: return "end of file";
    case Tok::kString: return "string \"" + t.text + "\"";
    case Tok::kNumber: return "number " + t.text;
    default: return "'" + t.text + "'";
  }
}

}  // namespace rpcgen
}  // namespace rrr
