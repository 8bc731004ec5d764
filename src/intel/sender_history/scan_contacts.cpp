// Message parties and the engine's recording hook (see scan_contacts.h).
#include "intel/sender_history/scan_contacts.h"

#include <algorithm>
#include <cctype>

#include "intel/identity/domains.h"
#include "intel/identity/names.h"

namespace vigie::intel::sender_history {
namespace {

std::string lowercase(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
  return text;
}

void add_recipient(std::vector<std::string>& recipients, std::string address) {
  if (address.empty() || address.find('@') == std::string::npos || recipients.size() >= kMaxRecipients) return;
  address = lowercase(std::move(address));
  if (std::find(recipients.begin(), recipients.end(), address) == recipients.end()) {
    recipients.push_back(std::move(address));
  }
}

}  // namespace

MessageParties parties_of(const facts::MessageFacts& facts) {
  MessageParties parties;
  if (const facts::Identity* author = facts.author(); author != nullptr && !author->domain.empty()) {
    parties.sender_domain = author->domain;
    parties.sender = author->address;
    parties.display_name = author->mailbox.display_name;
    parties.folded_name = identity::name_key(author->mailbox.display_name);
  }
  if (!facts.envelope().recipients.empty()) {
    for (const std::string& r : facts.envelope().recipients) add_recipient(parties.recipients, r);
    return parties;
  }
  const bool any_protected = !facts.profile().protected_domains().empty();
  for (std::string_view field : {"To", "Cc"}) {
    for (const Mailbox& m : facts.message().addresses(field).mailboxes) {
      if (m.domain.empty()) continue;
      const std::string domain = identity::normalize_domain(m.domain);
      if (any_protected && !facts.profile().is_protected(domain)) continue;
      add_recipient(parties.recipients, m.local_part + "@" + domain);
    }
  }
  return parties;
}

bool makes_sender_known(Action action) { return action == Action::kAccept || action == Action::kTag; }

Result<void> record_scan(SenderHistory& history, const facts::MessageFacts& facts, const Verdict& verdict) {
  if (!makes_sender_known(verdict.action)) return {};
  const MessageParties parties = parties_of(facts);
  if (parties.sender.empty() || parties.recipients.empty()) return {};
  std::vector<Contact> contacts;
  contacts.reserve(parties.recipients.size());
  for (const std::string& recipient : parties.recipients) {
    contacts.push_back(Contact{recipient, parties.sender, parties.folded_name});
  }
  return history.record(contacts);
}

}  // namespace vigie::intel::sender_history
