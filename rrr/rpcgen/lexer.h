// Tokenizer for .rpc files. Skips whitespace, `// line` and `/* block */` comments.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "rrr/rpcgen/ast.h"

namespace rrr {
namespace rpcgen {

enum class Tok {
  kIdent,       // [A-Za-z_][A-Za-z0-9_]*  (keywords are identifiers; the parser decides)
  kColonColon,  // ::
  kDot,         // .
  kSemi,        // ;
  kComma,       // ,
  kPipe,        // |
  kLBrace,      // {
  kRBrace,      // }
  kLParen,      // (
  kRParen,      // )
  kLess,        // <
  kGreater,     // >  (never `>>`: nested templates close one `>` at a time)
  kEquals,      // =
  kNumber,      // -?[0-9]+ (decimal; a '-' must touch the digits); text as written
  kString,      // "..." on one line, no escapes; text is the content without the quotes
  kEnd,         // end of input
};

struct Token {
  Tok kind = Tok::kEnd;
  std::string text;  // the identifier, or the punctuation as written
  SourceLoc loc;     // first byte
  SourceLoc end;     // one past the last byte (same line: tokens never span lines)
};

// A located syntax error. The message has no "file:line:col:" prefix; Compile adds it.
class SyntaxError : public std::runtime_error {
 public:
  SyntaxError(SourceLoc loc, const std::string& message)
      : std::runtime_error(message), loc_(loc) {}
  SourceLoc loc() const { return loc_; }

 private:
  SourceLoc loc_;
};

// Splits `source` into tokens, the last being kEnd. Throws SyntaxError on a character that
// starts no token, an unterminated block comment or an unterminated string.
std::vector<Token> Lex(const std::string& source);

// Human description of a token for messages: `';'`, `identifier 'foo'`, `end of file`.
std::string Describe(const Token& t);

}  // namespace rpcgen
}  // namespace rrr
