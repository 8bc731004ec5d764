// TEST-ONLY reference HTML extractor: the gumbo-based implementation vigie shipped before it got
// its own tokenizer (src/parse/html/html_tokenizer.h). gumbo builds the full HTML5 tree (§13.2.6,
// adoption agency and foster parenting included), so it is the yardstick the differential test
// (html_differential_test.cpp) holds the engine's extract_html to: same visible text, links,
// forms and hidden-text reasons on the shared corpus. Kept verbatim apart from its name so that
// the comparison measures the tokenizer and tree approximation, not a rewrite of the walk.
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

#include "parse/url/url.h"

namespace vigie::testing {
namespace {

using parse::normalize_url;

// Output bounds: a hostile part can hold millions of links or hidden spans.
constexpr std::size_t kMaxForms = 1000;
constexpr std::size_t kMaxHidden = 1000;
constexpr std::size_t kMaxHiddenTextBytes = 300;
constexpr std::size_t kMaxAnchorTextBytes = 256;
constexpr std::size_t kMaxTitleBytes = 1024;
// Start tags handed to gumbo at most: its tree costs ~400 bytes and ~3 µs per element, so 8 MiB of
// "<b>" would need over 1 GiB. Legitimate mail stays far below (a 1 MB newsletter: ~20k elements).
// Input past this point is cut like input past max_html_bytes (truncated=true).
constexpr std::size_t kMaxHtmlElements = 300000;
// Colours closer than this on every channel are unreadable against each other (#fefefe on #fff).
constexpr int kSameColourTolerance = 10;
// Offsets at or beyond this many pixels off-screen hide content (left:-9999px and friends).
constexpr double kOffscreenPixels = -500;
// Attribute gumbo sees on start tags flattened by the depth guard, carrying the original name.
constexpr const char kFlattenedTagAttr[] = "vigie-t";

constexpr char ascii_lower(char c) {
  return (c >= 'A' && c <= 'Z') ? static_cast<char>(c + ('a' - 'A')) : c;
}
constexpr bool is_html_space(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f';
}
bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (ascii_lower(a[i]) != ascii_lower(b[i])) return false;
  }
  return true;
}
bool istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}
std::string_view trim(std::string_view s) {
  while (!s.empty() && is_html_space(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_html_space(s.back())) s.remove_suffix(1);
  return s;
}

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

// ---- Colours --------------------------------------------------------------------------------

constexpr std::int32_t kUnknownColour = -1;
constexpr std::int32_t kTransparent = -2;

struct NamedColour {
  std::string_view name;
  std::int32_t rgb;
};
// CSS Color 4 §6.1 named colours most used in mail, all the near-whites and near-blacks included
// (hiding uses white-ish text on white-ish backgrounds).
constexpr NamedColour kNamedColours[] = {
    {"white", 0xffffff},        {"black", 0x000000},       {"red", 0xff0000},
    {"green", 0x008000},        {"blue", 0x0000ff},        {"yellow", 0xffff00},
    {"gray", 0x808080},         {"grey", 0x808080},        {"silver", 0xc0c0c0},
    {"maroon", 0x800000},       {"purple", 0x800080},      {"fuchsia", 0xff00ff},
    {"magenta", 0xff00ff},      {"lime", 0x00ff00},        {"olive", 0x808000},
    {"navy", 0x000080},         {"teal", 0x008080},        {"aqua", 0x00ffff},
    {"cyan", 0x00ffff},         {"orange", 0xffa500},      {"snow", 0xfffafa},
    {"ivory", 0xfffff0},        {"whitesmoke", 0xf5f5f5},  {"ghostwhite", 0xf8f8ff},
    {"floralwhite", 0xfffaf0},  {"azure", 0xf0ffff},       {"mintcream", 0xf5fffa},
    {"honeydew", 0xf0fff0},     {"seashell", 0xfff5ee},    {"linen", 0xfaf0e6},
    {"oldlace", 0xfdf5e6},      {"aliceblue", 0xf0f8ff},   {"lavenderblush", 0xfff0f5},
    {"beige", 0xf5f5dc},        {"cornsilk", 0xfff8dc},    {"lightyellow", 0xffffe0},
    {"gainsboro", 0xdcdcdc},    {"lightgray", 0xd3d3d3},   {"lightgrey", 0xd3d3d3},
    {"darkgray", 0xa9a9a9},     {"darkgrey", 0xa9a9a9},    {"dimgray", 0x696969},
    {"dimgrey", 0x696969},      {"pink", 0xffc0cb},        {"brown", 0xa52a2a},
    {"gold", 0xffd700},         {"orangered", 0xff4500},   {"darkred", 0x8b0000},
    {"darkblue", 0x00008b},     {"darkgreen", 0x006400},   {"lightblue", 0xadd8e6},
    {"skyblue", 0x87ceeb},      {"steelblue", 0x4682b4},   {"royalblue", 0x4169e1},
    {"midnightblue", 0x191970}, {"crimson", 0xdc143c},     {"tomato", 0xff6347},
    {"coral", 0xff7f50},        {"salmon", 0xfa8072},      {"violet", 0xee82ee},
    {"indigo", 0x4b0082},       {"khaki", 0xf0e68c},       {"tan", 0xd2b48c},
    {"chocolate", 0xd2691e},    {"darkorange", 0xff8c00},  {"lightgreen", 0x90ee90},
    {"darkslategray", 0x2f4f4f}, {"darkslategrey", 0x2f4f4f}, {"slategray", 0x708090},
};

int hex_digit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  c = ascii_lower(c);
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  return -1;
}

