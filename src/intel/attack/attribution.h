// Attribution hints: which known intrusion sets a message's evidence points at, how strongly, and
// why. Owns the ranking method and the rules that turn evidence into a confidence in words; it
// reads ATT&CK knowledge (attack_knowledge.h) and never the message itself: the caller hands it the
// technique ids of the message's findings and the intelligence matches linked to intrusion sets.
// Built once per knowledge (it precomputes every technique's weight); rank() is const and
// thread-safe. The method is explained for analysts in docs/attack.md.
//
// Method.
//  1. Intelligence first. An indicator match linked to a set (by id, name or alias) is direct
//     evidence; sets with a strong match rank above sets with only weak ones, which rank above
//     sets with technique evidence only.
//  2. Technique overlap. A set "uses" a technique when ATT&CK says it or a campaign attributed to
//     it did; a set using a sub-technique also counts as using its parent (T1566.001 → T1566), not
//     the other way round. Each technique the message shows weighs w(t) = ln(N / n(t)), N the
//     number of sets that use any technique, n(t) the number that use t (an inverse document
//     frequency): T1566.001, used by 77 of 169 sets in v18.1, weighs 0.8; T1221 (template
//     injection, 8 sets) weighs 3.1. A set's technique score is the sum of the weights of the
//     message's techniques it uses. Techniques no set uses weigh nothing and prove nothing.
//     A technique is distinctive when at most 10% of the sets use it (w ≥ ln 10 ≈ 2.3).
//     Set aside before any of this (Attribution::set_aside): techniques every mail attack shows
//     whoever sends it, which ATT&CK records for few sets only because they are recent (T1656
//     Impersonation, T1672 Email Spoofing, T1036.007 Double File Extension, T1036.008 Masquerade
//     File Type: what every disguised attachment does; T1598 and T1598.003 Phishing for
//     Information: every credential-harvesting page; T1657 Financial Theft: every payment lure;
//     T1608.005 Link Target: every phishing page staged somewhere; T1499 Endpoint Denial of
//     Service: what any message that outgrows the scanner's limits carries, truncated newsletters
//     included, which made Sandworm a hint on them) or which are the generic parent
//     of what the findings say more precisely (T1566 Phishing): their weight would claim a
//     distinctiveness they lack (on the phishing corpus, T1657 and T1598.003 together made
//     commodity bank phishing a "moderate" Kimsuky hint).
//
// Confidence rules (each hint shows the evidence they were applied to):
//  - No evidence, no hint: a set appears only with an intelligence match or at least one technique
//    it is known to use.
//  - Technique-only hints are dropped when more than kMaxTiedSets sets reach the same score: the
//    message's techniques are too common to point anywhere (a phishing link alone: 43 sets).
//  - low: technique overlap only, whatever its size, unless the next rule holds.
//  - moderate: technique overlap of at least 3 techniques of which at least 2 are distinctive, at
//    most kMaxModerateTies sets (this one included) reaching its score, and a lead of at least one
//    distinctive weight (ln 10) over every set outside those few (sets close behind mean the
//    techniques do not single anyone out); or a weak intelligence match alone. So one generic
//    technique such as T1566.002 never goes above low.
//  - high: needs intelligence: a strong match, or a weak match together with technique evidence
//    that would be moderate on its own. Techniques alone never give high: ATT&CK records what was
//    published about a set, not what only that set does.
#pragma once

#include <array>
#include <cstddef>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "intel/attack/attack_knowledge.h"
#include "vigie/finding.h"
#include "vigie/verdict.h"

