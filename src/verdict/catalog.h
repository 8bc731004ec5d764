// The finding catalog (catalog.def): ids, default scores, ATT&CK techniques and explanations.
// Analyzers create findings only through make_finding(), so a finding can never carry an id,
// score or text the catalog does not define.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "vigie/finding.h"

namespace vigie::verdict {

enum class FindingId {
#define VIGIE_FINDING(id, score, attack, en, fr) id,
#include "verdict/catalog.def"
#undef VIGIE_FINDING
};

struct CatalogEntry {
  FindingId id;
  std::string_view name;
  double default_score;
  std::string_view attack;  // comma-separated technique ids
  std::string_view en;
  std::string_view fr;
};

std::span<const CatalogEntry> catalog();
const CatalogEntry& catalog_entry(FindingId id);

// A finding with the catalog's score, techniques and explanations, and the given evidence.
Finding make_finding(FindingId id, std::vector<Evidence> evidence);

}  // namespace vigie::verdict
