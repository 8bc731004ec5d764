// From findings to a verdict. Findings of one group (a kind of evidence, src/verdict/groups.def)
// count together at most the group's max_score, as Rspamd's symbol groups do, so related findings
// cannot add up without bound; the score is the sum of what the groups counted. The policy
// thresholds map it to an action, raised by any finding the policy maps to a least action and
// capped by max_action; the reasons are the finding ids in decreasing order of contribution.
// The reader's banner is worded from the groups that decided the action: it names what was found
// and speaks of a targeted attack only when one of them aims at the organisation itself.
#pragma once

#include <span>

#include "vigie/config.h"
#include "vigie/finding.h"
#include "vigie/verdict.h"

namespace vigie::verdict {

inline constexpr std::size_t kMaxReasons = 5;
// The kinds of evidence a banner names, at most: more would bury the first under the last.
inline constexpr std::size_t kMaxBannerGroups = 3;

Verdict decide(std::span<const Finding> findings, const PolicyConfig& policy);

// The cap of a group: [groups.<name>] max_score, else its default in groups.def, else (a name
// the catalog does not know) infinity.
double group_max_score(std::string_view group, const PolicyConfig& policy);

}  // namespace vigie::verdict
