// The verdict on one message: a score, the action the policy maps it to, and the reasons.
#pragma once

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
};

}  // namespace vigie
