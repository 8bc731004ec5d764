// The verdict on one message: a score, the action the policy maps it to, and the reasons.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "vigie/finding.h"

namespace vigie {

enum class Action { kAccept, kTag, kWarn, kQuarantine, kReject };
std::string_view action_name(Action action);

struct Verdict {
  Action action = Action::kAccept;
  double score = 0;
  std::vector<std::string> reasons;  // finding ids, highest contribution first
  // False when a limit kept part of the message from being examined (a parser limit anomaly or a
  // LimitCrossing): an "accept" then means "nothing found in what was examined".
  bool complete = true;
  // The short warning for the reader, inserted at the top of the message by the mail-flow stage;
  // empty when the action is accept.
  LocalizedText banner;
};

}  // namespace vigie
