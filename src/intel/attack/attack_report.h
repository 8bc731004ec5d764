// What `vigie attack` prints: a technique, tactic, intrusion set, software or campaign as the
// knowledge holds it, and the data's provenance. Owns the choice of what a query names and the
// wording; the CLI only prints. Output is plain text made of the data file's own strings (MITRE's
// names and ids), each line ended by '\n'.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

#include "intel/attack/attack_knowledge.h"
#include "vigie/result.h"

namespace vigie::intel::attack {

// How many entries of a long list (sets using a technique, software) are named; the rest counted.
inline constexpr std::size_t kReportTop = 15;

// The record `query` names: a technique id (T1566.002), a tactic (TA0001, initial-access), an
// intrusion set, software or campaign by id, name or alias (APT28, Fancy Bear, G0007, S0002,
// C0001), else a technique by name. Unknown: Error::invalid_argument saying so, with close
// matches when there are some.
Result<std::string> describe(const AttackKnowledge& knowledge, std::string_view query, std::size_t top = kReportTop);

// Version, domain, source and MITRE's copyright designation and statement.
std::string about(const AttackKnowledge& knowledge, std::string_view file);

}  // namespace vigie::intel::attack
