// Fold table: built once per process from ICU's confusable data (see text_fold.h). ICU is only
// called while building the table; uspoof_getSkeleton takes a const checker and is documented as
// thread-safe, but the table is built under a function-local static anyway (one thread builds it).
#include "intel/brands/text_fold.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>
#include <unicode/uspoof.h>
#include <unicode/utf8.h>

#include <array>
#include <memory>
#include <stdexcept>
#include <unordered_map>

namespace vigie::intel {
namespace {

enum class Kind : std::uint8_t {
  kSeparator,  // ends a token
  kWord,       // part of a token
  kMark,       // combining mark: dropped from both forms (diacritics do not matter)
  kInvisible,  // default-ignorable: dropped from folded, makes the plain form differ
};

struct Entry {
  Kind kind = Kind::kSeparator;
  std::string folded;
  std::string plain;
};

// ASCII characters, most of every text, without strings: a word character folds to at most two
// bytes ('m' → "rn") and is its own plain form.
struct AsciiEntry {
  bool word = false;
  std::uint8_t folded_length = 0;
  char folded[2] = {0, 0};
  char plain = 0;
};

// Code point ranges that hold characters confusable with Latin letters and digits (Latin
// extensions, IPA, Greek, Cyrillic, Armenian, Cherokee, letterlike and enclosed forms, fullwidth
// forms, mathematical alphanumerics). Outside them a character only gets lowercased.
constexpr std::pair<char32_t, char32_t> kTableRanges[] = {
    {0x0000, 0x02FF},   {0x0370, 0x058F},   {0x13A0, 0x13FF},   {0x1D00, 0x1FFF},
    {0x2100, 0x24FF},   {0xA640, 0xA69F},   {0xA720, 0xA7FF},   {0xFF00, 0xFFEF},
    {0x1D400, 0x1D7FF}, {0x1F100, 0x1F1FF},
};

std::string to_utf8(const icu::UnicodeString& s) {
  std::string out;
  s.toUTF8String(out);
  return out;
}

bool is_mark(UChar32 c) {
  const int8_t type = u_charType(c);
  return type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK || type == U_COMBINING_SPACING_MARK;
}

bool is_invisible(UChar32 c) {
  return u_hasBinaryProperty(c, UCHAR_DEFAULT_IGNORABLE_CODE_POINT) ||
         (c >= 0xE0000 && c <= 0xE0FFF);  // tags and variation selectors supplement
}

// Lowercase, canonical decomposition, marks removed, only letters and digits kept.
std::string plain_of(const icu::UnicodeString& s, const icu::Normalizer2& nfd) {
  UErrorCode status = U_ZERO_ERROR;
  icu::UnicodeString lower(s);
  lower.foldCase();
  const icu::UnicodeString decomposed = nfd.normalize(lower, status);
  if (U_FAILURE(status)) return to_utf8(lower);
  icu::UnicodeString kept;
  for (int32_t i = 0; i < decomposed.length();) {
    const UChar32 c = decomposed.char32At(i);
    if (u_isalnum(c)) kept.append(c);
    i += U16_LENGTH(c);
  }
  return to_utf8(kept);
}

class FoldTable {
 public:
  FoldTable() {
    UErrorCode status = U_ZERO_ERROR;
    const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
    std::unique_ptr<USpoofChecker, decltype(&uspoof_close)> checker(uspoof_open(&status),
                                                                     &uspoof_close);
    if (U_FAILURE(status)) throw std::runtime_error("ICU spoof checker unavailable");
    for (const auto& [first, last] : kTableRanges) {
      for (char32_t cp = first; cp <= last; ++cp) {
        Entry e = compute(static_cast<UChar32>(cp), *checker, *nfd);
        if (cp < 0x80) {
          AsciiEntry& fast = ascii_fast_[cp];
          fast.word = e.kind == Kind::kWord && e.folded.size() <= 2 && e.plain.size() == 1;
          if (fast.word) {
            fast.folded_length = static_cast<std::uint8_t>(e.folded.size());
            e.folded.copy(fast.folded, e.folded.size());
            fast.plain = e.plain[0];
          }
          ascii_[cp] = std::move(e);
        } else if (e.kind != Kind::kSeparator || !e.folded.empty()) {
          table_.emplace(cp, std::move(e));
        }
      }
    }
  }

  // The entry for a code point outside the table: lowercase it, nothing else.
  static Entry fallback(UChar32 c) {
    Entry e;
    if (is_invisible(c)) {
      e.kind = Kind::kInvisible;
    } else if (is_mark(c)) {
      e.kind = Kind::kMark;
    } else if (u_isalnum(c)) {
      e.kind = Kind::kWord;
      char buffer[U8_MAX_LENGTH];
      int32_t length = 0;
      UBool error = false;
      U8_APPEND(reinterpret_cast<uint8_t*>(buffer), length, U8_MAX_LENGTH, u_tolower(c), error);
      if (error) return Entry{};
      e.folded.assign(buffer, static_cast<std::size_t>(length));
      e.plain = e.folded;
    }
    return e;
  }

