// Writing an HtmlContent: whitespace-collapsed text with its byte caps, line breaks, forms, hidden
// groups and the final trim. Whatever builds the tree (the engine's content writer,
// html_content_writer.h, and the test-only gumbo reference in tests/html_reference) calls these, so that
// both produce their output the same way and the differential test between them measures the
// tree walk only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "vigie/content.h"
#include "vigie/limits.h"

namespace vigie::parse::html {

// The part of utf8_html that is read: at most limits.max_html_bytes, cut back to a UTF-8
// boundary so that no half character reaches the parser; sets out.truncated when it cuts.
std::string_view cut_to_limit(std::string_view utf8_html, const Limits& limits, HtmlContent& out);

// Output bounds: a hostile part can hold millions of links or hidden spans.
constexpr std::size_t kMaxForms = 1000;
constexpr std::size_t kMaxHidden = 1000;
constexpr std::size_t kMaxHiddenTextBytes = 300;
constexpr std::size_t kMaxAnchorTextBytes = 256;
constexpr std::size_t kMaxTitleBytes = 1024;

// Appends text with whitespace runs (and NBSP, U+00A0) collapsed to one space, no leading space
// on a line, stopping at cap bytes. A character started under the cap is finished, so out may pass
// it by a few bytes until finish_content cuts it back at a UTF-8 boundary.
void append_collapsed(std::string& out, std::string_view text, std::size_t cap);

// Ends the current line of out (a block starts or ends).
void line_break(std::string& out);

// Records a <form> while there is room; returns its index, or enclosing when the list is full.
std::int32_t open_form(HtmlContent& out, std::string_view action, std::string_view method,
                       std::int32_t enclosing);

// Counts a form control (<input>, <textarea>, <select>) for form, or for the last form opened
// when it sits outside any <form> subtree (HTML's form element pointer, e.g. a <form> emptied by
// a table). Hidden inputs do not count; password inputs mark the form.
void count_form_control(HtmlContent& out, std::int32_t form, bool is_input, std::string_view type);

// The hidden group an element's text goes to, once its style is applied: none when it is
// visible, a new one (while there is room) when it is what hides its subtree (before: the
// inherited reason, after: its own), else the one it inherited.
std::int32_t hidden_group_after_style(HtmlContent& out, std::int32_t inherited, const char* before,
                                      const char* after, bool not_rendered);

// The end of a part: texts trimmed and cut to their caps, empty hidden groups dropped.
void finish_content(HtmlContent& out);

}  // namespace vigie::parse::html
