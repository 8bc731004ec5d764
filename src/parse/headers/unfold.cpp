// Unfolding of header field values (RFC 5322 §2.2.3). The message parser hands over a field value
// exactly as it sits in the message, folding included; every structured grammar of this folder
// either calls unfold() or treats CR/LF as whitespace itself.
#include "parse/headers/header_grammar.h"

#include "parse/headers/header_lexer.h"

namespace vigie::parse {

std::string unfold(std::string_view raw_value) {
  // §2.2.3: unfolding removes every CRLF that precedes WSP and keeps the WSP. Bare CR or LF and
  // line breaks not followed by WSP are dropped as well: inside one field value they can only be
  // damaged folding (a lone LF from a Unix mailer, a CR from a broken gateway), and keeping them
  // would let a value smuggle a line break into logs and reports.
  std::string out;
  out.reserve(raw_value.size());
  for (const char c : raw_value) {
    if (c == '\r' || c == '\n') continue;
    out.push_back(c);
  }
  const std::string_view trimmed = detail::trim(out);
  return std::string(trimmed);
}

}  // namespace vigie::parse
