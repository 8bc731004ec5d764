// Brand name index construction (see brand_names.h).
#include "intel/brands/brand_names.h"

namespace vigie::intel {
namespace {

std::vector<std::string> tokens_of(const FoldedText& text, bool plain) {
  std::vector<std::string> tokens;
  for (std::size_t i = 0; i < text.tokens.size(); ++i) {
    tokens.emplace_back(plain ? text.plain_token(i) : text.folded_token(i));
  }
  return tokens;
}

// The spellings with some of the name's l's read as i (at most three l's, so eight variants).
std::vector<std::vector<std::string>> l_as_i_variants(const std::vector<std::string>& tokens) {
  std::vector<std::pair<std::size_t, std::size_t>> positions;  // token, character
  std::size_t letters = 0;
  for (std::size_t t = 0; t < tokens.size(); ++t) {
    letters += tokens[t].size();
    for (std::size_t c = 0; c < tokens[t].size(); ++c) {
      if (tokens[t][c] == 'l') positions.emplace_back(t, c);
    }
  }
  std::vector<std::vector<std::string>> variants;
  if (positions.empty() || positions.size() > 3 || letters < kMinLettersForAsciiDisguise) {
    return variants;
  }
  for (unsigned mask = 1; mask < (1u << positions.size()); ++mask) {
    std::vector<std::string> variant = tokens;
    for (std::size_t k = 0; k < positions.size(); ++k) {
      if (mask & (1u << k)) variant[positions[k].first][positions[k].second] = 'i';
    }
    variants.push_back(std::move(variant));
  }
  return variants;
}

std::string join(const std::vector<std::string>& tokens) {
  std::string key;
  for (const std::string& t : tokens) key += (key.empty() ? "" : " ") + t;
  return key;
}

}  // namespace

Result<BrandNameIndex> BrandNameIndex::build(const BrandList& list) {
  BrandNameIndex index;
  StringMap<std::uint32_t> by_key;  // joined folded tokens → name
  for (std::uint32_t b = 0; b < list.brands().size(); ++b) {
    const Brand& brand = list.brand(b);
    for (const BrandName& spelling : brand.names) {
      FoldedText folded;
      fold_text(spelling.text, folded);
      if (folded.tokens.empty()) {
        return fail(Error::config(brand.origin + ": name '" + spelling.text +
                                  "' has no letters or digits"));
      }
      std::vector<std::string> tokens = tokens_of(folded, false);
      const std::string key = join(tokens);
      const auto [it, inserted] =
          by_key.emplace(key, static_cast<std::uint32_t>(index.names_.size()));
      if (inserted) {
        Name name;
        name.brand = b;
        name.text = spelling.text;
        name.folded = std::move(tokens);
        index.add_first_token(name.folded.front(), it->second);
        index.names_.push_back(std::move(name));
      }
      Name& name = index.names_[it->second];
      if (name.brand != b) {
        return fail(Error::config(brand.origin + ": name '" + spelling.text + "' of '" + brand.id +
                                  "' reads the same as a name of '" + list.brand(name.brand).id +
                                  "' (" + list.brand(name.brand).origin + ")"));
      }
      name.plains.push_back(tokens_of(folded, true));
      name.common_word = name.common_word && spelling.common_word;
    }
  }
  // Then the l-as-i readings, which never override a real spelling of any brand.
  const std::size_t real_names = index.names_.size();
  for (std::uint32_t n = 0; n < real_names; ++n) {
    for (std::vector<std::string>& variant : l_as_i_variants(index.names_[n].folded)) {
      if (!by_key.emplace(join(variant), static_cast<std::uint32_t>(index.names_.size())).second) continue;
      Name name = index.names_[n];
      name.folded = std::move(variant);
      index.add_first_token(name.folded.front(), static_cast<std::uint32_t>(index.names_.size()));
      index.names_.push_back(std::move(name));
    }
  }
  return index;
}

void BrandNameIndex::add_first_token(std::string_view token, std::uint32_t name) {
  by_first_token_[std::string(token)].push_back(name);
  const std::size_t bit = signature(token);
  first_token_signatures_[bit / 64] |= std::uint64_t{1} << (bit % 64);
}

bool BrandNameIndex::plain_matches(const Name& name, const FoldedText& text, std::size_t first) {
  for (const std::vector<std::string>& plain : name.plains) {
    bool equal = true;
    for (std::size_t k = 0; k < plain.size() && equal; ++k) {
      equal = text.plain_token(first + k) == plain[k];
    }
    if (equal) return true;
  }
  return false;
}

}  // namespace vigie::intel