  const AsciiEntry& ascii(std::uint8_t c) const { return ascii_fast_[c]; }
  const Entry* find(UChar32 c) const {
    if (c >= 0 && c < 0x80) return &ascii_[static_cast<std::size_t>(c)];
    const auto it = table_.find(static_cast<char32_t>(c));
    return it == table_.end() ? nullptr : &it->second;
  }
  bool in_table_range(UChar32 c) const {
    for (const auto& [first, last] : kTableRanges) {
      if (static_cast<char32_t>(c) >= first && static_cast<char32_t>(c) <= last) return true;
    }
    return false;
  }

 private:
  static Entry compute(UChar32 c, const USpoofChecker& checker, const icu::Normalizer2& nfd) {
    Entry e;
    if (is_invisible(c)) {
      e.kind = Kind::kInvisible;
      return e;
    }
    if (is_mark(c)) {
      e.kind = Kind::kMark;
      return e;
    }
    const icu::UnicodeString original(c);
    // Lowercase first, so that case never matters ('I' is 'i', not the skeleton's 'l': "ANTAI"
    // must not read as "antal"); then skeleton, lowercase, and again, because skeletons map some
    // characters to uppercase prototypes ('0' → 'O'). The I-for-l trick ("PayPaI") is caught by
    // the name index instead (brand_names.cpp).
    icu::UnicodeString s = original;
    s.foldCase();
    for (int round = 0; round < 2; ++round) {
      UErrorCode status = U_ZERO_ERROR;
      icu::UnicodeString skeleton;
      uspoof_getSkeletonUnicodeString(&checker, 0, s, skeleton, &status);
      if (U_FAILURE(status)) break;
      s = skeleton;
      s.foldCase();
    }
    std::string folded = plain_of(s, nfd);
    if (!u_isalnum(c) && folded.empty()) return e;  // punctuation, symbols, spaces
    // A symbol that reads as a letter ("Ⓟ", "🅿") joins words; anything else alphanumeric too.
    e.kind = folded.empty() ? Kind::kMark : Kind::kWord;
    e.folded = std::move(folded);
    e.plain = plain_of(original, nfd);
    if (e.plain.empty()) e.plain = e.folded;
    return e;
  }

  std::array<Entry, 0x80> ascii_{};
  std::array<AsciiEntry, 0x80> ascii_fast_{};
  std::unordered_map<char32_t, Entry> table_;
};

const FoldTable& fold_table() {
  static const FoldTable table;
  return table;
}

}  // namespace

void fold_text(std::string_view text, FoldedText& out, std::size_t max_bytes) {
  const FoldTable& table = fold_table();
  const auto* bytes = reinterpret_cast<const uint8_t*>(text.data());
  const auto length = static_cast<int32_t>(std::min<std::size_t>(
      std::min(text.size(), max_bytes), static_cast<std::size_t>(INT32_MAX)));
  bool in_token = false;
  auto close_token = [&] {
    if (!in_token) return;
    FoldedToken& t = out.tokens.back();
    t.folded_end = static_cast<std::uint32_t>(out.folded.size());
    t.plain_end = static_cast<std::uint32_t>(out.plain.size());
    // A token made only of invisible characters and marks carries nothing.
    if (t.folded_end == t.folded_begin) out.tokens.pop_back();
    in_token = false;
  };
  out.folded.reserve(out.folded.size() + static_cast<std::size_t>(length));
  out.plain.reserve(out.plain.size() + static_cast<std::size_t>(length));
  auto open_token = [&] {
    if (in_token) return;
    out.tokens.push_back(FoldedToken{static_cast<std::uint32_t>(out.folded.size()), 0,
                                     static_cast<std::uint32_t>(out.plain.size()), 0});
    in_token = true;
  };
  Entry fallback;
  for (int32_t i = 0; i < length;) {
    if (bytes[i] < 0x80) {
      const AsciiEntry& a = table.ascii(bytes[i++]);
      if (!a.word) {
        close_token();
        continue;
      }
      open_token();
      // push_back inlines; append(pointer, length) is a call and a memcpy per character.
      out.folded.push_back(a.folded[0]);
      if (a.folded_length == 2) out.folded.push_back(a.folded[1]);
      out.plain.push_back(a.plain);
      continue;
    }
    UChar32 c = 0;
    U8_NEXT(bytes, i, length, c);
    const Entry* e = c < 0 ? nullptr : table.find(c);
    if (e == nullptr && c >= 0 && !table.in_table_range(c)) {
      fallback = FoldTable::fallback(c);
      e = &fallback;
    }
    if (e == nullptr || e->kind == Kind::kSeparator) {
      close_token();
      continue;
    }
    if (e->kind == Kind::kMark) continue;
    if (e->kind == Kind::kInvisible) {
      if (in_token) out.plain.push_back('\x01');  // an invisible character inside a word
      continue;
    }
    open_token();
    out.folded += e->folded;
    out.plain += e->plain;
  }
  close_token();
}

namespace {
std::string join_tokens(std::string_view text, bool plain) {
  FoldedText folded;
  fold_text(text, folded);
  std::string key;
  for (std::size_t i = 0; i < folded.tokens.size(); ++i) {
    if (i != 0) key.push_back(' ');
    key += plain ? folded.plain_token(i) : folded.folded_token(i);
  }
  return key;
}
}  // namespace

std::string fold_key(std::string_view text) { return join_tokens(text, false); }
std::string plain_key(std::string_view text) { return join_tokens(text, true); }

}  // namespace vigie::intel
