// TEST-ONLY reference HTML extractor: the gumbo-based implementation vigie shipped before it got
// its own tokenizer (src/parse/html/html_tokenizer.h). gumbo builds the full HTML5 tree (§13.2.6,
// adoption agency and foster parenting included), so it is the yardstick the differential test
// (html_differential_test.cpp) holds the engine's extract_html to: same visible text, links,
// forms and hidden-text reasons on the shared corpus. The walk is kept as it was apart from its
// name, and everything that does not depend on the tree (inline style and colours, URL-bearing
// attributes, srcset/CSS url()/meta refresh, text collapsing and output bounds) comes from the
// engine's own modules (src/parse/html/html_style.h, html_links.h, html_output.h), so that the
// comparison measures the tokenizer and tree approximation only, not two copies of those rules.
//
// What follows is the original description of the walk.
//
// HTML → visible text, hidden text, links, forms and script indicators. This file owns the single
// pass over an HTML part: gumbo builds the tree exactly as the HTML Standard's tree construction
// (§13.2.6) does, so misnested and unclosed markup recovers the way the reader's client shows it;
// then one iterative walk applies the CSS properties that decide visibility from inline style
// attributes and legacy presentational attributes (bgcolor, <font color>, hidden), inherited down
// the tree as CSS inheritance would, and collects every URL-bearing attribute. Stylesheets in
// <style> are not applied (only their url() references are collected): mail clients strip or
// rewrite them, and inline styles are what hiding tricks use.
//
// Two defences against hostile markup live here because gumbo has none:
//  * nesting depth: gumbo's "has an element in scope" checks scan the stack of open elements on
//    every start tag, so N nested <div>s cost O(N²) (40k divs: seconds). A cheap pre-scan bounds
//    the nesting at Limits::max_html_depth by turning deeper start tags into void <wbr> elements
//    that keep their attributes (so links are still found), much as Chromium stops nesting at 512;
//  * memory: gumbo allocates from a size-class arena freed at once, so there is no per-node
//    free() and no recursive gumbo_destroy_output (its destroy_node recurses over the tree).
#include "html_reference/gumbo_reference.h"

#include <gumbo.h>

#include <algorithm>
#include <array>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "parse/html/html_ascii.h"
#include "parse/html/html_links.h"
#include "parse/html/html_output.h"
#include "parse/html/html_style.h"
#include "parse/url/url.h"

namespace vigie::testing {
namespace {

using parse::normalize_url;
using namespace parse::html;

// Start tags handed to gumbo at most: its tree costs ~400 bytes and ~3 µs per element, so 8 MiB of
// "<b>" would need over 1 GiB. Legitimate mail stays far below (a 1 MB newsletter: ~20k elements).
// Input past this point is cut like input past max_html_bytes (truncated=true).
constexpr std::size_t kMaxHtmlElements = 300000;
// Attribute gumbo sees on start tags flattened by the depth guard, carrying the original name.
constexpr const char kFlattenedTagAttr[] = "vigie-t";

// ---- Arena for gumbo ------------------------------------------------------------------------

// Size-class allocator for gumbo: blocks are carved from large chunks and recycled through
// per-class free lists (gumbo frees every token's temporary buffers, so without reuse memory would
// grow with everything ever allocated rather than with the live tree). All chunks go at once when
// the arena dies, which also replaces gumbo_destroy_output.
class Arena {
 public:
  Arena() = default;
  Arena(const Arena&) = delete;
  Arena& operator=(const Arena&) = delete;