std::int32_t parse_hex_colour(std::string_view hex) {
  for (const char c : hex) {
    if (hex_digit(c) < 0) return kUnknownColour;
  }
  const auto nib = [&](std::size_t i) { return hex_digit(hex[i]); };
  switch (hex.size()) {
    case 3:
    case 4:
      if (hex.size() == 4 && nib(3) == 0) return kTransparent;
      return (nib(0) * 17) << 16 | (nib(1) * 17) << 8 | nib(2) * 17;
    case 6:
    case 8:
      if (hex.size() == 8 && nib(6) == 0 && nib(7) == 0) return kTransparent;
      return (nib(0) << 20) | (nib(1) << 16) | (nib(2) << 12) | (nib(3) << 8) | (nib(4) << 4) | nib(5);
    default:
      return kUnknownColour;
  }
}

// rgb()/rgba() in both the legacy comma syntax and the CSS Color 4 space syntax.
std::int32_t parse_rgb_function(std::string_view args) {
  double values[4] = {0, 0, 0, 1};
  int count = 0;
  std::size_t i = 0;
  while (i < args.size() && count < 4) {
    while (i < args.size() && (is_html_space(args[i]) || args[i] == ',' || args[i] == '/')) ++i;
    if (i >= args.size()) break;
    char* end = nullptr;
    const std::string number(args.substr(i, std::min<std::size_t>(32, args.size() - i)));
    double v = std::strtod(number.c_str(), &end);
    const std::size_t used = static_cast<std::size_t>(end - number.c_str());
    if (used == 0) return kUnknownColour;
    i += used;
    if (i < args.size() && args[i] == '%') {
      v = count < 3 ? v * 255.0 / 100.0 : v / 100.0;
      ++i;
    }
    values[count++] = v;
  }
  if (count < 3) return kUnknownColour;
  if (count == 4 && values[3] <= 0) return kTransparent;
  const auto channel = [](double v) { return static_cast<std::int32_t>(std::clamp(v, 0.0, 255.0) + 0.5); };
  return channel(values[0]) << 16 | channel(values[1]) << 8 | channel(values[2]);
}

