// Tests of the STIX 2.1 patterning language: a table of patterns evaluated against one fixed
// observation (a message with its sender, subject, attachments, links, hops and files) with the
// expected truth, then parse errors and limits, equality extraction and the observation's
// property normalisation.
#include "intel/stix/pattern.h"

#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

namespace vigie::intel::stix {
namespace {

Observation message_observation() {
  Observation observation;
  observation.add_object("email-message")
      .add("from_ref.value", "alice@evil.example")
      .add("sender_ref.value", "bob@relay.example")
      .add("subject", "[IMPORTANT] Please Review Before Friday")
      .add("body_multipart[*].body_raw_ref.name", "invoice.pdf")
      .add("body_multipart[*].body_raw_ref.name", "Final Report 2026.exe")
      .add("date", "2026-12-07T09:30:00Z");
  observation.add_object("domain-name").add("value", "evil.example");
  observation.add_object("domain-name").add("value", "mail.partner.example");
  observation.add_object("url").add("value", "http://evil.example/login.php?id=1");
  observation.add_object("ipv4-addr").add("value", "198.51.100.7");
  observation.add_object("ipv4-addr").add("value", "10.1.2.3");
  observation.add_object("ipv6-addr").add("value", "2001:db8::1");
  observation.add_object("email-addr").add("value", "alice@evil.example").add("display_name", "Alice O'Neil");
  observation.add_object("file")
      .add("name", "Final Report 2026.exe")
      .add("size", 1234.0)
      .add("hashes.'SHA-256'", "EF537F25C895BFA782526529A9B63D97AA631564D5D789C2B765448C8635FB6C")
      .add("hashes.md5", "d41d8cd98f00b204e9800998ecf8427e")
      .add("path", "C:\\Users\\x")
      .add("magic_number_hex", std::string("\x4D\x5A", 2))
      .add("ctime", "2026-12-01T10:00:00Z");
  observation.add_object("file").add("name", "notes.txt").add("size", 10.0);
  return observation;
}

enum class Expect { kTrue, kFalse, kUnsupported, kParseError };

struct Case {
  const char* pattern;
  Expect expect;
};

std::ostream& operator<<(std::ostream& out, const Case& c) { return out << c.pattern; }

class PatternTruth : public ::testing::TestWithParam<Case> {};

TEST_P(PatternTruth, EvaluatesAsExpected) {
  const Case& c = GetParam();
  static const Observation observation = message_observation();
  const auto pattern = Pattern::parse(c.pattern);
  if (c.expect == Expect::kParseError) {
    EXPECT_FALSE(pattern.has_value()) << "parsed although invalid";
    return;
  }
  ASSERT_TRUE(pattern.has_value()) << pattern.error().text();
  const Evaluation evaluation = evaluate(*pattern, observation);
  switch (c.expect) {
    case Expect::kTrue: EXPECT_EQ(evaluation.truth, Truth::kTrue); break;
    case Expect::kFalse: EXPECT_EQ(evaluation.truth, Truth::kFalse); break;
    case Expect::kUnsupported:
      EXPECT_EQ(evaluation.truth, Truth::kUnsupported);
      EXPECT_FALSE(evaluation.unsupported.empty());
      break;
    case Expect::kParseError: break;
  }
}

constexpr Expect T = Expect::kTrue;
constexpr Expect F = Expect::kFalse;
constexpr Expect U = Expect::kUnsupported;
constexpr Expect E = Expect::kParseError;

const Case kCases[] = {
    // = and != on each mail object type
    {"[domain-name:value = 'evil.example']", T},
    {"[domain-name:value = 'good.example']", F},
    {"[domain-name:value == 'evil.example']", T},
    {"[domain-name:value != 'evil.example']", T},  // the other domain differs
    {"[url:value = 'http://evil.example/login.php?id=1']", T},
    {"[ipv4-addr:value = '198.51.100.7']", T},
    {"[ipv4-addr:value = '198.51.100.0/24']", T},  // an address object's value may be a network
    {"[ipv4-addr:value != '0.0.0.0/0']", F},
    {"[ipv6-addr:value = '2001:db8::1']", T},
    {"[email-addr:value = 'alice@evil.example']", T},
    {"[email-message:from_ref.value = 'alice@evil.example']", T},
    {"[email-message:sender_ref.value = 'alice@evil.example']", F},
    {"[email-message:sender_ref.value <> 'alice@evil.example']", T},
    {"[file:name = 'notes.txt']", T},
    {"[process:name = 'cmd.exe']", F},  // no such object in a message
    // escapes in string literals
    {"[email-addr:display_name = 'Alice O\\'Neil']", T},
    {"[file:path = 'C:\\\\Users\\\\x']", T},
    {"[file:path = 'C:\\Users']", E},  // only \\' and \\\\ are escapes
    // hashes: quoted keys, normalised names, case-insensitive values
    {"[file:hashes.'SHA-256' = 'ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c']", T},
    {"[file:hashes.SHA256 = 'EF537F25C895BFA782526529A9B63D97AA631564D5D789C2B765448C8635FB6C']", T},
    {"[file:hashes.sha256 = 'Ef537f25c895bfa782526529a9b63d97aa631564d5d789c2b765448c8635fb6c']", T},
    {"[file:hashes.MD5 = 'D41D8CD98F00B204E9800998ECF8427E']", T},
    {"[file:hashes.'SHA-1' = 'd41d8cd98f00b204e9800998ecf8427e']", F},
    {"[file:hashes.SHA-256 = 'x']", E},  // a hyphenated key must be quoted
    // ordering on numbers, strings and timestamps
    {"[file:size > 1000]", T},
    {"[file:size >= 1234]", T},
    {"[file:size < 10]", F},
    {"[file:size <= 10]", T},
    {"[file:size > 1000.5]", T},
    {"[file:size = 1234]", T},
    {"[file:size > -1]", T},
    {"[file:size > 'abc']", F},
    {"[file:name > 'a']", T},
    {"[file:ctime > t'2026-11-30T00:00:00Z']", T},
    {"[file:ctime = t'2026-12-01T10:00:00.000Z']", T},
    {"[file:ctime < t'2026-12-01T10:00:00Z']", F},
    {"[file:size > true]", E},  // booleans do not order
    // IN
    {"[domain-name:value IN ('a.example', 'evil.example')]", T},
    {"[domain-name:value IN ('a.example', 'b.example')]", F},
    {"[domain-name:value NOT IN ('a.example', 'b.example')]", T},
    {"[file:size IN (1, 2, 1234)]", T},
    {"[domain-name:value IN ()]", F},
    {"[domain-name:value IN ('a.example',)]", E},
    // LIKE
    {"[domain-name:value LIKE '%.example']", T},
    {"[domain-name:value LIKE 'evil.%']", T},
    {"[domain-name:value LIKE 'ev_l.example']", T},
    {"[domain-name:value LIKE 'ev_.example']", F},
    {"[domain-name:value LIKE '%partner%']", T},
    {"[domain-name:value NOT LIKE '%.example']", F},
    {"[url:value LIKE 'http://%/login.php%']", T},
    {"[email-addr:display_name LIKE 'Alice O_Neil']", T},
    // MATCHES (RE2, unanchored unless the pattern anchors)
    {"[email-message:subject MATCHES '^\\\\[IMPORTANT\\\\] Please Review Before']", T},
    {"[email-message:subject MATCHES 'Review']", T},
    {"[email-message:subject MATCHES '^Review']", F},
    {"[email-message:subject MATCHES 'Friday$']", T},
    {"[email-message:subject NOT MATCHES 'Friday$']", F},
    {"[email-message:body_multipart[*].body_raw_ref.name MATCHES '^Final Report.+\\\\.exe$']", T},
    {"[url:value MATCHES '(?i)LOGIN\\\\.PHP']", T},
    {"[email-message:subject MATCHES '(unclosed']", E},
    {"[email-message:subject MATCHES '(a)\\\\1']", E},  // backreferences: RE2 refuses
    // ISSUBSET / ISSUPERSET
    {"[ipv4-addr:value ISSUBSET '198.51.100.0/24']", T},
    {"[ipv4-addr:value ISSUBSET '203.0.113.0/24']", F},
    {"[ipv4-addr:value NOT ISSUBSET '198.51.100.0/24']", T},  // 10.1.2.3 is outside
    {"[ipv4-addr:value ISSUBSET '10.0.0.0/8']", T},
    {"[ipv4-addr:value ISSUPERSET '198.51.100.7/32']", T},
    {"[ipv4-addr:value ISSUPERSET '198.51.100.0/24']", F},
    {"[ipv6-addr:value ISSUBSET '2001:db8::/32']", T},
    {"[ipv6-addr:value ISSUBSET '2001:db9::/32']", F},
    {"[ipv4-addr:value ISSUBSET '198.51.100.1/24']", E},  // host bits set: a typo
    {"[ipv4-addr:value ISSUBSET 'not-an-ip']", E},
    // EXISTS
    {"[file:size EXISTS]", E},
    {"[EXISTS file:size]", T},
    {"[NOT EXISTS file:mime_type]", T},
    {"[NOT EXISTS file:size]", F},  // both files have one
    // hex and binary literals
    {"[file:magic_number_hex = h'4d5a']", T},
    {"[file:magic_number_hex = b'TVo=']", T},
    {"[file:magic_number_hex = h'4d5']", E},
    {"[file:magic_number_hex = b'TVo']", E},
    // lists
    {"[email-message:body_multipart[*].body_raw_ref.name = 'invoice.pdf']", T},
    {"[email-message:body_multipart[0].body_raw_ref.name = 'invoice.pdf']", T},
    {"[email-message:body_multipart[1].body_raw_ref.name = 'invoice.pdf']", F},
    {"[email-message:body_multipart[-1].body_raw_ref.name = 'Final Report 2026.exe']", T},
    {"[email-message:body_multipart[7].body_raw_ref.name = 'invoice.pdf']", F},
    {"[email-message:body_multipart[*].body_raw_ref.name NOT = 'invoice.pdf']", F},  // one is
    {"[email-message:body_multipart[*].body_raw_ref.name != 'invoice.pdf']", T},     // one is not
    {"[email-message:body_multipart[0].body_raw_ref.name[*] = 'x']", U},
    // AND / OR inside one comparison expression: the same object
    {"[file:name = 'notes.txt' AND file:size = 10]", T},
    {"[file:name = 'notes.txt' AND file:size = 1234]", F},  // two different files
    {"[file:name = 'notes.txt' OR file:size = 1234]", T},
    {"[domain-name:value = 'nope' OR url:value LIKE '%evil%']", T},
    {"[domain-name:value = 'evil.example' AND url:value LIKE '%evil%']", F},  // one object, two types
    {"[(file:name = 'notes.txt' OR file:name = 'x') AND file:size < 100]", T},
    {"[file:name = 'x' OR file:name = 'notes.txt' AND file:size = 1234]", F},  // AND binds tighter
    // AND / OR between observation expressions: the whole message
    {"[domain-name:value = 'evil.example'] AND [file:size = 10]", T},
    {"[domain-name:value = 'evil.example'] AND [file:size = 11]", F},
    {"[domain-name:value = 'nope'] OR [file:size = 10]", T},
    {"([domain-name:value = 'nope'] OR [file:size = 10]) AND [ipv6-addr:value = '2001:db8::1']", T},
    {"[domain-name:value = 'x'] OR [domain-name:value = 'y'] AND [file:size = 10]", F},
    // whitespace and comments
    {" /* c */ [ domain-name:value\t=\n'evil.example' ] // trailing", T},
    {"[domain-name:value\xC2\xA0=\xE3\x80\x80'evil.example']", T},
    // single-message evaluation cannot decide these
    {"[domain-name:value = 'evil.example'] FOLLOWEDBY [file:size = 10]", U},
    {"[domain-name:value = 'evil.example'] WITHIN 300 SECONDS", U},
    {"[domain-name:value = 'evil.example'] WITHIN 2.5 SECONDS", U},
    {"[domain-name:value = 'evil.example'] REPEATS 5 TIMES", U},
    {"[domain-name:value = 'evil.example'] START t'2026-01-01T00:00:00Z' STOP t'2027-01-01T00:00:00Z'", U},
    {"([a:b = 1] REPEATS 2 TIMES WITHIN 10 SECONDS) OR [domain-name:value = 'evil.example']", U},
    // grammar errors
    {"", E},
    {"domain-name:value = 'x'", E},
    {"[domain-name:value = 'x'", E},
    {"[domain-name:value = 'x']]", E},
    {"[domain-name:value 'x']", E},
    {"[domain-name: = 'x']", E},
    {"[domain-name:value = 'x] ", E},
    {"[domain-name:value = 'x'] AND", E},
    {"[domain-name:value = 'x'] WITHIN -5 SECONDS", E},
    {"[domain-name:value = 'x'] REPEATS 1.5 TIMES", E},
    {"[domain-name:value = 'x'] START t'2026-13-01T00:00:00Z' STOP t'2027-01-01T00:00:00Z'", E},
    {"[file:size = 01]", E},
    {"[a:b = 1] REPEATS 99999999999999999999999 TIMES", E},
    {"[file:size < 99999999999999999999999999999999999999999]", T},
    {"[domain-name:value = 'x' ^ 1]", E},
    {"[domain-name:value = 'x'] /* open", E},
    {"[domain-name:value LIKE 5]", E},
};

INSTANTIATE_TEST_SUITE_P(Table, PatternTruth, ::testing::ValuesIn(kCases));

TEST(StixPattern, ParseErrorsSayWhereAndWhat) {
  const auto missing = Pattern::parse("[domain-name:value = 'x' OR");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().offset, 27u);
  EXPECT_EQ(missing.error().text(), "at 27: expected an object type (\"domain-name\") or '(', found end of pattern");

