// Ranking intrusion sets by intelligence matches and weighted technique overlap (method and
// confidence rules in attribution.h).
#include "intel/attack/attribution.h"

#include <algorithm>
#include <cmath>
#include <functional>
#include <set>

namespace vigie::intel::attack {

MatchStrength match_strength(int stix_confidence) {
  return stix_confidence >= 70 ? MatchStrength::kStrong : MatchStrength::kWeak;
}

std::string_view confidence_name(Confidence confidence) {
  switch (confidence) {
    case Confidence::kLow: return "low";
    case Confidence::kModerate: return "moderate";
    case Confidence::kHigh: return "high";
  }
  return "low";
}

AttributionRanker::AttributionRanker(std::shared_ptr<const AttackKnowledge> knowledge)
    : knowledge_(std::move(knowledge)) {
  for (const IntrusionSet& set : knowledge_->intrusion_sets()) {
    std::set<const Technique*> used(set.all_techniques.begin(), set.all_techniques.end());
    for (const Technique* t : set.all_techniques) {
      if (t->parent) used.insert(t->parent);
    }
    if (used.empty()) continue;
    ++sets_with_techniques_;
    for (const Technique* t : used) ++sets_using_[t];
    uses_.emplace(&set, std::vector<const Technique*>(used.begin(), used.end()));
  }
}

TechniqueEvidence AttributionRanker::weigh(std::string_view technique_id) const {
  const Technique* technique = knowledge_->technique(technique_id);
  if (!technique) return {};
  const auto it = sets_using_.find(technique);
  if (it == sets_using_.end()) return {technique, 0, 0, false};
  const double n = static_cast<double>(it->second);
  const double total = static_cast<double>(sets_with_techniques_);
  return {technique, std::log(total / n), it->second, n <= kDistinctiveShare * total};
}

Attribution AttributionRanker::rank(std::span<const std::string> techniques,
                                    std::span<const IntelligenceMatch> matches, std::size_t max_hints) const {
  Attribution out;
  // The message's techniques, each once, with its weight.
  std::vector<TechniqueEvidence> seen;
  double message_weight = 0;
  for (const std::string& id : techniques) {
    const bool generic = std::any_of(kNotAttributive.begin(), kNotAttributive.end(),
                                     [&](std::string_view g) { return fold_name(g) == fold_name(id); });
    if (generic) {
      if (std::find(out.set_aside.begin(), out.set_aside.end(), id) == out.set_aside.end()) out.set_aside.push_back(id);
      continue;
    }
    const TechniqueEvidence evidence = weigh(id);
    if (!evidence.technique) {
      if (std::find(out.unknown_techniques.begin(), out.unknown_techniques.end(), id) == out.unknown_techniques.end()) {
        out.unknown_techniques.push_back(id);
      }
      continue;
    }
    const bool repeated = std::any_of(seen.begin(), seen.end(),
                                      [&](const TechniqueEvidence& e) { return e.technique == evidence.technique; });
    if (repeated) continue;
    seen.push_back(evidence);
    message_weight += evidence.weight;
  }

  std::unordered_map<const IntrusionSet*, AttributionHint> hints;
  for (const IntelligenceMatch& match : matches) {
    const IntrusionSet* set = knowledge_->intrusion_set(match.intrusion_set);
    if (!set) {
      if (std::find(out.unknown_sets.begin(), out.unknown_sets.end(), match.intrusion_set) == out.unknown_sets.end()) {
        out.unknown_sets.push_back(match.intrusion_set);
      }
      continue;
    }
    AttributionHint& hint = hints[set];
    hint.intrusion_set = set;
    hint.matches.push_back(match);
  }
  for (const auto& [set, used] : uses_) {  // sorted by pointer: std::set order
    std::vector<TechniqueEvidence> overlap;
    for (const TechniqueEvidence& evidence : seen) {
      if (evidence.weight > 0 && std::binary_search(used.begin(), used.end(), evidence.technique)) {
        overlap.push_back(evidence);
      }
    }
    if (overlap.empty()) continue;
    AttributionHint& hint = hints[set];
    hint.intrusion_set = set;
    hint.techniques = std::move(overlap);
  }

  std::vector<double> scores;  // every set's technique score, to count ties
  for (auto& entry : hints) {
    AttributionHint& hint = entry.second;
    std::sort(hint.techniques.begin(), hint.techniques.end(), [](const TechniqueEvidence& a, const TechniqueEvidence& b) {
      return a.weight != b.weight ? a.weight > b.weight : a.technique->id < b.technique->id;
    });
    std::stable_sort(hint.matches.begin(), hint.matches.end(), [](const IntelligenceMatch& a, const IntelligenceMatch& b) {
      return a.strength == MatchStrength::kStrong && b.strength != MatchStrength::kStrong;
    });
    for (const TechniqueEvidence& e : hint.techniques) hint.technique_score += e.weight;
    hint.coverage = message_weight > 0 ? hint.technique_score / message_weight : 0;
    if (hint.technique_score > 0) scores.push_back(hint.technique_score);
  }
  // Scores are sums of the same few doubles: equal evidence gives equal sums, but compare with a
  // margin so that summation order never splits a tie.
  constexpr double kSameScore = 1e-9;
  // The best score outside the first kMaxModerateTies: a moderate hint must lead it by one
  // distinctive technique's weight.
  std::sort(scores.begin(), scores.end(), std::greater<>());
  const double runner_up = scores.size() > kMaxModerateTies ? scores[kMaxModerateTies] : 0;
  const double distinctive_weight = -std::log(kDistinctiveShare);
  std::vector<AttributionHint> ranked;
  for (auto& entry : hints) {
    AttributionHint& hint = entry.second;
    hint.sets_at_score = static_cast<std::size_t>(std::count_if(
        scores.begin(), scores.end(), [&](double s) { return s + kSameScore >= hint.technique_score; }));
    const bool has_strong = std::any_of(hint.matches.begin(), hint.matches.end(),
                                        [](const IntelligenceMatch& m) { return m.strength == MatchStrength::kStrong; });
    const std::size_t distinctive = static_cast<std::size_t>(
        std::count_if(hint.techniques.begin(), hint.techniques.end(), [](const TechniqueEvidence& e) { return e.distinctive; }));
    const bool techniques_moderate = hint.techniques.size() >= kModerateMinTechniques &&
                                     distinctive >= kModerateMinDistinctive && hint.sets_at_score <= kMaxModerateTies &&
                                     hint.technique_score >= runner_up + distinctive_weight;
    if (hint.matches.empty()) {
      if (hint.sets_at_score > kMaxTiedSets) continue;  // too common to point anywhere
      hint.confidence = techniques_moderate ? Confidence::kModerate : Confidence::kLow;
    } else if (has_strong || techniques_moderate) {
      hint.confidence = Confidence::kHigh;
    } else {
      hint.confidence = Confidence::kModerate;
    }
    ranked.push_back(std::move(hint));
  }
  const auto intelligence_rank = [](const AttributionHint& h) {
    if (std::any_of(h.matches.begin(), h.matches.end(), [](const IntelligenceMatch& m) { return m.strength == MatchStrength::kStrong; })) {
      return 2;
    }
    return h.matches.empty() ? 0 : 1;
  };
  std::sort(ranked.begin(), ranked.end(), [&](const AttributionHint& a, const AttributionHint& b) {
    if (intelligence_rank(a) != intelligence_rank(b)) return intelligence_rank(a) > intelligence_rank(b);
    if (a.confidence != b.confidence) return a.confidence > b.confidence;
    if (a.technique_score != b.technique_score) return a.technique_score > b.technique_score;
    return a.intrusion_set->id < b.intrusion_set->id;
  });
  if (ranked.size() > max_hints) ranked.resize(max_hints);
  out.hints = std::move(ranked);
  return out;
}

namespace {

std::string describe_indicator(const IndicatorSighting& sighting) {
  std::string text = sighting.indicator_id;
  if (!sighting.source.empty()) text += " from " + sighting.source;
  text += sighting.confidence < 0 ? ", confidence not stated" : ", confidence " + std::to_string(sighting.confidence);
  return text;
}

// The intelligence matches of the findings' sightings, one per indicator and set named.
std::vector<IntelligenceMatch> intelligence_matches(const AttackKnowledge& knowledge, std::span<const Finding> findings) {
  std::vector<IntelligenceMatch> matches;
  std::set<std::pair<std::string, std::string>> seen;
  const auto add = [&](const IndicatorSighting& sighting, std::string set, std::string named_as) {
    if (!seen.emplace(sighting.indicator_id, set).second) return;
    matches.push_back({std::move(set), describe_indicator(sighting), match_strength(sighting.confidence),
                       std::move(named_as)});
  };
  for (const Finding& finding : findings) {
    for (const IndicatorSighting& sighting : finding.sightings) {
      for (const IntelligenceLink& link : sighting.links) {
        if (link.kind == "intrusion-set") {
          add(sighting, link.name, link.name);
        } else if (link.kind == "campaign") {
          const Campaign* campaign = knowledge.campaign(link.name);
          if (!campaign) continue;
          for (const IntrusionSet* set : campaign->attributed_to) {
            add(sighting, set->name, "campaign " + campaign->id + " " + campaign->name);
          }
        }
      }
    }
  }
  return matches;
}

vigie::AttributionHint to_verdict_hint(const AttributionHint& hint) {
  vigie::AttributionHint out;
  out.set_id = hint.intrusion_set->id;
  out.set_name = hint.intrusion_set->name;
  out.aliases = hint.intrusion_set->aliases;
  out.confidence = confidence_name(hint.confidence);
  for (const IntelligenceMatch& m : hint.matches) {
    out.intelligence.push_back({m.indicator, m.named_as, m.strength == MatchStrength::kStrong});
  }
  for (const TechniqueEvidence& t : hint.techniques) {
    out.techniques.push_back({t.technique->id, t.technique->name, t.weight, t.sets_using, t.distinctive});
  }
  out.technique_score = hint.technique_score;
  out.coverage = hint.coverage;
  out.sets_at_score = hint.sets_at_score;
  return out;
}

}  // namespace

std::vector<vigie::AttributionHint> verdict_hints(const AttributionRanker& ranker, std::span<const Finding> findings,
                                                  std::size_t max_hints) {
  std::vector<std::string> techniques;
  for (const Finding& finding : findings) {
    if (finding.score <= 0) continue;
    techniques.insert(techniques.end(), finding.attack.begin(), finding.attack.end());
  }
  const std::vector<IntelligenceMatch> matches = intelligence_matches(ranker.knowledge(), findings);
  std::vector<vigie::AttributionHint> hints;
  if (techniques.empty() && matches.empty()) return hints;
  for (const AttributionHint& hint : ranker.rank(techniques, matches, max_hints).hints) {
    hints.push_back(to_verdict_hint(hint));
  }
  return hints;
}

}  // namespace vigie::intel::attack
