// HTML → what the reader sees and what the message links to. Uses gumbo (an HTML5-conformant
// tokenizer and tree builder, the algorithm browsers implement) so that vigie parses malformed
// markup exactly as a browser does, then walks the tree once, applying inline styles
// (display/visibility/font-size/colour, inherited through ancestors) to decide what is visible.
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
