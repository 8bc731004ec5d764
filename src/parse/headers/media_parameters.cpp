// MIME parameter lists of Content-Type and Content-Disposition (RFC 2045 §5.1, RFC 2183 §2).
// Owns the tokenizing of "value; name=token; name="quoted"", RFC 2231 parameter value
// continuations (§3), charset and language (§4, §4.1 for continuations), and the recovery rules
// that make attachment names match what mail clients show: RFC 2047 encoded-words inside quoted
// values (forbidden by RFC 2047 §5 yet emitted by Outlook and Gmail), unquoted values with spaces,
// missing semicolons, duplicated parameters. Charset conversion is delegated to
// parse/encoding; this file only reassembles bytes.
#include <algorithm>
#include <string>
#include <vector>

#include "parse/encoding/charset.h"
#include "parse/encoding/rfc2047.h"
#include "parse/headers/header_grammar.h"
#include "parse/headers/header_lexer.h"

namespace vigie::parse {
namespace {

using detail::is_digit;
using detail::is_space;

// Most parameters kept per field (and RFC 2231 sections per field): real headers have a handful;
// the cap bounds the quadratic name matching of the assembly step.
constexpr std::size_t kMaxParameters = 100;
// Highest RFC 2231 section number accepted; real splits stay in single digits.
constexpr int kMaxSection = 999;

struct RawParam {
  std::string base;       // lowercase name without the RFC 2231 suffix
  int section = -1;       // -1 when not a continuation
  bool extended = false;  // trailing '*': charset'language'percent-encoded (RFC 2231 §4)
  std::string value;      // unquoted bytes
};

// RFC 2045 §5.1 token characters stop at tspecials; names are only ever tokens.
bool is_name_char(char c) {
  return !is_space(c) && c != '=' && c != ';' && c != '(' && c != '"' && c != ')' &&
         c != '<' && c != '>' && c != ',' && c != '\\';
}

// True when s[k..] starts with "token =" (optional whitespace before '='): the beginning of a
// parameter whose ';' was forgotten.
bool starts_parameter(std::string_view s, std::size_t k) {
  const std::size_t start = k;
  while (k < s.size() && is_name_char(s[k]) && s[k] != '/') ++k;
  if (k == start) return false;
  while (k < s.size() && (s[k] == ' ' || s[k] == '\t')) ++k;
  return k < s.size() && s[k] == '=';
}

// Skips to the next ';' at top level (outside quotes and comments).
void skip_to_semicolon(std::string_view s, std::size_t& i, bool& malformed) {
  while (i < s.size() && s[i] != ';') {
    if (s[i] == '"') {
      std::string ignored;
      detail::read_quoted_string(s, i, ignored, malformed);
    } else if (s[i] == '(') {
      detail::skip_comment(s, i, nullptr, malformed);
    } else {
      ++i;
    }
  }
}

// Unquoted value. RFC 2045 makes it a token, but Outlook writes "name=My File.pdf" and some
// scripts forget the ';' ("charset=utf-8 format=flowed"), so whitespace continues the value
// unless what follows is a new "name=", a ';', the end, or a trailing comment
// ("charset=us-ascii (Plain text)"). Each byte is looked at a bounded number of times.
std::string read_unquoted(std::string_view s, std::size_t& i, bool& malformed) {
  std::string v;
  while (i < s.size()) {
    const char c = s[i];
    if (c == ';') break;
    if (is_space(c)) {
      std::size_t k = i;
      while (k < s.size() && is_space(s[k])) ++k;
      if (k == s.size() || s[k] == ';') {
        i = k;
        break;
      }
      if (s[k] == '(') {
        std::size_t e = k;
        bool comment_malformed = false;
        detail::skip_comment(s, e, nullptr, comment_malformed);
        std::size_t after = e;
        while (after < s.size() && is_space(s[after])) ++after;
        if (after == s.size() || s[after] == ';') {
          i = after;
          break;
        }
      }
      if (starts_parameter(s, k)) {
        malformed = true;  // missing ';' (RFC 2045 §5.1 requires it)
        i = k;
        break;
      }
      malformed = true;  // whitespace inside a token
      for (std::size_t w = i; w < k; ++w) {
        if (s[w] != '\r' && s[w] != '\n') v.push_back(s[w]);
      }
      i = k;
      continue;
    }
    if (c == '"' || c == '\\' || static_cast<unsigned char>(c) < 0x20) malformed = true;
    v.push_back(c);
    ++i;
  }
  return v;
}

// RFC 2231 §4 percent-decoding; a '%' not followed by two hex digits is kept literally.
void percent_decode(std::string_view s, std::string& out, bool& malformed) {
  auto hex = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%') {
      if (i + 2 < s.size() && hex(s[i + 1]) >= 0 && hex(s[i + 2]) >= 0) {
        out.push_back(static_cast<char>(hex(s[i + 1]) * 16 + hex(s[i + 2])));
        i += 2;
        continue;
      }
      malformed = true;
    }
    out.push_back(s[i]);
  }
}

