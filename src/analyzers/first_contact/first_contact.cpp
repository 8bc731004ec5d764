// first_contact: what the sender history says about this sender. Owns two findings:
//  - FIRST_CONTACT: an outside sender none of the recipients has received accepted mail from.
//    Normal on its own (everyone writes a first time), so it scores low and mostly amplifies the
//    other detectors — a look-alike domain or a lure from a first-time sender is worse than from
//    a known correspondent. Stronger on a free mailbox.
//  - KNOWN_NAME_NEW_ADDRESS: a person's name already known from another organisation's address
//    now arrives from a new one ("same colleague, new mailbox"), the way Star Blizzard and
//    Kimsuky pose as known experts from Gmail or Proton. Strong, strongest on a free mailbox.
// Reads the history only; the engine records decided messages (intel/sender_history/
// scan_contacts.h). Without [history] path the analyzer prepares no state and emits nothing.
// A history that cannot be read is an error on the message (ANALYZER_ERROR), never a silent
// "known" or "unknown".
#include <algorithm>
#include <stdexcept>
#include <string>

#include "analyzers/analyzer.h"
#include "parse/url/url.h"
#include "intel/identity/domains.h"
#include "intel/identity/free_webmail.h"
#include "intel/identity/names.h"
#include "intel/sender_history/scan_contacts.h"
#include "intel/shared/shared_lists.h"

namespace vigie::analyzers::first_contact {
namespace {

using verdict::FindingId;
namespace identity = intel::identity;
namespace history = intel::sender_history;

class State final : public AnalyzerState {
 public:
  std::unique_ptr<const history::SenderHistory> history;
  std::shared_ptr<const identity::FreeWebmailList> free_mailboxes;
};

Result<std::shared_ptr<const AnalyzerState>> prepare(const AnalyzerSetup& setup) {
  // The engine's store ([history] path, or the one a service injected); none: nothing to read.
  if (!setup.services.store) return std::shared_ptr<const AnalyzerState>();
  auto state = std::make_shared<State>();
  state->history = std::make_unique<const history::SenderHistory>(setup.services.store);
  Result<std::shared_ptr<const identity::FreeWebmailList>> list = setup.lists.free_webmail();
  if (!list) return fail(list.error());
  state->free_mailboxes = std::move(*list);
  return std::shared_ptr<const AnalyzerState>(std::move(state));
}

template <typename T>
T checked(Result<T> result) {
  if (!result) throw std::runtime_error(result.error().message);
  return std::move(*result);
}

std::string sender_text(const history::MessageParties& parties) {
  return parties.display_name.empty() ? "<" + parties.sender + ">"
                                      : "\"" + parties.display_name + "\" <" + parties.sender + ">";
}

void analyze(const ParsedMessage& /*message*/, const ScanContext& context, const AnalyzerState* base,
             FindingSink& sink) {
  if (base == nullptr) return;
  const State& state = static_cast<const State&>(*base);
  const history::MessageParties parties = history::parties_of(context.facts);
  if (parties.sender.empty() || parties.recipients.empty()) return;
  if (context.facts.profile().is_protected(parties.sender_domain)) return;  // a colleague
  const identity::MailboxCategory* free = state.free_mailboxes->find(parties.sender_domain);

  std::vector<Evidence> never_seen_by;
  for (const std::string& recipient : parties.recipients) {
    if (!checked(state.history->has_contact(recipient, parties.sender))) {
      never_seen_by.push_back({"recipient", recipient});
    }
  }
  // Only when no recipient knows the sender: a message to a team where one member corresponds
  // with the sender is not a cold approach.
  if (never_seen_by.size() == parties.recipients.size()) {
    std::vector<Evidence> evidence{{"header:From", sender_text(parties)}};
    if (free != nullptr) {
      evidence.push_back({"sender", LocalizedText{std::string(identity::mailbox_category_name(*free)),
                                                  std::string(identity::mailbox_category_name_fr(*free))}});
    }
    constexpr std::size_t kMaxListedRecipients = 5;
    if (never_seen_by.size() > kMaxListedRecipients) never_seen_by.resize(kMaxListedRecipients);
    evidence.insert(evidence.end(), never_seen_by.begin(), never_seen_by.end());
    sink.emit(FindingId::FIRST_CONTACT, std::move(evidence), free != nullptr ? 1.0 : 0.5);
  }

  if (parties.folded_name.empty() || !identity::looks_like_person_name(parties.display_name)) return;
  if (context.facts.profile().is_personal_address(parties.sender)) return;
  const std::vector<history::KnownAddress> known =
      checked(state.history->addresses_for_name(parties.folded_name));
  if (known.empty()) return;
  const std::string sender_organisation = parse::registrable_domain(parties.sender_domain, parse::WithoutRegistrable::kHost);
  std::vector<Evidence> elsewhere;
  for (const history::KnownAddress& k : known) {
    if (k.sender == parties.sender) return;  // this address already wrote under this name
    // Another mailbox of the same organisation (an alias, a new address after a move) is normal.
    if (parse::registrable_domain(identity::address_domain(k.sender), parse::WithoutRegistrable::kHost) == sender_organisation) continue;
    elsewhere.push_back({"known-address",
                         LocalizedText{k.sender + " (" + std::to_string(k.count) + " message(s) to " +
                                           std::to_string(k.recipients) + " recipient(s))",
                                       k.sender + " (" + std::to_string(k.count) + " message(s) à " +
                                           std::to_string(k.recipients) + " destinataire(s))"}});
  }
  if (elsewhere.empty()) return;
  elsewhere.insert(elsewhere.begin(), Evidence{"header:From", sender_text(parties)});
  if (free != nullptr) {
    elsewhere.push_back({"sender", LocalizedText{std::string(identity::mailbox_category_name(*free)),
                                                 std::string(identity::mailbox_category_name_fr(*free))}});
  }
  // Measured on 2002 ham with a history: people who write from work and from an ISP or alumni
  // mailbox under one name (5 in 4,150). A free mailbox is the impostor's usual tool; another
  // company's domain is weaker on its own (a look-alike domain is the look-alike detector's).
  sink.emit(FindingId::KNOWN_NAME_NEW_ADDRESS, std::move(elsewhere), free != nullptr ? 1.0 : 0.5);
}

constexpr FindingId kEmits[] = {FindingId::FIRST_CONTACT, FindingId::KNOWN_NAME_NEW_ADDRESS};

}  // namespace

const AnalyzerDescriptor& descriptor() {
  static const AnalyzerDescriptor kDescriptor{
      "first_contact",
      "Senders the recipients have never heard from, and known names arriving from new addresses "
      "(needs [history] path)",
      kEmits,
      &prepare,
      &analyze,
  };
  return kDescriptor;
}

}  // namespace vigie::analyzers::first_contact
