// Tests of parse_date (RFC 5322 §3.3, obsolete forms §4.3). Expected instants were computed
// independently (Python calendar.timegm).
#include <string>

#include <gtest/gtest.h>

#include "parse/headers/header_grammar.h"

namespace vigie::parse {
namespace {

constexpr std::int64_t k20030701_105237Z = 1057056757;  // 2003-07-01T10:52:37Z

TEST(DateTest, CanonicalRfc5322) {
  const auto d = parse_date("Tue, 1 Jul 2003 10:52:37 +0200");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->unix_seconds, 1057049557);  // 08:52:37Z
  EXPECT_EQ(d->utc_offset_minutes, 120);
  EXPECT_FALSE(d->obsolete_syntax);
}

TEST(DateTest, NegativeOffsetAndTwoDigitDay) {
  const auto d = parse_date("Tue, 01 Jul 2003 10:52:37 -0530");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->unix_seconds, k20030701_105237Z + 5 * 3600 + 30 * 60);
  EXPECT_EQ(d->utc_offset_minutes, -330);
  EXPECT_FALSE(d->obsolete_syntax);
}

TEST(DateTest, MissingDayOfWeekIsValid) {
  const auto d = parse_date("1 Jul 2003 10:52:37 +0200");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->unix_seconds, 1057049557);
  EXPECT_FALSE(d->obsolete_syntax);
}

TEST(DateTest, MinusZeroZoneReadsAsZero) {
  const auto d = parse_date("Tue, 1 Jul 2003 10:52:37 -0000");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->unix_seconds, k20030701_105237Z);
  EXPECT_EQ(d->utc_offset_minutes, 0);
  EXPECT_FALSE(d->obsolete_syntax);
}

TEST(DateTest, TwoDigitYears) {
  // §4.3: 00-49 are 2000-2049, 50-99 are 1950-1999.
  const auto a = parse_date("Fri, 31 Dec 49 23:59:59 +0000");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->unix_seconds, 2524607999);
  EXPECT_TRUE(a->obsolete_syntax);
  const auto b = parse_date("Sun, 1 Jan 50 00:00:00 +0000");
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->unix_seconds, -631152000);
  EXPECT_TRUE(b->obsolete_syntax);
  const auto c = parse_date("1 Jul 03 10:52:37 +0000");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->unix_seconds, k20030701_105237Z);
}

TEST(DateTest, ThreeDigitYearAdds1900) {
  const auto d = parse_date("Tue, 1 Jul 103 10:52:37 +0000");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->unix_seconds, k20030701_105237Z);
  EXPECT_TRUE(d->obsolete_syntax);
}

TEST(DateTest, NamedZones) {
  struct Case {
    const char* zone;
    int minutes;
  };
  const Case cases[] = {{"UT", 0},     {"GMT", 0},    {"EST", -300}, {"EDT", -240},
                        {"CST", -360}, {"CDT", -300}, {"MST", -420}, {"MDT", -360},
                        {"PST", -480}, {"PDT", -420}, {"gmt", 0},    {"pdt", -420}};
  for (const Case& c : cases) {
    const auto d = parse_date(std::string("Tue, 1 Jul 2003 10:52:37 ") + c.zone);
    ASSERT_TRUE(d.has_value()) << c.zone;
    EXPECT_EQ(d->utc_offset_minutes, c.minutes) << c.zone;
    EXPECT_EQ(d->unix_seconds, k20030701_105237Z - c.minutes * 60) << c.zone;
    EXPECT_TRUE(d->obsolete_syntax) << c.zone;
  }
}

TEST(DateTest, MilitaryZonesReadAsZero) {
  for (const char* zone : {"A", "M", "N", "Y", "Z", "z"}) {
    const auto d = parse_date(std::string("1 Jul 2003 10:52:37 ") + zone);
    ASSERT_TRUE(d.has_value()) << zone;
    EXPECT_EQ(d->utc_offset_minutes, 0) << zone;
    EXPECT_EQ(d->unix_seconds, k20030701_105237Z) << zone;
    EXPECT_TRUE(d->obsolete_syntax) << zone;
  }
}

