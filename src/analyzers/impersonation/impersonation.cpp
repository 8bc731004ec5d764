// impersonation: a sender who claims to be someone they are not, read from the identity headers
// alone. Owns five families of checks:
//  - the display name: a protected person's name or the organisation's name from an address
//    outside the protected domains (strongest on a free mailbox), a role ("IT Helpdesk",
//    "Service comptabilité") on a free mailbox, an e-mail address or domain written in the name
//    that is not the sender's ("support@paypal.com" <x@evil.example>);
//  - Reply-To sending the answers to another organisation (strongest when From is ours or when
//    the answers go to a free mailbox the From domain is not);
//  - the bounce address (envelope MAIL FROM, else Return-Path) leaving a protected domain, or a
//    free mailbox behind a corporate From;
//  - a Sender header naming another organisation than From (mailing lists excepted);
//  - a From address whose syntax no mail software produces ("x@<noreply@bank.example>",
//    "user@'host.example", "no-reply@%Domain.example"): hand-made or a mass-mailing template.
// The profile-free checks (addresses in names, roles and Reply-To on free mailboxes) work with no
// organisation configured; the others stay silent without one. Everything the hot path compares
// (folded names, role phrases, the free-mailbox list) is built once in prepare().
#include <algorithm>
#include <cctype>
#include <string>

#include "analyzers/analyzer.h"
#include "parse/url/url.h"
#include "intel/identity/domains.h"
#include "intel/identity/free_webmail.h"
#include "intel/identity/names.h"
#include "intel/shared/shared_lists.h"

