// Policy → action: thresholds on the summed score (findings arrive already weighted by the engine),
// raised by any finding the policy maps to a least action, capped by the policy's max_action.
#include "verdict/scoring.h"

#include <algorithm>
#include <vector>

namespace vigie {

std::string_view action_name(Action action) {
  switch (action) {
    case Action::kAccept: return "accept";
    case Action::kTag: return "tag";
    case Action::kWarn: return "warn";
    case Action::kQuarantine: return "quarantine";
    case Action::kReject: return "reject";
  }
  return "accept";
}

namespace verdict {

Verdict decide(std::span<const Finding> findings, const PolicyConfig& policy) {
  Verdict v;
  std::vector<const Finding*> ranked;
  for (const Finding& f : findings) {
    v.score += f.score;
    if (f.score > 0) ranked.push_back(&f);
  }
  std::stable_sort(ranked.begin(), ranked.end(),
                   [](const Finding* a, const Finding* b) { return a->score > b->score; });
  for (const Finding* f : ranked) {
    if (v.reasons.size() == kMaxReasons) break;
    if (std::find(v.reasons.begin(), v.reasons.end(), f->id) == v.reasons.end()) {
      v.reasons.push_back(f->id);
    }
  }
  if (v.score >= policy.reject_at) {
    v.action = Action::kReject;
  } else if (v.score >= policy.quarantine_at) {
    v.action = Action::kQuarantine;
  } else if (v.score >= policy.warn_at) {
    v.action = Action::kWarn;
  } else if (v.score >= policy.tag_at) {
    v.action = Action::kTag;
  }
  for (const Finding& f : findings) {
    const auto forced = policy.finding_actions.find(f.id);
    if (forced == policy.finding_actions.end() || forced->second <= v.action) continue;
    v.action = forced->second;
    // The finding that decided the action is the first reason, whatever its score.
    std::erase(v.reasons, f.id);
    if (v.reasons.size() == kMaxReasons) v.reasons.pop_back();
    v.reasons.insert(v.reasons.begin(), f.id);
  }
  v.action = std::min(v.action, policy.max_action);
  return v;
}

}  // namespace verdict
}  // namespace vigie
