// parse_anomalies: each security-relevant anomaly class produces its finding; benign mail none.
#include <gtest/gtest.h>

#include <algorithm>

#include "analyzers/analyzer_harness.h"

namespace vigie {
namespace {

std::vector<std::string> finding_ids(std::string_view message) {
  static const analyzers::AnalyzerHarness harness("parse_anomalies");
  std::vector<std::string> ids;
  for (const Finding& f : harness.analyze(std::string(message))) ids.push_back(f.id);
  return ids;
}

bool contains(const std::vector<std::string>& v, std::string_view id) {
  return std::find(v.begin(), v.end(), id) != v.end();
}

TEST(ParseAnomaliesTest, CleanMessageHasNoFindings) {
  EXPECT_TRUE(finding_ids("From: a@example.org\nTo: b@example.org\nSubject: hi\n\nhello\n").empty());
}

TEST(ParseAnomaliesTest, AnEmptyMessageIsMalformed) {
  EXPECT_TRUE(contains(finding_ids(""), "MALFORMED_STRUCTURE"));
}

TEST(ParseAnomaliesTest, MultipleFrom) {
  const auto ids = finding_ids("From: a@example.org\nFrom: ceo@example.gouv.fr\n\nx\n");
  EXPECT_TRUE(contains(ids, "MULTIPLE_FROM"));
  EXPECT_FALSE(contains(ids, "DUPLICATE_IDENTITY_HEADER"));
}

TEST(ParseAnomaliesTest, DuplicateSubject) {
  EXPECT_TRUE(contains(finding_ids("Subject: a\nSubject: b\n\nx\n"), "DUPLICATE_IDENTITY_HEADER"));
}

TEST(ParseAnomaliesTest, EncodedWordForgingAnAddress) {
  // Display name decodes to "ceo@ministry.example <ceo@ministry.example>".
  const auto ids = finding_ids(
      "From: =?utf-8?B?Y2VvQG1pbmlzdHJ5LmV4YW1wbGUgPGNlb0BtaW5pc3RyeS5leGFtcGxlPg==?= "
      "<attacker@evil.example>\n\nx\n");
  EXPECT_TRUE(contains(ids, "ENCODED_WORD_ADDRESS_TRICK"));
}

TEST(ParseAnomaliesTest, BoundaryTrick) {
  const auto ids = finding_ids(
      "Content-Type: multipart/mixed; boundary=abc\n\n--abc\n"
      "Content-Type: multipart/alternative; boundary=abcd\n\n--abcd\n\nx\n--abcd--\n--abc--\n");
  EXPECT_TRUE(contains(ids, "BOUNDARY_TRICK"));
}

TEST(ParseAnomaliesTest, LimitExceeded) {
  Config config;
  config.limits.max_parts = 2;
  const std::vector<Finding> findings = analyzers::AnalyzerHarness("parse_anomalies", config).analyze(
      "Content-Type: multipart/mixed; boundary=b\n\n--b\n\n1\n--b\n\n2\n--b\n\n3\n--b--\n");
  ASSERT_FALSE(findings.empty());
  EXPECT_EQ(findings[0].id, "PARSE_LIMIT_EXCEEDED");
  EXPECT_NE(findings[0].evidence[0].value.find("part_limit"), std::string::npos);
}

TEST(ParseAnomaliesTest, UuencodedFileInText) {
  EXPECT_TRUE(contains(finding_ids("Subject: x\n\nbegin 644 a.exe\n#0V%T\n`\nend\n"),
                       "UUENCODED_FILE_IN_TEXT"));
}

TEST(ParseAnomaliesTest, ConflictingFilenames) {
  EXPECT_TRUE(contains(
      finding_ids("Content-Type: multipart/mixed; boundary=b\n\n--b\n"
                  "Content-Type: application/pdf; name=a.pdf\n"
                  "Content-Disposition: attachment; filename=a.exe\n\nx\n--b--\n"),
      "CONFLICTING_CONTENT_HEADERS"));
}

}  // namespace
}  // namespace vigie