std::int32_t parse_css_colour(std::string_view value) {
  value = trim(value);
  if (value.empty()) return kUnknownColour;
  if (value[0] == '#') return parse_hex_colour(value.substr(1));
  if (istarts_with(value, "rgb")) {
    const std::size_t open = value.find('(');
    const std::size_t close = value.rfind(')');
    if (open == std::string_view::npos || close == std::string_view::npos || close < open)
      return kUnknownColour;
    return parse_rgb_function(value.substr(open + 1, close - open - 1));
  }
  if (iequals(value, "transparent")) return kTransparent;
  for (const NamedColour& named : kNamedColours) {
    if (iequals(value, named.name)) return named.rgb;
  }
  return kUnknownColour;
}

// HTML §2.3.6 legacy colour values (bgcolor=, <font color=>) also accept hex without '#'. The
// full legacy algorithm's oddities ("chucknorris" is red) are not reproduced.
std::int32_t parse_legacy_colour(std::string_view value) {
  value = trim(value);
  const std::int32_t css = parse_css_colour(value);
  if (css != kUnknownColour) return css;
  if (value.size() == 3 || value.size() == 6) return parse_hex_colour(value);
  return kUnknownColour;
}

bool colours_close(std::int32_t a, std::int32_t b) {
  for (int shift = 0; shift <= 16; shift += 8) {
    if (std::abs(((a >> shift) & 0xff) - ((b >> shift) & 0xff)) > kSameColourTolerance) return false;
  }
  return true;
}

// ---- Inline style ---------------------------------------------------------------------------

// Visibility-relevant computed style, inherited down the tree.
struct Style {
  const char* hard_reason = nullptr;  // display:none, opacity:0, clipping: descendants cannot undo
  bool visibility_hidden = false;     // CSS 2 §11.2: inherited, a descendant may set visible
  bool font_zero = false;             // inherited; an absolute font-size on a descendant undoes it
  std::int32_t colour = kUnknownColour;
  std::int32_t background = kUnknownColour;

  const char* reason() const {
    if (hard_reason != nullptr) return hard_reason;
    if (visibility_hidden) return "visibility:hidden";
    if (font_zero) return "font-size:0";
    if (colour == kTransparent) return "color:transparent";
    if (colour >= 0 && background >= 0 && colours_close(colour, background)) return "same-colour";
    return nullptr;
  }
};

// A CSS <length> or number: value and unit (lowercase, possibly empty).
struct Length {
  bool ok = false;
  double value = 0;
  std::string_view unit;
};

Length parse_length(std::string_view v) {
  v = trim(v);
  Length out;
  if (v.empty()) return out;
  const std::string number(v.substr(0, std::min<std::size_t>(32, v.size())));
  char* end = nullptr;
  out.value = std::strtod(number.c_str(), &end);
  const std::size_t used = static_cast<std::size_t>(end - number.c_str());
  if (used == 0) return out;
  out.ok = true;
  out.unit = trim(v.substr(used));
  return out;
}

bool is_relative_font_unit(std::string_view unit) {
  return iequals(unit, "em") || iequals(unit, "%") || iequals(unit, "ex") || iequals(unit, "ch");
}

// Pixels for an absolute length, used only to decide "far off-screen".
double to_pixels(const Length& l) {
  if (iequals(l.unit, "pt")) return l.value * 4.0 / 3.0;
  if (iequals(l.unit, "em") || iequals(l.unit, "rem")) return l.value * 16.0;
  if (iequals(l.unit, "in")) return l.value * 96.0;
  if (iequals(l.unit, "cm")) return l.value * 96.0 / 2.54;
  return l.value;
}

// Strips a trailing "!important" (inline declarations win over stylesheets either way here).
std::string_view strip_important(std::string_view value) {
  value = trim(value);
  const std::size_t bang = value.rfind('!');
  if (bang != std::string_view::npos && iequals(trim(value.substr(bang + 1)), "important")) {
    value = trim(value.substr(0, bang));
  }
  return value;
}

