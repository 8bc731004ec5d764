// Calendar reading: what an invitation names and links to, malformed and oversized calendars read
// within the limits, never a crash.
#include "parse/calendar/calendar.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "vigie/message.h"

namespace vigie::parse {
namespace {

using namespace std::string_literals;

std::vector<std::string> normalized_links(const CalendarContent& calendar, UrlSource source) {
  std::vector<std::string> out;
  for (const Url& url : calendar.links) {
    if (url.source == source) out.emplace_back(url.normalized());
  }
  return out;
}

// An invitation as Outlook and Google Calendar write them: folded lines, escaped commas and line
// breaks in TEXT, HTML in X-ALT-DESC and in Google's DESCRIPTION, a Teams/Zoom CONFERENCE, URL,
// ATTACH by URI and an inline file.
const std::string kInvitation =
    "BEGIN:VCALENDAR\r\n"
    "PRODID:-//Example Corp//Calendar 1.0//EN\r\n"
    "VERSION:2.0\r\n"
    "METHOD:request\r\n"
    "BEGIN:VEVENT\r\n"
    "UID:20250101T000000Z-1@example.org\r\n"
    "DTSTART:20250601T090000Z\r\n"
    "ORGANIZER;CN=\"Dupont, Jeanne\";SENT-BY=\"mailto:assistant@example.org\":MAILTO:Jeanne.Dupont@Example.ORG\r\n"
    "ATTENDEE;CN=Bob Martin;ROLE=REQ-PARTICIPANT:mailto:bob@example.net\r\n"
    "ATTENDEE;CUTYPE=RESOURCE;EMAIL=room1@example.org:urn:uuid:f81d4fae-7dec-11d0-a765-00a0c91e6bf6\r\n"
    "SUMMARY:Budget review\r\n"
    "LOCATION:Room 1\\, or https://meet.example.com/room\r\n"
    "DESCRIPTION:Agenda: https://docs.example.net/agenda?id=12\\, then vote.\\nDial-in: www.dial.exa\r\n"
    " mple.com/123\r\n"
    "X-ALT-DESC;FMTTYPE=text/html:<html><body><a href=\"https://login.example.net/s\">Open the agenda</a></body></html>\r\n"
    "URL:https://events.example.com/e/42\r\n"
    "CONFERENCE;VALUE=URI;FEATURE=VIDEO;LABEL=Join:https://video.example.com/j/987\r\n"
    "ATTACH;FMTTYPE=application/pdf:https://files.example.com/agenda.pdf\r\n"
    "ATTACH;FMTTYPE=text/plain;ENCODING=BASE64;VALUE=BINARY;X-FILENAME=notes.txt:aGVsbG8gd29ybGQ=\r\n"
    "ATTACH:CID:part1@example.org\r\n"
    "TZURL:http://tz.example.com/zones/Europe-Paris\r\n"
    "COMMENT:\r\n"  // empty, as Google Calendar writes LOCATION: libical drops it, no error
    "BEGIN:VALARM\r\n"
    "ACTION:AUDIO\r\n"
    "TRIGGER:-PT15M\r\n"
    "ATTACH:\\\\198.51.100.7\\share\\ding.wav\r\n"
    "END:VALARM\r\n"
    "END:VEVENT\r\n"
    "END:VCALENDAR\r\n";

TEST(CalendarTest, ReadsMethodPartiesLinksAndFiles) {
  const CalendarContent calendar = read_calendar(kInvitation, Limits{});
  EXPECT_TRUE(calendar.found);
  EXPECT_TRUE(calendar.errors.empty()) << calendar.errors.front();
  EXPECT_FALSE(calendar.limit);
  EXPECT_EQ(calendar.method, "REQUEST");
  EXPECT_EQ(calendar.components, 3u);

  ASSERT_EQ(calendar.parties.size(), 3u);
  EXPECT_EQ(calendar.parties[0].role, CalendarParty::Role::kOrganizer);
  EXPECT_EQ(calendar.parties[0].address, "Jeanne.Dupont@Example.ORG");
  EXPECT_EQ(calendar.parties[0].common_name, "Dupont, Jeanne");
  EXPECT_EQ(calendar.parties[0].sent_by, "assistant@example.org");
  EXPECT_EQ(calendar.parties[1].role, CalendarParty::Role::kAttendee);
  EXPECT_EQ(calendar.parties[1].address, "bob@example.net");
  EXPECT_EQ(calendar.parties[1].common_name, "Bob Martin");
  EXPECT_EQ(calendar.parties[2].address, "room1@example.org");  // RFC 7986 EMAIL for a URN

  // Text values are unescaped and unfolded before URLs are looked for.
  EXPECT_EQ(normalized_links(calendar, UrlSource::kText),
            (std::vector<std::string>{"https://meet.example.com/room", "https://docs.example.net/agenda?id=12",
                                      "http://www.dial.example.com/123"}));
  EXPECT_EQ(normalized_links(calendar, UrlSource::kHref), (std::vector<std::string>{"https://login.example.net/s"}));
  for (const Url& url : calendar.links) {
    if (url.source == UrlSource::kHref) {
      EXPECT_EQ(url.anchor_text, "Open the agenda");
    }
  }
  // URI values: the event page, the video call, the attachment by address, the alarm's sound on a
  // file share; not the cid: reference to a MIME part nor the time-zone URL.
  EXPECT_EQ(normalized_links(calendar, UrlSource::kCalendarProperty),
            (std::vector<std::string>{"https://events.example.com/e/42", "https://video.example.com/j/987",
                                      "https://files.example.com/agenda.pdf", "//198.51.100.7/share/ding.wav"}));
  // (The UNC path stays scheme-relative, as in HTML; the links analyzer reports it, see
  // CalendarEngineTest.AReminderSoundOnAFileShareIsAUncLink.)

  ASSERT_EQ(calendar.files.size(), 1u);
  EXPECT_EQ(calendar.files[0].filename, "notes.txt");
  EXPECT_EQ(calendar.files[0].declared_type, "text/plain");
  EXPECT_EQ(*calendar.files[0].content, "hello world");
}

TEST(CalendarTest, GoogleDescriptionInHtmlIsReadAsHtml) {
  const CalendarContent calendar = read_calendar(
      "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDESCRIPTION:<p>Hello\\,</p><p><a href=\"https://pay.example.net/x\" target=\"_b\n"
      " lank\">Pay here</a> or https://two.example.net/</p>\nEND:VEVENT\nEND:VCALENDAR\n",
      Limits{});
  ASSERT_EQ(calendar.links.size(), 2u);
  EXPECT_EQ(calendar.links[0].source, UrlSource::kHref);
  EXPECT_EQ(calendar.links[0].normalized(), "https://pay.example.net/x");
  EXPECT_EQ(calendar.links[0].anchor_text, "Pay here");
  EXPECT_EQ(calendar.links[1].source, UrlSource::kText);
  EXPECT_EQ(calendar.links[1].normalized(), "https://two.example.net/");
}

TEST(CalendarTest, VCalendarOneAttendeeWithNameAndAddress) {
  const CalendarContent calendar =
      read_calendar("BEGIN:VCALENDAR\nVERSION:1.0\nBEGIN:VEVENT\nATTENDEE;ROLE=OWNER:Jeanne Dupont <jd@example.org>\n"
                    "END:VEVENT\nEND:VCALENDAR\n",
                    Limits{});
  ASSERT_EQ(calendar.parties.size(), 1u);
  EXPECT_EQ(calendar.parties[0].address, "jd@example.org");
  EXPECT_EQ(calendar.parties[0].common_name, "Jeanne Dupont");
}

TEST(CalendarTest, MalformedCalendarsAreErrorsNotCrashes) {
  // Not a calendar at all.
  CalendarContent c = read_calendar("hello world\n", Limits{});
  EXPECT_FALSE(c.found);
  ASSERT_FALSE(c.errors.empty());
  // END before BEGIN (libical 3.0 would write to stderr), lines outside components, a line
  // without a name, an unterminated component, a value libical cannot read, NUL bytes.
  c = read_calendar(
      "END:VEVENT\nORGANIZER:mailto:x@example.org\nBEGIN:VCALENDAR\nBEGIN:VEVENT\nGARBAGE LINE\n"
      "DTSTART:not-a-date\nORGANIZER;CN=A\0B:mailto:a@example.org\nURL:https://still.example.com/\n"s,
      Limits{});
  EXPECT_TRUE(c.found);
  EXPECT_GE(c.errors.size(), 3u);
  ASSERT_EQ(c.parties.size(), 1u);  // the one inside a component; the NUL ends its line early
  EXPECT_TRUE(c.parties[0].address.empty());
  ASSERT_EQ(c.links.size(), 1u);    // read although the component never ends
  EXPECT_EQ(c.links[0].normalized(), "https://still.example.com/");
  // Empty input, a lone BEGIN, quotes never closed, a folded first line.
  for (const std::string& input : {""s, "BEGIN:VCALENDAR"s, "BEGIN:VCALENDAR\nX-A;P=\"unclosed:value\n"s,
                                   " BEGIN:VCALENDAR\n END:VCALENDAR\n"s, "\xEF\xBB\xBF"s, "BEGIN\0:VEVENT\nEND:VEVENT\n"s}) {
    const CalendarContent any = read_calendar(input, Limits{});
    EXPECT_FALSE(any.limit) << input;
  }
}

TEST(CalendarTest, ErrorsKeptAreBounded) {
  std::string many = "BEGIN:VCALENDAR\n";
  for (int i = 0; i < 100; ++i) many += "NO NAME " + std::to_string(i) + "\n";
  many += "END:VCALENDAR\n";
  const CalendarContent c = read_calendar(many, Limits{});
  EXPECT_EQ(c.errors.size(), 9u);  // 8 and a count of the others
  EXPECT_EQ(c.errors.back(), "and 92 more");
}

TEST(CalendarTest, EveryLimitStopsTheReadingAndSaysWhich) {
  Limits limits;
  limits.max_calendar_components = 3;
  std::string events = "BEGIN:VCALENDAR\n";
  for (int i = 0; i < 50; ++i) events += "BEGIN:VEVENT\nURL:https://e" + std::to_string(i) + ".example.com/\nEND:VEVENT\n";
  events += "END:VCALENDAR\n";
  CalendarContent c = read_calendar(events, limits);
  ASSERT_TRUE(c.limit);
  EXPECT_EQ(c.limit->limit, "max_calendar_components");
  EXPECT_EQ(c.limit->observed, 4u);
  EXPECT_EQ(c.limit->allowed, 3u);
  EXPECT_EQ(c.components, 3u);
  EXPECT_EQ(c.links.size(), 2u);  // what was read before the limit is kept

  limits = Limits{};
  limits.max_calendar_properties = 10;
  c = read_calendar(events, limits);
  ASSERT_TRUE(c.limit);
  EXPECT_EQ(c.limit->limit, "max_calendar_properties");
  EXPECT_EQ(c.properties, 10u);
  EXPECT_EQ(c.links.size(), 10u);

  limits = Limits{};
  // 130 bytes: the calendar line, two whole events (52 bytes each) and part of a third.
  limits.max_calendar_bytes = 130;
  c = read_calendar(events, limits);
  ASSERT_TRUE(c.limit);
  EXPECT_EQ(c.limit->limit, "max_calendar_bytes");
  EXPECT_EQ(c.limit->observed, events.size());
  EXPECT_EQ(c.links.size(), 2u);  // the third URL line was cut by the limit and left out whole
  EXPECT_TRUE(c.errors.empty()) << c.errors.front();  // components left open by the cut are no fault

  // Nesting: libical frees components recursively, so depth is bounded before it builds them.
  std::string deep;
  for (int i = 0; i < 100000; ++i) deep += "BEGIN:X-NEST\n";
  c = read_calendar(deep, Limits{});
  ASSERT_TRUE(c.limit);
  EXPECT_EQ(c.limit->limit, "max_calendar_depth");
  EXPECT_EQ(c.components, Limits{}.max_calendar_depth);

  limits = Limits{};
  limits.max_urls = 5;
  c = read_calendar(events, limits);
  EXPECT_EQ(c.links.size(), 5u);
}

TEST(CalendarTest, HugeLinesAndManyParametersStayBounded) {
  const std::string long_value = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nDESCRIPTION:" + std::string(1 << 20, 'a') +
                                 " https://end.example.com/\nEND:VEVENT\nEND:VCALENDAR\n";
  CalendarContent c = read_calendar(long_value, Limits{});
  EXPECT_FALSE(c.limit);
  ASSERT_EQ(c.links.size(), 1u);
  std::string parameters = "BEGIN:VCALENDAR\nBEGIN:VEVENT\nATTENDEE";
  for (int i = 0; i < 5000; ++i) parameters += ";X-P" + std::to_string(i) + "=v";
  parameters += ":mailto:a@example.org\nEND:VEVENT\nEND:VCALENDAR\n";
  c = read_calendar(parameters, Limits{});
  ASSERT_EQ(c.parties.size(), 1u);
}

// The parser reads text/calendar leaves like HTML ones: their links are the message's (what
// `vigie parse` prints), each tagged with its part; calendar() gives the rest.
TEST(CalendarTest, TextCalendarPartsAreReadByTheParser) {
  const std::string raw =
      "From: a@example.org\nContent-Type: multipart/alternative; boundary=b\n\n"
      "--b\nContent-Type: text/plain\n\nSee https://body.example.com/\n"
      "--b\nContent-Type: text/calendar; charset=utf-8; method=REQUEST\nContent-Transfer-Encoding: base64\n\n"
      "QkVHSU46VkNBTEVOREFSDQpNRVRIT0Q6UkVRVUVTVA0KQkVHSU46VkVWRU5UDQpPUkdBTklaRVI7Q049\n"
      "Sm9objptYWlsdG86am9obkBleGFtcGxlLm9yZw0KVVJMOmh0dHBzOi8vaW52aXRlLmV4YW1wbGUuY29t\n"
      "L2UNCkVORDpWRVZFTlQNCkVORDpWQ0FMRU5EQVINCg==\n--b--\n";
  const auto message = ParsedMessage::parse(std::make_shared<const std::string>(raw), Limits{});
  const auto urls = message->urls();
  ASSERT_EQ(urls.size(), 2u);
  EXPECT_EQ(urls[1].normalized(), "https://invite.example.com/e");
  EXPECT_EQ(urls[1].source, UrlSource::kCalendarProperty);
  EXPECT_EQ(urls[1].part, 2u);
  EXPECT_EQ(message->calendar(1), nullptr);
  const CalendarContent* calendar = message->calendar(2);
  ASSERT_NE(calendar, nullptr);
  EXPECT_EQ(calendar->method, "REQUEST");
  ASSERT_EQ(calendar->parties.size(), 1u);
  EXPECT_EQ(calendar->parties[0].common_name, "John");
  EXPECT_TRUE(calendar->links.empty());  // moved to urls()
  EXPECT_TRUE(message->anomalies().empty());
}

// A calendar attached as a file: named .ics under a type that says nothing (base64, as Outlook
// attaches it), or declared application/ics; the parser reads it like a text/calendar part, from
// its decoded bytes. A file with another name and type is left to the calendar object analyzer.
TEST(CalendarTest, IcsAttachmentsAreReadByTheParser) {
  const std::string raw =
      "From: a@example.org\nContent-Type: multipart/mixed; boundary=b\n\n"
      "--b\nContent-Type: text/plain\n\nSee the invitation.\n"
      "--b\nContent-Type: application/octet-stream; name=\"Invite.ICS\"\n"
      "Content-Disposition: attachment; filename=\"Invite.ICS\"\nContent-Transfer-Encoding: base64\n\n"
      "QkVHSU46VkNBTEVOREFSDQpNRVRIT0Q6UkVRVUVTVA0KQkVHSU46VkVWRU5UDQpPUkdBTklaRVI7Q049\n"
      "Sm9objptYWlsdG86am9obkBleGFtcGxlLm9yZw0KVVJMOmh0dHBzOi8vaW52aXRlLmV4YW1wbGUuY29t\n"
      "L2UNCkVORDpWRVZFTlQNCkVORDpWQ0FMRU5EQVINCg==\n"
      "--b\nContent-Type: application/ics\n\n"
      "BEGIN:VCALENDAR\nBEGIN:VEVENT\nATTENDEE:mailto:bob@example.net\nDESCRIPTION:see https://two.exam\n"
      " ple.net/x\nEND:VEVENT\nEND:VCALENDAR\n"
      "--b\nContent-Type: application/octet-stream; name=data.bin\n\n"
      "BEGIN:VCALENDAR\nBEGIN:VEVENT\nURL:https://not-read-here.example.com/\nEND:VEVENT\nEND:VCALENDAR\n"
      "--b\nContent-Type: application/pdf; name=PR.ics\n\n%PDF-1.4 see https://in-a-pdf.example.com/\n"
      "--b\nContent-Type: text/plain; name=notes.ics\n\nNot a calendar: https://plain.example.com/\n"
      "--b--\n";
  const auto message = ParsedMessage::parse(std::make_shared<const std::string>(raw), Limits{});
  const auto urls = message->urls();
  // The .ics name on a PDF does not make it a calendar, nor on a text that is read as text.
  ASSERT_EQ(urls.size(), 3u);
  EXPECT_EQ(urls[2].normalized(), "https://plain.example.com/");
  EXPECT_EQ(urls[2].source, UrlSource::kText);
  EXPECT_EQ(message->calendar(5), nullptr);
  EXPECT_EQ(message->calendar(6), nullptr);
  EXPECT_EQ(urls[0].normalized(), "https://invite.example.com/e");
  EXPECT_EQ(urls[0].source, UrlSource::kCalendarProperty);
  EXPECT_EQ(urls[0].part, 2u);
  EXPECT_EQ(urls[1].normalized(), "https://two.example.net/x");  // the folded DESCRIPTION, unfolded
  EXPECT_EQ(urls[1].part, 3u);
  const CalendarContent* ics = message->calendar(2);
  ASSERT_NE(ics, nullptr);
  EXPECT_EQ(ics->method, "REQUEST");
  ASSERT_EQ(ics->parties.size(), 1u);
  EXPECT_EQ(ics->parties[0].address, "john@example.org");
  const CalendarContent* declared = message->calendar(3);
  ASSERT_NE(declared, nullptr);
  ASSERT_EQ(declared->parties.size(), 1u);
  EXPECT_EQ(declared->parties[0].role, CalendarParty::Role::kAttendee);
  EXPECT_EQ(message->calendar(4), nullptr);
  EXPECT_TRUE(message->anomalies().empty());
}

TEST(CalendarTest, ABrokenOrOversizedCalendarPartIsAnAnomaly) {
  Limits limits;
  limits.max_calendar_properties = 2;
  const auto message = ParsedMessage::parse(
      std::make_shared<const std::string>("From: a@example.org\nContent-Type: text/calendar\n\n"
                                          "BEGIN:VCALENDAR\nX-A:1\nX-B:2\nX-C:3\nEND:VCALENDAR\n"),
      limits);
  message->decode_all();
  ASSERT_EQ(message->anomalies().size(), 1u);
  const Anomaly& limit = message->anomalies()[0];
  EXPECT_EQ(limit.kind, AnomalyKind::kCalendarLimit);
  EXPECT_EQ(limit.detail, "max_calendar_properties");
  EXPECT_EQ(limit.observed, 3u);
  EXPECT_EQ(limit.limit, 2u);

  const auto broken = ParsedMessage::parse(
      std::make_shared<const std::string>("From: a@example.org\nContent-Type: text/calendar\n\nnot a calendar\n"),
      Limits{});
  broken->decode_all();
  ASSERT_EQ(broken->anomalies().size(), 1u);
  EXPECT_EQ(broken->anomalies()[0].kind, AnomalyKind::kCalendarMalformed);
}

TEST(CalendarTest, LooksLikeCalendar) {
  EXPECT_TRUE(looks_like_calendar("BEGIN:VCALENDAR\r\n"));
  EXPECT_TRUE(looks_like_calendar("\xEF\xBB\xBF \r\nbegin:VCalendar"));
  EXPECT_FALSE(looks_like_calendar("BEGIN:VEVENT"));
  EXPECT_FALSE(looks_like_calendar("X BEGIN:VCALENDAR"));
  EXPECT_FALSE(looks_like_calendar(""));
}

}  // namespace
}  // namespace vigie::parse
