// Common words: whether a name is an ordinary French or English word ("interieur", "defense",
// "numerique", "elysee"), which other people put in their own domains for their own reasons, so
// that a domain adding words to it ("deco-interieur.fr", "hotel-elysee-paris.fr") is no evidence
// of imitation by itself. Owns the reading of the word lists: by default those of Debian's wfrench
// and wamerican packages (/usr/share/dict/french, /usr/share/dict/american-english; installed by
// scripts/install-deps.sh), read in place rather than copied into data/. Entries are folded like
// fold_text's plain form (lowercase, diacritics removed: "Élysée" → "elysee"); proper nouns count,
// as a place name is as ordinary in domain names as a noun.
//
// Only a few names are asked about, when an engine starts (the organisation's domain labels), and
// the lists hold 450 000 lines: a query reads the lists once for the names not yet answered and
// the answers are kept for the process (under a mutex: thread-safe). A missing list is skipped:
// without any, every name is distinctive, the behaviour before word lists.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace vigie::intel {

inline constexpr std::string_view kCommonWordLists[] = {
    "/usr/share/dict/french",            // Debian wfrench
    "/usr/share/dict/american-english",  // Debian wamerican
};

// For each name (lowercase ASCII, as a domain label reads; a hyphen joins words: "outre-mer"),
// whether one of `lists` has it as a word.
std::vector<bool> common_words(std::span<const std::string> names,
                               std::span<const std::string_view> lists = kCommonWordLists);

}  // namespace vigie::intel
