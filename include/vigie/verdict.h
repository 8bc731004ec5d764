// The verdict on one message: a score, the action the policy maps it to, and the reasons.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

#include "vigie/finding.h"

namespace vigie {

enum class Action { kAccept, kTag, kWarn, kQuarantine, kReject };
std::string_view action_name(Action action);

// What the findings of one group (one kind of evidence) brought to the score.
struct GroupScore {
  std::string group;       // its name (src/verdict/groups.def)
  double uncapped = 0;     // the sum of its findings' scores
  double max_score = 0;    // its cap ([groups.<name>] max_score); infinity when it has none
  double score = 0;        // what counted: the positive scores up to max_score, plus the negative ones
};

// A known intrusion set the message's evidence points at, for the analyst to weigh; it never
// changes the score or the action. Method and confidence rules: src/intel/attack/attribution.h,
// explained in docs/attack.md.
struct AttributionHint {
  // A shared indicator the message matched that its producer linked to the set.
  struct IntelligenceEvidence {
    std::string indicator;  // id, producer and confidence: "indicator--1 from CERT-FR, confidence 90"
    std::string named_as;   // how the producer named the set or its campaign ("Fancy Bear", "campaign C0027")
    bool strong = false;    // confidence of 70 or more
  };
  // A technique of the message's findings that ATT&CK says the set uses.
  struct TechniqueEvidence {
    std::string id;    // "T1221"
    std::string name;  // "Template Injection"
    double weight = 0;            // ln(N / sets_using): what it says about who did it
    std::size_t sets_using = 0;   // how many known sets use it
    bool distinctive = false;     // at most 10% of the sets use it
  };
  std::string set_id;    // ATT&CK id, "G0007"
  std::string set_name;  // "APT28"
  std::vector<std::string> aliases;
  std::string confidence;  // "low", "moderate" or "high"
  std::vector<IntelligenceEvidence> intelligence;  // strong first
  std::vector<TechniqueEvidence> techniques;       // heaviest first
  double technique_score = 0;     // the sum of the techniques' weights
  double coverage = 0;            // technique_score over the weight of all the message's techniques
  std::size_t sets_at_score = 0;  // known sets whose technique score is at least this one's
};

struct Verdict {
  Action action = Action::kAccept;
  double score = 0;        // the sum of the groups' scores (and of ungrouped findings')
  std::vector<GroupScore> groups;    // the groups with findings, highest score first
  std::vector<std::string> reasons;  // finding ids, highest contribution first
  // False when a limit kept part of the message from being examined (a parser limit anomaly or a
  // LimitCrossing): an "accept" then means "nothing found in what was examined".
  bool complete = true;
  // The short warning for the reader, inserted at the top of the message by the mail-flow stage;
  // empty when the action is accept.
  LocalizedText banner;
  // Intrusion sets the evidence points at, best first; empty when nothing points anywhere.
  std::vector<AttributionHint> attribution;
};

}  // namespace vigie
