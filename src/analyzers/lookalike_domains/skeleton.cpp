// The reading table (see skeleton.h). ICU is only called while the table is built.
#include "analyzers/lookalike_domains/skeleton.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uspoof.h>
#include <unicode/utf8.h>

#include <algorithm>
#include <array>
#include <memory>
#include <stdexcept>
#include <unordered_map>

#include "common/ascii.h"

namespace vigie::analyzers::lookalike_domains {
namespace {

enum class Kind : std::uint8_t {
  kLatin,      // reads as ASCII letters or digits
  kMark,       // a combining mark on its own: the reader sees it as part of the letter before
  kInvisible,  // default-ignorable: the reader does not see it at all
};

struct Entry {
  Kind kind = Kind::kLatin;
  std::string reads_as;
};

// Blocks that hold characters passing for Latin letters or digits: Latin-1 to IPA, Greek,
// Cyrillic, Armenian, Cherokee, Canadian syllabics, phonetic extensions and small capitals, Latin
// extended additional, Greek extended, letterlike and number forms, enclosed alphanumerics, Latin
// extended C, Lisu, Cyrillic extended B, Latin extended D and E, fullwidth forms, mathematical
// alphanumerics. A character outside them reads as itself.
constexpr std::pair<char32_t, char32_t> kTableRanges[] = {
    {0x0080, 0x02FF}, {0x0370, 0x058F}, {0x13A0, 0x13FF}, {0x1400, 0x167F},
    {0x1D00, 0x1FFF}, {0x2100, 0x24FF}, {0x2C60, 0x2C7F}, {0xA4D0, 0xA4FF},
    {0xA640, 0xA69F}, {0xA720, 0xA7FF}, {0xAB30, 0xAB6F}, {0xFF00, 0xFFEF},
    {0x1D400, 0x1D7FF},
};

bool is_mark(UChar32 c) {
  const int8_t type = u_charType(c);
  return type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK || type == U_COMBINING_SPACING_MARK;
}

bool is_ascii_alnum(UChar32 c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

char ascii_lower(UChar32 c) { return ascii::lower(static_cast<char>(c)); }

// "LATIN SMALL LETTER F WITH HOOK" → 'f', "LATIN LETTER SMALL CAPITAL R" → 'r', "LATIN SMALL
// LETTER DOTLESS I" → 'i', "LATIN SMALL LETTER U BAR" → 'u': a Latin letter dressed up. 0 for any other name ("LATIN SMALL LETTER
// TURNED A" is not an a to the reader).
char decorated_latin_letter(UChar32 c) {
  char buffer[128];
  UErrorCode status = U_ZERO_ERROR;
  const int32_t length = u_charName(c, U_UNICODE_CHAR_NAME, buffer, sizeof buffer, &status);
  if (U_FAILURE(status) || length <= 0) return 0;
  std::string_view name(buffer, static_cast<std::size_t>(std::min<int32_t>(length, sizeof buffer - 1)));
  bool found = false;
  for (std::string_view prefix : {"LATIN SMALL LETTER DOTLESS ", "LATIN SMALL LETTER ", "LATIN CAPITAL LETTER ",
                                  "LATIN LETTER SMALL CAPITAL "}) {
    if (name.substr(0, prefix.size()) == prefix) {
      name.remove_prefix(prefix.size());
      found = true;
      break;
    }
  }
  if (!found || name.empty() || name[0] < 'A' || name[0] > 'Z') return 0;
  if (name.size() > 1 && name.substr(1, 6) != " WITH " && name.substr(1) != " BAR") return 0;  // ʉ: "U BAR"
  return static_cast<char>(name[0] - 'A' + 'a');
}

class ReadingTable {
 public:
  ReadingTable() {
    UErrorCode status = U_ZERO_ERROR;
    nfkd_ = icu::Normalizer2::getNFKDInstance(status);
    checker_.reset(uspoof_open(&status));
    if (U_FAILURE(status)) throw std::runtime_error("ICU normalizer or spoof checker unavailable");
    for (const auto& [first, last] : kTableRanges) {
      for (char32_t cp = first; cp <= last; ++cp) {
        if (Entry e; compute(static_cast<UChar32>(cp), e)) table_.emplace(cp, std::move(e));
      }
    }
    for (char c = 'a'; c <= 'z'; ++c) ascii_key_[static_cast<unsigned char>(c)] = skeleton_ascii(c);
    for (char c = '0'; c <= '9'; ++c) ascii_key_[static_cast<unsigned char>(c)] = skeleton_ascii(c);
    ascii_key_['w'] = "vv";
    ascii_key_['d'] = "cl";
  }

  // nullptr: the character reads as itself.
  const Entry* find(char32_t c) const {
    const auto it = table_.find(c);
    return it == table_.end() ? nullptr : &it->second;
  }
  std::string_view ascii_key(char c) const {
    const std::string& key = ascii_key_[static_cast<unsigned char>(c)];
    return key.empty() ? std::string_view() : std::string_view(key);
  }

 private:
  // The ASCII letters and digits the UTS #39 skeleton of c stands for, or "" when it is not
  // Latin. Case-folded before (unless asked not to: a capital's own skeleton) and after, twice, as
  // skeletons map some characters to capitals ('0' → 'O').
  std::string skeleton_letters(UChar32 c, bool fold_first = true) const {
    icu::UnicodeString s(c);
    if (fold_first) s.foldCase();
    for (int round = 0; round < 2; ++round) {
      UErrorCode status = U_ZERO_ERROR;
      icu::UnicodeString skeleton;
      uspoof_getSkeletonUnicodeString(checker_.get(), 0, s, skeleton, &status);
      if (U_FAILURE(status)) return {};
      s = skeleton;
      s.foldCase();
      // Stop at the first Latin reading: "М" reads "m" (a second round would give "rn", which
      // confusable_key() adds where it belongs).
      bool latin = true;
      for (int32_t i = 0; i < s.length() && latin; ++i) latin = s.charAt(i) < 0x80 && is_ascii_alnum(s.charAt(i));
      if (latin && !s.isEmpty()) break;
    }
    UErrorCode status = U_ZERO_ERROR;
    const icu::UnicodeString decomposed = nfkd_->normalize(s, status);
    if (U_FAILURE(status)) return {};
    std::string out;
    for (int32_t i = 0; i < decomposed.length();) {
      const UChar32 d = decomposed.char32At(i);
      i += U16_LENGTH(d);
      if (is_mark(d)) continue;
      if (!is_ascii_alnum(d)) return {};
      out.push_back(ascii_lower(d));
    }
    return out;
  }

  std::string skeleton_ascii(char c) const {
    std::string key = skeleton_letters(static_cast<UChar32>(c));
    return key.empty() ? std::string(1, c) : key;
  }

  // False when c reads as itself (not Latin, or ASCII).
  bool compute(UChar32 c, Entry& e) const {
    if (u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT)) {
      e.kind = Kind::kInvisible;
      return true;
    }
    if (is_mark(c)) {
      e.kind = Kind::kMark;
      return true;
    }
    UErrorCode status = U_ZERO_ERROR;
    const icu::UnicodeString decomposed = nfkd_->normalize(icu::UnicodeString(c), status);
    if (U_FAILURE(status)) return false;
    std::string reads_as;
    for (int32_t i = 0; i < decomposed.length();) {
      const UChar32 d = decomposed.char32At(i);
      i += U16_LENGTH(d);
      if (is_mark(d)) continue;
      if (is_ascii_alnum(d)) {
        reads_as.push_back(ascii_lower(d));
        continue;
      }
      if (const char letter = decorated_latin_letter(d); letter != 0) {
        reads_as.push_back(letter);
        continue;
      }
      std::string letters = skeleton_letters(d);
      // Lowercase letters of other scripts shaped like a Latin small capital (Cyrillic "м", "т",
      // "н": a small М, Т, Н) read as the capital's letter.
      if (letters.empty() && u_isULowercase(d) && u_toupper(d) != d) {
        letters = skeleton_letters(u_toupper(d), false);
      }
      if (letters.empty()) return false;
      reads_as += letters;
    }
    if (reads_as.empty()) return false;
    e.kind = Kind::kLatin;
    e.reads_as = std::move(reads_as);
    return true;
  }

  const icu::Normalizer2* nfkd_ = nullptr;
  std::unique_ptr<USpoofChecker, decltype(&uspoof_close)> checker_{nullptr, &uspoof_close};
  std::unordered_map<char32_t, Entry> table_;
  std::array<std::string, 128> ascii_key_{};
};

const ReadingTable& reading_table() {
  static const ReadingTable table;
  return table;
}

}  // namespace

HostReading read_host(std::string_view unicode_host) {
  const ReadingTable& table = reading_table();
  HostReading reading;
  reading.text.reserve(unicode_host.size());
  const auto* bytes = reinterpret_cast<const uint8_t*>(unicode_host.data());
  const auto length = static_cast<int32_t>(std::min<std::size_t>(unicode_host.size(), 1024));
  auto note = [&](UChar32 c, std::string_view reads_as) {
    if (reading.imitations.size() >= kMaxImitatedLetters) return;
    for (const ImitatedLetter& seen : reading.imitations) {
      if (seen.code_point == static_cast<char32_t>(c)) return;
    }
    reading.imitations.push_back(ImitatedLetter{static_cast<char32_t>(c), std::string(reads_as)});
  };
  for (int32_t i = 0; i < length;) {
    const int32_t start = i;
    if (bytes[i] < 0x80) {
      reading.text.push_back(ascii_lower(bytes[i++]));
      continue;
    }
    UChar32 c = 0;
    U8_NEXT(bytes, i, length, c);
    const Entry* e = c < 0 ? nullptr : table.find(static_cast<char32_t>(c));
    if (e == nullptr) {
      reading.latin = false;
      reading.text.append(unicode_host.substr(static_cast<std::size_t>(start),
                                              static_cast<std::size_t>(i - start)));
      continue;
    }
    switch (e->kind) {
      case Kind::kMark:
        break;
      case Kind::kInvisible:
        note(c, "");
        break;
      case Kind::kLatin:
        reading.text += e->reads_as;
        note(c, e->reads_as);
        break;
    }
  }
  return reading;
}

std::string confusable_key(std::string_view reading) {
  const ReadingTable& table = reading_table();
  std::string key;
  key.reserve(reading.size() + 4);
  for (char c : reading) {
    const std::string_view mapped = static_cast<unsigned char>(c) < 0x80 ? table.ascii_key(c) : std::string_view();
    if (mapped.empty()) {
      key.push_back(c);
    } else {
      key += mapped;
    }
  }
  return key;
}

std::string describe_imitations(const std::vector<ImitatedLetter>& imitations, std::string_view imitates) {
  std::string out;
  for (const ImitatedLetter& m : imitations) {
    if (!out.empty()) out += ", ";
    char utf8[U8_MAX_LENGTH];
    int32_t length = 0;
    UBool error = false;
    U8_APPEND(reinterpret_cast<uint8_t*>(utf8), length, U8_MAX_LENGTH, static_cast<UChar32>(m.code_point), error);
    std::string code = "U+";
    for (int shift = m.code_point > 0xFFFF ? 16 : 12; shift >= 0; shift -= 4) {
      code.push_back(ascii::hex_digit(static_cast<unsigned>(m.code_point >> shift), true));
    }
    if (m.reads_as.empty()) {
      out += code + " (invisible)";
    } else {
      out += std::string(utf8, error ? 0 : static_cast<std::size_t>(length)) + " (" + code + ") " +
             std::string(imitates) + " " + m.reads_as;
    }
  }
  return out;
}

}  // namespace vigie::analyzers::lookalike_domains
