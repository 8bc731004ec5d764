// HTML → HtmlContent, the entry point of src/parse/html: cuts the part to its limit and has the
// tree builder (html_tree_builder.cpp) read it, with the content writer (html_content_writer.h)
// producing the visible text, links, forms and hidden text; reads the part a second time in the
// one case where what is visible depends on a tag that came after the content it applies to.
#include "parse/html/html_extract.h"

#include <optional>
#include <vector>

#include "parse/html/html_output.h"
#include "parse/html/html_tokenizer.h"
#include "parse/html/html_tree_builder.h"

namespace vigie::parse {

HtmlContent extract_html(std::string_view utf8_html, const Limits& limits) {
  HtmlContent out;
  utf8_html = html::cut_to_limit(utf8_html, limits, out);
  const bool truncated = out.truncated;
  const std::optional<html::LateBodyAttributes> late_body = html::build_tree(utf8_html, limits, out);
  if (!late_body) return out;
  // At most once, and only for the rare part whose <body bgcolor/text/style> follows content
  // (a known hiding trick: white text before <body bgcolor=white>).
  std::vector<HtmlAttribute> preset;
  for (const auto& [name, value] : *late_body) preset.push_back(HtmlAttribute{name, value});
  HtmlContent again;
  again.truncated = truncated;
  // Every late body attribute is preset now, so this reading finds none to add.
  (void)html::build_tree(utf8_html, limits, again, preset);
  return again;
}

}  // namespace vigie::parse