namespace vigie::intel::attack {

enum class MatchStrength { kWeak, kStrong };

// STIX confidence (0-100; -1 when the producer did not give one) to strength: 70 and above
// ("High" on the STIX None/Low/Med/High scale) is strong; anything else, unknown included, weak.
MatchStrength match_strength(int stix_confidence);

// An intelligence match linked to an intrusion set, as the indicator matcher reports it.
struct IntelligenceMatch {
  std::string intrusion_set;  // id, name or alias, as the feed names it ("APT28", "Fancy Bear")
  std::string indicator;      // what matched, shown as evidence (indicator id or value and source)
  MatchStrength strength = MatchStrength::kWeak;
  std::string named_as;       // how the link named the set when not directly ("campaign C0027 ...")
};

enum class Confidence { kLow, kModerate, kHigh };
std::string_view confidence_name(Confidence confidence);  // "low", "moderate", "high"

// One of the message's techniques that a set is known to use.
struct TechniqueEvidence {
  const Technique* technique = nullptr;
  double weight = 0;           // ln(N / sets_using)
  std::size_t sets_using = 0;  // n(t)
  bool distinctive = false;    // sets_using <= 10% of N
};

struct AttributionHint {
  const IntrusionSet* intrusion_set = nullptr;
  Confidence confidence = Confidence::kLow;
  std::vector<IntelligenceMatch> matches;   // strong ones first
  std::vector<TechniqueEvidence> techniques;  // heaviest first
  double technique_score = 0;   // sum of the techniques' weights
  double coverage = 0;          // technique_score / the weight of all the message's techniques
  std::size_t sets_at_score = 0;  // sets whose technique score is at least this one's (itself included)
};

struct Attribution {
  std::vector<AttributionHint> hints;  // best first
  // Inputs that were set aside, for the analyst and the logs: technique ids ATT&CK v18.1 does not
  // define, intrusion set names the knowledge does not know.
  std::vector<std::string> unknown_techniques;
  std::vector<std::string> unknown_sets;
  std::vector<std::string> set_aside;  // techniques left out as not attributive (see the method)
};

class AttributionRanker {
 public:
  static constexpr std::size_t kMaxTiedSets = 5;
  static constexpr std::size_t kMaxModerateTies = 3;
  static constexpr std::size_t kModerateMinTechniques = 3;
  static constexpr std::size_t kModerateMinDistinctive = 2;
  static constexpr double kDistinctiveShare = 0.10;
  static constexpr std::array<std::string_view, 10> kNotAttributive = {
      "T1566", "T1656", "T1672", "T1036.007", "T1036.008", "T1598", "T1598.003", "T1657", "T1608.005", "T1499"};

  explicit AttributionRanker(std::shared_ptr<const AttackKnowledge> knowledge);

  // The hints for one message, at most `max_hints`, best first. `techniques` may repeat ids (one
  // per finding) and hold ids in any case; `matches` may name a set by id, name or alias.
  Attribution rank(std::span<const std::string> techniques, std::span<const IntelligenceMatch> matches,
                   std::size_t max_hints = 5) const;

  // w(t) and n(t) for a technique id; {0, 0} when no set uses it or the id is unknown.
  TechniqueEvidence weigh(std::string_view technique_id) const;
  std::size_t sets_with_techniques() const { return sets_with_techniques_; }  // N
  const AttackKnowledge& knowledge() const { return *knowledge_; }

 private:
  std::shared_ptr<const AttackKnowledge> knowledge_;
  std::size_t sets_with_techniques_ = 0;
  // Per set, the techniques it uses with parents added (by technique pointer).
  std::unordered_map<const IntrusionSet*, std::vector<const Technique*>> uses_;
  std::unordered_map<const Technique*, std::size_t> sets_using_;
};

// The hints a scanned message's verdict carries: rank() on the techniques of the findings that
// count (score above zero) and on the intrusion sets the INTEL_MATCH sightings are linked to, a
// linked campaign standing for the sets ATT&CK attributes it to; a sighting's strength is its
// indicator's confidence (match_strength).
std::vector<vigie::AttributionHint> verdict_hints(const AttributionRanker& ranker, std::span<const Finding> findings,
                                                  std::size_t max_hints = 3);

}  // namespace vigie::intel::attack