  const auto operator_missing = Pattern::parse("[file:name 'x']");
  ASSERT_FALSE(operator_missing.has_value());
  EXPECT_EQ(operator_missing.error().offset, 11u);
  EXPECT_NE(operator_missing.error().message.find("comparison operator"), std::string::npos);

  const auto regex = Pattern::parse("[file:name MATCHES '(x']");
  ASSERT_FALSE(regex.has_value());
  EXPECT_EQ(regex.error().offset, 19u);
  EXPECT_NE(regex.error().message.find("RE2 cannot compile"), std::string::npos);

  const auto escape = Pattern::parse("[file:name MATCHES '\\d+']");
  ASSERT_FALSE(escape.has_value());
  EXPECT_EQ(escape.error().offset, 20u);
  EXPECT_NE(escape.error().message.find("backslash"), std::string::npos);
}

TEST(StixPattern, LimitsAreErrorsNotCrashes) {
  const std::string deep = std::string(100000, '(') + "[a:b = 1]" + std::string(100000, ')');
  PatternLimits generous;
  generous.max_pattern_bytes = 1 << 20;
  const auto too_deep = Pattern::parse(deep, generous);
  ASSERT_FALSE(too_deep.has_value());
  EXPECT_NE(too_deep.error().message.find("nesting deeper than 64"), std::string::npos);

  const std::string deep_inside = "[" + std::string(100000, '(') + "a:b = 1" + std::string(100000, ')') + "]";
  EXPECT_FALSE(Pattern::parse(deep_inside, generous).has_value());

  const std::string just_deep_enough = std::string(63, '(') + "[a:b = 1]" + std::string(63, ')');
  EXPECT_TRUE(Pattern::parse(just_deep_enough).has_value());

  const std::string long_text = "[a:b = '" + std::string(70000, 'x') + "']";
  const auto too_long = Pattern::parse(long_text);
  ASSERT_FALSE(too_long.has_value());
  EXPECT_NE(too_long.error().message.find("longer than 65536 bytes"), std::string::npos);

  PatternLimits small;
  small.max_set_size = 3;
  small.max_comparisons = 2;
  EXPECT_TRUE(Pattern::parse("[a:b IN (1, 2, 3)]", small).has_value());
  const auto big_set = Pattern::parse("[a:b IN (1, 2, 3, 4)]", small);
  ASSERT_FALSE(big_set.has_value());
  EXPECT_NE(big_set.error().message.find("set larger than 3"), std::string::npos);
  const auto many = Pattern::parse("[a:b = 1 OR a:b = 2 OR a:b = 3]", small);
  ASSERT_FALSE(many.has_value());
  EXPECT_NE(many.error().message.find("more than 2 comparisons"), std::string::npos);

  small.max_regexes = 1;
  EXPECT_TRUE(Pattern::parse("[a:b MATCHES 'x' OR a:c = 'y']", small).has_value());
  const auto regexes = Pattern::parse("[a:b MATCHES 'x' OR a:c MATCHES 'y']", small);
  ASSERT_FALSE(regexes.has_value());
  EXPECT_NE(regexes.error().message.find("more than 1 MATCHES"), std::string::npos);
  small.max_regex_memory = 64 * 1024;
  EXPECT_FALSE(Pattern::parse("[a:b MATCHES '((a{1,100}){1,100}){1,100}']", small).has_value());
}

TEST(StixPattern, UnsupportedNamesTheConstruct) {
  const auto pattern = Pattern::parse("[a:b = 1] FOLLOWEDBY [a:b = 2]");
  ASSERT_TRUE(pattern.has_value());
  EXPECT_EQ(evaluate(*pattern, Observation{}).unsupported, "FOLLOWEDBY");
  const auto within = Pattern::parse("([a:b = 1] AND [a:b = 2]) WITHIN 5 SECONDS");
  ASSERT_TRUE(within.has_value());
  EXPECT_EQ(evaluate(*within, Observation{}).unsupported, "WITHIN");
  ASSERT_EQ(within->root().qualifiers.size(), 1u);
  EXPECT_EQ(within->root().qualifiers[0].seconds, 5.0);
}

TEST(StixPattern, AstKeepsLiteralsAndPaths) {
  const auto pattern = Pattern::parse(
      "[email-message:body_multipart[*].body_raw_ref.hashes.'sha-256' = 'AB' AND "
      "file:x IN (true, -2, +3, -.5, t'2026-01-01T00:00:00Z', h'00ff', b'AAE=')]");
  ASSERT_TRUE(pattern.has_value()) << pattern.error().text();
  ASSERT_EQ(pattern->tests().size(), 2u);
  EXPECT_EQ(pattern->tests()[0].path.text(), "email-message:body_multipart[*].body_raw_ref.hashes.SHA-256");
  const std::vector<Literal>& values = pattern->tests()[1].values;
  ASSERT_EQ(values.size(), 7u);
  EXPECT_EQ(values[0].kind, LiteralKind::kBool);
  EXPECT_EQ(values[1].number, -2);
  EXPECT_EQ(values[2].number, 3);
  EXPECT_EQ(values[3].number, -0.5);
  EXPECT_EQ(values[4].text, "2026-01-01T00:00:00Z");
  EXPECT_EQ(values[5].text, std::string("\x00\xff", 2));
  EXPECT_EQ(values[6].text, std::string("\x00\x01", 2));
  EXPECT_EQ(pattern->object_types(), (std::vector<std::string>{"email-message", "file"}));
}

TEST(StixPattern, ObservationPropertiesAreNormalised) {
  EXPECT_EQ(normalize_property("hashes.'SHA256'"), "hashes.SHA-256");
  EXPECT_EQ(normalize_property("hashes.sha1"), "hashes.SHA-1");
  EXPECT_EQ(normalize_property("body_multipart[3].body_raw_ref.name"), "body_multipart[*].body_raw_ref.name");
  EXPECT_EQ(normalize_property("extensions.'windows-pebinary-ext'.imphash"), "extensions.windows-pebinary-ext.imphash");
  Observation observation;
  observation.add_object("file").add("hashes.SHA1", "AA");
  const auto pattern = Pattern::parse("[file:hashes.'SHA-1' = 'aa']");
  ASSERT_TRUE(pattern.has_value());
  EXPECT_EQ(evaluate(*pattern, observation).truth, Truth::kTrue);
}

std::vector<std::string> values_of(std::string_view text) {
  const auto pattern = Pattern::parse(text);
  EXPECT_TRUE(pattern.has_value()) << text;
  if (!pattern) return {};
  const EqualityValues extracted = extract_equality_values(*pattern);
  std::vector<std::string> out;
  for (const IndicatorValue& value : extracted.values) {
    out.push_back(std::string(observable_type_name(value.type)) + "=" + value.value);
  }
  EXPECT_EQ(extracted.complete, !out.empty()) << text;
  return out;
}

TEST(StixPattern, EqualityExtraction) {
  using V = std::vector<std::string>;
  EXPECT_EQ(values_of("[domain-name:value = 'evil.example'] OR [url:value = 'http://x/y']"),
            (V{"domain=evil.example", "url=http://x/y"}));
  EXPECT_EQ(values_of("[domain-name:value = 'a.example' OR ipv4-addr:value = '223.166.0.0/15']"),
            (V{"domain=a.example", "ipv4=223.166.0.0/15"}));
  EXPECT_EQ(values_of("[ipv6-addr:value ISSUBSET '2001:db8::/32']"), (V{"ipv6=2001:db8::/32"}));
  EXPECT_EQ(values_of("[email-addr:value IN ('a@x.example', 'b@x.example')]"),
            (V{"email-address=a@x.example", "email-address=b@x.example"}));
  EXPECT_EQ(values_of("[email-message:from_ref.value = 'a@x.example'] OR [email-message:subject = 'Hi']"),
            (V{"email-address=a@x.example", "email-subject=Hi"}));
  EXPECT_EQ(values_of("[file:hashes.'SHA-256' = 'ABCD'] OR [file:hashes.MD5 = 'EF'] OR [file:name = 'a.exe']"),
            (V{"sha256=abcd", "md5=ef", "file-name=a.exe"}));
  EXPECT_EQ(values_of("[email-message:body_multipart[*].body_raw_ref.name = 'x.lnk']"), (V{"file-name=x.lnk"}));
  EXPECT_EQ(values_of("([domain-name:value = 'a.example'] OR ([url:value = 'http://b/']))"),
            (V{"domain=a.example", "url=http://b/"}));
  // Not only equalities on indexable paths: the pattern is evaluated instead.
  EXPECT_TRUE(values_of("[domain-name:value = 'a.example'] AND [url:value = 'http://b/']").empty());
  EXPECT_TRUE(values_of("[domain-name:value = 'a.example' AND domain-name:value != 'b']").empty());
  EXPECT_TRUE(values_of("[domain-name:value LIKE '%.example']").empty());
  EXPECT_TRUE(values_of("[domain-name:value NOT = 'a.example']").empty());
  EXPECT_TRUE(values_of("[domain-name:value = 'a.example'] OR [process:name = 'x']").empty());
  EXPECT_TRUE(values_of("[email-message:body_multipart[0].body_raw_ref.name = 'x.lnk']").empty());
  EXPECT_TRUE(values_of("[file:hashes.'SSDEEP' = 'x']").empty());
  EXPECT_TRUE(values_of("[file:size = 3]").empty());
  EXPECT_TRUE(values_of("[domain-name:value = 'a.example'] REPEATS 2 TIMES").empty());
}

TEST(StixPattern, Rfc3339) {
  EXPECT_EQ(parse_rfc3339("1970-01-01T00:00:00Z")->seconds, 0);
  EXPECT_EQ(parse_rfc3339("2016-04-06T20:03:48.000Z")->seconds, 1459973028);
  EXPECT_EQ(parse_rfc3339("2016-04-06T22:03:48+02:00")->seconds, 1459973028);
  EXPECT_EQ(parse_rfc3339("2016-04-06T20:03:48.25Z")->nanoseconds, 250000000);
  EXPECT_FALSE(parse_rfc3339("2016-02-30T00:00:00Z"));
  EXPECT_FALSE(parse_rfc3339("2016-04-06T20:03:48"));
  EXPECT_FALSE(parse_rfc3339("2016-04-06"));
  EXPECT_FALSE(parse_rfc3339("2016-04-06T20:03:48Zjunk"));
}

// Throughput, printed for the report; run with --gtest_also_run_disabled_tests.
TEST(StixPattern, DISABLED_Throughput) {
  const Observation observation = message_observation();
  const char* patterns[] = {
      "[domain-name:value = 'evil.example'] OR [url:value = 'http://x/y']",
      "[email-message:from_ref.value LIKE '%@evil.example' AND email-message:subject MATCHES '(?i)invoice']",
      "[ipv4-addr:value ISSUBSET '198.51.100.0/24'] AND [file:hashes.'SHA-256' = 'aa']",
  };
  constexpr int kRounds = 20000;
  const auto start = std::chrono::steady_clock::now();
  for (int i = 0; i < kRounds; ++i) {
    for (const char* text : patterns) ASSERT_TRUE(Pattern::parse(text).has_value());
  }
  const auto parsed = std::chrono::steady_clock::now();
  std::vector<Pattern> compiled;
  for (const char* text : patterns) compiled.push_back(*Pattern::parse(text));
  const auto eval_start = std::chrono::steady_clock::now();
  int hits = 0;
  for (int i = 0; i < kRounds; ++i) {
    for (const Pattern& pattern : compiled) hits += evaluate(pattern, observation).truth == Truth::kTrue;
  }
  const auto done = std::chrono::steady_clock::now();
  const double parse_s = std::chrono::duration<double>(parsed - start).count();
  const double eval_s = std::chrono::duration<double>(done - eval_start).count();
  std::printf("parse: %.0f patterns/s, evaluate: %.0f patterns/s (%d hits)\n", 3 * kRounds / parse_s,
              3 * kRounds / eval_s, hits);
}

}  // namespace
}  // namespace vigie::intel::stix
