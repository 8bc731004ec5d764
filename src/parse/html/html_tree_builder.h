// The HTML tree builder (HTML Standard §13.2.6): decides, as a browser does, which element each
// run of text and each start tag of an HTML part belongs to, and has the content writer
// (html_content_writer.h) write what those elements show into an HtmlContent. What it implements
// of tree construction and what it approximates is listed in html_tree_builder.cpp.
#pragma once

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "parse/html/html_tokenizer.h"
#include "vigie/content.h"
#include "vigie/limits.h"

namespace vigie::parse::html {

// The attributes (name, value) of a <body> start tag that came after body content and change
// what is visible (colours, display, visibility...): the DOM applies them to the whole body,
// including what was read before them.
using LateBodyAttributes = std::vector<std::pair<std::string, std::string>>;

// Reads input (UTF-8 HTML, already cut to Limits::max_html_bytes) into out. preset_body: the
// attributes <body> has from the start. Returns the late body attributes when the part must be
// read again with them preset to be seen as the DOM has it (extract_html does), else nothing.
std::optional<LateBodyAttributes> build_tree(std::string_view input, const Limits& limits, HtmlContent& out,
                                             std::span<const HtmlAttribute> preset_body = {});

}  // namespace vigie::parse::html
