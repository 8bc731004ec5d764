// Confusable-insensitive folding of text into word tokens, for finding brand names however they
// are written. Owns the per-code-point fold table: each character maps to what a reader would take
// it for — lowercased, UTS #39 confusable skeleton (ICU uspoof), without diacritics — so that
// "Binаnсе" (Cyrillic а, с), "Micr0soft", "𝙋𝙖𝙮𝙋𝙖𝙡" and "Ｐａｙｐａｌ" all fold to the same tokens as
// "binance", "paypal" and "microsoft". Case never matters; the capital-I-for-l trick ("PayPaI")
// is left to the name index (brand_names.h), which knows which names have an l. Invisible characters (zero-width,
// variation selectors, soft hyphen) are dropped so they cannot split a word.
//
// Every token is produced twice: `folded` (confusables merged) and `plain` (only lowercased and
// without diacritics). A name that matches in folded form but not in plain form was disguised on
// purpose — a legitimate sender never writes its own name with look-alike characters.
//
// Folding is per code point through a table built once per process (the table does not depend on
// configuration), so the hot path costs one table lookup per character and never calls ICU.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vigie::intel {

struct FoldedToken {
  std::uint32_t folded_begin, folded_end;  // into FoldedText::folded
  std::uint32_t plain_begin, plain_end;    // into FoldedText::plain
};

struct FoldedText {
  std::string folded;
  std::string plain;
  std::vector<FoldedToken> tokens;
  std::string_view folded_token(std::size_t i) const {
    return std::string_view(folded).substr(tokens[i].folded_begin,
                                           tokens[i].folded_end - tokens[i].folded_begin);
  }
  std::string_view plain_token(std::size_t i) const {
    return std::string_view(plain).substr(tokens[i].plain_begin,
                                          tokens[i].plain_end - tokens[i].plain_begin);
  }
  void clear() {
    folded.clear();
    plain.clear();
    tokens.clear();
  }
};

// Appends the tokens of `text` (UTF-8; invalid bytes separate tokens) to `out`, reading at most
// max_bytes of it. Thread-safe.
void fold_text(std::string_view text, FoldedText& out, std::size_t max_bytes = SIZE_MAX);

// Folded tokens of a short string, joined by single spaces ("Pay-Pal!" → "pay pal"): the key under
// which names are indexed.
std::string fold_key(std::string_view text);
// Same for the plain form (lowercase, no diacritics, no confusable merging).
std::string plain_key(std::string_view text);

}  // namespace vigie::intel
