// Materialises catalog.def as a table.
#include "verdict/catalog.h"

#include <string>

namespace vigie::verdict {
namespace {

constexpr CatalogEntry kCatalog[] = {
#define VIGIE_FINDING(id, score, attack, en, fr) {FindingId::id, #id, score, attack, en, fr},
#include "verdict/catalog.def"
#undef VIGIE_FINDING
};

}  // namespace

std::span<const CatalogEntry> catalog() { return kCatalog; }

const CatalogEntry& catalog_entry(FindingId id) { return kCatalog[static_cast<std::size_t>(id)]; }

Finding make_finding(FindingId id, std::vector<Evidence> evidence) {
  const CatalogEntry& entry = catalog_entry(id);
  Finding f;
  f.id = std::string(entry.name);
  f.score = entry.default_score;
  std::string_view attack = entry.attack;
  while (!attack.empty()) {
    const std::size_t comma = attack.find(',');
    f.attack.emplace_back(attack.substr(0, comma));
    attack = comma == std::string_view::npos ? std::string_view{} : attack.substr(comma + 1);
  }
  f.evidence = std::move(evidence);
  f.explanation = LocalizedText{std::string(entry.en), std::string(entry.fr)};
  return f;
}

}  // namespace vigie::verdict
