// The bounded XML tag scanner (see xml_scan.h).
#include "objects/ooxml/xml_scan.h"

#include <unicode/utf8.h>

#include "common/ascii.h"

namespace vigie::objects::ooxml {
namespace {

bool name_char(char c) { return c != '>' && c != '/' && !ascii::is_space(c) && c != '='; }

void append_code_point(std::string& out, std::uint32_t c) {
  if (c == 0 || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) c = 0xFFFD;
  char buffer[U8_MAX_LENGTH];
  std::int32_t length = 0;
  UBool error = false;
  U8_APPEND(buffer, length, U8_MAX_LENGTH, static_cast<UChar32>(c), error);
  if (!error) out.append(buffer, static_cast<std::size_t>(length));
}

}  // namespace

bool XmlScanner::next(XmlTag& tag) {
  while (pos_ < xml_.size()) {
    const std::size_t open = xml_.find('<', pos_);
    if (open == std::string_view::npos) {
      pos_ = xml_.size();
      return false;
    }
    const std::string_view rest = xml_.substr(open);
    // Units that are not element tags: skipped whole, up to their own terminator.
    std::string_view terminator;
    if (rest.starts_with("<!--")) terminator = "-->";
    else if (rest.starts_with("<![CDATA[")) terminator = "]]>";
    else if (rest.starts_with("<?")) terminator = "?>";
    else if (rest.starts_with("<!")) terminator = ">";
    if (!terminator.empty()) {
      const std::size_t end = xml_.find(terminator, open + 2);
      pos_ = end == std::string_view::npos ? xml_.size() : end + terminator.size();
      continue;
    }
    const std::size_t close = xml_.find('>', open + 1);
    if (close == std::string_view::npos) {
      pos_ = xml_.size();
      return false;
    }
    std::string_view inside = xml_.substr(open + 1, close - open - 1);
    tag = XmlTag{};
    if (inside.starts_with('/')) {
      tag.closing = true;
      inside.remove_prefix(1);
    }
    if (inside.ends_with('/')) {
      tag.self_closing = true;
      inside.remove_suffix(1);
    }
    std::size_t n = 0;
    while (n < inside.size() && name_char(inside[n])) ++n;
    tag.name = inside.substr(0, n);
    tag.attributes = inside.substr(n);
    const std::size_t next_open = xml_.find('<', close + 1);
    tag.text_after = xml_.substr(close + 1, (next_open == std::string_view::npos ? xml_.size() : next_open) - close - 1);
    pos_ = close + 1;
    if (tag.name.empty()) continue;
    return true;
  }
  return false;
}

std::string_view local_name(std::string_view qualified) {
  const std::size_t colon = qualified.rfind(':');
  return colon == std::string_view::npos ? qualified : qualified.substr(colon + 1);
}

std::optional<std::string> attribute(std::string_view attributes, std::string_view name) {
  std::size_t i = 0;
  while (i < attributes.size()) {
    while (i < attributes.size() && ascii::is_space(attributes[i])) ++i;
    const std::size_t name_start = i;
    while (i < attributes.size() && name_char(attributes[i])) ++i;
    const std::string_view attribute_name = attributes.substr(name_start, i - name_start);
    while (i < attributes.size() && ascii::is_space(attributes[i])) ++i;
    if (i >= attributes.size() || attributes[i] != '=') {
      if (i == name_start) ++i;  // a stray character: step over it
      continue;
    }
    ++i;
    while (i < attributes.size() && ascii::is_space(attributes[i])) ++i;
    if (i >= attributes.size()) break;
    const char quote = attributes[i];
    std::string_view value;
    if (quote == '"' || quote == '\'') {
      const std::size_t end = attributes.find(quote, i + 1);
      const std::size_t stop = end == std::string_view::npos ? attributes.size() : end;
      value = attributes.substr(i + 1, stop - i - 1);
      i = stop == attributes.size() ? stop : stop + 1;
    } else {
      const std::size_t start = i;
      while (i < attributes.size() && !ascii::is_space(attributes[i])) ++i;
      value = attributes.substr(start, i - start);
    }
    if (!attribute_name.empty() && local_name(attribute_name) == name) return decode_entities(value);
  }
  return std::nullopt;
}

std::string decode_entities(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (std::size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '&') {
      out.push_back(text[i]);
      continue;
    }
    const std::size_t semi = text.find(';', i + 1);
    if (semi == std::string_view::npos || semi - i > 12) {
      out.push_back('&');
      continue;
    }
    const std::string_view entity = text.substr(i + 1, semi - i - 1);
    if (entity == "amp") out.push_back('&');
    else if (entity == "lt") out.push_back('<');
    else if (entity == "gt") out.push_back('>');
    else if (entity == "quot") out.push_back('"');
    else if (entity == "apos") out.push_back('\'');
    else if (entity.size() >= 2 && entity[0] == '#') {
      const bool hex = entity[1] == 'x' || entity[1] == 'X';
      std::uint32_t value = 0;
      bool ok = entity.size() > (hex ? 2u : 1u);
      for (char c : entity.substr(hex ? 2 : 1)) {
        if (hex ? !ascii::is_hex_digit(c) : !ascii::is_digit(c)) {
          ok = false;
          break;
        }
        value = value * (hex ? 16 : 10) + static_cast<std::uint32_t>(hex ? ascii::hex_value(c) : c - '0');
        if (value > 0x10FFFF) value = 0x110000;
      }
      if (!ok) {
        out.push_back('&');
        continue;
      }
      append_code_point(out, value);
    } else {
      out.push_back('&');
      continue;
    }
    i = semi;
  }
  return out;
}

}  // namespace vigie::objects::ooxml
