// The finding catalog (catalog.def): ids, groups, default scores, ATT&CK techniques and
// explanations; and the finding groups (groups.def): kinds of related evidence, each with a
// default max_score and the words the reader's banner uses for it. Analyzers create findings only
// through make_finding(), so a finding can never carry an id, group, score or text the catalog
// does not define.
#pragma once

#include <span>
#include <string_view>
#include <vector>

#include "vigie/finding.h"

namespace vigie::verdict {

// Whether a kind of evidence shows that the organisation itself is aimed at (its domains, its
// name, its people), which is what lets a banner speak of a targeted attack.
enum class Targeting { kAnyone, kOrganisation };

enum class FindingGroup {
#define VIGIE_GROUP(id, name, max_score, targeting, en, fr) id,
#include "verdict/groups.def"
#undef VIGIE_GROUP
};

struct GroupEntry {
  FindingGroup id;
  std::string_view name;       // the [groups.<name>] key, and the group field of the outputs
  double default_max_score;    // the most its findings count together, unless configured
  Targeting targeting;
  std::string_view en;         // completes "This message …"
  std::string_view fr;         // completes "Ce message …"
};

std::span<const GroupEntry> groups();
const GroupEntry& group_entry(FindingGroup id);
// nullptr when no group has that name (a finding made outside the catalog, a typo in a file).
const GroupEntry* find_group(std::string_view name);

enum class FindingId {
#define VIGIE_FINDING(id, group, score, attack, en, fr) id,
#include "verdict/catalog.def"
#undef VIGIE_FINDING
};

struct CatalogEntry {
  FindingId id;
  std::string_view name;
  FindingGroup group;
  double default_score;
  std::string_view attack;  // comma-separated technique ids
  std::string_view en;
  std::string_view fr;
};

std::span<const CatalogEntry> catalog();
const CatalogEntry& catalog_entry(FindingId id);

// A finding with the catalog's group, score, techniques and explanations, and the given evidence.
Finding make_finding(FindingId id, std::vector<Evidence> evidence);

}  // namespace vigie::verdict
