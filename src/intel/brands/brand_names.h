// Finds brand names in folded text (text_fold.h): an index from a name's first folded token to the
// names starting with it, so one pass over the tokens finds every brand however many are listed —
// the work per message depends on its length, not on the size of the list.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "intel/brands/brand_list.h"
#include "intel/brands/text_fold.h"
#include "vigie/result.h"

namespace vigie::intel {

// Names this long or longer are also indexed with 'l' read as 'i' ("PayPaI" with a capital I),
// and their ASCII-only disguises count; shorter ones collide with ordinary words ("ici" for LCL).
inline constexpr std::size_t kMinLettersForAsciiDisguise = 6;

struct NameMatch {
  std::uint32_t brand;
  std::uint32_t name;         // index for BrandNameIndex::name_text()
  std::uint32_t first_token;  // position in the FoldedText
  std::uint32_t token_count;
  bool disguised;             // matched only once look-alike characters were folded
  bool common_word;           // the name is a common word ('~' in the list)
};

class BrandNameIndex {
 public:
  // Fails when two brands share a name (the list could not say whose it is).
  static Result<BrandNameIndex> build(const BrandList& list);

  // Calls fn(const NameMatch&) for each name found, the longest at each position, left to right.
  template <typename Fn>
  void match(const FoldedText& text, Fn&& fn) const {
    const std::size_t count = text.tokens.size();
    for (std::size_t i = 0; i < count;) {
      const std::string_view token = text.folded_token(i);
      // Most tokens of a text start no name: a bit test spares them the hash lookup.
      if (!may_start_name(token)) {
        ++i;
        continue;
      }
      const auto candidates = by_first_token_.find(token);
      const Name* best = nullptr;
      std::uint32_t best_index = 0;
      if (candidates != by_first_token_.end()) {
        for (const std::uint32_t n : candidates->second) {
          const Name& name = names_[n];
          if (i + name.folded.size() > count) continue;
          if (best != nullptr && name.folded.size() <= best->folded.size()) continue;
          bool equal = true;
          for (std::size_t k = 1; k < name.folded.size() && equal; ++k) {
            equal = text.folded_token(i + k) == name.folded[k];
          }
          if (equal) {
            best = &name;
            best_index = n;
          }
        }
      }
      if (best == nullptr) {
        ++i;
        continue;
      }
      const auto length = static_cast<std::uint32_t>(best->folded.size());
      fn(NameMatch{best->brand, best_index, static_cast<std::uint32_t>(i), length,
                   !plain_matches(*best, text, i), best->common_word});
      i += length;
    }
  }

  const std::string& name_text(std::uint32_t name) const { return names_[name].text; }

 private:
  struct Name {
    std::uint32_t brand = 0;
    std::vector<std::string> folded;               // tokens
    std::vector<std::vector<std::string>> plains;  // the plain tokens of each spelling
    bool common_word = true;                       // every spelling is marked '~'
    std::string text;                              // first spelling, for evidence
  };
  static bool plain_matches(const Name& name, const FoldedText& text, std::size_t first);
  static std::size_t signature(std::string_view token) {
    return (static_cast<std::size_t>(static_cast<unsigned char>(token.front())) * 131 +
            static_cast<std::size_t>(static_cast<unsigned char>(token.back())) * 7 + token.size()) %
           kSignatureBits;
  }
  bool may_start_name(std::string_view token) const {
    const std::size_t bit = signature(token);
    return (first_token_signatures_[bit / 64] >> (bit % 64)) & 1;
  }
  void add_first_token(std::string_view token, std::uint32_t name);

  static constexpr std::size_t kSignatureBits = 1 << 14;
  std::vector<std::uint64_t> first_token_signatures_ = std::vector<std::uint64_t>(kSignatureBits / 64);

  std::vector<Name> names_;
  StringMap<std::vector<std::uint32_t>> by_first_token_;
};

}  // namespace vigie::intel