  void* allocate(std::size_t size) {
    // Classes: multiples of 16 bytes up to 1 KiB (gumbo's nodes, attributes and short strings
    // waste little), then powers of two (vectors and buffers that grow by doubling anyway).
    const std::size_t need = (size + kHeader + 15) & ~std::size_t{15};
    unsigned cls;
    std::size_t bytes;
    if (need <= kSmallLimit) {
      cls = static_cast<unsigned>(need / 16);
      bytes = need;
    } else {
      unsigned shift = 11;
      while ((std::size_t{1} << shift) < need) ++shift;
      cls = kSmallClasses + shift;
      bytes = std::size_t{1} << shift;
    }
    Block* block = free_[cls];
    if (block != nullptr) {
      free_[cls] = block->next;
    } else {
      block = static_cast<Block*>(carve(bytes));
    }
    block->cls = cls;
    return reinterpret_cast<char*>(block) + kHeader;
  }
  void release(void* p) {
    if (p == nullptr) return;
    auto* block = reinterpret_cast<Block*>(static_cast<char*>(p) - kHeader);
    block->next = free_[block->cls];
    free_[block->cls] = block;
  }
  // Forgets every allocation but keeps up to kRetainBytes of chunks for the next parse: a fresh
  // arena per call would page-fault its memory in again each time (slower than malloc's reuse).
  void reset() {
    free_.fill(nullptr);
    std::size_t kept = 0;
    std::size_t keep = 0;
    while (keep < chunks_.size() && kept + chunks_[keep].size <= kRetainBytes) kept += chunks_[keep++].size;
    chunks_.resize(keep);
    current_ = SIZE_MAX;
    cursor_ = nullptr;
    left_ = 0;
  }
  static void* gumbo_allocate(void* self, std::size_t size) {
    return static_cast<Arena*>(self)->allocate(size);
  }
  static void gumbo_free(void* self, void* p) { static_cast<Arena*>(self)->release(p); }

 private:
  struct Block {
    unsigned cls;
    Block* next;
  };
  static constexpr std::size_t kHeader = 16;  // keeps the 16-byte alignment malloc gives
  static_assert(sizeof(Block) <= kHeader);
  static constexpr std::size_t kSmallLimit = 1024;
  static constexpr unsigned kSmallClasses = kSmallLimit / 16 + 1;
  static constexpr unsigned kClasses = kSmallClasses + 64;

