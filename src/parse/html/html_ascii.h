// ASCII helpers of the HTML modules (html_style, html_links, html_output, html_extract): case-
// insensitive comparison and the HTML notion of whitespace (§2.3.1: space, tab, LF, CR, FF, not
// VT). Header-only and constexpr/inline because they run per byte on the extractor's hot path.
// They live in vigie::parse::html so that they cannot clash with parse::detail's header helpers
// (header_lexer.h), whose whitespace set differs.
#pragma once

#include <cstddef>
#include <string_view>

#include "common/ascii.h"

namespace vigie::parse::html {

// Locale-independent on purpose: std::tolower depends on the global locale.
constexpr char ascii_lower(char c) { return ascii::lower(c); }
using ascii::iequals;
using ascii::istarts_with;
constexpr bool is_html_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}
constexpr std::string_view trim(std::string_view s) {
  while (!s.empty() && is_html_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_html_space(s.back())) s.remove_suffix(1);
  return s;
}

}  // namespace vigie::parse::html