namespace vigie::analyzers::impersonation {
namespace {

using verdict::FindingId;
namespace identity = intel::identity;

// Display names that speak for a function rather than a person. Matched as whole folded tokens;
// a free mailbox has no business being the helpdesk, the accounts department or the minister's
// office. Kept to phrases a small business on a free mailbox would not call itself.
constexpr std::string_view kRolePhrases[] = {
    // English
    "it support", "it helpdesk", "it help desk", "helpdesk", "help desk", "service desk",
    "it department", "it service", "it services", "it team", "it admin", "tech support",
    "technical support team", "system administrator", "systems administrator", "sysadmin",
    "administrator", "admin", "webmaster", "postmaster", "mail administrator",
    "email administrator", "mailbox administrator", "mail server", "email support",
    "security team", "it security", "human resources", "hr department", "payroll",
    "payroll department", "accounts payable", "accounting department", "finance department",
    "office of the director", "board of directors", "executive office",
    // French
    "service informatique", "support informatique", "direction informatique",
    "assistance informatique", "securite informatique", "administrateur",
    "administrateur systeme", "administrateur messagerie", "service messagerie",
    "support technique", "direction", "direction generale", "secretariat",
    "secretariat general", "service comptabilite", "comptabilite", "ressources humaines",
    "service rh", "drh", "service paie", "cabinet du ministre", "cabinet du directeur",
    "service juridique", "tresorerie", "agence comptable",
    // French executive titles, the names a "fraude au président" signs with
    "directeur de cabinet", "directrice de cabinet", "chef de cabinet", "le ministre",
    "madame la ministre", "monsieur le ministre", "directeur general", "directrice generale",
    "secretaire general", "secretaire generale", "le prefet", "la prefete",
};

class State final : public AnalyzerState {
 public:
  std::shared_ptr<const identity::FreeWebmailList> free_mailboxes;
  std::vector<std::vector<std::string>> roles;
};

Result<std::shared_ptr<const AnalyzerState>> prepare(const AnalyzerSetup& setup) {
  auto state = std::make_shared<State>();
  Result<std::shared_ptr<const identity::FreeWebmailList>> list = setup.lists.free_webmail();
  if (!list) return fail(list.error());
  state->free_mailboxes = std::move(*list);
  for (std::string_view phrase : kRolePhrases) {
    state->roles.push_back(identity::fold_name_tokens(phrase));
  }
  // The roles of the people the profile protects ("directrice de cabinet"): a free mailbox
  // signing with one is their impersonation even without their name.
  for (const facts::ProfilePerson& person : setup.profile.people()) {
    std::vector<std::string> role = identity::fold_name_tokens(person.role);
    if (!role.empty()) state->roles.push_back(std::move(role));
  }
  return std::shared_ptr<const AnalyzerState>(std::move(state));
}

// What the analyzer knows about one address: the message fact and the free-mailbox list's say.
struct AddressFacts {
  std::string address;              // lowercase
  std::string domain;               // normalised
  std::string organisation_domain;  // registrable domain
  bool is_protected = false;
  bool is_partner = false;
  const identity::MailboxCategory* free_mailbox = nullptr;
};

AddressFacts describe(const facts::Identity& id, const State& state) {
  return AddressFacts{id.address,
                      id.domain,
                      id.registrable,
                      id.standing == facts::DomainStanding::kProtected,
                      id.standing == facts::DomainStanding::kPartner,
                      state.free_mailboxes->find(id.domain)};
}

std::string shown(const Mailbox& mailbox) {
  return mailbox.display_name.empty() ? "<" + mailbox.address() + ">"
                                      : "\"" + mailbox.display_name + "\" <" + mailbox.address() + ">";
}

LocalizedText category_text(const AddressFacts& facts) {
  const std::string domain = " (" + facts.domain + ")";
  if (facts.free_mailbox != nullptr) {
    return {std::string(identity::mailbox_category_name(*facts.free_mailbox)) + domain,
            std::string(identity::mailbox_category_name_fr(*facts.free_mailbox)) + domain};
  }
  if (facts.is_partner) return {"partner domain" + domain, "domaine partenaire" + domain};
  return {"outside the protected domains" + domain, "hors des domaines protégés" + domain};
}

// "<address> — <what its domain is>", in both languages.
LocalizedText address_and_category(const std::string& address, const AddressFacts& facts) {
  const LocalizedText category = category_text(facts);
  return {address + " — " + category.en, address + " — " + category.fr};
}

// Mailing lists and bulk senders legitimately differ in Sender, Reply-To and bounce address.
bool is_list_mail(const ParsedMessage& message) {
  for (std::string_view field : {"List-Id", "List-Post", "X-Mailing-List", "Mailing-List",
                                 "X-BeenThere", "List-Unsubscribe"}) {
    if (message.header(field) != nullptr) return true;
  }
  if (const HeaderField* precedence = message.header("Precedence")) {
    std::string value(precedence->value);
    std::transform(value.begin(), value.end(), value.begin(),
                   [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
    if (value.find("list") != std::string::npos || value.find("bulk") != std::string::npos) return true;
  }
  return false;
}

// List software's own addresses: "owner-dev@", "dev-bounces@", "worldwidewords@listserv.x.org".
bool is_list_address(std::string_view address) {
  const std::size_t at = address.find('@');
  const std::string_view local = address.substr(0, at);
  for (std::string_view marker : {"owner-", "-owner", "bounce", "-request", "-admin", "listserv",
                                  "majordomo", "mailman", "list"}) {
    if (local.find(marker) != std::string_view::npos) return true;
  }
  const std::string_view domain = at == std::string_view::npos ? std::string_view{} : address.substr(at + 1);
  for (std::string_view label : {"listserv.", "lists.", "list."}) {
    if (domain.starts_with(label)) return true;
  }
  return false;
}

// Forwarders rewrite the bounce address to their own (SRS, RFC-less but universal; Gmail's
// "+caf_=" auto-forwarding): it then names the forwarder, not the sender.
bool is_forwarder_bounce(std::string_view local_part) {
  for (std::string_view marker : {"SRS0=", "SRS1=", "srs0=", "srs1=", "+caf_="}) {
    if (local_part.find(marker) != std::string_view::npos) return true;
  }
  return false;
}

void check_display_name(const Mailbox& mailbox, const AddressFacts& sender, const State& state,
                        const facts::OrganisationProfile& profile, FindingSink& sink) {
  if (mailbox.display_name.empty()) return;
  const Evidence header{"header:From", shown(mailbox)};
  const std::vector<std::string> tokens = identity::fold_name_tokens(mailbox.display_name);

  if (!sender.is_protected && !tokens.empty()) {
    for (const facts::ProfilePerson& person : profile.people()) {
      if (std::find(person.own_addresses.begin(), person.own_addresses.end(), sender.address) !=
          person.own_addresses.end()) {
        continue;  // the person's own configured mailbox
      }
      identity::NameMatch best = identity::NameMatch::kNone;
      for (const std::vector<std::string>& name : person.folded_names) {
        const identity::NameMatch m = identity::match_person_name(tokens, name);
        if (m != identity::NameMatch::kNone && (best == identity::NameMatch::kNone || m < best)) best = m;
      }
      if (best == identity::NameMatch::kNone) continue;
      const LocalizedText how =
          best == identity::NameMatch::kExact      ? LocalizedText{"same name", "même nom"}
          : best == identity::NameMatch::kInitials ? LocalizedText{"name with initials", "nom avec initiales"}
                                                   : LocalizedText{"name within a longer display name",
                                                                   "nom inclus dans un nom affiché plus long"};
      const std::string who = person.name + (person.role.empty() ? "" : " (" + person.role + ")");
      std::vector<Evidence> evidence{
          header, {"matched:person", LocalizedText{who + ": " + how.en, who + " : " + how.fr}},
          {"sender", category_text(sender)}};
      double confidence = best == identity::NameMatch::kExact ? 1.0 : 0.8;
      if (sender.free_mailbox != nullptr) {
        sink.emit(FindingId::IMPERSONATION_PERSON_FREE_MAILBOX, std::move(evidence), confidence);
      } else {
        // A partner may employ a namesake; a compromised partner mailbox is also possible.
        if (sender.is_partner) confidence *= 0.5;
        sink.emit(FindingId::IMPERSONATION_PERSON_EXTERNAL, std::move(evidence), confidence);
      }
      break;
    }
  }

  if (!sender.is_protected && !sender.is_partner && !tokens.empty()) {
    for (const std::vector<std::string>& name : profile.organisation_names()) {
      if (!identity::contains_token_run(tokens, name)) continue;
      sink.emit(FindingId::IMPERSONATION_ORGANISATION_NAME,
                {header, {"matched:organisation", profile.name()}, {"sender", category_text(sender)}},
                sender.free_mailbox != nullptr ? 1.0 : 0.6);
      break;
    }
  }

  if (sender.free_mailbox != nullptr && !tokens.empty()) {
    constexpr std::size_t kMaxOtherTokens = 2;  // "IT Helpdesk Team", "Service informatique - DSI"
    for (const std::vector<std::string>& role : state.roles) {
      if (tokens.size() > role.size() + kMaxOtherTokens || !identity::contains_token_run(tokens, role)) {
        continue;
      }
      std::string phrase;
      for (const std::string& t : role) phrase += (phrase.empty() ? "" : " ") + t;
      sink.emit(FindingId::ROLE_NAME_FREE_MAILBOX,
                {header, {"matched:role", phrase}, {"sender", category_text(sender)}});
      break;
    }
  }

  const identity::NamedIdentities named = identity::identities_in_display_name(mailbox.display_name);
  std::vector<Evidence> protected_named, foreign_addresses, foreign_domains;
  const auto classify = [&](const std::string& shown_identity, std::string_view domain, bool is_address) {
    const std::string normalised = identity::normalize_domain(domain);
    if (parse::registrable_domain(normalised, parse::WithoutRegistrable::kHost) == sender.organisation_domain) return;
    if (!sender.is_protected && profile.is_protected(normalised)) {
      protected_named.push_back({"display-name", shown_identity});
    } else if (is_address) {
      foreign_addresses.push_back({"display-name", shown_identity});
    } else {
      foreign_domains.push_back({"display-name", shown_identity});
    }
  };
  for (const std::string& address : named.addresses) classify(address, identity::address_domain(address), true);
  for (const std::string& domain : named.domains) classify(domain, domain, false);
  const auto emit_named = [&](FindingId id, std::vector<Evidence>& found) {
    if (found.empty()) return;
    found.insert(found.begin(), header);
    found.push_back({"sender", category_text(sender)});
    sink.emit(id, std::move(found));
  };
  emit_named(FindingId::DISPLAY_NAME_PROTECTED_DOMAIN, protected_named);
  emit_named(FindingId::DISPLAY_NAME_FOREIGN_ADDRESS, foreign_addresses);
  emit_named(FindingId::DISPLAY_NAME_FOREIGN_DOMAIN, foreign_domains);
}

bool addressed_to(const ParsedMessage& message, std::string_view address) {
  for (std::string_view field : {"To", "Cc"}) {
    for (const Mailbox& m : message.addresses(field).mailboxes) {
      std::string a = m.address();
      std::transform(a.begin(), a.end(), a.begin(),
                     [](char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); });
      if (a == address) return true;
    }
  }
  return false;
}

void check_reply_to(const facts::MessageFacts& facts, const AddressFacts& sender, bool list_mail,
                    const State& state, FindingSink& sink) {
  std::vector<Evidence> from_protected, to_free, elsewhere;
  double free_confidence = 0;
  double protected_confidence = 0;
  for (const facts::Identity* reply_to : facts.identities(facts::IdentityField::kReplyTo)) {
    const Mailbox& mailbox = reply_to->mailbox;
    if (mailbox.domain.empty()) continue;
    const AddressFacts target = describe(*reply_to, state);
    // Answers collected by another account of the same free provider ("From: a@gmail.com,
    // Reply-To: b@gmail.com") are the advance-fee pattern: a throw-away sender, a kept inbox.
    const bool other_free_account = target.free_mailbox != nullptr && sender.free_mailbox != nullptr &&
                                    target.address != sender.address;
    if (target.organisation_domain == sender.organisation_domain && !other_free_account) continue;
    if (facts.profile().is_personal_address(target.address)) continue;
    const Evidence evidence{"header:Reply-To", address_and_category(shown(mailbox), target)};
    if (target.is_protected) continue;  // the answers come back to us: nothing leaves
    if (sender.is_protected) {
      from_protected.push_back(evidence);
      protected_confidence = std::max(protected_confidence, target.is_partner ? 0.5 : 1.0);
    } else if (target.free_mailbox != nullptr) {
      to_free.push_back(evidence);
      // A list relaying a poster's free address, or two free accounts of one person, are weaker.
      free_confidence = std::max(free_confidence, list_mail ? 0.4 : sender.free_mailbox ? 0.6 : 1.0);
    } else if (!list_mail && !addressed_to(facts.message(), target.address)) {
      elsewhere.push_back(evidence);
    }
  }
  const Evidence from{"header:From", address_and_category(sender.address, sender)};
  if (!from_protected.empty()) {
    from_protected.insert(from_protected.begin(), from);
    sink.emit(FindingId::REPLY_TO_DIVERGES_FROM_PROTECTED, std::move(from_protected), protected_confidence);
  }
  if (!to_free.empty()) {
    to_free.insert(to_free.begin(), from);
    sink.emit(FindingId::REPLY_TO_FREE_MAILBOX, std::move(to_free), free_confidence);
  }
  if (!elsewhere.empty()) {
    elsewhere.insert(elsewhere.begin(), from);
    sink.emit(FindingId::REPLY_TO_OTHER_DOMAIN, std::move(elsewhere));
  }
}

void check_bounce_address(const facts::MessageFacts& facts, const AddressFacts& sender, bool list_mail,
                          const State& state, FindingSink& sink) {
  // A list (or a newsletter platform) re-sends its posters' mail, ours included, with its own
  // bounce address.
  if (list_mail) return;
  // The envelope's MAIL FROM when the MTA gave it, else the Return-Path it wrote.
  std::vector<const facts::Identity*> bounces = facts.identities(facts::IdentityField::kEnvelopeFrom);
  if (bounces.empty()) bounces = facts.identities(facts::IdentityField::kReturnPath);
  if (bounces.empty()) return;
  const facts::Identity& bounce = *bounces.front();
  if (bounce.mailbox.domain.empty()) return;  // "<>": a bounce or an auto-reply
  if (is_forwarder_bounce(bounce.mailbox.local_part)) return;
  const AddressFacts target = describe(bounce, state);
  if (target.organisation_domain == sender.organisation_domain) return;
  if (facts.profile().is_personal_address(target.address)) return;
  const bool leaves_protected = sender.is_protected && !target.is_protected && !target.is_partner;
  const bool free_behind_corporate = target.free_mailbox != nullptr && sender.free_mailbox == nullptr;
  if (!leaves_protected && !free_behind_corporate) return;
  sink.emit(FindingId::RETURN_PATH_DIVERGES,
            {{"header:From", address_and_category(sender.address, sender)},
             {facts::identity_location(bounce.field), address_and_category(bounce.mailbox.address(), target)}});
}

void check_sender_header(const facts::MessageFacts& facts, const AddressFacts& sender, bool list_mail,
                         const State& state, FindingSink& sink) {
  const std::vector<const facts::Identity*> senders = facts.identities(facts::IdentityField::kSender);
  if (senders.empty() || senders.front()->mailbox.domain.empty()) return;
  const facts::Identity& sender_field = *senders.front();
  const AddressFacts actual = describe(sender_field, state);
  if (actual.organisation_domain == sender.organisation_domain) return;
  if (list_mail || is_list_address(actual.address) || facts.profile().is_personal_address(actual.address)) return;
  if (sender.is_protected && actual.is_protected) return;
  // On behalf of our own domain from outside is what a spoofer does; elsewhere calendar services
  // and delegates do it every day, so it only adds a little.
  sink.emit(FindingId::FROM_SENDER_MISMATCH,
            {{"header:From", address_and_category(sender.address, sender)},
             {"header:Sender", address_and_category(shown(sender_field.mailbox), actual)}},
            sender.is_protected ? 1.0 : 0.5);
}

// Why a From field is broken in a way no mail software writes, or empty when it is not. Looks at
// the raw field (an address glued to a '<', "x@<y@z>") and at the parsed first mailbox: a domain
// holding a character no host name or domain literal has (a quote, '%', '<'...), a local part
// holding an angle bracket.
LocalizedText forged_syntax(std::string_view raw, const AddressList& from) {
  if (raw.find("@<") != std::string_view::npos) {
    return {"an address glued to another one (\"@<\")", "une adresse collée à une autre (\"@<\")"};
  }
  if (from.mailboxes.empty()) return {};
  const Mailbox& mailbox = from.mailboxes.front();
  if (mailbox.local_part.find_first_of("<>") != std::string::npos) {
    return {"angle bracket in the local part", "chevron dans la partie locale"};
  }
  for (const char ch : mailbox.domain) {
    const auto u = static_cast<unsigned char>(ch);
    // Host names (RFC 1123, '_' as seen in the wild), IDNs in UTF-8 (RFC 6532), literals such
    // as "IPv6:2001:db8::1" (written without brackets here).
    if (std::isalnum(u) || ch == '-' || ch == '.' || ch == '_' || ch == ':' || u >= 0x80) continue;
    return {std::string("character '") + ch + "' in the domain", std::string("caractère '") + ch + "' dans le domaine"};
  }
  return {};
}

void check_forged_syntax(const ParsedMessage& message, const AddressList& from, FindingSink& sink) {
  const HeaderField* field = message.header("From");
  if (field == nullptr) return;
  const LocalizedText why = forged_syntax(field->value, from);
  if (why.en.empty()) return;
  constexpr std::size_t kMaxShown = 200;
  std::string_view raw = field->value;
  while (!raw.empty() && (raw.front() == ' ' || raw.front() == '\t')) raw.remove_prefix(1);
  std::string shown_value(raw.substr(0, kMaxShown));
  std::erase_if(shown_value, [](char ch) { return ch == '\r' || ch == '\n'; });
  sink.emit(FindingId::FROM_ADDRESS_FORGED_SYNTAX,
            {{"header:From", LocalizedText{shown_value + " — " + why.en, shown_value + " — " + why.fr}}});
}

void analyze(const ParsedMessage& message, const ScanContext& context, const AnalyzerState* base,
             FindingSink& sink) {
  const State& state = static_cast<const State&>(*base);
  const facts::MessageFacts& facts = context.facts;
  check_forged_syntax(message, message.addresses("From"), sink);
  const facts::Identity* author = facts.author();
  if (author == nullptr || author->mailbox.domain.empty()) return;
  const AddressFacts sender = describe(*author, state);
  const bool list_mail = is_list_mail(message);
  check_display_name(author->mailbox, sender, state, facts.profile(), sink);
  check_reply_to(facts, sender, list_mail, state, sink);
  check_bounce_address(facts, sender, list_mail, state, sink);
  check_sender_header(facts, sender, list_mail, state, sink);
}

constexpr FindingId kEmits[] = {
    FindingId::IMPERSONATION_PERSON_FREE_MAILBOX, FindingId::IMPERSONATION_PERSON_EXTERNAL,
    FindingId::IMPERSONATION_ORGANISATION_NAME,   FindingId::ROLE_NAME_FREE_MAILBOX,
    FindingId::DISPLAY_NAME_PROTECTED_DOMAIN,     FindingId::DISPLAY_NAME_FOREIGN_ADDRESS,
    FindingId::DISPLAY_NAME_FOREIGN_DOMAIN,       FindingId::REPLY_TO_DIVERGES_FROM_PROTECTED,
    FindingId::REPLY_TO_FREE_MAILBOX,             FindingId::REPLY_TO_OTHER_DOMAIN,
    FindingId::RETURN_PATH_DIVERGES,              FindingId::FROM_SENDER_MISMATCH,
    FindingId::FROM_ADDRESS_FORGED_SYNTAX,
};

}  // namespace

const AnalyzerDescriptor& descriptor() {
  static const AnalyzerDescriptor kDescriptor{
      "impersonation",
      "Senders borrowing a protected person's or the organisation's name, a role, another "
      "domain in their display name, diverting replies and bounces elsewhere, or a From address "
      "forged by hand",
      kEmits,
      &prepare,
      &analyze,
  };
  return kDescriptor;
}

}  // namespace vigie::analyzers::impersonation