// Splits "charset'language'rest" (RFC 2231 §4); without both quotes the whole value is the
// encoded text and the charset is unknown.
std::string_view split_charset(std::string_view v, std::string& charset, bool& malformed) {
  const std::size_t q1 = v.find('\'');
  const std::size_t q2 = q1 == std::string_view::npos ? q1 : v.find('\'', q1 + 1);
  if (q2 == std::string_view::npos) {
    malformed = true;
    return v;
  }
  charset = std::string(v.substr(0, q1));
  return v.substr(q2 + 1);
}

bool needs_text_decoding(std::string_view v) {
  if (v.find("=?") != std::string_view::npos) return true;
  return std::any_of(v.begin(), v.end(), [](char c) { return static_cast<unsigned char>(c) >= 0x80; });
}

// Plain (non-RFC 2231) values: encoded-words and raw 8-bit text (RFC 6532) are converted to
// UTF-8 the way clients display them.
std::string decode_plain(const std::string& v) {
  if (!needs_text_decoding(v)) return v;
  std::string out;
  decode_encoded_words(v, out);
  return out;
}

std::string decode_extended(std::string_view v, bool& malformed) {
  std::string charset;
  const std::string_view text = split_charset(v, charset, malformed);
  std::string bytes;
  percent_decode(text, bytes, malformed);
  std::string out;
  convert_to_utf8(bytes, charset, out);
  return out;
}

// RFC 2231 §3: sections are joined in numeric order whatever their order in the header; a
// missing number ends the value. §4.1: the charset is given on section 0 and applies to every
// encoded section; unencoded sections are taken as they are.
bool join_sections(std::vector<const RawParam*>& sections, std::string& value, bool& malformed) {
  std::stable_sort(sections.begin(), sections.end(),
                   [](const RawParam* a, const RawParam* b) { return a->section < b->section; });
  if (sections.empty() || sections.front()->section != 0) {
    malformed = true;
    return false;
  }
  std::string charset;
  std::string bytes;
  bool any_extended = false;
  int expected = 0;
  for (const RawParam* p : sections) {
    if (p->section < expected) {
      malformed = true;  // duplicated section: the first one wins
      continue;
    }
    if (p->section != expected) {
      malformed = true;  // gap: the value ends here
      break;
    }
    ++expected;
    if (p->extended) {
      any_extended = true;
      std::string_view text = p->value;
      if (p->section == 0) text = split_charset(text, charset, malformed);
      percent_decode(text, bytes, malformed);
    } else {
      bytes += p->value;
    }
  }
  if (any_extended) {
    convert_to_utf8(bytes, charset, value);
  } else {
    // Outlook splits long RFC 2047 names over unencoded sections: decode after joining.
    value = decode_plain(bytes);
  }
  return true;
}

}  // namespace

const std::string* MediaParameters::find(std::string_view name) const {
  for (const Parameter& p : parameters) {
    if (detail::iequals(p.name, name)) return &p.value;
  }
  return nullptr;
}

