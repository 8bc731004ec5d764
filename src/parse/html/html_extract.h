// HTML → what the reader sees and what the message links to. vigie's own WHATWG tokenizer
// (html_tokenizer.h, HTML Standard §13.2.5) and a light tree builder that keeps the stack of open
// elements, the active formatting elements and the insertion mode of §13.2.6 (no tree:
// html_tree_builder.cpp, with its tag table in html_tags.h) read malformed markup the way a browser
// does; the content writer (html_content_writer.h) turns the elements into text, links, forms and
// hidden text, with inline styles (display/visibility/font-size/colour, inherited through
// ancestors) deciding what is visible. A test-only differential test holds it to the gumbo HTML5
// tree builder on the shared corpus (tests/html_reference).
// Thread-safe; allocation bounded by the input size and Limits.
#pragma once

#include <string_view>

#include "vigie/content.h"
#include "vigie/limits.h"

namespace vigie::parse {

// Extracts visible text, links (href/src/action/srcset/meta refresh/CSS url()/...), forms,
// scripts and hidden text from UTF-8 HTML. Input beyond limits.max_html_bytes is cut (truncated
// flag set). Each URL carries its raw value and source and is filled by normalize_url
// (parse/url), the one place that owns URL normalisation; anchor_text is set for <a>/<area>.
HtmlContent extract_html(std::string_view utf8_html, const Limits& limits);

}  // namespace vigie::parse
