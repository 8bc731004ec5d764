// calendar: meeting invitations — text/calendar parts and .ics/.vcs files, found by name, declared
// type or content (BEGIN:VCALENDAR), at any depth. A calendar application shows an invitation as
// a meeting set up by its ORGANIZER, whatever the message's From says, so an invitation is a way to
// speak in someone else's name that no header check sees. Owns:
//   - CALENDAR_ORGANIZER_SPOOFED: the organizer is an address in a protected domain and the
//     message comes from outside them;
//   - CALENDAR_ORGANIZER_NAME_IMPERSONATION: the organizer bears the name of one of the profile's
//     people with an address outside the protected domains that is not theirs, and is not the
//     From address (whose name the impersonation analyzer already judges);
//   - OUTLOOK_REMINDER_UNC: an alarm's sound or file (VALARM ATTACH) or an Outlook property
//     (X-MS-OLK-*, X-MICROSOFT-*) on a remote share, the iCalendar form of CVE-2023-23397 (its TNEF
//     form is the tnef analyzer's). Read from the content lines as written, since libical's tree
//     is not kept.
// It also reads the calendars the parser does not read (a MIME leaf typed or named as a calendar is
// the parser's: ParsedMessage::calendar, its links in urls(); a calendar found only by its content
// or inside another file is read here): their links go to add_url, so the links, look-alike and
// reputation analyzers examine them. Inline files of every calendar become child objects.
//
// What a genuine invitation looks like, and so what lowers the confidence of a protected organizer
// from outside (the lowest reason wins, and is given as evidence):
//   - METHOD:REPLY, COUNTER or REFRESH is sent by an attendee to the organizer (RFC 5546 §1.4):
//     the organizer is then the recipient, never a claim; not examined;
//   - the sender is an attendee of the invitation: an attendee forwarding the organizer's
//     invitation, as Outlook's "Forward" does (0.4);
//   - mail relayed by a mailing list (List-Id), which rewrites From (0.3);
//   - a scheduling service (Google Calendar, Zoom, Calendly...) sending for an organizer whose
//     address it has verified (0.3; a forged From of these domains fails their DMARC policy, which
//     sender_auth reports);
//   - a partner domain, which takes part in the organisation's meetings (0.6);
//   - a calendar file without METHOD: an event shared as a file, not sent by its organizer (0.6).
// Authentication results are not read: the claim is in the content, and a message authenticated
// for its outside sender makes it no truer.
#include <algorithm>
#include <array>
#include <optional>
#include <string>
#include <vector>

#include "analyzers/analyzer.h"
#include "common/ascii.h"
#include "intel/identity/names.h"
#include "objects/remote_path.h"
#include "parse/calendar/calendar.h"
#include "parse/url/url.h"

