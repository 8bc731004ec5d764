// The content writer: what the elements of an HTML part put into its HtmlContent while the tree
// builder (html_tree_builder.cpp) reads it: visible text with the line breaks of blocks and the
// separators of cells, hidden text grouped by what hides it, links with their anchor text, forms
// and their controls, the title, script and event-handler counts, and the url() references of
// <style> elements. Text foster-parented out of a table (§13.2.6.1) is kept aside and spliced in
// front of the table when the table closes, where the DOM places it.
//
// An element is entered when it is opened (its links, form data and visibility style, inherited
// from its parent as CSS inheritance would) and left when it is closed, so the output is written
// while parsing, in document order, in bounded memory; the tree builder decides when.
//
// Visibility: inline style attributes and legacy presentational attributes (bgcolor, <font
// color>, hidden) are applied and inherited; stylesheets in <style> are not applied (only their
// url() references are collected): mail clients strip or rewrite them, and inline styles are what
// hiding tricks use.
//
// The writing primitives (whitespace collapsing, caps, forms, hidden groups) are html_output.h's,
// shared with the test-only gumbo reference. The members are defined here, inline: enter, leave
// and text run for every element and every run of text of every HTML part.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "parse/html/html_ascii.h"
#include "parse/html/html_attributes.h"
#include "parse/html/html_links.h"
#include "parse/html/html_output.h"
#include "parse/html/html_style.h"
#include "parse/html/html_tags.h"
#include "parse/url/url.h"
#include "vigie/content.h"
#include "vigie/limits.h"

namespace vigie::parse::html {

// An open element: what the tree builder needs to know of it (name, namespace, place in the list
// of active formatting elements) and what its subtree inherits for the output (style, the hidden
// group, link and form it feeds...).
struct Element {
  Tag tag = Tag::kHtml;
  Ns ns = Ns::kHtml;
  bool formatting = false;   // has an entry in the list of active formatting elements
  bool not_rendered = false;
  bool block = false;
  bool cell = false;
  bool title = false;
  bool style_element = false;
  std::uint64_t hash = 0;    // name hash of an unknown element (end tags match by it)
  std::uint32_t id = 0;
  std::uint32_t depth = 0;   // html is 1, as in the DOM
  Style style;
  std::int32_t hidden_group = -1;  // index in hidden entries this subtree's hidden text goes to
  std::int32_t link = -1;          // <a> whose anchor text this subtree feeds
  std::int32_t form = -1;          // innermost <form>
  std::int32_t sink = -1;          // foster-parented subtree: table record whose foster text it feeds
  std::int32_t table_record = -1;  // <table>: its record (ContentWriter::open_table)
};

class ContentWriter {
 public:
  // Bytes of already-written text that foster-parented text may be inserted in front of, in total
  // (each insertion moves the table's text); past it, foster text is written after the table.
  static constexpr std::size_t kMaxFosterMoveBytes = 64u << 20;

  ContentWriter(std::size_t input_size, const Limits& limits, HtmlContent& out) : limits_(limits), out_(out) {
    out_.visible_text.reserve(std::min<std::size_t>(input_size / 2 + 64, 1u << 20));
  }

  // e is opened with attributes a: its links, form and form controls, counts, the line break or
  // separator that starts a block or a cell, and its visibility (unless it is deeper than
  // Limits::max_html_depth). e inherited its parent's fields; this sets its own.
  void enter(Element& e, const ElementAttributes& a) {
    const Tag tag = e.tag;
    const bool html_ns = e.ns == Ns::kHtml;
    const bool style_allowed = e.depth <= limits_.max_html_depth;
    out_.event_handler_count += a.handlers;

    // Links. The anchor's href is added here because its anchor text is tied to it.
    const LinkElement link_kind = kLinkElements[static_cast<std::size_t>(tag)];
    if (link_kind == LinkElement::kAnchor && !trim(a.href).empty() && out_.links.size() < limits_.max_urls) {
      add_link(a.href, UrlSource::kHref);
      e.link = static_cast<std::int32_t>(out_.links.size()) - 1;
    }
    for_each_attribute_url(link_kind,
                           UrlAttributes{a.href, a.src, a.srcset, a.style, a.action, a.formaction,
                                         a.http_equiv, a.content, a.background, a.poster, a.data, a.cite},
                           [&](std::string_view raw, UrlSource source) { add_link(raw, source); });

    if (tag == Tag::kForm) e.form = open_form(out_, a.action, a.method, e.form);
    if (tag == Tag::kInput || tag == Tag::kTextarea || tag == Tag::kSelect) {
      count_form_control(out_, e.form, tag == Tag::kInput, a.type);
    }

    if (tag == Tag::kScript) ++out_.script_count;
    if (tag == Tag::kStyle) e.style_element = true;
    if (tag == Tag::kTitle && html_ns) e.title = true;
    if (has(tag, kNotRendered)) e.not_rendered = true;
    e.block = has(tag, kBlock) && html_ns;
    e.cell = (tag == Tag::kTd || tag == Tag::kTh) && html_ns;
    if (e.block) break_line(e);
    if (e.cell) separate(e);

    // Visibility: inline style and presentational attributes, unless past the depth limit.
    if (style_allowed) {
      const char* before = e.style.reason();
      apply_element_style(StyleAttributes{a.bgcolor, tag == Tag::kFont ? a.colour : std::string_view(),
                                          tag == Tag::kBody ? a.text : std::string_view(), a.style, a.hidden},
                          e.style);
      e.hidden_group = hidden_group_after_style(out_, e.hidden_group, before, e.style.reason(), e.not_rendered);
    }
  }