TEST(DateTest, UnknownAlphabeticZoneReadsAsZero) {
  const auto d = parse_date("Tue, 1 Jul 2003 10:52:37 CEST");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->utc_offset_minutes, 0);
  EXPECT_EQ(d->unix_seconds, k20030701_105237Z);
  EXPECT_TRUE(d->obsolete_syntax);
}

TEST(DateTest, MissingSecondsFlaggedObsolete) {
  const auto d = parse_date("Tue, 1 Jul 2003 10:52 +0000");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->unix_seconds, 1057056720);
  EXPECT_TRUE(d->obsolete_syntax);
}

TEST(DateTest, CommentsAndWhitespaceAreCfws) {
  const auto a = parse_date("Tue, 1 Jul 2003 10:52:37 +0200 (CEST)");
  ASSERT_TRUE(a.has_value());
  EXPECT_EQ(a->unix_seconds, 1057049557);
  EXPECT_FALSE(a->obsolete_syntax);
  const auto b = parse_date("(x) Tue,(y)1 Jul 2003 10:52:37 +0200 (CEST) (a (nested) one)");
  ASSERT_TRUE(b.has_value());
  EXPECT_EQ(b->unix_seconds, 1057049557);
  const auto c = parse_date("  Tue,\r\n  1\t Jul   2003\r\n 10:52:37    +0200  ");
  ASSERT_TRUE(c.has_value());
  EXPECT_EQ(c->unix_seconds, 1057049557);
  EXPECT_FALSE(c->obsolete_syntax);
}

TEST(DateTest, CaseInsensitiveNames) {
  const auto d = parse_date("tue, 1 jul 2003 10:52:37 +0200");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->unix_seconds, 1057049557);
  EXPECT_FALSE(d->obsolete_syntax);
  const auto e = parse_date("TUE, 1 JUL 2003 10:52:37 +0200");
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->unix_seconds, 1057049557);
}

TEST(DateTest, FullNamesAndMissingCommaAreObsolete) {
  const auto d = parse_date("Tuesday, 1 July 2003 10:52:37 +0200");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->unix_seconds, 1057049557);
  EXPECT_TRUE(d->obsolete_syntax);
  const auto e = parse_date("Tue 1 Jul 2003 10:52:37 +0200");
  ASSERT_TRUE(e.has_value());
  EXPECT_EQ(e->unix_seconds, 1057049557);
  EXPECT_TRUE(e->obsolete_syntax);
}

TEST(DateTest, ScriptVariants) {
  const auto asctime = parse_date("Tue Jul  1 10:52:37 2003");
  ASSERT_TRUE(asctime.has_value());
  EXPECT_EQ(asctime->unix_seconds, k20030701_105237Z);
  EXPECT_TRUE(asctime->obsolete_syntax);
  const auto hyphen = parse_date("01-Jul-2003 10:52:37 +0200");
  ASSERT_TRUE(hyphen.has_value());
  EXPECT_EQ(hyphen->unix_seconds, 1057049557);
  const auto glued = parse_date("Tue, 1 Jul 2003 10:52:37+0200");
  ASSERT_TRUE(glued.has_value());
  EXPECT_EQ(glued->unix_seconds, 1057049557);
  EXPECT_EQ(glued->utc_offset_minutes, 120);
  const auto gmt = parse_date("Tue, 1 Jul 2003 10:52:37 GMT+0200");
  ASSERT_TRUE(gmt.has_value());
  EXPECT_EQ(gmt->utc_offset_minutes, 120);
  EXPECT_EQ(gmt->unix_seconds, 1057049557);
  const auto colon = parse_date("Tue, 1 Jul 2003 10:52:37 +02:00");
  ASSERT_TRUE(colon.has_value());
  EXPECT_EQ(colon->utc_offset_minutes, 120);
  EXPECT_TRUE(colon->obsolete_syntax);
}

TEST(DateTest, MissingZoneReadsAsMinusZero) {
  const auto d = parse_date("Tue, 1 Jul 2003 10:52:37");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->unix_seconds, k20030701_105237Z);
  EXPECT_EQ(d->utc_offset_minutes, 0);
  EXPECT_TRUE(d->obsolete_syntax);
}