namespace vigie::analyzers::calendar {
namespace {

using verdict::FindingId;

constexpr std::size_t kMaxEvidenceBytes = 200;
constexpr std::size_t kMaxOrganizersShown = 3;

// Registrable domains of services that send invitations on behalf of their users' verified
// addresses: calendar-notification@google.com, no-reply@zoom.us, Teams webinars from
// email.teams.microsoft.com and teams.mail.microsoft, Apple's iCloud calendar, booking services.
constexpr std::array<std::string_view, 12> kSchedulingServices{
    "google.com", "zoom.us",     "microsoft.com", "mail.microsoft", "apple.com",   "calendly.com",
    "doodle.com", "webex.com",   "goto.com",      "gotomeeting.com", "eventbrite.com", "livestorm.co",
};

struct State final : AnalyzerState {
  facts::OrganisationProfile profile;
};

bool has_calendar_name(std::string_view filename) {
  const std::string name = ascii::lowercase(filename);
  for (std::string_view extension : {".ics", ".vcs", ".ical", ".icalendar"}) {
    if (name.ends_with(extension)) return true;
  }
  return false;
}

// By its name wherever it sits, or by its declared or detected type.
bool accepts(const Object& object) {
  if (object.origin == ObjectOrigin::kMessage || object.origin == ObjectOrigin::kAttachedMessage) return false;
  if (has_calendar_name(object.filename)) return true;
  for (std::string_view type : {"text/calendar", "text/x-vcalendar", "application/ics", "application/calendar",
                                "application/x-ics"}) {
    if (object.declared_type == type) return true;
  }
  return object.detected_type == "text/calendar";
}

std::string bounded(std::string_view text) {
  if (text.size() <= kMaxEvidenceBytes) return std::string(text);
  return std::string(text.substr(0, kMaxEvidenceBytes)) + "...";
}

LocalizedText shown(const CalendarParty& party) {
  std::string out = party.common_name.empty() ? std::string() : "\"" + bounded(party.common_name) + "\" ";
  out += "<" + bounded(party.address) + ">";
  if (party.sent_by.empty()) return {out, {}};
  return {out + " sent by " + bounded(party.sent_by), out + " envoyé par " + bounded(party.sent_by)};
}

// Joins two texts; a part without French (data) is the same in both.
LocalizedText operator+(const LocalizedText& a, const LocalizedText& b) {
  return {a.en + b.en, (a.fr.empty() ? a.en : a.fr) + (b.fr.empty() ? b.en : b.fr)};
}

// The domain of an address as the profile compares domains: normalised, "" when there is none.
std::string domain_of(std::string_view address) {
  const std::size_t at = address.rfind('@');
  if (at == std::string_view::npos) return {};
  return parse::normalize_host(address.substr(at + 1));
}

std::string lowercase_address(std::string_view address) {
  const std::size_t at = address.rfind('@');
  if (at == std::string_view::npos) return ascii::lowercase(address);
  const std::string domain = domain_of(address);
  return ascii::lowercase(address.substr(0, at)) + "@" + (domain.empty() ? ascii::lowercase(address.substr(at + 1)) : domain);
}

// Who the message says it is from: the first From mailbox.
struct Sender {
  std::string address;  // lowercase, normalised domain
  std::string domain;
  facts::DomainStanding standing = facts::DomainStanding::kOutside;
};

std::optional<Sender> sender_of(const ParsedMessage& message, const facts::OrganisationProfile& profile) {
  const AddressList& from = message.addresses("From");
  if (from.mailboxes.empty() || from.mailboxes.front().domain.empty()) return std::nullopt;
  Sender sender;
  sender.address = lowercase_address(from.mailboxes.front().address());
  sender.domain = domain_of(sender.address);
  if (sender.domain.empty()) return std::nullopt;
  sender.standing = profile.standing(sender.domain);
  return sender;
}

// Sent by an attendee to the organizer (RFC 5546 §1.4): the organizer is the recipient.
bool sent_by_attendee(std::string_view method) {
  return method == "REPLY" || method == "COUNTER" || method == "REFRESH";
}

struct Weakening {
  double confidence = 1;
  LocalizedText why;
  void consider(double candidate, LocalizedText reason) {
    if (candidate >= confidence) return;
    confidence = candidate;
    why = std::move(reason);
  }
};

void check_protected_organizer(const Object& object, const CalendarContent& calendar, const Sender& sender,
                               const ParsedMessage& message, const State& state, FindingSink& sink) {
  std::vector<const CalendarParty*> claimed;
  for (const CalendarParty& party : calendar.parties) {
    if (party.role != CalendarParty::Role::kOrganizer) continue;
    const std::string domain = domain_of(party.address);
    if (domain.empty() || !state.profile.is_protected(domain)) continue;
    const std::string address = lowercase_address(party.address);
    const bool seen = std::any_of(claimed.begin(), claimed.end(),
                                  [&](const CalendarParty* p) { return lowercase_address(p->address) == address; });
    if (!seen) claimed.push_back(&party);
  }
  if (claimed.empty()) return;

  Weakening weakening;
  const bool attendee = std::any_of(calendar.parties.begin(), calendar.parties.end(), [&](const CalendarParty& p) {
    return p.role == CalendarParty::Role::kAttendee && lowercase_address(p.address) == sender.address;
  });
  if (attendee) {
    weakening.consider(0.4, {"the sender is an attendee: an invitation forwarded by one",
                             "l'expéditeur est un participant : une invitation transférée par l'un d'eux"});
  }
  if (message.header("List-Id") != nullptr) {
    weakening.consider(0.3, {"relayed by a mailing list (List-Id)", "relayé par une liste de diffusion (List-Id)"});
  }
  const std::string registrable = parse::registrable_domain(sender.domain, parse::WithoutRegistrable::kHost);
  if (std::find(kSchedulingServices.begin(), kSchedulingServices.end(), registrable) != kSchedulingServices.end()) {
    weakening.consider(0.3, {"sent by a scheduling service for its user (" + registrable + ")",
                             "envoyé par un service de planification pour son utilisateur (" + registrable + ")"});
  }
  if (sender.standing == facts::DomainStanding::kPartner) {
    weakening.consider(0.6, {"the sender is a partner", "l'expéditeur est un partenaire"});
  }
  if (calendar.method.empty()) {
    weakening.consider(0.6, {"a calendar file without METHOD, not an invitation",
                             "un fichier de calendrier sans METHOD, pas une invitation"});
  }

  std::vector<Evidence> evidence;
  for (std::size_t i = 0; i < claimed.size() && i < kMaxOrganizersShown; ++i) {
    evidence.emplace_back(object.id, "calendar:ORGANIZER",
                          shown(*claimed[i]) + LocalizedText{" (protected domain)", " (domaine protégé)"});
  }
  const std::string address = bounded(sender.address);
  evidence.emplace_back("header:From", sender.standing == facts::DomainStanding::kPartner
                                           ? LocalizedText{address + " (partner domain)", address + " (domaine partenaire)"}
                                           : LocalizedText{address + " (outside the organisation)",
                                                           address + " (hors de l'organisation)"});
  if (!calendar.method.empty()) evidence.emplace_back(object.id, "calendar:METHOD", bounded(calendar.method));
  if (!weakening.why.en.empty()) evidence.emplace_back("context", weakening.why);
  sink.emit(FindingId::CALENDAR_ORGANIZER_SPOOFED, std::move(evidence), weakening.confidence);
}

void check_organizer_name(const Object& object, const CalendarContent& calendar, const Sender& sender,
                          const State& state, FindingSink& sink) {
  for (const CalendarParty& party : calendar.parties) {
    if (party.role != CalendarParty::Role::kOrganizer || party.common_name.empty()) continue;
    const std::string address = lowercase_address(party.address);
    if (address == sender.address) continue;  // the From header's own name: impersonation's
    const std::string domain = domain_of(party.address);
    const facts::DomainStanding standing = domain.empty() ? facts::DomainStanding::kOutside : state.profile.standing(domain);
    if (standing == facts::DomainStanding::kProtected || state.profile.is_personal_address(address)) continue;
    const std::vector<std::string> tokens = intel::identity::fold_name_tokens(party.common_name);
    if (tokens.empty()) continue;
    for (const facts::ProfilePerson& person : state.profile.people()) {
      if (std::find(person.own_addresses.begin(), person.own_addresses.end(), address) != person.own_addresses.end()) {
        continue;
      }
      intel::identity::NameMatch best = intel::identity::NameMatch::kNone;
      for (const std::vector<std::string>& name : person.folded_names) {
        const intel::identity::NameMatch m = intel::identity::match_person_name(tokens, name);
        if (m != intel::identity::NameMatch::kNone && (best == intel::identity::NameMatch::kNone || m < best)) best = m;
      }
      if (best == intel::identity::NameMatch::kNone) continue;
      double confidence = best == intel::identity::NameMatch::kExact ? 1.0 : 0.8;
      // A partner may employ a namesake.
      if (standing == facts::DomainStanding::kPartner) confidence *= 0.5;
      sink.emit(FindingId::CALENDAR_ORGANIZER_NAME_IMPERSONATION,
                {Evidence{object.id, "calendar:ORGANIZER", shown(party)},
                 Evidence{"matched:person", person.name + (person.role.empty() ? "" : " (" + person.role + ")")},
                 Evidence{"header:From", bounded(sender.address)}},
                confidence);
      return;
    }
  }
}

// The iCalendar form of CVE-2023-23397: an alarm whose sound or file, or an Outlook property,
// is on another machine. Outlook reads the path when the reminder fires and authenticates to it.
void check_remote_reminder(const Object& object, std::string_view text, FindingSink& sink) {
  std::vector<Evidence> evidence;
  int alarm_depth = 0;
  parse::for_each_content_line(text, [&](std::string& line) {
    const std::size_t name_end = line.find_first_of(":;");
    if (name_end == std::string::npos) return true;
    const std::string name = ascii::lowercase(std::string_view(line).substr(0, name_end));
    std::string_view value = std::string_view(line).substr(std::min(line.find(':'), line.size() - 1) + 1);
    if (name == "begin" || name == "end") {
      if (ascii::iequals(ascii::trim_blanks(value), "valarm")) alarm_depth += name == "begin" ? 1 : -1;
      return true;
    }
    const bool alarm_file = alarm_depth > 0 && name == "attach";
    const bool outlook = name.starts_with("x-ms-olk-") || name.starts_with("x-microsoft-");
    if (!alarm_file && !outlook) return true;
    // A TEXT value escapes its backslashes (RFC 5545 §3.3.11): \\\\host\\share for \\host\share.
    std::string path(value);
    if (path.starts_with("\\\\\\\\")) {
      std::string unescaped;
      for (std::size_t i = 0; i < path.size(); ++i) {
        unescaped.push_back(path[i]);
        if (path[i] == '\\' && i + 1 < path.size() && path[i + 1] == '\\') ++i;
      }
      path = std::move(unescaped);
    }
    const std::optional<objects::RemotePath> remote = objects::remote_path(path);
    if (!remote || evidence.size() >= kMaxOrganizersShown) return true;
    std::string field = "calendar:" + name;
    for (char& c : field) c = static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c);
    field.replace(0, 9, "calendar:");
    evidence.emplace_back(object.id, field,
                          LocalizedText{bounded(path) + (remote->webdav ? " (WebDAV share on " : " (file share on ") +
                                            bounded(remote->host) + ")",
                                        bounded(path) + (remote->webdav ? " (partage WebDAV sur " : " (partage de fichiers sur ") +
                                            bounded(remote->host) + ")"});
    return true;
  });
  if (evidence.empty()) return;
  evidence.emplace_back(object.id, "cve", "CVE-2023-23397 (Outlook for Windows before the March 2023 update)");
  sink.emit(FindingId::OUTLOOK_REMINDER_UNC, std::move(evidence));
}

// The same calendar twice in one message (Google Calendar sends it as the text/calendar part and
// again as invite.ics): read once.
bool repeats_an_earlier_calendar(const Object& object, const ObjectTree& objects) {
  for (const Object& earlier : objects) {
    if (earlier.id >= object.id) break;
    if (earlier.size() == object.size() && accepts(earlier) && earlier.bytes() == object.bytes()) return true;
  }
  return false;
}

void analyze(const Object& object, ObjectContext& context, const AnalyzerState* state, FindingSink& sink) {
  const State& calendar_state = static_cast<const State&>(*state);
  const ParsedMessage& message = context.message();
  if (repeats_an_earlier_calendar(object, context.objects())) return;

  // A calendar leaf was read by the parser (its links are already the message's); any other
  // calendar is read here.
  const CalendarContent* read_by_parser =
      object.origin == ObjectOrigin::kMimePart ? message.calendar(object.part) : nullptr;
  CalendarContent own;
  if (read_by_parser == nullptr) {
    own = parse::read_calendar(object.bytes(), message.limits());
    if (own.limit) {
      sink.limit_reached(own.limit->limit, own.limit->observed, own.limit->allowed,
                         LocalizedText{"the rest of the calendar (links, organizers, files)",
                                       "le reste du calendrier (liens, organisateurs, fichiers)"},
                         object.id);
    }
    if (!own.errors.empty()) {
      context.add_note(object, "calendar not fully readable: " + own.errors.front() +
                                   (own.errors.size() > 1 ? " (and more)" : ""));
    }
    for (Url& url : own.links) {
      context.add_url(object, std::move(url));
    }
  }
  const CalendarContent& calendar = read_by_parser != nullptr ? *read_by_parser : own;

  for (const CalendarFile& file : calendar.files) {
    Object child;
    child.origin = ObjectOrigin::kEmbedded;
    child.filename = file.filename;
    child.declared_type = file.declared_type;
    context.push_child(object, std::move(child), file.content);
  }

  const bool text_part = object.origin == ObjectOrigin::kMimePart && message.part(object.part).is_text();
  std::string_view text = text_part ? message.text(object.part) : object.bytes();
  check_remote_reminder(object, text.substr(0, message.limits().max_calendar_bytes), sink);

  if (sent_by_attendee(calendar.method)) return;
  const std::optional<Sender> sender = sender_of(message, calendar_state.profile);
  if (!sender || sender->standing == facts::DomainStanding::kProtected) return;
  check_protected_organizer(object, calendar, *sender, message, calendar_state, sink);
  check_organizer_name(object, calendar, *sender, calendar_state, sink);
}

Result<std::shared_ptr<const AnalyzerState>> prepare(const AnalyzerSetup& setup) {
  auto state = std::make_shared<State>();
  state->profile = setup.profile;
  return std::shared_ptr<const AnalyzerState>(std::move(state));
}

constexpr FindingId kEmits[] = {FindingId::CALENDAR_ORGANIZER_SPOOFED, FindingId::CALENDAR_ORGANIZER_NAME_IMPERSONATION,
                                FindingId::OUTLOOK_REMINDER_UNC};

}  // namespace

const ObjectAnalyzerDescriptor& descriptor() {
  static const ObjectAnalyzerDescriptor kDescriptor{
      "calendar",
      "Meeting invitations: organizers claiming the organisation from outside; links and files inside calendars",
      kEmits,
      &accepts,
      &prepare,
      &analyze,
  };
  return kDescriptor;
}

}  // namespace vigie::analyzers::calendar
