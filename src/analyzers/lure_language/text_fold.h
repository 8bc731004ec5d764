// Folding of text before lure matching: phishers drop or vary accents ("Votre mot de passe a
// expiré" / "expire"), dress words in mathematical or full-width letters, break them with
// zero-width characters and use typographic apostrophes. Both the text and the patterns are
// folded the same way, so one written pattern covers every such variant.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace vigie::analyzers::lure_language {

enum class CaseFolding : bool { kKeep, kFold };

// Returns `utf8` with: compatibility decomposition (NFKD) and combining marks removed (é→e,
// 𝐏→P, ｆ→f), œ/æ/ß spelled out, typographic quotes and dashes mapped to ASCII, invisible format
// characters (zero-width space, soft hyphen, BOM…) dropped, every run of whitespace collapsed to
// one space, and, with CaseFolding::kFold, Unicode case folding. Invalid UTF-8 bytes become
// spaces. The result stops before `max_bytes` bytes, on a character boundary.
// Patterns are folded with kKeep: case folding would turn the regex escape \S into \s.
std::string fold_for_matching(std::string_view utf8, std::size_t max_bytes, CaseFolding case_folding);

}  // namespace vigie::analyzers::lure_language
