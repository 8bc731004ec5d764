// Colours and inline style for the HTML extractor: the CSS properties that decide whether text is
// visible (display, visibility, opacity, font-size, colour against background, clipping,
// off-screen positioning), read from style attributes and legacy presentational attributes
// (bgcolor, <font color>, <body text>, hidden). This is the part of "what is hidden" that does
// not depend on how the tree is built, shared by the engine's content writer (html_content_writer.h)
// and the test-only gumbo reference (tests/html_reference), so that the differential test
// between them measures the tree walk only. Stylesheets are not applied (see html_content_writer.h).
#pragma once

#include <cstdint>
#include <cstdlib>
#include <optional>
#include <string_view>

namespace vigie::parse::html {

constexpr std::int32_t kUnknownColour = -1;
constexpr std::int32_t kTransparent = -2;
// Colours closer than this on every channel are unreadable against each other (#fefefe on #fff).
constexpr int kSameColourTolerance = 10;

// A CSS colour value (#hex, rgb()/rgba(), transparent, the common named colours) as 0xRRGGBB,
// kTransparent or kUnknownColour.
std::int32_t parse_css_colour(std::string_view value);

// HTML §2.3.6 legacy colour values (bgcolor=, <font color=>) also accept hex without '#'. The
// full legacy algorithm's oddities ("chucknorris" is red) are not reproduced.
std::int32_t parse_legacy_colour(std::string_view value);

inline bool colours_close(std::int32_t a, std::int32_t b) {
  for (int shift = 0; shift <= 16; shift += 8) {
    if (std::abs(((a >> shift) & 0xff) - ((b >> shift) & 0xff)) > kSameColourTolerance) return false;
  }
  return true;
}

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

// What the declarations of a style attribute (CSS Style Attributes §3: a declaration list) do
// to the style an element inherits: each field a declaration sets, with later declarations
// winning as in the cascade; unset fields keep the inherited value. Reading the declarations does
// not depend on the inherited style, so one reading serves every element with the same attribute.
struct StyleEffect {
  const char* hard_reason = nullptr;  // applied only where nothing harder is inherited
  std::optional<bool> visibility_hidden;
  std::optional<bool> font_zero;
  std::optional<std::int32_t> colour;
  std::optional<std::int32_t> background;
  // An explicit display value: true for anything but none (it overrides the UA rule for the
  // hidden attribute).
  std::optional<bool> display_set;
};

StyleEffect read_inline_style(std::string_view css);

// Applies an effect to st; display_set is written when the effect has an explicit display value.
void apply_style_effect(const StyleEffect& effect, Style& st, bool& display_set);

// Applies the declarations of a style attribute to st (read_inline_style, then
// apply_style_effect).
void apply_inline_style(std::string_view css, Style& st, bool& display_set);

// The attributes of one element that bear on its visibility. font_colour and body_text are
// given only for <font> and <body> (the only elements where color= and text= mean a colour).
struct StyleAttributes {
  std::string_view bgcolor;
  std::string_view font_colour;
  std::string_view body_text;
  std::string_view style;
  bool hidden = false;
};

// Applies an element's presentational attributes, then its style attribute, then the hidden
// attribute, to the style it inherited, in the order the cascade gives them precedence.
// The style attribute's reading is remembered per thread (the same values come back).
void apply_element_style(const StyleAttributes& a, Style& st);

}  // namespace vigie::parse::html