TEST(DateTest, TrailingWordsTolerated) {
  const auto d = parse_date("Tue, 1 Jul 2003 10:52:37 +0200 CEST");
  ASSERT_TRUE(d.has_value());
  EXPECT_EQ(d->unix_seconds, 1057049557);
  EXPECT_EQ(d->utc_offset_minutes, 120);
  EXPECT_TRUE(d->obsolete_syntax);
}

TEST(DateTest, CalendarEdges) {
  const auto leap_day = parse_date("Tue, 29 Feb 2000 12:00:00 +0000");
  ASSERT_TRUE(leap_day.has_value());
  EXPECT_EQ(leap_day->unix_seconds, 951825600);
  const auto leap_second = parse_date("Sat, 31 Dec 2016 23:59:60 +0000");
  ASSERT_TRUE(leap_second.has_value());
  EXPECT_EQ(leap_second->unix_seconds, 1483228800);
  const auto y1900 = parse_date("Mon, 1 Jan 1900 00:00:00 +0000");
  ASSERT_TRUE(y1900.has_value());
  EXPECT_EQ(y1900->unix_seconds, -2208988800);
  const auto epoch = parse_date("Thu, 1 Jan 1970 01:00:00 +0100");
  ASSERT_TRUE(epoch.has_value());
  EXPECT_EQ(epoch->unix_seconds, 0);
}

TEST(DateTest, OutOfRangeFieldsRejected) {
  for (const char* bad : {
           "Tue, 32 Jul 2003 10:52:37 +0000",  // day
           "Tue, 0 Jul 2003 10:52:37 +0000",   // day
           "Sat, 29 Feb 2003 10:52:37 +0000",  // not a leap year
           "Mon, 29 Feb 1900 10:52:37 +0000",  // century rule
           "Tue, 31 Apr 2003 10:52:37 +0000",  // April has 30 days
           "Tue, 1 Jul 2003 24:00:00 +0000",   // hour
           "Tue, 1 Jul 2003 10:60:00 +0000",   // minute
           "Tue, 1 Jul 2003 10:52:61 +0000",   // second
           "Tue, 1 Jul 2003 10:52:37 +0260",   // zone minutes
           "Tue, 1 Jul 2003 10:52:37 +9900",   // zone hours
           "Tue, 1 Jul 1899 10:52:37 +0000",   // four-digit year before 1900
           "Tue, 1 Jul 20033 10:52:37 +0000",  // five-digit year
           "Tue, 1 Jul 2003 10:52:37 +02000",  // zone digits
           "Tue, 123 Jul 2003 10:52:37 +0000", // day digits
       }) {
    EXPECT_FALSE(parse_date(bad).has_value()) << bad;
  }
}

TEST(DateTest, GarbageRejected) {
  for (const char* bad : {"", "   ", "(only a comment)", "hello world", "Tue, 1 Jul",
                          "Tue, 1 Jul 2003", "1 Xyz 2003 10:52:37 +0000",
                          "Tue, 1 Jul 2003 ab:cd:ef +0000", "Tue, 1 Jul 2003 10:52:37 +0x00",
                          "Tue, 1 Jul 2003 10:52:37 NotAZoneName", "1 2 3 4 5 6",
                          "Tue, 1 Jul 2003 10:52:37:11 +0000", "1 Jul 3 10:52:37 +0000"}) {
    EXPECT_FALSE(parse_date(bad).has_value()) << bad;
  }
}

TEST(DateTest, HostileInputsStayBounded) {
  EXPECT_FALSE(parse_date(std::string(200000, '(')).has_value());
  EXPECT_FALSE(parse_date(std::string(200000, '9')).has_value());
  std::string many;
  for (int k = 0; k < 50000; ++k) many += "1 ";
  EXPECT_FALSE(parse_date(many).has_value());
  std::string binary;
  for (int k = 0; k < 256; ++k) binary.push_back(static_cast<char>(k));
  EXPECT_FALSE(parse_date(binary).has_value());
}

}  // namespace
}  // namespace vigie::parse