  void* carve(std::size_t size) {
    while (size > left_) {
      // Move to the next retained chunk that fits, else add one at the end.
      ++current_;
      if (current_ >= chunks_.size()) {
        const std::size_t bytes = std::max(size, kChunkBytes);
        chunks_.push_back(Chunk{std::make_unique_for_overwrite<char[]>(bytes), bytes});
      }
      cursor_ = chunks_[current_].data.get();
      left_ = chunks_[current_].size;
    }
    void* p = cursor_;
    cursor_ += size;
    left_ -= size;
    return p;
  }
  struct Chunk {
    std::unique_ptr<char[]> data;
    std::size_t size;
  };
  static constexpr std::size_t kChunkBytes = 256u << 10;
  static constexpr std::size_t kRetainBytes = 16u << 20;
  std::array<Block*, kClasses> free_{};
  std::vector<Chunk> chunks_;
  std::size_t current_ = SIZE_MAX;  // chunk being carved (SIZE_MAX + 1 wraps to the first)
  char* cursor_ = nullptr;
  std::size_t left_ = 0;
};

// ---- Nesting guard (pre-scan) ---------------------------------------------------------------

bool is_void_element(std::string_view name) {
  static constexpr std::string_view kVoid[] = {"area", "base",  "br",   "col",   "embed",
                                               "hr",   "img",   "input", "link", "meta",
                                               "param", "source", "track", "wbr", "keygen"};
  for (const std::string_view v : kVoid) {
    if (iequals(name, v)) return true;
  }
  return false;
}
// Elements whose content the tokenizer reads as text up to their end tag (HTML §13.2.5).
bool is_raw_text_element(std::string_view name) {
  static constexpr std::string_view kRaw[] = {"script", "style",   "textarea", "title", "xmp",
                                              "iframe", "noembed", "noframes"};
  for (const std::string_view v : kRaw) {
    if (iequals(name, v)) return true;
  }
  return false;
}
// Elements that an identical start tag closes implicitly (HTML §13.2.6.4.7 "in body"), so a run
// of them does not nest.
bool is_self_closing_sibling(std::string_view name) {
  static constexpr std::string_view kAuto[] = {"p",  "li", "dt", "dd", "option", "optgroup", "tr",
                                               "td", "th", "tbody", "thead", "tfoot", "a",
                                               "rb", "rt", "rp", "nobr", "button", "form"};
  for (const std::string_view v : kAuto) {
    if (iequals(name, v)) return true;
  }
  return false;
}

// HTML §13.2.4.2 "has an element in scope" boundaries (HTML namespace part, plus foreign roots).
bool is_scope_boundary(std::string_view name) {
  static constexpr std::string_view kBoundary[] = {"applet", "caption", "html",     "table", "td",
                                                   "th",     "marquee", "object", "template",
                                                   "svg",    "math"};
  for (const std::string_view v : kBoundary) {
    if (iequals(name, v)) return true;
  }
  return false;
}
// HTML §13.2.4.3 "special" category (the part that nests in body content).
bool is_special_element(std::string_view name) {
  static constexpr std::string_view kSpecial[] = {
      "address", "applet",  "article",  "aside",   "blockquote", "body",    "button",  "caption",
      "center",  "dd",      "details",  "dir",     "div",        "dl",      "dt",      "fieldset",
      "figcaption", "figure", "footer", "form",    "frameset",   "h1",      "h2",      "h3",
      "h4",      "h5",      "h6",       "header",  "hgroup",     "html",    "iframe",  "li",
      "listing", "main",    "marquee",  "menu",    "nav",        "noembed", "noframes", "noscript",
      "object",  "ol",      "p",        "plaintext", "pre",      "section", "select",  "summary",
      "table",   "tbody",   "td",       "template", "textarea",  "tfoot",   "th",      "thead",
      "tr",      "ul",      "xmp",      "svg",     "math"};
  for (const std::string_view v : kSpecial) {
    if (iequals(name, v)) return true;
  }
  return false;
}

std::size_t find_ci(std::string_view hay, std::string_view needle, std::size_t from) {
  while (from < hay.size()) {
    const void* hit = std::memchr(hay.data() + from, '<', hay.size() - from);
    if (hit == nullptr) return std::string_view::npos;
    const std::size_t at = static_cast<std::size_t>(static_cast<const char*>(hit) - hay.data());
    if (istarts_with(hay.substr(at), needle)) return at;
    from = at + 1;
  }
  return std::string_view::npos;
}

// Approximates the tree builder's stack of open elements with a tokenizer-lite scan; start tags
// that would nest deeper than max_depth become "<wbr vigie-t=NAME ...>" (void, attributes kept).
// The approximation only matters past the bound, where exactness is not promised. Also stops at
// the kMaxHtmlElements-th start tag: cut is set to where the input must end (else html.size()).
// Returns false (and leaves out untouched) when nothing had to be flattened.
bool guard_nesting(std::string_view html, std::uint32_t max_depth, std::string& out, std::size_t& cut) {
  struct Open {
    std::string_view name;
    bool special;
    bool boundary;
  };
  std::vector<Open> stack;
  stack.reserve(64);
  std::size_t copied = 0;  // html[0, copied) already in out
  bool rewritten = false;
  std::uint32_t foreign = 0;  // open <svg>/<math>: there '/>' really closes
  std::size_t i = 0;
  std::size_t n = html.size();
  std::size_t elements = 0;
  cut = n;
  while (i < n) {
    const void* hit = std::memchr(html.data() + i, '<', n - i);
    if (hit == nullptr) break;
    const std::size_t lt = static_cast<std::size_t>(static_cast<const char*>(hit) - html.data());
    i = lt + 1;
    if (i >= n) break;
    const char c = html[i];
    if (c == '!') {
      if (html.substr(i).starts_with("!--")) {
        const std::size_t end = html.find("-->", i + 3);
        i = end == std::string_view::npos ? n : end + 3;
      } else {
        const std::size_t end = html.find('>', i);
        i = end == std::string_view::npos ? n : end + 1;
      }
      continue;
    }
    if (c == '?') {
      const std::size_t end = html.find('>', i);
      i = end == std::string_view::npos ? n : end + 1;
      continue;
    }
    const bool end_tag = c == '/';
    const std::size_t name_start = end_tag ? i + 1 : i;
    if (name_start >= n || (ascii_lower(html[name_start]) < 'a' || ascii_lower(html[name_start]) > 'z'))
      continue;
    std::size_t name_end = name_start;
    while (name_end < n && !is_html_space(html[name_end]) && html[name_end] != '/' && html[name_end] != '>')
      ++name_end;
    const std::string_view name = html.substr(name_start, name_end - name_start);
    // Find the tag's '>' honouring quoted attribute values.
    std::size_t p = name_end;
    char quote = 0;
    bool after_equals = false;
    while (p < n) {
      const char d = html[p];
      if (quote != 0) {
        if (d == quote) quote = 0;
      } else if (d == '>') {
        break;
      } else if (d == '=') {
        after_equals = true;
      } else if ((d == '"' || d == '\'') && after_equals) {
        quote = d;
        after_equals = false;
      } else if (!is_html_space(d)) {
        after_equals = false;
      }
      ++p;
    }
    const std::size_t tag_end = p < n ? p + 1 : n;
    i = tag_end;
    if (end_tag) {
      // Pop to the nearest open element of that name, looking only a little way down (linear),
      // and not across what the tree builder would not cross (HTML §13.2.6.4.7: "any other end
      // tag" stops at a special element; special end tags need the element in scope), so that
      // stray end tags cannot make this count shallower than gumbo's real stack.
      const bool special_name = is_special_element(name);
      const std::size_t lowest = stack.size() > 64 ? stack.size() - 64 : 0;
      for (std::size_t k = stack.size(); k > lowest; --k) {
        const std::string_view open_name = stack[k - 1].name;
        if (!iequals(open_name, name)) {
          if (stack[k - 1].boundary || (!special_name && stack[k - 1].special)) break;
          continue;
        }
        for (std::size_t j = k - 1; j < stack.size(); ++j) {
          if (iequals(stack[j].name, "svg") || iequals(stack[j].name, "math")) --foreign;
        }
        stack.resize(k - 1);
        break;
      }
      continue;
    }
    if (is_raw_text_element(name)) {
      std::string closing = "</";
      closing.append(name);
      const std::size_t close = find_ci(html, closing, tag_end);
      i = close == std::string_view::npos ? n : close;
      continue;
    }
    if (++elements > kMaxHtmlElements) {
      cut = n = lt;
      break;
    }
    if (iequals(name, "plaintext")) break;  // the rest of the input is text
    const bool self_closed = tag_end >= 2 && html[tag_end - 2] == '/' && foreign > 0;
    if (is_void_element(name) || self_closed) continue;
    if (is_self_closing_sibling(name) && !stack.empty() && iequals(stack.back().name, name)) continue;
    if (stack.size() < max_depth) {
      if (iequals(name, "svg") || iequals(name, "math")) ++foreign;
      stack.push_back(Open{name, is_special_element(name), is_scope_boundary(name)});
      continue;
    }
    if (!rewritten) {
      out.reserve(html.size() + html.size() / 8);
      rewritten = true;
    }
    out.append(html.substr(copied, lt - copied));
    out.append("<wbr ").append(kFlattenedTagAttr).append("=\"");
    if (name.find('"') == std::string_view::npos) out.append(name);
    out.push_back('"');
    copied = name_end;
  }
  if (rewritten) out.append(html.substr(copied, cut - copied));
  return rewritten;
}

// ---- Tag classes ----------------------------------------------------------------------------

struct TagTable {
  std::array<bool, GUMBO_TAG_LAST + 1> block{};
  std::array<bool, GUMBO_TAG_LAST + 1> not_rendered{};
  std::array<bool, GUMBO_TAG_LAST + 1> cell{};
  std::array<LinkElement, GUMBO_TAG_LAST + 1> link{};
  TagTable() {
    for (int t = 0; t < GUMBO_TAG_LAST; ++t) {
      link[t] = link_element(gumbo_normalized_tagname(static_cast<GumboTag>(t)));
    }
    // CSS display:block (and list-item, table rows, ...) in the HTML §15.3 UA stylesheet.
    for (const GumboTag t :
         {GUMBO_TAG_ADDRESS, GUMBO_TAG_ARTICLE, GUMBO_TAG_ASIDE, GUMBO_TAG_BLOCKQUOTE,
          GUMBO_TAG_BODY, GUMBO_TAG_BR, GUMBO_TAG_CAPTION, GUMBO_TAG_CENTER, GUMBO_TAG_DD,
          GUMBO_TAG_DETAILS, GUMBO_TAG_DIR, GUMBO_TAG_DIV, GUMBO_TAG_DL,
          GUMBO_TAG_DT, GUMBO_TAG_FIELDSET, GUMBO_TAG_FIGCAPTION, GUMBO_TAG_FIGURE,
          GUMBO_TAG_FOOTER, GUMBO_TAG_FORM, GUMBO_TAG_H1, GUMBO_TAG_H2, GUMBO_TAG_H3,
          GUMBO_TAG_H4, GUMBO_TAG_H5, GUMBO_TAG_H6, GUMBO_TAG_HEADER, GUMBO_TAG_HGROUP,
          GUMBO_TAG_HR, GUMBO_TAG_LI, GUMBO_TAG_MAIN, GUMBO_TAG_MENU, GUMBO_TAG_NAV,
          GUMBO_TAG_OL, GUMBO_TAG_P, GUMBO_TAG_PRE, GUMBO_TAG_SECTION, GUMBO_TAG_SUMMARY,
          GUMBO_TAG_TABLE, GUMBO_TAG_TR, GUMBO_TAG_UL, GUMBO_TAG_LEGEND, GUMBO_TAG_LISTING,
          GUMBO_TAG_PLAINTEXT, GUMBO_TAG_XMP, GUMBO_TAG_OPTION, GUMBO_TAG_TEXTAREA,
          GUMBO_TAG_THEAD, GUMBO_TAG_TBODY, GUMBO_TAG_TFOOT}) {
      block[t] = true;
    }
    // Content never rendered as text (HTML §15.3.1 display:none elements, raw text fallbacks).
    for (const GumboTag t :
         {GUMBO_TAG_HEAD, GUMBO_TAG_SCRIPT, GUMBO_TAG_STYLE, GUMBO_TAG_TEMPLATE, GUMBO_TAG_TITLE,
          GUMBO_TAG_IFRAME, GUMBO_TAG_NOEMBED, GUMBO_TAG_NOFRAMES, GUMBO_TAG_BASE,
          GUMBO_TAG_LINK, GUMBO_TAG_META, GUMBO_TAG_DATALIST, GUMBO_TAG_PARAM}) {
      not_rendered[t] = true;
    }
    cell[GUMBO_TAG_TD] = true;
    cell[GUMBO_TAG_TH] = true;
  }
};
const TagTable& tags() {
  static const TagTable table;
  return table;
}

// ---- The walk -------------------------------------------------------------------------------

struct Frame {
  const GumboNode* node;
  Style style;
  std::uint32_t next_child = 0;
  std::uint32_t depth = 0;
  std::int32_t hidden_group = -1;  // index in hidden entries this subtree's hidden text goes to
  std::int32_t link = -1;          // <a> whose anchor text this subtree feeds
  std::int32_t form = -1;          // innermost <form>
  bool not_rendered = false;
  bool entered = false;
  bool block = false;
  bool cell = false;
  bool title = false;
  bool style_element = false;
};

class Extractor {
 public:
  Extractor(const Limits& limits, HtmlContent& out) : limits_(limits), out_(out) {
    out_.visible_text.reserve(4096);
  }

