// From findings to a verdict: the score is the sum of finding scores; the policy thresholds map
// it to an action; the reasons are the finding ids in decreasing order of contribution.
#pragma once

#include <span>

#include "vigie/config.h"
#include "vigie/finding.h"
#include "vigie/verdict.h"

namespace vigie::verdict {

inline constexpr std::size_t kMaxReasons = 5;

Verdict decide(std::span<const Finding> findings, const PolicyConfig& policy);

}  // namespace vigie::verdict
