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
namespace {

// What the reader is told for each action: how worried to be and what to do; the first reason's
// explanation follows, so the warning names the actual problem.
LocalizedText banner_lead(Action action) {
  switch (action) {
    case Action::kAccept:
      return {};
    case Action::kTag:
      return {"Caution: this message shows signs of a possible deception.",
              "Prudence : ce message présente des signes d'une possible tromperie."};
    case Action::kWarn:
      return {"Warning: this message is probably a phishing attempt. Do not click its links, open "
              "its attachments or reply before checking with the sender by another means.",
              "Attention : ce message est probablement une tentative d'hameçonnage. Ne cliquez pas sur "
              "ses liens, n'ouvrez pas ses pièces jointes et n'y répondez pas avant d'avoir vérifié "
              "auprès de l'expéditeur par un autre moyen."};
    case Action::kQuarantine:
    case Action::kReject:
      return {"Danger: this message was identified as a targeted attack. Do not act on it; report "
              "it to your security team.",
              "Danger : ce message a été identifié comme une attaque ciblée. N'y donnez pas suite ; "
              "signalez-le à votre équipe de sécurité."};
  }
  return {};
}

LocalizedText make_banner(Action action, std::span<const Finding> findings,
                          const std::vector<std::string>& reasons) {
  LocalizedText banner = banner_lead(action);
  if (banner.en.empty() || reasons.empty()) return banner;
  for (const Finding& f : findings) {
    if (f.id != reasons.front()) continue;
    banner.en += " " + f.explanation.en;
    banner.fr += " " + f.explanation.fr;
    break;
  }
  return banner;
}

}  // namespace

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
  v.banner = make_banner(v.action, findings, v.reasons);
  return v;
}

}  // namespace verdict
}  // namespace vigie
