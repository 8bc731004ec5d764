// Name folding for display-name comparison: who a sender *claims* to be. Owns the one definition of
// "the same name" shared by the impersonation and first-contact detectors and the sender history,
// so a name stored by one is found by the other.
//
// A name is cut into tokens at anything that is not a letter or digit, and each token is folded:
// compatibility decomposition (NFKD) with the marks dropped (é → e, ﬁ → fi), case folding, a few
// letters that have no decomposition (œ, æ, ø, ł, đ), then the Unicode confusable skeleton (UTS #39)
// so a Cyrillic "е" in "Jеanne" folds like the Latin one. The skeleton is a comparison key, not
// text to show: evidence quotes the display name as written. Thread-safe.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace vigie::intel::identity {

// Folded tokens of a UTF-8 name, in order. Invalid UTF-8 folds as replacement characters (which
// are separators), so hostile bytes never throw.
std::vector<std::string> fold_name_tokens(std::string_view utf8);

// The folded tokens sorted and joined by single spaces, so "Dupont Jeanne" and "Jeanne Dupont" have
// one key: what the sender history stores and looks names up by. A key, not text to show ("m"
// folds to "rn" under the skeleton).
std::string name_key(std::string_view utf8);

// How a display name relates to a reference name (both as folded tokens).
enum class NameMatch {
  kNone,
  kExact,      // same tokens in any order: "Dupont Jeanne" for "Jeanne Dupont"
  kInitials,   // some given names reduced to initials: "J. Dupont"
  kContained,  // the name plus a few other words: "Jeanne Dupont (Direction)"
};

// Compares a display name with a person's name. Names of one token only match exactly (a surname
// alone is too common). A display name holding "via" (Google Docs, LinkedIn relays name the person
// they act for) never matches by containment.
NameMatch match_person_name(const std::vector<std::string>& display,
                            const std::vector<std::string>& name);

// True when `needle` appears as a contiguous run of whole tokens in `haystack`.
bool contains_token_run(const std::vector<std::string>& haystack,
                        const std::vector<std::string>& needle);

// Looks like a person's name rather than a role, a brand or an address: 2 to 4 tokens, no digit,
// no '@', at least two tokens longer than one letter. Decides when "same name, new address" means
// something ("Support" or "Amazon.com" legitimately come from many addresses).
bool looks_like_person_name(std::string_view utf8);

}  // namespace vigie::intel::identity
