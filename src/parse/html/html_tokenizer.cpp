// The WHATWG HTML tokenizer (§13.2.5) as a pull lexer over a string_view. This file owns where
// tokens begin and end and what their text is after character-reference decoding; it owns no
// tree: the insertion modes of §13.2.6 live in html_tree_builder.cpp, which drives the text states.
//
// Shape: each group of states of §13.2.5 that always runs to a token boundary is one function
// (text, raw text, script data, tag, comment, DOCTYPE, character reference), written as straight
// loops with the state transitions the standard lists; the hot states (data, attribute values,
// raw text) scan ahead with SSE2 (or memchr) for the few characters that change state. Where the
// standard's state only changes the *content* of a token nobody reads (comment data details,
// script text), the position logic is exact and the content is the raw slice; comments say so.
//
// Input preprocessing (§13.2.3.5, CR LF → LF) is not applied: CR is whitespace wherever the
// standard names LF in a tag state, and text consumers treat it as whitespace anyway.
#include "parse/html/html_tokenizer.h"

#include <algorithm>
#include <array>
#include <cstring>

#include "common/byte_scan.h"

namespace vigie::parse {
namespace {

struct NamedReference {
  std::string_view name;
  std::string_view value;
};
// §13.5: the full table, sorted by name (generated, see the .inc header).
constexpr NamedReference kNamedReferences[] = {
#include "parse/html/html_entities.inc"
};
constexpr std::size_t kLongestReferenceName = 32;

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// §13.2.5.80: numeric references to C1 controls mean what windows-1252 puts there.
constexpr std::array<std::uint16_t, 32> kC1Replacements = {
    0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
    0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
    0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178};

constexpr bool is_space(char c) {
  // §13.2.5: tab, LF, FF, space (CR too: no preprocessing, see above).
  return c == ' ' || c == '\n' || c == '\t' || c == '\f' || c == '\r';
}
constexpr bool is_alpha(char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }
constexpr bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }
constexpr bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
constexpr char to_lower(char c) { return is_upper(c) ? static_cast<char>(c + 32) : c; }

// Byte classes of the tag states (§13.2.5.8, .32-.34), so that their per-byte loops over names
// test one table entry instead of six comparisons.
enum TagByte : std::uint8_t {
  kTagSpace = 1,        // is_space
  kTagNameEnd = 2,      // '/' or '>': ends a tag or attribute name
  kTagEquals = 4,       // '=': ends an attribute name
  kTagNameChanges = 8,  // uppercase or NUL: the name is not the input bytes as they are
};
constexpr std::array<std::uint8_t, 256> kTagBytes = [] {
  std::array<std::uint8_t, 256> t{};
  for (unsigned i = 0; i < 256; ++i) {
    const char c = static_cast<char>(i);
    if (is_space(c)) t[i] |= kTagSpace;
    if (c == '/' || c == '>') t[i] |= kTagNameEnd;
    if (c == '=') t[i] |= kTagEquals;
    if (is_upper(c) || c == '\0') t[i] |= kTagNameChanges;
  }
  return t;
}();

// End of the name starting at p (a byte of one of the `stop` classes, or end), and in `changes`
// whether any byte of it is uppercase or NUL.
const char* scan_name(const char* p, const char* end, std::uint8_t stop, bool& changes) {
  std::uint8_t seen = 0;
  for (; p < end; ++p) {
    const std::uint8_t k = kTagBytes[static_cast<unsigned char>(*p)];
    if ((k & stop) != 0) break;
    seen |= k;
  }
  changes = (seen & kTagNameChanges) != 0;
  return p;
}

void append_utf8(std::string& out, std::uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Appends s lowercased with NUL → U+FFFD (tag and attribute names, §13.2.5.8 and .33).
void append_name(std::string& out, std::string_view s) {
  for (const char c : s) {
    if (c == '\0') {
      out.append(kReplacement);
    } else {
      out.push_back(to_lower(c));
    }
  }
}

constexpr const NamedReference* named_reference(std::string_view name) {
  for (const NamedReference& r : kNamedReferences) {
    if (r.name == name) return &r;
  }
  throw "not a named character reference";  // a compile-time error where the constant is built
}
// The references that make most of those in mail (&nbsp; alone is over half of them on the shared
// corpus). A name that ends in ';' is always the longest match, since no name continues past its
// ';', so finding one of these at the start settles the search below without running it.
constexpr const NamedReference* kNbsp = named_reference("nbsp;");
constexpr const NamedReference* kQuot = named_reference("quot;");
constexpr const NamedReference* kAmp = named_reference("amp;");
constexpr const NamedReference* kLt = named_reference("lt;");
constexpr const NamedReference* kGt = named_reference("gt;");

const NamedReference* common_named_reference(std::string_view s) {
  const NamedReference* candidate = nullptr;
  switch (s.front()) {
    case 'n': candidate = kNbsp; break;
    case 'q': candidate = kQuot; break;
    case 'a': candidate = kAmp; break;
    case 'l': candidate = kLt; break;
    case 'g': candidate = kGt; break;
    default: return nullptr;
  }
  return s.starts_with(candidate->name) ? candidate : nullptr;
}

// Longest entry of kNamedReferences that is a prefix of s (§13.2.5.73: "consume the maximum
// number of characters possible"), narrowing the sorted range one character at a time.
const NamedReference* longest_named_reference(std::string_view s, std::size_t& matched) {
  if (s.empty()) {
    matched = 0;
    return nullptr;
  }
  if (const NamedReference* common = common_named_reference(s)) {
    matched = common->name.size();
    return common;
  }
  const NamedReference* lo = std::begin(kNamedReferences);
  const NamedReference* hi = std::end(kNamedReferences);
  const NamedReference* best = nullptr;
  matched = 0;
  const std::size_t limit = std::min(s.size(), kLongestReferenceName);
  for (std::size_t k = 0; k < limit && lo < hi; ++k) {
    const auto ch = static_cast<unsigned char>(s[k]);
    // Within [lo, hi) every name shares s[0, k); names of length k sort first, then by name[k].
    const auto key = [k](const NamedReference& e) {
      return e.name.size() > k ? static_cast<int>(static_cast<unsigned char>(e.name[k])) : -1;
    };
    lo = std::partition_point(lo, hi, [&](const NamedReference& e) { return key(e) < ch; });
    hi = std::partition_point(lo, hi, [&](const NamedReference& e) { return key(e) <= ch; });
    if (lo < hi && lo->name.size() == k + 1) {
      best = lo;
      matched = k + 1;
    }
  }
  return best;
}

}  // namespace

HtmlTokenizer::HtmlTokenizer(std::string_view input) : input_(input) {
  pending_.reserve(16);
  attributes_.reserve(16);
}

bool HtmlTokenizer::next(HtmlToken& token) {
  if (eof_emitted_) return false;
  token.attributes = {};
  token.self_closing = false;
  for (;;) {
    bool produced = false;
    switch (text_state_) {
      case HtmlTextState::kData:
        produced = lex_text(token);
        break;
      case HtmlTextState::kRcdata:
        produced = lex_rawish(token, true);
        break;
      case HtmlTextState::kRawtext:
        produced = lex_rawish(token, false);
        break;
      case HtmlTextState::kScriptData:
        produced = lex_script(token);
        break;
      case HtmlTextState::kPlaintext:
        // §13.2.5.5: everything to the end is text.
        if (pos_ >= input_.size()) {
          produced = emit_eof(token);
        } else {
          const std::size_t start = pos_;
          pos_ = input_.size();
          produced = emit_characters(token, start, pos_, true);
        }
        break;
    }
    if (produced) return true;
  }
}

bool HtmlTokenizer::emit_eof(HtmlToken& token) {
  token.kind = HtmlTokenKind::kEndOfFile;
  token.data = {};
  token.offset = input_.size();
  eof_emitted_ = true;
  return true;
}

bool HtmlTokenizer::emit_characters(HtmlToken& token, std::size_t start, std::size_t end,
                                    bool replace_nul) {
  if (end <= start) return false;
  token.kind = HtmlTokenKind::kCharacters;
  token.offset = start;
  const std::string_view raw = input_.substr(start, end - start);
  if (replace_nul && std::memchr(raw.data(), '\0', raw.size()) != nullptr) {
    text_.clear();
    for (const char c : raw) {
      if (c == '\0') {
        text_.append(kReplacement);
      } else {
        text_.push_back(c);
      }
    }
    token.data = text_;
  } else {
    token.data = raw;
  }
  return true;
}

// §13.2.5.1 data state.
bool HtmlTokenizer::lex_text(HtmlToken& token) {
  const std::size_t n = input_.size();
  for (;;) {
    if (pos_ >= n) return emit_eof(token);
    const char c = input_[pos_];
    if (c == '<') return lex_tag_open(token);
    if (c == '&') {
      const std::size_t start = pos_;
      text_.clear();
      consume_character_reference(text_, false);
      token.kind = HtmlTokenKind::kCharacters;
      token.offset = start;
      token.data = text_;
      return true;
    }
    if (c == '\0') {
      // The data state emits U+0000 as is and every insertion mode that can receive it in body
      // ignores it (§13.2.6.4.7 "A character token that is U+0000 NULL"), so it goes here.
      ++pos_;
      continue;
    }
    const char* end = scan::find_any(input_.data() + pos_ + 1, input_.data() + n, '<', '&', '\0');
    const std::size_t start = pos_;
    pos_ = static_cast<std::size_t>(end - input_.data());
    return emit_characters(token, start, pos_, false);
  }
}

bool HtmlTokenizer::appropriate_end_tag_at(std::size_t at) const {
  const std::size_t n = input_.size();
  const std::size_t name_end = at + 2 + last_start_tag_.size();
  if (last_start_tag_.empty() || name_end >= n) return false;
  if (input_[at] != '<' || input_[at + 1] != '/') return false;
  for (std::size_t i = 0; i < last_start_tag_.size(); ++i) {
    if (to_lower(input_[at + 2 + i]) != last_start_tag_[i]) return false;
  }
  // §13.2.5.11/.14: only whitespace, '/' or '>' after the name makes it the end tag; anything
  // else (EOF included) and "</name" was text.
  const char c = input_[name_end];
  return is_space(c) || c == '/' || c == '>';
}

// §13.2.5.2 RCDATA and §13.2.5.3 RAWTEXT with their less-than-sign / end tag open / end tag name
// states: text up to the appropriate end tag, character references in RCDATA only.
bool HtmlTokenizer::lex_rawish(HtmlToken& token, bool references) {
  const std::size_t n = input_.size();
  if (pos_ >= n) return emit_eof(token);
  if (references && input_[pos_] == '&') {
    const std::size_t start = pos_;
    text_.clear();
    consume_character_reference(text_, false);
    token.kind = HtmlTokenKind::kCharacters;
    token.offset = start;
    token.data = text_;
    return true;
  }
  std::size_t i = pos_;
  std::size_t end = n;
  while (i < n) {
    const char* hit = scan::find_any(input_.data() + i, input_.data() + n, '<', references ? '&' : '<', '<');
    const std::size_t h = static_cast<std::size_t>(hit - input_.data());
    if (h >= n) break;
    if (input_[h] == '&') {
      end = h;
      break;
    }
    if (appropriate_end_tag_at(h)) {
      end = h;
      text_state_ = HtmlTextState::kData;  // the end tag itself is read by the tag states
      break;
    }
    i = h + 1;
  }
  const std::size_t start = pos_;
  pos_ = end;
  return emit_characters(token, start, end, true);
}

// §13.2.5.4 script data and §13.2.5.15-.31 (escaped, double-escaped): only the position of the
// end tag that closes the script depends on them; the text is emitted as one raw run.
bool HtmlTokenizer::lex_script(HtmlToken& token) {
  enum class S { kData, kEscaped, kEscapedDash, kEscapedDashDash, kDouble, kDoubleDash, kDoubleDashDash };
  const std::size_t n = input_.size();
  if (pos_ >= n) return emit_eof(token);
  const auto is_script_word = [&](std::size_t at, std::size_t& after) {
    // "script" (any case) followed by whitespace, '/' or '>' (double escape start/end, .27/.31).
    static constexpr std::string_view kScript = "script";
    if (at + kScript.size() >= n) return false;
    for (std::size_t k = 0; k < kScript.size(); ++k) {
      if (to_lower(input_[at + k]) != kScript[k]) return false;
    }
    const char c = input_[at + kScript.size()];
    after = at + kScript.size();
    return is_space(c) || c == '/' || c == '>';
  };
  S s = S::kData;
  std::size_t i = pos_;
  std::size_t end = n;
  while (i < n) {
    if (s == S::kData) {
      const void* hit = std::memchr(input_.data() + i, '<', n - i);
      if (hit == nullptr) break;
      i = static_cast<std::size_t>(static_cast<const char*>(hit) - input_.data());
      if (appropriate_end_tag_at(i)) {
        end = i;
        break;
      }
      // "<!--" enters the escaped states (§13.2.5.18-.20).
      if (i + 3 < n && input_[i + 1] == '!' && input_[i + 2] == '-' && input_[i + 3] == '-') {
        s = S::kEscapedDashDash;
        i += 4;
      } else {
        ++i;
      }
      continue;
    }
    const char c = input_[i];
    switch (s) {
      case S::kEscaped:
      case S::kEscapedDash:
      case S::kEscapedDashDash:
        if (c == '-') {
          s = s == S::kEscaped ? S::kEscapedDash : S::kEscapedDashDash;
          ++i;
        } else if (c == '<') {
          // §13.2.5.23 escaped less-than sign.
          std::size_t after = 0;
          if (appropriate_end_tag_at(i)) {
            end = i;
            i = n + 1;  // leave the loop with end set
            break;
          }
          if (i + 1 < n && is_alpha(input_[i + 1]) && is_script_word(i + 1, after)) {
            s = S::kDouble;
            i = after;
          } else {
            s = S::kEscaped;
            ++i;
          }
        } else if (c == '>' && s == S::kEscapedDashDash) {
          s = S::kData;
          ++i;
        } else {
          s = S::kEscaped;
          ++i;
        }
        break;
      case S::kDouble:
      case S::kDoubleDash:
      case S::kDoubleDashDash:
        if (c == '-') {
          s = s == S::kDouble ? S::kDoubleDash : S::kDoubleDashDash;
          ++i;
        } else if (c == '<') {
          // §13.2.5.29-.31: "</script" + delimiter returns to the escaped state.
          std::size_t after = 0;
          if (i + 1 < n && input_[i + 1] == '/' && is_script_word(i + 2, after)) {
            s = S::kEscaped;
            i = after;
          } else {
            s = S::kDouble;
            ++i;
          }
        } else if (c == '>' && s == S::kDoubleDashDash) {
          s = S::kData;
          ++i;
        } else {
          s = S::kDouble;
          ++i;
        }
        break;
      case S::kData:
        break;
    }
  }
  if (end < n) text_state_ = HtmlTextState::kData;
  const std::size_t start = pos_;
  pos_ = end;
  if (end == start) return false;
  return emit_characters(token, start, end, true);
}

// §13.2.5.6 tag open (and .7 end tag open).
bool HtmlTokenizer::lex_tag_open(HtmlToken& token) {
  const std::size_t n = input_.size();
  const std::size_t start = pos_;
  if (start + 1 >= n) {
    pos_ = n;
    return emit_characters(token, start, n, false);  // "<" at EOF is text
  }
  const char c = input_[start + 1];
  if (c == '!') return lex_markup_declaration(token, start);
  if (is_alpha(c)) return lex_tag(token, start, false);
  if (c == '?') return lex_bogus_comment(token, start, start + 1);
  if (c == '/') {
    if (start + 2 >= n) {
      pos_ = n;
      return emit_characters(token, start, n, false);  // "</" at EOF is text
    }
    const char d = input_[start + 2];
    if (is_alpha(d)) return lex_tag(token, start, true);
    if (d == '>') {  // "</>": missing-end-tag-name, nothing emitted
      pos_ = start + 3;
      return false;
    }
    return lex_bogus_comment(token, start, start + 2);  // "</3": invalid-first-character-of-tag-name
  }
  // invalid-first-character-of-tag-name: the '<' is text.
  pos_ = start + 1;
  return emit_characters(token, start, start + 1, false);
}

std::string_view HtmlTokenizer::resolve(const Slice& slice) const {
  // Slices are made in bounds (lex_tag), so no substr check: this runs twice per attribute.
  return std::string_view((slice.in_scratch ? scratch_.data() : input_.data()) + slice.offset, slice.length);
}

namespace {

// Bit of a name in the duplicate filter of finish_attribute_name. It hashes every byte: the length
// and first letter alone collide for names that often share a tag (cellpadding/cellspacing,
// class/color/alt, face/height).
unsigned attribute_filter_bit(std::string_view name) {
  std::uint32_t hash = static_cast<std::uint32_t>(name.size());
  for (const char c : name) hash = hash * 31u + static_cast<unsigned char>(c);
  return (hash * 0x9E3779B1u) >> 24;
}

}  // namespace

void HtmlTokenizer::finish_attribute_name() {
  PendingAttribute& a = pending_.back();
  if (pending_.size() > kMaxAttributes) {
    a.dropped = true;
    return;
  }
  // §13.2.5.33: a name already on the tag drops the new attribute.
  const std::string_view name = resolve(a.name);
  const std::size_t earlier = pending_.size() - 1;
  const auto seen_before = [&] {
    for (std::size_t k = 0; k < earlier; ++k) {
      const PendingAttribute& e = pending_[k];
      if (!e.dropped && e.name.length == a.name.length && resolve(e.name) == name) return true;
    }
    return false;
  };
  // Nearly every tag has a few attributes: comparing with each is cheaper than hashing, and a
  // 64-bit filter of (length, first and last byte) skips even that for nearly every name.
  if (earlier < kDirectlyComparedAttributes) {
    const std::uint64_t bit = std::uint64_t{1}
                              << ((name.size() * 7u + static_cast<unsigned char>(name.front()) * 3u +
                                   static_cast<unsigned char>(name.back())) & 63u);
    const bool maybe_seen = (short_name_filter_ & bit) != 0;
    short_name_filter_ |= bit;
    a.dropped = maybe_seen && seen_before();
    return;
  }
  // Past that, a 256-bit filter makes the scan rare, also on the junk tags of spam with a hundred
  // attributes; kMaxAttributes bounds it. It starts with the names compared directly so far.
  if (earlier == kDirectlyComparedAttributes) {
    attribute_bloom_ = {};
    for (std::size_t k = 0; k < earlier; ++k) {
      if (pending_[k].dropped) continue;
      const unsigned bit = attribute_filter_bit(resolve(pending_[k].name));
      attribute_bloom_[bit >> 6] |= std::uint64_t{1} << (bit & 63u);
    }
  }
  const unsigned bit = attribute_filter_bit(name);
  std::uint64_t& word = attribute_bloom_[bit >> 6];
  const std::uint64_t mask = std::uint64_t{1} << (bit & 63u);
  if ((word & mask) != 0 && seen_before()) {
    a.dropped = true;
    return;
  }
  word |= mask;
}

// §13.2.5.8 tag name through §13.2.5.40 self-closing start tag. EOF anywhere inside a tag drops
// the tag (eof-in-tag).
bool HtmlTokenizer::lex_tag(HtmlToken& token, std::size_t start, bool end_tag) {
  const std::size_t n = input_.size();
  scratch_.clear();
  pending_.clear();
  short_name_filter_ = 0;
  bool self_closing = false;
  pos_ = start + (end_tag ? 2 : 1);
  const auto eof_in_tag = [&] {
    pos_ = n;  // the unfinished tag is dropped, and nothing follows it
    return false;
  };

  // Tag name.
  const char* const data = input_.data();
  const std::size_t name_start = pos_;
  bool name_needs_copy = false;
  pos_ = static_cast<std::size_t>(scan_name(data + pos_, data + n, kTagSpace | kTagNameEnd, name_needs_copy) - data);
  if (pos_ >= n) return eof_in_tag();  // eof-in-tag
  Slice name{static_cast<std::uint32_t>(name_start), static_cast<std::uint32_t>(pos_ - name_start), false};
  if (name_needs_copy) {
    name.offset = static_cast<std::uint32_t>(scratch_.size());
    append_name(scratch_, input_.substr(name_start, pos_ - name_start));
    name.length = static_cast<std::uint32_t>(scratch_.size() - name.offset);
    name.in_scratch = true;
  }

  for (;;) {
    // §13.2.5.32 before attribute name.
    while (pos_ < n && is_space(input_[pos_])) ++pos_;
    if (pos_ >= n) return eof_in_tag();
    char c = input_[pos_];
    if (c == '>') {
      ++pos_;
      break;
    }
    if (c == '/') {
      // §13.2.5.40 self-closing start tag: only "/>" sets the flag; a lone '/' is ignored.
      ++pos_;
      if (pos_ >= n) return eof_in_tag();
      if (input_[pos_] == '>') {
        ++pos_;
        self_closing = true;
        break;
      }
      continue;
    }
    // §13.2.5.33 attribute name. The first character is taken whatever it is ('=' included).
    const std::size_t attr_start = pos_;
    bool attr_needs_copy = false;
    pos_ = static_cast<std::size_t>(
        scan_name(data + pos_ + 1, data + n, kTagSpace | kTagNameEnd | kTagEquals, attr_needs_copy) - data);
    attr_needs_copy = attr_needs_copy || is_upper(c) || c == '\0';
    // Written in place: built on the stack and copied in, its small fields were stored one by one
    // and read back as one vector, a store-forwarding stall on every attribute.
    Slice& attribute_name = pending_.emplace_back().name;
    attribute_name = Slice{static_cast<std::uint32_t>(attr_start), static_cast<std::uint32_t>(pos_ - attr_start), false};
    if (attr_needs_copy) {
      attribute_name.offset = static_cast<std::uint32_t>(scratch_.size());
      append_name(scratch_, input_.substr(attr_start, pos_ - attr_start));
      attribute_name.length = static_cast<std::uint32_t>(scratch_.size() - attribute_name.offset);
      attribute_name.in_scratch = true;
    }
    finish_attribute_name();
    // §13.2.5.34 after attribute name.
    while (pos_ < n && is_space(input_[pos_])) ++pos_;
    if (pos_ >= n) return eof_in_tag();
    if (input_[pos_] != '=') continue;  // '/', '>' or a new attribute: back to the loop head
    ++pos_;
    // §13.2.5.35 before attribute value.
    while (pos_ < n && is_space(input_[pos_])) ++pos_;
    if (pos_ >= n) return eof_in_tag();
    c = input_[pos_];
    if (c == '>') continue;  // missing-attribute-value: empty value, the loop head emits
    Slice value;
    if (c == '"' || c == '\'') {
      // §13.2.5.36/.37 quoted value.
      const char quote = c;
      ++pos_;
      const std::size_t value_start = pos_;
      const char* hit = scan::find_any(input_.data() + pos_, input_.data() + n, quote, '&', '\0');
      std::size_t h = static_cast<std::size_t>(hit - input_.data());
      if (h >= n) return eof_in_tag();
      if (input_[h] == quote) {
        value = Slice{static_cast<std::uint32_t>(value_start), static_cast<std::uint32_t>(h - value_start), false};
        pos_ = h + 1;
      } else {
        value.offset = static_cast<std::uint32_t>(scratch_.size());
        value.in_scratch = true;
        scratch_.append(input_.substr(value_start, h - value_start));
        pos_ = h;
        for (;;) {
          if (pos_ >= n) return eof_in_tag();
          const char d = input_[pos_];
          if (d == quote) {
            ++pos_;
            break;
          }
          if (d == '&') {
            consume_character_reference(scratch_, true);
          } else if (d == '\0') {
            scratch_.append(kReplacement);
            ++pos_;
          } else {
            hit = scan::find_any(input_.data() + pos_, input_.data() + n, quote, '&', '\0');
            h = static_cast<std::size_t>(hit - input_.data());
            scratch_.append(input_.substr(pos_, h - pos_));
            pos_ = h;
          }
        }
        value.length = static_cast<std::uint32_t>(scratch_.size() - value.offset);
      }
      // §13.2.5.39 after attribute value (quoted): whitespace, '/', '>' or (missing-whitespace-
      // between-attributes) a new name all continue at the loop head.
    } else {
      // §13.2.5.38 unquoted value: ends at whitespace or '>'.
      const std::size_t value_start = pos_;
      bool decoded = false;
      while (pos_ < n) {
        const char d = input_[pos_];
        if (is_space(d) || d == '>') break;
        if (d == '&' || d == '\0') {
          if (!decoded) {
            decoded = true;
            value.offset = static_cast<std::uint32_t>(scratch_.size());
            value.in_scratch = true;
            scratch_.append(input_.substr(value_start, pos_ - value_start));
          }
          if (d == '&') {
            consume_character_reference(scratch_, true);
          } else {
            scratch_.append(kReplacement);
            ++pos_;
          }
          continue;
        }
        if (decoded) scratch_.push_back(d);
        ++pos_;
      }
      if (pos_ >= n) return eof_in_tag();
      if (decoded) {
        value.length = static_cast<std::uint32_t>(scratch_.size() - value.offset);
      } else {
        value = Slice{static_cast<std::uint32_t>(value_start), static_cast<std::uint32_t>(pos_ - value_start), false};
      }
    }
    pending_.back().value = value;
  }

  token.kind = end_tag ? HtmlTokenKind::kEndTag : HtmlTokenKind::kStartTag;
  token.offset = start;
  token.data = resolve(name);
  token.self_closing = self_closing;
  attributes_.clear();
  if (!end_tag) {
    // An end tag's attributes are a parse error and are dropped (§13.2.5.8 note on end tags).
    for (const PendingAttribute& a : pending_) {
      if (!a.dropped) attributes_.push_back(HtmlAttribute{resolve(a.name), resolve(a.value)});
    }
    // A name read as it is in the input stays there; one that was lowercased is copied out of
    // scratch_, which the next tag reuses (no raw text element has a longer name than the copy).
    if (!name.in_scratch) {
      last_start_tag_ = token.data;
    } else if (token.data.size() <= sizeof(last_start_tag_copy_)) {
      std::memcpy(last_start_tag_copy_, token.data.data(), token.data.size());
      last_start_tag_ = std::string_view(last_start_tag_copy_, token.data.size());
    } else {
      last_start_tag_ = {};
    }
  }
  token.attributes = attributes_;
  return true;
}

// §13.2.5.42 markup declaration open.
bool HtmlTokenizer::lex_markup_declaration(HtmlToken& token, std::size_t start) {
  const std::string_view rest = input_.substr(start + 2);
  if (rest.starts_with("--")) return lex_comment(token, start, start + 4);
  if (rest.size() >= 7) {
    static constexpr std::string_view kDoctype = "doctype";
    bool doctype = true;
    for (std::size_t k = 0; k < kDoctype.size(); ++k) {
      if (to_lower(rest[k]) != kDoctype[k]) {
        doctype = false;
        break;
      }
    }
    if (doctype) return lex_doctype(token, start, start + 9);
  }
  if (rest.starts_with("[CDATA[")) {
    if (cdata_allowed_) {
      // §13.2.5.69 CDATA section: text up to "]]>".
      const std::size_t body = start + 9;
      const std::size_t close = input_.find("]]>", body);
      const std::size_t end = close == std::string_view::npos ? input_.size() : close;
      pos_ = close == std::string_view::npos ? input_.size() : close + 3;
      if (end == body) return false;
      token.kind = HtmlTokenKind::kCharacters;
      token.offset = start;
      token.data = input_.substr(body, end - body);
      return true;
    }
    // cdata-in-html-content: a bogus comment whose data starts with "[CDATA[".
  }
  return lex_bogus_comment(token, start, start + 2);  // incorrectly-opened-comment
}

// §13.2.5.41 bogus comment: up to the next '>'. The data is the raw slice (its NULs are not
// replaced: comment data is never read by the tree builder vigie uses).
bool HtmlTokenizer::lex_bogus_comment(HtmlToken& token, std::size_t start, std::size_t body) {
  const std::size_t n = input_.size();
  const void* hit = body < n ? std::memchr(input_.data() + body, '>', n - body) : nullptr;
  const std::size_t end = hit == nullptr ? n : static_cast<std::size_t>(static_cast<const char*>(hit) - input_.data());
  pos_ = hit == nullptr ? n : end + 1;
  token.kind = HtmlTokenKind::kComment;
  token.offset = start;
  token.data = input_.substr(body, end - body);
  return true;
}

// §13.2.5.43-.52 comment states. Where the comment ends is exact ("<!-->", "<!--->", "-->",
// "--->", "--!>", EOF); the data is the raw slice before the closing dashes.
bool HtmlTokenizer::lex_comment(HtmlToken& token, std::size_t start, std::size_t body) {
  const std::size_t n = input_.size();
  token.kind = HtmlTokenKind::kComment;
  token.offset = start;
  const auto finish = [&](std::size_t data_end, std::size_t next) {
    token.data = input_.substr(body, data_end > body ? data_end - body : 0);
    pos_ = next;
    return true;
  };
  // §13.2.5.43/.44 comment start (dash): "<!-->" and "<!--->" are abrupt empty comments.
  if (body < n && input_[body] == '>') return finish(body, body + 1);
  if (body + 1 < n && input_[body] == '-' && input_[body + 1] == '>') return finish(body, body + 2);
  std::size_t i = body;
  for (;;) {
    // §13.2.5.45 comment: runs until a '-' (the '<!' nesting states only add parse errors).
    const void* hit = i < n ? std::memchr(input_.data() + i, '-', n - i) : nullptr;
    if (hit == nullptr) return finish(n, n);
    const std::size_t h = static_cast<std::size_t>(static_cast<const char*>(hit) - input_.data());
    // §13.2.5.50 comment end dash.
    if (h + 1 >= n) return finish(h, n);
    if (input_[h + 1] != '-') {
      i = h + 1;
      continue;
    }
    // §13.2.5.51 comment end: more dashes stay in it.
    std::size_t j = h + 2;
    while (j < n && input_[j] == '-') ++j;
    if (j >= n) return finish(j - 2, n);
    if (input_[j] == '>') return finish(j - 2, j + 1);
    if (input_[j] == '!') {
      // §13.2.5.52 comment end bang: "--!>" closes; "--!-" is back in comment end dash.
      if (j + 1 >= n) return finish(j - 2, n);
      if (input_[j + 1] == '>') return finish(j - 2, j + 2);
      i = j + 1;
      continue;
    }
    i = j;
  }
}

// §13.2.5.53-.68 DOCTYPE. Every DOCTYPE state ends the token at the first '>' (inside a quoted
// identifier too: abrupt-doctype-public/system-identifier), so the end is that '>'; the name
// and the presence of public/system identifiers are read for the quirks-mode decision.
bool HtmlTokenizer::lex_doctype(HtmlToken& token, std::size_t start, std::size_t body) {
  const std::size_t n = input_.size();
  const void* hit = body < n ? std::memchr(input_.data() + body, '>', n - body) : nullptr;
  const std::size_t end = hit == nullptr ? n : static_cast<std::size_t>(static_cast<const char*>(hit) - input_.data());
  pos_ = hit == nullptr ? n : end + 1;
  token.kind = HtmlTokenKind::kDoctype;
  token.offset = start;
  token.force_quirks = hit == nullptr;
  token.has_public_id = false;
  token.has_system_id = false;
  token.public_id = {};
  const std::string_view d = input_.substr(body, end - body);
  std::size_t p = 0;
  while (p < d.size() && is_space(d[p])) ++p;
  const std::size_t name_start = p;
  while (p < d.size() && !is_space(d[p])) ++p;
  scratch_.clear();
  append_name(scratch_, d.substr(name_start, p - name_start));
  token.data = scratch_;
  if (token.data.empty()) token.force_quirks = true;
  while (p < d.size() && is_space(d[p])) ++p;
  if (p >= d.size()) return true;
  const auto keyword = [&](std::string_view word) {
    if (d.size() - p < word.size()) return false;
    for (std::size_t k = 0; k < word.size(); ++k) {
      if (to_lower(d[p + k]) != word[k]) return false;
    }
    p += word.size();
    return true;
  };
  // Reads a quoted identifier at p; false (bogus DOCTYPE, force quirks) if there is none.
  const auto quoted = [&](std::string_view& out) {
    while (p < d.size() && is_space(d[p])) ++p;
    if (p >= d.size() || (d[p] != '"' && d[p] != '\'')) return false;
    const char q = d[p++];
    const std::size_t close = d.find(q, p);
    if (close == std::string_view::npos) {
      out = d.substr(p);
      token.force_quirks = true;  // the '>' came first
      p = d.size();
      return true;
    }
    out = d.substr(p, close - p);
    p = close + 1;
    return true;
  };
  std::string_view ignored;
  if (keyword("public")) {
    if (!quoted(token.public_id)) {
      token.force_quirks = true;
      return true;
    }
    token.has_public_id = true;
    token.has_system_id = quoted(ignored);
  } else if (keyword("system")) {
    if (!quoted(ignored)) {
      token.force_quirks = true;
      return true;
    }
    token.has_system_id = true;
  } else {
    token.force_quirks = true;
  }
  return true;
}

// §13.2.5.72 character reference, .73 named, .74 ambiguous ampersand, .75-.80 numeric.
void HtmlTokenizer::consume_character_reference(std::string& out, bool in_attribute) {
  const std::size_t n = input_.size();
  const std::size_t amp = pos_;
  const std::size_t p = amp + 1;
  if (p >= n) {
    out.push_back('&');
    pos_ = p;
    return;
  }
  const char c = input_[p];
  if (is_alnum(c)) {
    std::size_t matched = 0;
    const NamedReference* ref = longest_named_reference(input_.substr(p), matched);
    if (ref == nullptr) {
      // No match: the '&' is text, the alphanumerics after it are read as text too (the
      // ambiguous ampersand state only adds a parse error before ';').
      out.push_back('&');
      pos_ = p;
      return;
    }
    const std::size_t after = p + matched;
    if (in_attribute && ref->name.back() != ';' && after < n &&
        (input_[after] == '=' || is_alnum(input_[after]))) {
      // Historical: "&amp=" or "&notx" in an attribute value stays as written (URLs).
      out.append(input_.substr(amp, after - amp));
      pos_ = after;
      return;
    }
    out.append(ref->value);
    pos_ = after;
    return;
  }
  if (c != '#') {
    out.push_back('&');
    pos_ = p;
    return;
  }
  std::size_t q = p + 1;
  const bool hex = q < n && (input_[q] == 'x' || input_[q] == 'X');
  if (hex) ++q;
  const std::size_t digits = q;
  std::uint32_t value = 0;
  while (q < n) {
    const char d = input_[q];
    std::uint32_t digit;
    if (is_digit(d)) {
      digit = static_cast<std::uint32_t>(d - '0');
    } else if (hex && (d | 0x20) >= 'a' && (d | 0x20) <= 'f') {
      digit = static_cast<std::uint32_t>((d | 0x20) - 'a' + 10);
    } else {
      break;
    }
    // Saturate: anything past U+10FFFF is out of range whatever follows.
    value = std::min<std::uint32_t>(value * (hex ? 16 : 10) + digit, 0x110000);
    ++q;
  }
  if (q == digits) {
    // absence-of-digits-in-numeric-character-reference: "&#" / "&#x" stay as written.
    out.append(input_.substr(amp, digits - amp));
    pos_ = digits;
    return;
  }
  if (q < n && input_[q] == ';') ++q;
  pos_ = q;
  // §13.2.5.80 numeric character reference end.
  if (value == 0 || value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) {
    out.append(kReplacement);
    return;
  }
  if (value >= 0x80 && value <= 0x9F) value = kC1Replacements[value - 0x80];
  append_utf8(out, value);
}

}  // namespace vigie::parse
