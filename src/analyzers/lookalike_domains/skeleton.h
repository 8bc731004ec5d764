// Host skeletons: a host name as its reader sees it. Owns the per-character reading table that
// the look-alike checks compare through: each character of an internationalised name is read as
// the Latin letters or digits it passes for, so that "inteŕieuʀ", "dêƒênsê", "ḍiplᴏmatie" and
// Cyrillic "ѕѕі" read as "interieur", "defense", "diplomatie" and "ssi". A character is read, in
// this order, through:
//   - compatibility decomposition with its marks removed (NFKD: "é" → "e", "ǆ" → "dz");
//   - its Unicode name when it is a Latin letter with a decoration or a small capital ("LATIN SMALL
//     LETTER F WITH HOOK" ƒ → "f", "LATIN LETTER SMALL CAPITAL R" ʀ → "r", dotless ı → "i"):
//     letter-like forms that UTS #39 leaves alone;
//   - the UTS #39 confusable skeleton (ICU uspoof) for other scripts (Cyrillic "а" → "a", Greek
//     "ο" → "o"), again without marks; failing that, the skeleton of its capital for a lowercase
//     letter shaped like a small capital (Cyrillic "м" → "m", "т" → "t").
// A character none of these turns into ASCII letters or digits (Han, Arabic…) is kept as it is and
// the reading is then not Latin: it can match no Latin target.
//
// confusable_key() then merges the ASCII letters that pass for one another (m/rn, w/vv, d/cl, 0/o,
// 1/l): two names with the same key look the same. Unlike intel/brands/text_fold (names in running
// text), a reading keeps dots and hyphens, reads letter-like symbols, and reports which character
// imitates which letter, for evidence.
//
// The table is built once per process from ICU data (function-local static); reading a host is one
// table lookup per character. Thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace vigie::analyzers::lookalike_domains {

// A non-ASCII character of a host and the ASCII letters it passes for ("ŕ" → "r").
struct ImitatedLetter {
  char32_t code_point = 0;
  std::string reads_as;  // empty for an invisible character
};

inline constexpr std::size_t kMaxImitatedLetters = 6;

struct HostReading {
  // The host as read: lowercase ASCII letters, digits, '.' and '-' where every character reads as
  // Latin; a character that does not stays as it is (UTF-8).
  std::string text;
  bool latin = true;  // every character read as ASCII
  // Distinct non-ASCII characters read as Latin letters, in order of appearance (at most
  // kMaxImitatedLetters).
  std::vector<ImitatedLetter> imitations;
};

// Reads a host in its Unicode form (UTF-8, as Url::host_unicode gives it; ASCII hosts read as
// themselves, lowercased).
HostReading read_host(std::string_view unicode_host);

// The confusable key of a reading (or of any lowercase ASCII name): the UTS #39 skeleton of each
// ASCII character ('m' → "rn", '0' → 'o', '1' → 'l'), then 'w' → "vv" and 'd' → "cl".
std::string confusable_key(std::string_view reading);

// "ŕ (U+0155) imitates r, ʀ (U+0280) imitates r": the imitations for evidence, `imitates` being
// the verb in the evidence's language ("imite" in French).
std::string describe_imitations(const std::vector<ImitatedLetter>& imitations,
                                std::string_view imitates = "imitates");

}  // namespace vigie::analyzers::lookalike_domains
