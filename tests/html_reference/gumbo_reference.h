// TEST-ONLY: the former gumbo-based HTML extractor, kept as the reference that the engine's own
// tokenizer-based extract_html (src/parse/html/html_extract.h) is compared against. Same contract
// as vigie::parse::extract_html. Never linked into the engine.
#pragma once

#include <string_view>

#include "vigie/content.h"
#include "vigie/limits.h"

namespace vigie::testing {

HtmlContent gumbo_extract_html(std::string_view utf8_html, const Limits& limits);

}  // namespace vigie::testing
