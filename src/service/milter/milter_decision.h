// What `vigie serve` tells the MTA about one message that came through the milter: it is
// scanned like every message of the service (scan_message), then its verdict becomes the
// MTA's action:
//   accept, tag, warn  deliver, with Authentication-Results and X-Vigie-* added and forged copies
//                      removed; warn also carries the reader's banner (src/service/actions)
//   quarantine         stored in vigie's quarantine first, then discarded at the MTA; when the
//                      policy says so, or the message was too large to hold whole, the MTA's own
//                      hold queue keeps it instead
//   reject             550 5.7.1 with the message's reference
// A scan that fails is an internal error: tempfail (fail closed, the default) or delivery with
// the headers saying it was not scanned (fail open), as configured. A quarantine write that fails
// leaves the message in the MTA's hold queue: neither lost nor delivered.
#pragma once

#include <functional>
#include <string>

#include "service/actions/message_edits.h"
#include "service/milter/milter_session.h"
#include "service/serve/message_scan.h"
#include "vigie/result.h"

namespace vigie::service::milter {

struct MilterPolicy {
  ActionSettings actions;
  enum class OnError { kTempfail, kAccept };
  OnError on_error = OnError::kTempfail;
  // Where a quarantined message waits: vigie's quarantine (the MTA discards its copy) or the
  // MTA's hold queue (postsuper -H releases it).
  enum class QuarantineAt { kVigie, kMta };
  QuarantineAt quarantine_at = QuarantineAt::kVigie;
};

// Stores a message in vigie's quarantine and returns once it is durable. Empty when the service
// has no quarantine configured (the MTA's hold queue is used).
using HoldInQuarantine = std::function<Result<void>(const std::string& id, const std::string& raw,
                                                    const ScanResult& result, const Envelope& envelope)>;

MessageDecision decide_message(const ServeContext& context, const MilterPolicy& policy,
                               const HoldInQuarantine& hold, ReceivedMessage& message);

}  // namespace vigie::service::milter
