// Groups → score → action → banner. A group counts its positive scores up to its max_score and its
// negative scores (a site's own ham signals, through [analyzers] scores) in full: a cap bounds
// how much one kind of evidence accuses, never how much it clears.
#include "verdict/scoring.h"

#include <algorithm>
#include <limits>
#include <string>
#include <vector>

#include "verdict/catalog.h"

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

struct GroupSums {
  double positive = 0;
  double negative = 0;
};

// Sums per group in first-seen order; findings without a group add to `ungrouped`.
std::vector<GroupScore> score_groups(std::span<const Finding> findings, const PolicyConfig& policy,
                                     double& ungrouped) {
  std::vector<GroupScore> out;
  std::vector<GroupSums> sums;
  for (const Finding& f : findings) {
    if (f.group.empty()) {
      ungrouped += f.score;
      continue;
    }
    auto it = std::find_if(out.begin(), out.end(), [&](const GroupScore& g) { return g.group == f.group; });
    if (it == out.end()) {
      out.push_back(GroupScore{f.group, 0, group_max_score(f.group, policy), 0});
      sums.emplace_back();
      it = out.end() - 1;
    }
    GroupSums& sum = sums[static_cast<std::size_t>(it - out.begin())];
    (f.score >= 0 ? sum.positive : sum.negative) += f.score;
  }
  for (std::size_t i = 0; i < out.size(); ++i) {
    out[i].uncapped = sums[i].positive + sums[i].negative;
    out[i].score = std::min(sums[i].positive, out[i].max_score) + sums[i].negative;
  }
  std::stable_sort(out.begin(), out.end(),
                   [](const GroupScore& a, const GroupScore& b) { return a.score > b.score; });
  return out;
}

Action action_for(double score, const PolicyConfig& policy) {
  if (score >= policy.reject_at) return Action::kReject;
  if (score >= policy.quarantine_at) return Action::kQuarantine;
  if (score >= policy.warn_at) return Action::kWarn;
  if (score >= policy.tag_at) return Action::kTag;
  return Action::kAccept;
}

double threshold_of(Action action, const PolicyConfig& policy) {
  switch (action) {
    case Action::kAccept: return 0;
    case Action::kTag: return policy.tag_at;
    case Action::kWarn: return policy.warn_at;
    case Action::kQuarantine: return policy.quarantine_at;
    case Action::kReject: return policy.reject_at;
  }
  return 0;
}

// The groups that decided the action: the group of the finding that forced it, then the groups
// in decreasing score until together they reach the threshold the score reached (so a message
// quarantined by a brand impersonation and lure wording is not said to be malformed because it
// also was), at most kMaxBannerGroups, only groups the catalog describes.
std::vector<const GroupEntry*> deciding_groups(const Verdict& v, std::string_view forced_group, double needed) {
  std::vector<const GroupEntry*> out;
  double reached = 0;
  const auto take = [&](const GroupScore& g) {
    const GroupEntry* entry = find_group(g.group);
    if (entry == nullptr || std::find(out.begin(), out.end(), entry) != out.end()) return;
    out.push_back(entry);
    reached += g.score;
  };
  for (const GroupScore& g : v.groups) {
    if (g.group == forced_group) take(g);
  }
  for (const GroupScore& g : v.groups) {
    if (out.size() == kMaxBannerGroups || g.score <= 0 || (reached >= needed && !out.empty())) break;
    take(g);
  }
  return out;
}