// First colour token of a `background` shorthand, or unknown (an image makes the colour moot).
std::int32_t background_shorthand_colour(std::string_view value) {
  const std::int32_t whole = parse_css_colour(value);
  if (whole != kUnknownColour) return whole;
  std::size_t i = 0;
  while (i < value.size()) {
    while (i < value.size() && is_html_space(value[i])) ++i;
    std::size_t j = i;
    int depth = 0;
    while (j < value.size() && (depth > 0 || !is_html_space(value[j]))) {
      if (value[j] == '(') ++depth;
      if (value[j] == ')') --depth;
      ++j;
    }
    const std::string_view token = value.substr(i, j - i);
    if (istarts_with(token, "url(")) return kUnknownColour;
    const std::int32_t c = parse_css_colour(token);
    if (c != kUnknownColour) return c;
    i = j;
  }
  return kUnknownColour;
}

// Applies the declarations of a style attribute (CSS Style Attributes §3: a declaration list)
// to st. Later declarations win, as in the cascade. display_set reports an explicit display
// value other than none (it overrides the UA rule for the hidden attribute).
void apply_inline_style(std::string_view css, Style& st, bool& display_set) {
  bool zero_max_height = false;
  bool zero_size = false;
  bool overflow_hidden = false;
  bool positioned = false;
  bool far_offset = false;
  const char* hard = nullptr;
  std::size_t i = 0;
  while (i < css.size()) {
    // A declaration ends at ';' outside parentheses and quotes (url(data:a;b) is one value).
    std::size_t j = i;
    int depth = 0;
    char quote = 0;
    while (j < css.size()) {
      const char c = css[j];
      if (quote != 0) {
        if (c == quote) quote = 0;
      } else if (c == '"' || c == '\'') {
        quote = c;
      } else if (c == '(') {
        ++depth;
      } else if (c == ')') {
        depth = depth > 0 ? depth - 1 : 0;
      } else if (c == ';' && depth == 0) {
        break;
      }
      ++j;
    }
    const std::string_view decl = css.substr(i, j - i);
    i = j + 1;
    const std::size_t colon = decl.find(':');
    if (colon == std::string_view::npos) continue;
    const std::string_view property = trim(decl.substr(0, colon));
    const std::string_view value = strip_important(decl.substr(colon + 1));
    if (iequals(property, "display")) {
      if (iequals(value, "none")) {
        hard = "display:none";
        display_set = false;
      } else {
        hard = nullptr;
        display_set = true;
      }
    } else if (iequals(property, "visibility")) {
      if (iequals(value, "hidden") || iequals(value, "collapse")) st.visibility_hidden = true;
      if (iequals(value, "visible")) st.visibility_hidden = false;
    } else if (iequals(property, "font-size")) {
      const Length l = parse_length(value);
      if (l.ok && l.value <= 0) {
        st.font_zero = true;
      } else if (l.ok && !is_relative_font_unit(l.unit)) {
        st.font_zero = false;  // an absolute size does not depend on the zero-sized parent
      } else if (!l.ok && !value.empty() && !iequals(value, "inherit") && !iequals(value, "smaller")) {
        st.font_zero = false;  // keywords: small, medium, large...
      }
    } else if (iequals(property, "opacity")) {
      const Length l = parse_length(value);
      if (l.ok && l.value <= 0) hard = "opacity:0";
    } else if (iequals(property, "max-height")) {
      const Length l = parse_length(value);
      zero_max_height = l.ok && l.value <= 0;
    } else if (iequals(property, "height") || iequals(property, "width")) {
      const Length l = parse_length(value);
      if (l.ok && l.value <= 0) zero_size = true;
    } else if (iequals(property, "overflow") || iequals(property, "overflow-y") ||
               iequals(property, "overflow-x")) {
      overflow_hidden = istarts_with(value, "hidden") || istarts_with(value, "clip");
    } else if (iequals(property, "color")) {
      const std::int32_t c = parse_css_colour(value);
      if (c != kUnknownColour) st.colour = c;
    } else if (iequals(property, "background-color")) {
      const std::int32_t c = parse_css_colour(value);
      if (c >= 0) st.background = c;  // transparent shows the inherited background
    } else if (iequals(property, "background")) {
      const std::int32_t c = background_shorthand_colour(value);
      if (c >= 0) st.background = c;
      if (c == kUnknownColour) st.background = kUnknownColour;
    } else if (iequals(property, "position")) {
      positioned = iequals(value, "absolute") || iequals(value, "fixed");
    } else if (iequals(property, "left") || iequals(property, "top")) {
      const Length l = parse_length(value);
      if (l.ok && to_pixels(l) <= kOffscreenPixels) far_offset = true;
    } else if (iequals(property, "text-indent") || iequals(property, "margin-left")) {
      const Length l = parse_length(value);
      if (l.ok && to_pixels(l) <= kOffscreenPixels) hard = hard ? hard : "off-screen";
    }
  }
  if (hard == nullptr && zero_max_height && overflow_hidden) hard = "max-height:0";
  if (hard == nullptr && zero_size && overflow_hidden) hard = "zero-size";
  if (hard == nullptr && positioned && far_offset) hard = "off-screen";
  if (hard != nullptr && st.hard_reason == nullptr) st.hard_reason = hard;
}