MediaParameters parse_media_parameters(std::string_view raw_value) {
  MediaParameters result;
  const std::string_view s = raw_value;
  bool& malformed = result.malformed;
  std::size_t i = 0;

  // The main value: a token such as "text/html" or "attachment"; whitespace around '/' is
  // tolerated (RFC 2045 §5.1 allows comments there, some mailers put spaces).
  detail::skip_cfws(s, i, malformed);
  std::string value;
  while (i < s.size() && s[i] != ';') {
    if (is_space(s[i]) || s[i] == '(') {
      std::size_t k = i;
      detail::skip_cfws(s, k, malformed);
      const bool joins = k < s.size() &&
                         (s[k] == '/' || (!value.empty() && value.back() == '/' && s[k] != ';'));
      if (!joins) {
        i = k;
        break;
      }
      i = k;
      continue;
    }
    value.push_back(detail::lower(s[i]));
    ++i;
  }
  result.value = std::move(value);
  if (i < s.size() && s[i] != ';') malformed = true;  // "attachment filename=a": no ';'

  std::vector<RawParam> raw;
  while (i < s.size()) {
    detail::skip_cfws(s, i, malformed);
    if (i < s.size() && s[i] == ';') {
      // Empty parameters and a trailing ';' are common and unambiguous: not flagged.
      ++i;
      continue;
    }
    if (i >= s.size()) break;
    if (raw.size() >= kMaxParameters) {
      malformed = true;
      break;
    }
    const std::size_t name_start = i;
    while (i < s.size() && is_name_char(s[i])) ++i;
    std::string name = detail::to_lower(s.substr(name_start, i - name_start));
    detail::skip_cfws(s, i, malformed);
    if (name.empty() || i >= s.size() || s[i] != '=') {
      malformed = true;  // a parameter without '=' or a stray character
      if (name.empty() && i < s.size() && s[i] == '"') {
        std::string ignored;
        detail::read_quoted_string(s, i, ignored, malformed);
      } else if (name.empty() && i < s.size() && s[i] != ';') {
        ++i;
      }
      skip_to_semicolon(s, i, malformed);
      continue;
    }
    ++i;  // '='
    detail::skip_cfws(s, i, malformed);

    std::string v;
    if (i < s.size() && s[i] == '"') {
      detail::read_quoted_string(s, i, v, malformed);
      detail::skip_cfws(s, i, malformed);
      if (i < s.size() && s[i] != ';') {
        malformed = true;
        // Either a forgotten ';' before the next "name=", or junk glued to the quotes.
        if (!starts_parameter(s, i)) skip_to_semicolon(s, i, malformed);
      }
    } else {
      v = read_unquoted(s, i, malformed);
    }

    RawParam p;
    p.value = std::move(v);
    const std::size_t star = name.find('*');
    if (star == std::string::npos) {
      p.base = std::move(name);
    } else {
      p.base = name.substr(0, star);
      const std::string_view rest = std::string_view(name).substr(star + 1);
      std::size_t d = 0;
      while (d < rest.size() && is_digit(rest[d])) ++d;
      if (rest.empty()) {
        p.extended = true;
      } else if (d > 0 && d <= 3 && (d == rest.size() || (d + 1 == rest.size() && rest[d] == '*'))) {
        int section = 0;
        for (std::size_t k = 0; k < d; ++k) section = section * 10 + (rest[k] - '0');
        if (d > 1 && rest[0] == '0') malformed = true;  // RFC 2231 §3: no leading zeros
        p.section = std::min(section, kMaxSection);
        p.extended = d < rest.size();
      } else {
        malformed = true;  // "name*x": not RFC 2231; kept under its literal name
        p.base = name;
      }
    }
    if (p.base.empty()) {
      malformed = true;
      continue;
    }
    raw.push_back(std::move(p));
  }

  // Assembly, in order of first appearance of each name.
  std::vector<std::string> order;
  for (const RawParam& p : raw) {
    if (std::find(order.begin(), order.end(), p.base) == order.end()) order.push_back(p.base);
  }
  for (const std::string& base : order) {
    const RawParam* plain = nullptr;
    const RawParam* extended = nullptr;
    std::vector<const RawParam*> sections;
    for (const RawParam& p : raw) {
      if (p.base != base) continue;
      if (p.section >= 0) {
        sections.push_back(&p);
      } else if (p.extended) {
        if (extended) malformed = true;  // duplicated: the first wins
        else extended = &p;
      } else {
        if (plain) malformed = true;  // duplicated: the first wins
        else plain = &p;
      }
    }
    std::string rfc2231_value;
    bool have_rfc2231 = false;
    if (extended) {
      rfc2231_value = decode_extended(extended->value, malformed);
      have_rfc2231 = true;
      if (!sections.empty()) malformed = true;  // both "name*" and "name*0": keep "name*"
    } else if (!sections.empty()) {
      have_rfc2231 = join_sections(sections, rfc2231_value, malformed);
    }
    Parameter out;
    out.name = base;
    if (have_rfc2231) {
      // Senders pair "filename*" with a plain "filename" fallback for old clients. Clients that
      // know RFC 2231 show the extended one; a fallback that says something else is a way to
      // show different names to different readers, so it is reported.
      if (plain && decode_plain(plain->value) != rfc2231_value) malformed = true;
      out.value = std::move(rfc2231_value);
    } else if (plain) {
      out.value = decode_plain(plain->value);
    } else {
      continue;
    }
    result.parameters.push_back(std::move(out));
  }
  return result;
}

}  // namespace vigie::parse
