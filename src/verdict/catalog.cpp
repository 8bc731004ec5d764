// Materialises catalog.def and groups.def as tables.
#include "verdict/catalog.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace vigie::verdict {
namespace {

constexpr GroupEntry kGroups[] = {
#define VIGIE_GROUP(id, name, max_score, targeting, en, fr) {FindingGroup::id, name, max_score, Targeting::targeting, en, fr},
#include "verdict/groups.def"
#undef VIGIE_GROUP
};

constexpr CatalogEntry kCatalog[] = {
#define VIGIE_FINDING(id, group, score, attack, en, fr) {FindingId::id, #id, FindingGroup::group, score, attack, en, fr},
#include "verdict/catalog.def"
#undef VIGIE_FINDING
};

}  // namespace

std::span<const GroupEntry> groups() { return kGroups; }

const GroupEntry& group_entry(FindingGroup id) { return kGroups[static_cast<std::size_t>(id)]; }

const GroupEntry* find_group(std::string_view name) {
  for (const GroupEntry& g : kGroups) {
    if (g.name == name) return &g;
  }
  return nullptr;
}

std::span<const CatalogEntry> catalog() { return kCatalog; }

const CatalogEntry& catalog_entry(FindingId id) { return kCatalog[static_cast<std::size_t>(id)]; }

Finding make_finding(FindingId id, std::vector<Evidence> evidence) {
  const CatalogEntry& entry = catalog_entry(id);
  Finding f;
  f.id = std::string(entry.name);
  f.group = std::string(group_entry(entry.group).name);
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

bool is_rule_finding(FindingId id) { return id == FindingId::YARA_MATCH; }

Finding make_rule_finding(FindingId id, const RuleMetadata& rule, std::vector<Evidence> evidence) {
  if (!is_rule_finding(id)) {
    throw std::logic_error("make_rule_finding: " + std::string(catalog_entry(id).name) + " is not a rule finding");
  }
  Finding f = make_finding(id, std::move(evidence));
  const FindingGroup group = rule.group.value_or(catalog_entry(id).group);
  f.group = std::string(group_entry(group).name);
  if (rule.score) f.score = std::clamp(*rule.score, 0.0, group_entry(group).default_max_score);
  if (!rule.attack.empty()) f.attack = rule.attack;
  if (!rule.description.en.empty()) f.explanation.en = rule.description.en;
  if (!rule.description.fr.empty()) f.explanation.fr = rule.description.fr;
  return f;
}

}  // namespace vigie::verdict
