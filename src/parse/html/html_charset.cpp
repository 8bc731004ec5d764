// WHATWG HTML §13.2.3.2 "prescan a byte stream to determine its encoding" and the standard's
// "algorithm for extracting a character encoding from a meta element". Every loop moves forward
// through a window of at most kMetaPrescanBytes, so hostile input costs next to nothing.
#include "parse/html/html_charset.h"

#include <algorithm>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "parse/html/html_ascii.h"

namespace vigie::parse::html {
namespace {


struct Attribute {
  std::string name;
  std::string value;
};

// The bytes being prescanned and the position pointer.
class Prescan {
 public:
  explicit Prescan(std::string_view bytes) : bytes_(bytes) {}

  std::string run();

 private:
  bool at_end() const { return pos_ >= bytes_.size(); }
  char here() const { return bytes_[pos_]; }
  bool looking_at(std::string_view s) const {
    return bytes_.size() - pos_ >= s.size() && iequals(bytes_.substr(pos_, s.size()), s);
  }
  void skip_to_after(char c) {
    const std::size_t hit = bytes_.find(c, pos_);
    pos_ = hit == std::string_view::npos ? bytes_.size() : hit + 1;
  }
  std::optional<Attribute> get_attribute();
  std::string meta_element();

  std::string_view bytes_;
  std::size_t pos_ = 0;
};

// "Get an attribute": names and values lowercased, as the standard says.
std::optional<Attribute> Prescan::get_attribute() {
  while (!at_end() && (is_html_space(here()) || here() == '/')) ++pos_;
  if (at_end() || here() == '>') return std::nullopt;
  Attribute a;
  // Attribute name: an '=' is taken as the first byte of a name, not as its end.
  for (;;) {
    if (at_end()) return std::nullopt;
    const char c = here();
    if (c == '=' && !a.name.empty()) {
      ++pos_;
      break;
    }
    if (is_html_space(c)) {
      while (!at_end() && is_html_space(here())) ++pos_;
      if (at_end() || here() != '=') return a;  // no value; the next attribute starts here
      ++pos_;
      break;
    }
    if (c == '/' || c == '>') return a;
    a.name.push_back(ascii_lower(c));
    ++pos_;
  }
  // Attribute value.
  while (!at_end() && is_html_space(here())) ++pos_;
  if (at_end()) return std::nullopt;
  const char first = here();
  if (first == '"' || first == '\'') {
    ++pos_;
    const std::size_t close = bytes_.find(first, pos_);
    if (close == std::string_view::npos) return std::nullopt;
    for (const char c : bytes_.substr(pos_, close - pos_)) a.value.push_back(ascii_lower(c));
    pos_ = close + 1;
    return a;
  }
  if (first == '>') return a;
  while (!at_end() && !is_html_space(here()) && here() != '>') {
    a.value.push_back(ascii_lower(here()));
    ++pos_;
  }
  if (at_end()) return std::nullopt;
  return a;
}

// The charset of a meta element's content attribute ("text/html; charset=koi8-r"), or empty.
std::string charset_from_content(std::string_view s) {
  std::size_t i = 0;
  for (;;) {
    const std::size_t found = s.find("charset", i);  // s is lowercase already
    if (found == std::string_view::npos) return {};
    i = found + 7;
    while (i < s.size() && is_html_space(s[i])) ++i;
    if (i >= s.size()) return {};
    if (s[i] != '=') continue;  // "charsetx": look for the next occurrence from here
    ++i;
    while (i < s.size() && is_html_space(s[i])) ++i;
    if (i >= s.size()) return {};
    if (s[i] == '"' || s[i] == '\'') {
      const std::size_t close = s.find(s[i], i + 1);
      if (close == std::string_view::npos) return {};
      return std::string(s.substr(i + 1, close - i - 1));
    }
    std::size_t end = i;
    while (end < s.size() && !is_html_space(s[end]) && s[end] != ';') ++end;
    return std::string(s.substr(i, end - i));
  }
}

// Labels the WHATWG Encoding Standard does not know, which "get an encoding" answers with failure
// and the prescan then passes over, although vigie's MIME charset table reads them: UTF-7 above
// all (decoding it where the reader's client does not would show vigie text the reader never
// sees) and UTF-32 (impossible in a document whose prescan read ASCII).
bool unknown_to_browsers(std::string_view label) {
  std::string letters;
  for (const char c : label) {
    if (ascii::is_alnum(c)) letters.push_back(c);
  }
  return letters.find("utf7") != std::string::npos || letters.starts_with("utf32") ||
         letters.starts_with("ucs4") || letters.starts_with("csucs4");
}

// The attributes of a <meta> whose name has been read; its charset when it declares one.
std::string Prescan::meta_element() {
  bool got_pragma = false;
  enum class NeedPragma { kUnset, kYes, kNo } need_pragma = NeedPragma::kUnset;
  std::string charset;
  std::vector<std::string> seen;  // a repeated attribute is ignored
  while (std::optional<Attribute> a = get_attribute()) {
    if (std::find(seen.begin(), seen.end(), a->name) != seen.end()) continue;
    seen.push_back(a->name);
    if (a->name == "http-equiv") {
      if (a->value == "content-type") got_pragma = true;
    } else if (a->name == "content") {
      if (charset.empty()) {
        charset = std::string(trim(charset_from_content(a->value)));
        if (!charset.empty()) need_pragma = NeedPragma::kYes;
      }
    } else if (a->name == "charset") {
      charset = std::string(trim(a->value));
      need_pragma = NeedPragma::kNo;
    }
  }
  if (need_pragma == NeedPragma::kUnset) return {};
  if (need_pragma == NeedPragma::kYes && !got_pragma) return {};
  if (charset.empty() || unknown_to_browsers(charset)) return {};
  if (charset.starts_with("utf-16") || charset == "unicode" || charset == "ucs-2" ||
      charset == "unicodefffe" || charset == "csunicode" || charset == "iso-10646-ucs-2") {
    return "utf-8";
  }
  if (charset == "x-user-defined") return "windows-1252";
  return charset;
}

std::string Prescan::run() {
  while (!at_end()) {
    if (looking_at("<!--")) {
      // The comment ends at the first "-->", whose dashes may be those of the "<!--".
      const std::size_t close = bytes_.find("-->", pos_ + 2);
      if (close == std::string_view::npos) return {};
      pos_ = close + 3;
    } else if (looking_at("<meta") && bytes_.size() - pos_ > 5 &&
               (is_html_space(bytes_[pos_ + 5]) || bytes_[pos_ + 5] == '/')) {
      pos_ += 6;
      std::string charset = meta_element();
      if (!charset.empty()) return charset;
    } else if (here() == '<' && bytes_.size() - pos_ > 1 &&
               (ascii::is_alpha(bytes_[pos_ + 1]) ||
                (bytes_[pos_ + 1] == '/' && bytes_.size() - pos_ > 2 && ascii::is_alpha(bytes_[pos_ + 2])))) {
      // Any other tag: skip its name, then its attributes.
      while (!at_end() && !is_html_space(here()) && here() != '>') ++pos_;
      while (get_attribute()) {
      }
    } else if (looking_at("<!") || looking_at("</") || looking_at("<?")) {
      skip_to_after('>');
      continue;
    } else {
      ++pos_;
    }
  }
  return {};
}

}  // namespace

std::string prescan_meta_charset(std::string_view document) {
  return Prescan(document.substr(0, kMetaPrescanBytes)).run();
}

}  // namespace vigie::parse::html
