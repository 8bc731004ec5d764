// Where URLs hide in HTML: which attributes of which elements carry a URL (HTML §4.6 and the
// element index), CSS url()/@import references, srcset candidates and the meta refresh target.
// Shared by the engine's content writer (html_content_writer.h) and the test-only gumbo reference
// (tests/html_reference) so that both find the same URLs in an element and the differential test
// between them measures the tree walk only. Views only: nothing here allocates, the callers
// decide what a URL becomes (normalize_url, parse/url).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

#include "parse/html/html_ascii.h"
#include "vigie/content.h"

namespace vigie::parse::html {

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
std::string_view meta_refresh_url(std::string_view content);

// What an element does with its URL-bearing attributes, by element name.
enum class LinkElement : std::uint8_t {
  kNone,
  kAnchor,        // a, area: href, with anchor text (the caller records it, see for_each_attribute_url)
  kHrefResource,  // link, base
  kImage,         // img, source: src and srcset
  kSrcOnly,       // iframe, frame, script, embed, video, audio, track
  kInput,         // src and formaction
  kButton,        // formaction
  kForm,          // action
  kObject,        // data
  kMeta,          // content, when http-equiv is refresh
};

// The LinkElement of a lowercase element name; constexpr so that callers can build their tag
// tables at compile time.
constexpr LinkElement link_element(std::string_view name) {
  if (name == "a" || name == "area") return LinkElement::kAnchor;
  if (name == "link" || name == "base") return LinkElement::kHrefResource;
  if (name == "img" || name == "source") return LinkElement::kImage;
  if (name == "iframe" || name == "frame" || name == "script" || name == "embed" || name == "video" ||
      name == "audio" || name == "track") {
    return LinkElement::kSrcOnly;
  }
  if (name == "input") return LinkElement::kInput;
  if (name == "button") return LinkElement::kButton;
  if (name == "form") return LinkElement::kForm;
  if (name == "object") return LinkElement::kObject;
  if (name == "meta") return LinkElement::kMeta;
  return LinkElement::kNone;
}

// The attributes of one element that may carry a URL (unset ones empty).
struct UrlAttributes {
  std::string_view href, src, srcset, style, action, formaction, http_equiv, content, background,
      poster, data, cite;
};

// Calls add(raw_url, source) for every URL the element's attributes carry, in the order the
// output lists them, except the href of a kAnchor: the caller adds that one itself first, since
// it also ties the anchor text to it. add receives raw (possibly empty) values and is expected
// to skip empty ones.
template <typename Add>
void for_each_attribute_url(LinkElement kind, const UrlAttributes& a, Add&& add) {
  switch (kind) {
    case LinkElement::kHrefResource:
      add(a.href, UrlSource::kOtherAttribute);
      break;
    case LinkElement::kImage:
      add(a.src, UrlSource::kSrc);
      for_each_srcset_url(a.srcset, [&](std::string_view u) { add(u, UrlSource::kSrcset); });
      break;
    case LinkElement::kSrcOnly:
      add(a.src, UrlSource::kSrc);
      break;
    case LinkElement::kInput:
      add(a.src, UrlSource::kSrc);
      add(a.formaction, UrlSource::kFormAction);
      break;
    case LinkElement::kButton:
      add(a.formaction, UrlSource::kFormAction);
      break;
    case LinkElement::kForm:
      add(a.action, UrlSource::kFormAction);
      break;
    case LinkElement::kObject:
      add(a.data, UrlSource::kOtherAttribute);
      break;
    case LinkElement::kMeta:
      if (iequals(trim(a.http_equiv), "refresh")) add(meta_refresh_url(a.content), UrlSource::kMetaRefresh);
      break;
    case LinkElement::kAnchor:
    case LinkElement::kNone:
      break;
  }
  add(a.background, UrlSource::kOtherAttribute);
  add(a.poster, UrlSource::kOtherAttribute);
  add(a.cite, UrlSource::kOtherAttribute);
  if (!a.style.empty()) {
    for_each_css_url(a.style, [&](std::string_view u) { add(u, UrlSource::kCssUrl); });
  }
}

}  // namespace vigie::parse::html
