#include "parse/html/html_links.h"

namespace vigie::parse::html {

std::string_view meta_refresh_url(std::string_view content) {
  std::size_t p = 0;
  const std::size_t n = content.size();
  while (p < n && is_html_space(content[p])) ++p;
  while (p < n && ((content[p] >= '0' && content[p] <= '9') || content[p] == '.')) ++p;
  while (p < n && is_html_space(content[p])) ++p;
  if (p < n && (content[p] == ';' || content[p] == ',')) ++p;
  while (p < n && is_html_space(content[p])) ++p;
  if (p >= n) return {};
  if (istarts_with(content.substr(p), "url")) {
    std::size_t q = p + 3;
    while (q < n && is_html_space(content[q])) ++q;
    if (q < n && content[q] == '=') {
      ++q;
      while (q < n && is_html_space(content[q])) ++q;
      p = q;
    }
  }
  if (p < n && (content[p] == '"' || content[p] == '\'')) {
    const char quote = content[p];
    const std::size_t end = content.find(quote, p + 1);
    return trim(content.substr(p + 1, (end == std::string_view::npos ? n : end) - p - 1));
  }
  return trim(content.substr(p));
}

}  // namespace vigie::parse::html