// How worried to be and what to do. "A targeted attack" only when findings show the
// organisation itself is aimed at; a malformed or merely suspicious message is not called one.
LocalizedText banner_lead(Action action, bool targets_organisation) {
  switch (action) {
    case Action::kAccept:
      return {};
    case Action::kTag:
      return {"Caution: this message shows signs of a possible deception.",
              "Prudence : ce message présente des signes d'une possible tromperie."};
    case Action::kWarn:
      return {"Warning: this message is suspicious. Do not click its links, open its attachments or "
              "reply before checking with the sender by another means.",
              "Attention : ce message est suspect. Ne cliquez pas sur ses liens, n'ouvrez pas ses "
              "pièces jointes et n'y répondez pas avant d'avoir vérifié auprès de l'expéditeur par "
              "un autre moyen."};
    case Action::kQuarantine:
    case Action::kReject:
      if (targets_organisation) {
        return {"Danger: this message was identified as a targeted attack on your organisation. Do "
                "not act on it; report it to your security team.",
                "Danger : ce message a été identifié comme une attaque ciblant votre organisation. "
                "N'y donnez pas suite ; signalez-le à votre équipe de sécurité."};
      }
      return {"Danger: this message is very likely malicious. Do not act on it; report it to your "
              "security team.",
              "Danger : ce message est très probablement malveillant. N'y donnez pas suite ; "
              "signalez-le à votre équipe de sécurité."};
  }
  return {};
}

// "This message a, b and c." from the groups' phrases.
LocalizedText what_was_found(const std::vector<const GroupEntry*>& groups) {
  LocalizedText out;
  if (groups.empty()) return out;
  out.en = "This message";
  out.fr = "Ce message";
  for (std::size_t i = 0; i < groups.size(); ++i) {
    const bool last = i + 1 == groups.size();
    const char* en_joint = i == 0 ? " " : last ? " and " : ", ";
    const char* fr_joint = i == 0 ? " " : last ? " et " : ", ";
    out.en.append(en_joint).append(groups[i]->en);
    out.fr.append(fr_joint).append(groups[i]->fr);
  }
  out.en += ".";
  out.fr += ".";
  return out;
}

LocalizedText make_banner(const Verdict& v, std::span<const Finding> findings,
                          const std::vector<const GroupEntry*>& deciding) {
  const bool targeted = std::any_of(deciding.begin(), deciding.end(), [](const GroupEntry* g) {
    return g->targeting == Targeting::kOrganisation;
  });
  LocalizedText banner = banner_lead(v.action, targeted);
  if (banner.en.empty()) return banner;
  const LocalizedText found = what_was_found(deciding);
  if (!found.en.empty()) {
    banner.en += " " + found.en;
    banner.fr += " " + found.fr;
  }
  // The first reason's own explanation follows, so the warning names the actual problem.
  if (v.reasons.empty()) return banner;
  for (const Finding& f : findings) {
    if (f.id != v.reasons.front()) continue;
    banner.en += " " + f.explanation.en;
    banner.fr += " " + f.explanation.fr;
    break;
  }
  return banner;
}

}  // namespace

double group_max_score(std::string_view group, const PolicyConfig& policy) {
  if (const auto configured = policy.group_max_scores.find(group); configured != policy.group_max_scores.end()) {
    return configured->second;
  }
  if (const GroupEntry* entry = find_group(group)) return entry->default_max_score;
  return std::numeric_limits<double>::infinity();
}

Verdict decide(std::span<const Finding> findings, const PolicyConfig& policy) {
  Verdict v;
  double ungrouped = 0;
  v.groups = score_groups(findings, policy, ungrouped);
  v.score = ungrouped;
  for (const GroupScore& g : v.groups) v.score += g.score;

  std::vector<const Finding*> ranked;
  for (const Finding& f : findings) {
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
  const Action by_score = action_for(v.score, policy);
  v.action = by_score;
  std::string_view forced_group;
  for (const Finding& f : findings) {
    const auto forced = policy.finding_actions.find(f.id);
    if (forced == policy.finding_actions.end() || forced->second <= v.action) continue;
    v.action = forced->second;
    forced_group = f.group;
    // The finding that decided the action is the first reason, whatever its score.
    std::erase(v.reasons, f.id);
    if (v.reasons.size() == kMaxReasons) v.reasons.pop_back();
    v.reasons.insert(v.reasons.begin(), f.id);
  }
  v.action = std::min(v.action, policy.max_action);
  const double needed = threshold_of(std::min(by_score, v.action), policy);
  v.banner = make_banner(v, findings, deciding_groups(v, forced_group, needed));
  return v;
}

}  // namespace verdict
}  // namespace vigie