  void run(const GumboNode* root) {
    std::vector<Frame> stack;
    stack.reserve(256);
    Frame top{};
    top.node = root;
    stack.push_back(top);
    while (!stack.empty()) {
      Frame& f = stack.back();
      const GumboNode* node = f.node;
      if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_TEMPLATE &&
          node->type != GUMBO_NODE_DOCUMENT) {
        text(f);
        stack.pop_back();
        continue;
      }
      if (!f.entered) {
        f.entered = true;
        if (node->type != GUMBO_NODE_DOCUMENT) enter(f);
      }
      const GumboVector& children =
          node->type == GUMBO_NODE_DOCUMENT ? node->v.document.children : node->v.element.children;
      if (f.next_child < children.length) {
        const auto* child = static_cast<const GumboNode*>(children.data[f.next_child++]);
        Frame next{};
        next.node = child;
        next.style = f.style;
        next.depth = f.depth + 1;
        next.hidden_group = f.hidden_group;
        next.link = f.link;
        next.form = f.form;
        next.not_rendered = f.not_rendered;
        next.title = f.title;
        next.style_element = f.style_element;
        stack.push_back(next);  // may reallocate: f is not used after this
        continue;
      }
      leave(f);
      stack.pop_back();
    }
    finish_content(out_);
  }

