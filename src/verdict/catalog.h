// The finding catalog (catalog.def): ids, groups, default scores, ATT&CK techniques and
// explanations; and the finding groups (groups.def): kinds of related evidence, each with a
// default max_score and the words the reader's banner uses for it. Analyzers create findings only
// through make_finding(), so a finding can never carry an id, group, score or text the catalog
// does not define.
#pragma once

#include <optional>
#include <span>
#include <string>
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

// What a rule engine's match says about itself, where the catalog holds one generic id for every
// rule (YARA_MATCH): a site's rule set knows better than the catalog what one of its rules is
// worth and which techniques it reveals. The catalog keeps the contract that matters to the
// verdict: the id is the catalog's, the group is a catalog group, and the score never exceeds that
// group's default max_score, so one rule cannot decide more than a whole kind of evidence.
struct RuleMetadata {
  std::optional<double> score;       // none: the catalog's default score
  std::optional<FindingGroup> group; // none: the catalog's group
  std::vector<std::string> attack;   // empty: the catalog's techniques
  LocalizedText description;         // an empty language falls back to the catalog's text
};

// Whether `id` is one whose findings may carry a rule's metadata (make_rule_finding).
bool is_rule_finding(FindingId id);

// make_finding(), then the rule's metadata over the catalog's defaults. Throws std::logic_error
// for an id that is not a rule finding (a bug in the caller).
Finding make_rule_finding(FindingId id, const RuleMetadata& rule, std::vector<Evidence> evidence);

}  // namespace vigie::verdict
