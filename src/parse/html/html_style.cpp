#include "parse/html/html_style.h"

#include <algorithm>
#include <cstdlib>
#include <string>

#include "common/direct_memo.h"
#include "parse/html/html_ascii.h"

namespace vigie::parse::html {
namespace {

// Offsets at or beyond this many pixels off-screen hide content (left:-9999px and friends).
constexpr double kOffscreenPixels = -500;

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

}  // namespace

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

std::int32_t parse_legacy_colour(std::string_view value) {
  value = trim(value);
  const std::int32_t css = parse_css_colour(value);
  if (css != kUnknownColour) return css;
  if (value.size() == 3 || value.size() == 6) return parse_hex_colour(value);
  return kUnknownColour;
}

namespace {

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

}  // namespace

StyleEffect read_inline_style(std::string_view css) {
  StyleEffect e;
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
        e.display_set = false;
      } else {
        hard = nullptr;
        e.display_set = true;
      }
    } else if (iequals(property, "visibility")) {
      if (iequals(value, "hidden") || iequals(value, "collapse")) e.visibility_hidden = true;
      if (iequals(value, "visible")) e.visibility_hidden = false;
    } else if (iequals(property, "font-size")) {
      const Length l = parse_length(value);
      if (l.ok && l.value <= 0) {
        e.font_zero = true;
      } else if (l.ok && !is_relative_font_unit(l.unit)) {
        e.font_zero = false;  // an absolute size does not depend on the zero-sized parent
      } else if (!l.ok && !value.empty() && !iequals(value, "inherit") && !iequals(value, "smaller")) {
        e.font_zero = false;  // keywords: small, medium, large...
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
      if (c != kUnknownColour) e.colour = c;
    } else if (iequals(property, "background-color")) {
      const std::int32_t c = parse_css_colour(value);
      if (c >= 0) e.background = c;  // transparent shows the inherited background
    } else if (iequals(property, "background")) {
      const std::int32_t c = background_shorthand_colour(value);
      if (c >= 0) e.background = c;
      if (c == kUnknownColour) e.background = kUnknownColour;
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
  e.hard_reason = hard;
  return e;
}

void apply_style_effect(const StyleEffect& effect, Style& st, bool& display_set) {
  if (effect.visibility_hidden) st.visibility_hidden = *effect.visibility_hidden;
  if (effect.font_zero) st.font_zero = *effect.font_zero;
  if (effect.colour) st.colour = *effect.colour;
  if (effect.background) st.background = *effect.background;
  if (effect.display_set) display_set = *effect.display_set;
  if (effect.hard_reason != nullptr && st.hard_reason == nullptr) st.hard_reason = effect.hard_reason;
}

namespace {

// read_inline_style remembered per thread: mail repeats the same style attribute on hundreds of
// elements, and a sender's messages repeat each other's (68k style attributes, 8k distinct values
// on the shared corpus). Per thread rather than per part, so that a part does not pay for setting
// up a memo of its own. Direct-mapped and fixed in size; long values are read every time.
const StyleEffect& read_inline_style_memoised(std::string_view css) {
  thread_local DirectMemo<StyleEffect, 256, 1024> memo;
  return memo.get(css, [](const std::string& key) { return read_inline_style(key); });
}

}  // namespace

void apply_inline_style(std::string_view css, Style& st, bool& display_set) {
  apply_style_effect(read_inline_style(css), st, display_set);
}

void apply_element_style(const StyleAttributes& a, Style& st) {
  if (!a.bgcolor.empty()) {
    const std::int32_t c = parse_legacy_colour(a.bgcolor);
    if (c >= 0) st.background = c;
  }
  if (!a.font_colour.empty()) {
    const std::int32_t c = parse_legacy_colour(a.font_colour);
    if (c != kUnknownColour) st.colour = c;
  }
  if (!a.body_text.empty()) {
    const std::int32_t c = parse_legacy_colour(a.body_text);
    if (c != kUnknownColour) st.colour = c;
  }
  bool display_set = false;
  const char* hard_before = st.hard_reason;
  if (!a.style.empty()) apply_style_effect(read_inline_style_memoised(a.style), st, display_set);
  // HTML §15.3.1: [hidden] is display:none in the UA stylesheet, so an inline display wins.
  if (a.hidden && !display_set && st.hard_reason == hard_before && hard_before == nullptr) {
    st.hard_reason = "hidden-attribute";
  }
}

}  // namespace vigie::parse::html
