// Who a scanned message is from and whom it is for, keyed the way the sender history stores
// them; and the engine's one call to remember a decided message. Shared by the engine (writes)
// and the first-contact detector (reads) so both agree on every key.
#pragma once

#include <string>
#include <vector>

#include "facts/message_facts.h"
#include "intel/sender_history/sender_history.h"
#include "vigie/config.h"
#include "vigie/engine.h"
#include "vigie/message.h"
#include "vigie/verdict.h"

namespace vigie::intel::sender_history {

struct MessageParties {
  std::string sender;             // first From address, lowercase; empty when there is none
  std::string sender_domain;      // normalised
  std::string display_name;       // as written (decoded), for evidence
  std::string folded_name;        // intel::identity::name_key(display_name)
  std::vector<std::string> recipients;  // lowercase, unique, at most kMaxRecipients
};

inline constexpr std::size_t kMaxRecipients = 100;

// Recipients are the envelope's when the MTA gave them; otherwise the To and Cc addresses inside
// the protected domains (every To/Cc address when no protected domain is configured), since a
// copy addressed to an outsider tells nothing about what our people have seen.
MessageParties parties_of(const facts::MessageFacts& facts);

// Which decided messages make a sender "known". Only accept and tag: a warned, quarantined or
// rejected message was suspicious, and remembering its sender would make the attacker's second
// message look familiar (and a quarantined one never reached the recipient at all).
bool makes_sender_known(Action action);

// The engine's hook after the verdict: records the message's parties when makes_sender_known().
Result<void> record_scan(SenderHistory& history, const facts::MessageFacts& facts,
                         const Verdict& verdict);

}  // namespace vigie::intel::sender_history
