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
      std::string key;
      for (const std::string& t : tokens) key += (key.empty() ? "" : " ") + t;
      const auto [it, inserted] =
          by_key.emplace(key, static_cast<std::uint32_t>(index.names_.size()));
      if (inserted) {
        Name name;
        name.brand = b;
        name.text = spelling.text;
        name.folded = std::move(tokens);
        index.by_first_token_[name.folded.front()].push_back(it->second);
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
  return index;
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