  // e is closed: the line break or separator that ends a block or a cell, the foster text of a
  // table, the end of the title, the url() references of a <style>.
  void leave(const Element& e) {
    if (e.block) break_line(e);
    if (e.cell) separate(e);
    if (e.table_record >= 0) splice_foster_text(static_cast<std::size_t>(e.table_record));
    if (e.title && !title_done_ && !out_.title.empty()) title_done_ = true;
    if (e.tag == Tag::kStyle && !css_.empty()) {
      for_each_css_url(css_, [&](std::string_view u) { add_link(u, UrlSource::kCssUrl); });
      css_.clear();
    }
  }

  // Text inside e: visible text (and the anchor text of the link e feeds), hidden text, the
  // title, or the CSS of a <style>, by what e inherited.
  void text(const Element& e, std::string_view t) {
    if (e.style_element) {
      css_.append(t);
      return;
    }
    if (e.title) {
      if (!title_done_) append_collapsed(out_.title, t, kMaxTitleBytes);
      return;
    }
    if (e.not_rendered) return;
    if (e.hidden_group >= 0) {
      append_collapsed(out_.hidden[static_cast<std::size_t>(e.hidden_group)].text, t, kMaxHiddenTextBytes);
      return;
    }
    if (e.style.reason() != nullptr) return;  // hidden, but the hidden list is full
    append_collapsed(sink(e), t, SIZE_MAX);
    if (e.link >= 0) append_collapsed(out_.links[static_cast<std::size_t>(e.link)].anchor_text, t, kMaxAnchorTextBytes);
  }

  // A <table> is opened as e (whose sink says where its own text goes): returns the record of
  // where its text starts, for e.table_record and for the foster text of elements misplaced in it.
  std::int32_t open_table(const Element& e) {
    TableRecord record;
    record.sink = e.sink;
    record.position = sink(e).size();
    tables_.push_back(std::move(record));
    return static_cast<std::int32_t>(tables_.size()) - 1;
  }

  // The input was cut before its end (a tree-building bound).
  void mark_truncated() { out_.truncated = true; }

  // The part ends (every element was left): texts trimmed and cut to their caps.
  void finish() { finish_content(out_); }

 private:
  // A table being read: where its text starts in the string it is written to, and the text
  // foster-parented out of it (§13.2.6.1), which goes before the table when the table closes.
  struct TableRecord {
    std::int32_t sink = -1;  // -1: visible_text; else another table's foster text
    std::size_t position = 0;
    std::string foster;
  };

  // Where e's visible text goes: the visible text, or the foster text of the table it was
  // misplaced in.
  std::string& sink(const Element& e) {
    return e.sink >= 0 ? tables_[static_cast<std::size_t>(e.sink)].foster : out_.visible_text;
  }

  void add_link(std::string_view raw, UrlSource source) {
    raw = trim(raw);
    if (raw.empty() || out_.links.size() >= limits_.max_urls) return;
    out_.links.push_back(normalize_url(raw, source));
  }

  // The table closed: its foster-parented text goes where the table started. Each splice moves
  // the table's own text once; kMaxFosterMoveBytes bounds that work for hostile input, past which
  // foster text is appended after the table instead.
  void splice_foster_text(std::size_t index) {
    TableRecord& r = tables_[index];
    if (r.foster.empty()) return;
    std::string& target = r.sink >= 0 ? tables_[static_cast<std::size_t>(r.sink)].foster : out_.visible_text;
    const std::size_t position = std::min(r.position, target.size());
    std::string text = std::move(r.foster);
    r.foster.clear();
    foster_moved_ += target.size() - position;
    if (foster_moved_ > kMaxFosterMoveBytes) {
      append_collapsed(target, text, SIZE_MAX);
      return;
    }
    // The table that follows is a block: the foster text ends a line.
    while (!text.empty() && text.back() == ' ') text.pop_back();
    if (!text.empty() && text.back() != '\n') text.push_back('\n');
    if (position < target.size() && target[position] == '\n') text.pop_back();
    target.insert(position, text);
  }

  void break_line(const Element& e) {
    if (e.not_rendered || e.style.reason() != nullptr) {
      if (e.hidden_group >= 0) {
        append_collapsed(out_.hidden[static_cast<std::size_t>(e.hidden_group)].text, " ", kMaxHiddenTextBytes);
      }
      return;
    }
    line_break(sink(e));
    if (e.link >= 0) append_collapsed(out_.links[static_cast<std::size_t>(e.link)].anchor_text, " ", kMaxAnchorTextBytes);
  }

  void separate(const Element& e) {
    if (e.not_rendered || e.style.reason() != nullptr) return;
    append_collapsed(sink(e), " ", SIZE_MAX);
  }

  const Limits& limits_;
  HtmlContent& out_;
  std::string css_;  // text of the open <style>, read for url() when it closes
  std::vector<TableRecord> tables_;
  std::size_t foster_moved_ = 0;
  bool title_done_ = false;
};

}  // namespace vigie::parse::html