 private:
  void add_link(std::string_view raw, UrlSource source) {
    raw = trim(raw);
    if (raw.empty() || out_.links.size() >= limits_.max_urls) return;
    out_.links.push_back(normalize_url(raw, source));
  }

  void text(const Frame& f) {
    if (f.node->type == GUMBO_NODE_COMMENT) return;
    const char* data = f.node->v.text.text;
    if (data == nullptr) return;
    const std::string_view t(data, std::strlen(data));
    if (f.style_element) {
      for_each_css_url(t, [&](std::string_view u) { add_link(u, UrlSource::kCssUrl); });
      return;
    }
    if (f.title) {
      if (!title_done_) append_collapsed(out_.title, t, kMaxTitleBytes);
      return;
    }
    if (f.not_rendered) return;
    if (f.hidden_group >= 0) {
      append_collapsed(out_.hidden[f.hidden_group].text, t, kMaxHiddenTextBytes);
      return;
    }
    if (f.style.reason() != nullptr) return;  // hidden, but the hidden list is full
    append_collapsed(out_.visible_text, t, SIZE_MAX);
    if (f.link >= 0) append_collapsed(out_.links[f.link].anchor_text, t, kMaxAnchorTextBytes);
  }

  void enter(Frame& f) {
    const GumboElement& el = f.node->v.element;
    GumboTag tag = el.tag;
    const bool html_ns = el.tag_namespace == GUMBO_NAMESPACE_HTML;
    const bool style_allowed = f.depth <= limits_.max_html_depth;

    // One pass over the attributes: gumbo_get_attribute would rescan them per name.
    std::string_view href, src, srcset, style, action, formaction, http_equiv, content, type,
        method, background, poster, data, cite, bgcolor, colour, text_attr, flattened;
    bool has_hidden_attr = false;
    for (unsigned i = 0; i < el.attributes.length; ++i) {
      const auto* a = static_cast<const GumboAttribute*>(el.attributes.data[i]);
      const char* name = a->name;
      const std::string_view value(a->value);
      if ((name[0] == 'o' || name[0] == 'O') && (name[1] == 'n' || name[1] == 'N') && name[2] != '\0') {
        ++out_.event_handler_count;
        continue;
      }
      const std::string_view nm(name);
      if (nm == "href") href = value;
      else if (nm == "src") src = value;
      else if (nm == "srcset") srcset = value;
      else if (nm == "style") style = value;
      else if (nm == "action") action = value;
      else if (nm == "formaction") formaction = value;
      else if (nm == "http-equiv") http_equiv = value;
      else if (nm == "content") content = value;
      else if (nm == "type") type = value;
      else if (nm == "method") method = value;
      else if (nm == "background") background = value;
      else if (nm == "poster") poster = value;
      else if (nm == "data") data = value;
      else if (nm == "cite") cite = value;
      else if (nm == "bgcolor") bgcolor = value;
      else if (nm == "color") colour = value;
      else if (nm == "text") text_attr = value;
      else if (nm == "hidden") has_hidden_attr = true;
      else if (nm == kFlattenedTagAttr) flattened = value;
    }
    if (tag == GUMBO_TAG_WBR && !flattened.empty()) {
      tag = gumbo_tagn_enum(flattened.data(), static_cast<unsigned>(flattened.size()));
    }

    // Links. The anchor's href is added here because its anchor text is tied to it.
    const LinkElement link_kind = tags().link[tag];
    if (link_kind == LinkElement::kAnchor && !trim(href).empty() && out_.links.size() < limits_.max_urls) {
      add_link(href, UrlSource::kHref);
      f.link = static_cast<std::int32_t>(out_.links.size()) - 1;
    }
    for_each_attribute_url(
        link_kind,
        UrlAttributes{href, src, srcset, style, action, formaction, http_equiv, content, background, poster, data, cite},
        [&](std::string_view raw, UrlSource source) { add_link(raw, source); });

    if (tag == GUMBO_TAG_FORM) f.form = open_form(out_, action, method, f.form);
    if (tag == GUMBO_TAG_INPUT || tag == GUMBO_TAG_TEXTAREA || tag == GUMBO_TAG_SELECT) {
      count_form_control(out_, f.form, tag == GUMBO_TAG_INPUT, type);
    }

    if (tag == GUMBO_TAG_SCRIPT) ++out_.script_count;
    if (tag == GUMBO_TAG_STYLE) f.style_element = true;
    if (tag == GUMBO_TAG_TITLE && html_ns) f.title = true;
    if (tags().not_rendered[tag] || f.node->type == GUMBO_NODE_TEMPLATE) f.not_rendered = true;
    f.block = tags().block[tag] && html_ns;
    f.cell = tags().cell[tag] && html_ns;
    if (f.block) break_line(f);
    if (f.cell) separate(f);

    // Visibility: inline style and presentational attributes, unless past the depth limit.
    if (style_allowed) {
      const char* before = f.style.reason();
      apply_element_style(StyleAttributes{bgcolor, tag == GUMBO_TAG_FONT ? colour : std::string_view(),
                                          tag == GUMBO_TAG_BODY ? text_attr : std::string_view(), style,
                                          has_hidden_attr},
                          f.style);
      f.hidden_group = hidden_group_after_style(out_, f.hidden_group, before, f.style.reason(), f.not_rendered);
    }
  }

