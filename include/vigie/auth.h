// Sender authentication results attached to a scan. Results use the RFC 8601 result names
// ("pass", "fail", "softfail", "neutral", "none", "temperror", "permerror") so that they can be
// written into Authentication-Results unchanged. `reason` says in plain English why, for analysts.
#pragma once

#include <string>

namespace vigie {

struct SpfAuthResult {
  std::string result = "none";
  std::string domain;       // the domain whose policy was checked (MAIL FROM, else HELO)
  std::string identity;     // "mailfrom" or "helo" (RFC 8601 §2.7.2 ptype smtp)
  std::string explanation;  // the domain's explanation (exp=) on fail
  std::string reason;
};

struct AuthResults {
  SpfAuthResult spf;
};

}  // namespace vigie
