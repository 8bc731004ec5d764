// Lexical helpers shared by the header grammars of this folder (internal, not installed): the
// whitespace, comment and quoted-string rules of RFC 5322 §3.2.1-§3.2.4 and ASCII case folding.
// Every helper advances an index over the input and never looks back, so callers stay linear.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "common/ascii.h"

namespace vigie::parse::detail {

// RFC 5322 §3.2.2 WSP, plus CR and LF: callers get raw values that may still be folded, and a
// line break inside a value can only be folding whitespace once the field has been split out.
inline bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

inline bool is_digit(char c) { return c >= '0' && c <= '9'; }

inline bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }

// Locale-independent ASCII case folding (common/ascii.h): std::tolower depends on the global
// locale and would fold 8-bit bytes differently from one host to another.
using ascii::iequals;
using ascii::istarts_with;
using ascii::lower;
inline std::string to_lower(std::string_view s) { return ascii::lowercase(s); }

inline std::string_view trim(std::string_view s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_space(s.back())) s.remove_suffix(1);
  return s;
}

// Consumes a comment starting at s[i] == '(' (RFC 5322 §3.2.2: comments nest and may hold
// quoted-pairs). Nesting is tracked with a counter rather than recursion so that a hostile
// "((((((..." costs no stack. When content is given, receives the comment text without the outer
// parentheses, quoted-pairs resolved and nested parentheses kept. An unterminated comment runs to
// the end of input and sets malformed.
inline void skip_comment(std::string_view s, std::size_t& i, std::string* content,
                         bool& malformed) {
  std::size_t depth = 0;
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '\\' && i + 1 < s.size()) {
      ++i;
      if (content) content->push_back(s[i]);
      continue;
    }
    if (c == '(') {
      if (depth++ > 0 && content) content->push_back(c);
    } else if (c == ')') {
      if (--depth == 0) {
        ++i;
        return;
      }
      if (content) content->push_back(c);
    } else if (content) {
      content->push_back(c);
    }
  }
  malformed = true;
}

// Skips CFWS (RFC 5322 §3.2.2): whitespace, folding and comments.
inline void skip_cfws(std::string_view s, std::size_t& i, bool& malformed) {
  while (i < s.size()) {
    if (is_space(s[i])) {
      ++i;
    } else if (s[i] == '(') {
      skip_comment(s, i, nullptr, malformed);
    } else {
      return;
    }
  }
}

// Reads a quoted-string starting at s[i] == '"' (RFC 5322 §3.2.4), appending its content with
// quoted-pairs resolved. Folding inside the quotes is removed (§3.2.4: the CRLF is not part of the
// content). An unterminated string runs to the end of input and sets malformed.
inline void read_quoted_string(std::string_view s, std::size_t& i, std::string& out,
                               bool& malformed) {
  ++i;  // opening quote
  for (; i < s.size(); ++i) {
    const char c = s[i];
    if (c == '"') {
      ++i;
      return;
    }
    if (c == '\\' && i + 1 < s.size()) {
      out.push_back(s[++i]);
    } else if (c == '\r' || c == '\n') {
      continue;
    } else {
      out.push_back(c);
    }
  }
  malformed = true;
}

}  // namespace vigie::parse::detail