// ---- URL helpers ----------------------------------------------------------------------------

// CSS url(...) tokens (CSS Syntax §4.3.6, quoted or not) and @import "..." strings.
template <typename F>
void for_each_css_url(std::string_view css, F&& emit) {
  std::size_t i = 0;
  while (i < css.size()) {
    const void* hit = std::memchr(css.data() + i, '(', css.size() - i);
    if (hit == nullptr) break;
    const std::size_t open = static_cast<std::size_t>(static_cast<const char*>(hit) - css.data());
    i = open + 1;
    if (open < 3 || !iequals(css.substr(open - 3, 3), "url")) continue;
    std::size_t p = open + 1;
    while (p < css.size() && is_html_space(css[p])) ++p;
    std::size_t start = p;
    std::size_t end;
    if (p < css.size() && (css[p] == '"' || css[p] == '\'')) {
      start = p + 1;
      end = css.find(css[p], start);
      if (end == std::string_view::npos) end = css.size();
    } else {
      end = css.find(')', p);
      if (end == std::string_view::npos) end = css.size();
    }
    const std::string_view url = trim(css.substr(start, end - start));
    if (!url.empty()) emit(url);
    i = end;
  }
  for (std::size_t at = css.find('@'); at != std::string_view::npos; at = css.find('@', at + 1)) {
    if (!istarts_with(css.substr(at), "@import")) continue;
    std::size_t p = at + 7;
    while (p < css.size() && is_html_space(css[p])) ++p;
    if (p < css.size() && (css[p] == '"' || css[p] == '\'')) {
      const std::size_t end = css.find(css[p], p + 1);
      const std::string_view url =
          trim(css.substr(p + 1, (end == std::string_view::npos ? css.size() : end) - p - 1));
      if (!url.empty()) emit(url);
    }
  }
}

// HTML §4.8.4.3.10 "parse a srcset attribute": candidates split on commas, a URL is a run of
// non-whitespace, descriptors (which may contain commas inside parentheses) follow.
template <typename F>
void for_each_srcset_url(std::string_view srcset, F&& emit) {
  std::size_t p = 0;
  const std::size_t n = srcset.size();
  while (p < n) {
    while (p < n && (is_html_space(srcset[p]) || srcset[p] == ',')) ++p;
    if (p >= n) break;
    const std::size_t start = p;
    while (p < n && !is_html_space(srcset[p])) ++p;
    std::string_view url = srcset.substr(start, p - start);
    if (!url.empty() && url.back() == ',') {
      while (!url.empty() && url.back() == ',') url.remove_suffix(1);
    } else {
      bool in_parens = false;
      while (p < n) {
        const char c = srcset[p++];
        if (c == '(') in_parens = true;
        if (c == ')') in_parens = false;
        if (c == ',' && !in_parens) break;
      }
    }
    if (!url.empty()) emit(url);
  }
}

// HTML §4.2.5.3 "shared declarative refresh steps": "N; url=...", "N, URL='...'", "N ...".
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