  void leave(Frame& f) {
    if (f.node->type == GUMBO_NODE_DOCUMENT) return;
    if (f.block) break_line(f);
    if (f.cell) separate(f);
    if (f.title && !title_done_ && !out_.title.empty()) title_done_ = true;
  }

  void break_line(const Frame& f) {
    if (f.not_rendered || f.style.reason() != nullptr) {
      if (f.hidden_group >= 0) append_collapsed(out_.hidden[f.hidden_group].text, " ", kMaxHiddenTextBytes);
      return;
    }
    line_break(out_.visible_text);
    if (f.link >= 0) append_collapsed(out_.links[f.link].anchor_text, " ", kMaxAnchorTextBytes);
  }

  void separate(const Frame& f) {
    if (f.not_rendered || f.style.reason() != nullptr) return;
    append_collapsed(out_.visible_text, " ", SIZE_MAX);
  }

  const Limits& limits_;
  HtmlContent& out_;
  bool title_done_ = false;
};

}  // namespace

HtmlContent gumbo_extract_html(std::string_view utf8_html, const Limits& limits) {
  HtmlContent out;
  utf8_html = cut_to_limit(utf8_html, limits, out);
  std::string flattened;
  std::size_t cut = utf8_html.size();
  const bool rewritten =
      guard_nesting(utf8_html, std::max<std::uint32_t>(limits.max_html_depth, 8), flattened, cut);
  if (cut < utf8_html.size()) out.truncated = true;
  utf8_html = rewritten ? std::string_view(flattened) : utf8_html.substr(0, cut);

  // One arena per thread, reused: extract_html is not re-entered on a thread.
  thread_local Arena arena;
  arena.reset();
  GumboOptions options = kGumboDefaultOptions;
  options.allocator = &Arena::gumbo_allocate;
  options.deallocator = &Arena::gumbo_free;
  options.userdata = &arena;
  options.max_errors = 0;  // parse errors are not used; recording them costs time and memory
  GumboOutput* output = gumbo_parse_with_options(&options, utf8_html.data(), utf8_html.size());
  if (output == nullptr) return out;
  Extractor extractor(limits, out);
  extractor.run(output->document);
  arena.reset();  // give back what this parse needed beyond the retained chunks
  // No gumbo_destroy_output: its destroy_node recurses over the tree, and the arena owns it all
  // (released by the next reset()).
  return out;
}

}  // namespace vigie::testing