// ---- Text accumulation ----------------------------------------------------------------------

// Appends text with whitespace runs (and NBSP, U+00A0) collapsed to one space, no leading space
// on a line, stopping at cap bytes (the final cut is moved back to a UTF-8 boundary).
void append_collapsed(std::string& out, std::string_view text, std::size_t cap) {
  bool pending_space = !out.empty() && out.back() == ' ';
  if (pending_space) out.pop_back();
  for (std::size_t i = 0; i < text.size() && out.size() < cap; ++i) {
    const char c = text[i];
    if (is_html_space(c) || c == '\v') {
      pending_space = true;
      continue;
    }
    if (c == '\xC2' && i + 1 < text.size() && text[i + 1] == '\xA0') {
      pending_space = true;
      ++i;
      continue;
    }
    const auto byte = static_cast<unsigned char>(c);
    if (byte >= 0xC0) {
      // Only start a multi-byte character that fits whole under the cap.
      const std::size_t length = byte >= 0xF0 ? 4 : (byte >= 0xE0 ? 3 : 2);
      if (out.size() + length + (pending_space ? 1 : 0) > cap) break;
    }
    if (pending_space && !out.empty() && out.back() != '\n') out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  if (pending_space && !out.empty() && out.back() != '\n' && out.size() < cap) out.push_back(' ');
}

void cut_at_utf8_boundary(std::string& s, std::size_t cap) {
  if (s.size() <= cap) return;
  std::size_t end = cap;
  while (end > 0 && (static_cast<unsigned char>(s[end]) & 0xC0) == 0x80) --end;
  s.resize(end);
}

void finish_text(std::string& s, std::size_t cap) {
  cut_at_utf8_boundary(s, cap);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n')) s.pop_back();
}

void line_break(std::string& out) {
  while (!out.empty() && out.back() == ' ') out.pop_back();
  if (!out.empty() && out.back() != '\n') out.push_back('\n');
}

// ---- Tag classes ----------------------------------------------------------------------------

struct TagTable {
  std::array<bool, GUMBO_TAG_LAST + 1> block{};
  std::array<bool, GUMBO_TAG_LAST + 1> not_rendered{};
  std::array<bool, GUMBO_TAG_LAST + 1> cell{};
  TagTable() {
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
    finish_text(out_.visible_text, out_.visible_text.size());
    finish_text(out_.title, kMaxTitleBytes);
    // Hidden groups that collected no text (an empty display:none tracking div) are noise.
    std::erase_if(out_.hidden, [](const HiddenText& h) { return h.text.empty(); });
    for (HiddenText& h : out_.hidden) finish_text(h.text, kMaxHiddenTextBytes);
    for (Url& u : out_.links) finish_text(u.anchor_text, kMaxAnchorTextBytes);
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

    // Links (HTML §4.6 and the element index: every attribute whose value is a URL).
    switch (tag) {
      case GUMBO_TAG_A:
      case GUMBO_TAG_AREA:
        if (!trim(href).empty() && out_.links.size() < limits_.max_urls) {
          add_link(href, UrlSource::kHref);
          f.link = static_cast<std::int32_t>(out_.links.size()) - 1;
        }
        break;
      case GUMBO_TAG_LINK:
      case GUMBO_TAG_BASE:
        add_link(href, UrlSource::kOtherAttribute);
        break;
      case GUMBO_TAG_IMG:
      case GUMBO_TAG_SOURCE:
        add_link(src, UrlSource::kSrc);
        for_each_srcset_url(srcset, [&](std::string_view u) { add_link(u, UrlSource::kSrcset); });
        break;
      case GUMBO_TAG_IFRAME:
      case GUMBO_TAG_FRAME:
      case GUMBO_TAG_SCRIPT:
      case GUMBO_TAG_EMBED:
      case GUMBO_TAG_VIDEO:
      case GUMBO_TAG_AUDIO:
      case GUMBO_TAG_TRACK:
        add_link(src, UrlSource::kSrc);
        break;
      case GUMBO_TAG_INPUT:
        add_link(src, UrlSource::kSrc);
        add_link(formaction, UrlSource::kFormAction);
        break;
      case GUMBO_TAG_BUTTON:
        add_link(formaction, UrlSource::kFormAction);
        break;
      case GUMBO_TAG_FORM:
        add_link(action, UrlSource::kFormAction);
        break;
      case GUMBO_TAG_OBJECT:
        add_link(data, UrlSource::kOtherAttribute);
        break;
      case GUMBO_TAG_META:
        if (iequals(trim(http_equiv), "refresh")) add_link(meta_refresh_url(content), UrlSource::kMetaRefresh);
        break;
      default:
        break;
    }
    add_link(background, UrlSource::kOtherAttribute);
    add_link(poster, UrlSource::kOtherAttribute);
    add_link(cite, UrlSource::kOtherAttribute);
    if (!style.empty()) {
      for_each_css_url(style, [&](std::string_view u) { add_link(u, UrlSource::kCssUrl); });
    }

    // Forms.
    if (tag == GUMBO_TAG_FORM && out_.forms.size() < kMaxForms) {
      HtmlForm form;
      form.action = std::string(trim(action));
      form.method = std::string(trim(method));
      for (char& c : form.method) c = ascii_lower(c);
      out_.forms.push_back(std::move(form));
      f.form = static_cast<std::int32_t>(out_.forms.size()) - 1;
    }
    if (tag == GUMBO_TAG_INPUT || tag == GUMBO_TAG_TEXTAREA || tag == GUMBO_TAG_SELECT) {
      // A control outside any <form> subtree still belongs to the last form opened (HTML's form
      // element pointer, e.g. a <form> foster-parented out of a table).
      const std::int32_t form = f.form >= 0 ? f.form : static_cast<std::int32_t>(out_.forms.size()) - 1;
      const bool hidden_input = tag == GUMBO_TAG_INPUT && iequals(trim(type), "hidden");
      if (form >= 0 && !hidden_input) {
        ++out_.forms[form].input_count;
        if (tag == GUMBO_TAG_INPUT && iequals(trim(type), "password")) out_.forms[form].has_password_input = true;
      }
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
      if (!bgcolor.empty()) {
        const std::int32_t c = parse_legacy_colour(bgcolor);
        if (c >= 0) f.style.background = c;
      }
      if (tag == GUMBO_TAG_FONT && !colour.empty()) {
        const std::int32_t c = parse_legacy_colour(colour);
        if (c != kUnknownColour) f.style.colour = c;
      }
      if (tag == GUMBO_TAG_BODY && !text_attr.empty()) {
        const std::int32_t c = parse_legacy_colour(text_attr);
        if (c != kUnknownColour) f.style.colour = c;
      }
      bool display_set = false;
      const char* hard_before = f.style.hard_reason;
      if (!style.empty()) apply_inline_style(style, f.style, display_set);
      // HTML §15.3.1: [hidden] is display:none in the UA stylesheet, so an inline display wins.
      if (has_hidden_attr && !display_set && f.style.hard_reason == hard_before && hard_before == nullptr) {
        f.style.hard_reason = "hidden-attribute";
      }
      const char* after = f.style.reason();
      if (after == nullptr) {
        f.hidden_group = -1;
      } else if (before == nullptr && !f.not_rendered) {
        if (out_.hidden.size() < kMaxHidden) {
          out_.hidden.push_back(HiddenText{after, {}});
          f.hidden_group = static_cast<std::int32_t>(out_.hidden.size()) - 1;
        } else {
          f.hidden_group = -1;
        }
      }
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
  if (utf8_html.size() > limits.max_html_bytes) {
    std::size_t cut = static_cast<std::size_t>(limits.max_html_bytes);
    // Do not hand gumbo half a UTF-8 sequence.
    while (cut > 0 && (static_cast<unsigned char>(utf8_html[cut]) & 0xC0) == 0x80) --cut;
    utf8_html = utf8_html.substr(0, cut);
    out.truncated = true;
  }
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
