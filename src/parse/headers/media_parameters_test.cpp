// Tests of parse_media_parameters (RFC 2045 §5.1, RFC 2231) and of unfold (RFC 5322 §2.2.3).
#include <string>

#include <gtest/gtest.h>

#include "parse/headers/header_grammar.h"

namespace vigie::parse {
namespace {

std::string param(const MediaParameters& p, std::string_view name) {
  const std::string* v = p.find(name);
  return v ? *v : std::string("<absent>");
}

TEST(MediaParametersTest, UnfoldRemovesLineBreaksKeepsWhitespace) {
  EXPECT_EQ(unfold("a\r\n b"), "a b");
  EXPECT_EQ(unfold("  x\r\n\ty  "), "x\ty");
  EXPECT_EQ(unfold("a\n b\r\n\r\n c"), "a b c");
  EXPECT_EQ(unfold("a\nb"), "ab");  // damaged folding: no line break survives
  EXPECT_EQ(unfold(""), "");
  EXPECT_EQ(unfold("\r\n \t "), "");
}

TEST(MediaParametersTest, SimpleContentType) {
  const MediaParameters p = parse_media_parameters("text/plain; charset=us-ascii");
  EXPECT_EQ(p.value, "text/plain");
  ASSERT_EQ(p.parameters.size(), 1u);
  EXPECT_EQ(p.parameters[0].name, "charset");
  EXPECT_EQ(p.parameters[0].value, "us-ascii");
  EXPECT_FALSE(p.malformed);
}

TEST(MediaParametersTest, NamesAreLowercasedValuesKeepCase) {
  const MediaParameters p = parse_media_parameters("Text/HTML; CharSet=\"UTF-8\"; Format=Flowed");
  EXPECT_EQ(p.value, "text/html");
  ASSERT_EQ(p.parameters.size(), 2u);
  EXPECT_EQ(p.parameters[0].name, "charset");
  EXPECT_EQ(p.parameters[0].value, "UTF-8");
  EXPECT_EQ(p.parameters[1].name, "format");
  EXPECT_EQ(p.parameters[1].value, "Flowed");
  EXPECT_EQ(param(p, "CHARSET"), "UTF-8");
  EXPECT_EQ(p.find("boundary"), nullptr);
  EXPECT_FALSE(p.malformed);
}

TEST(MediaParametersTest, QuotedStringWithEscapesAndSpecials) {
  const MediaParameters p =
      parse_media_parameters(R"(attachment; filename="a \"b\"; c=d.pdf"; size=12)");
  EXPECT_EQ(p.value, "attachment");
  EXPECT_EQ(param(p, "filename"), "a \"b\"; c=d.pdf");
  EXPECT_EQ(param(p, "size"), "12");
  EXPECT_FALSE(p.malformed);
}

TEST(MediaParametersTest, EqualsInsideValues) {
  const MediaParameters q = parse_media_parameters("multipart/mixed; boundary=\"----=_Part_1=2\"");
  EXPECT_EQ(param(q, "boundary"), "----=_Part_1=2");
  EXPECT_FALSE(q.malformed);
  const MediaParameters u =
      parse_media_parameters("multipart/alternative; boundary=----=_NextPart_000_0012_01D9");
  EXPECT_EQ(param(u, "boundary"), "----=_NextPart_000_0012_01D9");
  EXPECT_FALSE(u.malformed);
}

TEST(MediaParametersTest, Rfc2231CharsetAndLanguage) {
  // RFC 2231 §4 example, and the £ example of the brief in ISO-8859-1.
  const MediaParameters p = parse_media_parameters(
      "application/x-stuff; title*=us-ascii'en-us'This%20is%20%2A%2A%2Afun%2A%2A%2A");
  EXPECT_EQ(param(p, "title"), "This is ***fun***");
  EXPECT_FALSE(p.malformed);
  const MediaParameters l = parse_media_parameters("attachment; title*=iso-8859-1'en'%A3rates");
  EXPECT_EQ(param(l, "title"), "\xC2\xA3rates");
  const MediaParameters u =
      parse_media_parameters("attachment; filename*=UTF-8''%E2%82%AC%20rates.txt");
  EXPECT_EQ(param(u, "filename"), "\xE2\x82\xAC rates.txt");
}

TEST(MediaParametersTest, Rfc2231ContinuationsExample) {
  // RFC 2231 §3 example.
  const MediaParameters p = parse_media_parameters(
      "message/external-body; access-type=URL;\r\n URL*0=\"ftp://\";\r\n"
      " URL*1=\"cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar\"");
  EXPECT_EQ(p.value, "message/external-body");
  EXPECT_EQ(param(p, "access-type"), "URL");
  EXPECT_EQ(param(p, "url"), "ftp://cs.utk.edu/pub/moore/bulk-mailer/bulk-mailer.tar");
  EXPECT_EQ(p.parameters.size(), 2u);
  EXPECT_FALSE(p.malformed);
}

TEST(MediaParametersTest, Rfc2231MixedEncodedAndPlainSegments) {
  // RFC 2231 §4.1 example.
  const MediaParameters p = parse_media_parameters(
      "application/x-stuff;\r\n title*0*=us-ascii'en'This%20is%20even%20more%20;\r\n"
      " title*1*=%2A%2A%2Afun%2A%2A%2A%20;\r\n title*2=\"isn't it!\"");
  EXPECT_EQ(param(p, "title"), "This is even more ***fun*** isn't it!");
  EXPECT_FALSE(p.malformed);
}

TEST(MediaParametersTest, Rfc2231MultibyteSplitAcrossSections) {
  const MediaParameters p =
      parse_media_parameters("attachment; filename*0*=utf-8''%E2%82; filename*1*=%AC.txt");
  EXPECT_EQ(param(p, "filename"), "\xE2\x82\xAC.txt");
}

TEST(MediaParametersTest, OutOfOrderSectionsAreSorted) {
  const MediaParameters p =
      parse_media_parameters("attachment; name*1=\"b\"; name*2=\"c\"; name*0=\"a\"");
  EXPECT_EQ(param(p, "name"), "abc");
  EXPECT_FALSE(p.malformed);
}

TEST(MediaParametersTest, MissingSectionStopsJoin) {
  const MediaParameters p = parse_media_parameters("attachment; name*0=\"a\"; name*2=\"c\"");
  EXPECT_EQ(param(p, "name"), "a");
  EXPECT_TRUE(p.malformed);
  const MediaParameters no_zero = parse_media_parameters("attachment; name*1=\"b\"");
  EXPECT_EQ(no_zero.find("name"), nullptr);
  EXPECT_TRUE(no_zero.malformed);
}

TEST(MediaParametersTest, DuplicatedParameterFirstWins) {
  const MediaParameters p =
      parse_media_parameters("text/plain; charset=utf-8; charset=iso-8859-1");
  ASSERT_EQ(p.parameters.size(), 1u);
  EXPECT_EQ(param(p, "charset"), "utf-8");
  EXPECT_TRUE(p.malformed);
  const MediaParameters s = parse_media_parameters("a; n*0=x; n*0=y; n*1=z");
  EXPECT_EQ(param(s, "n"), "xz");
  EXPECT_TRUE(s.malformed);
}

TEST(MediaParametersTest, ExtendedValueWinsOverPlainFallback) {
  const MediaParameters same = parse_media_parameters(
      "attachment; filename=\"report.pdf\"; filename*=utf-8''report.pdf");
  EXPECT_EQ(param(same, "filename"), "report.pdf");
  EXPECT_FALSE(same.malformed);
  const MediaParameters differ = parse_media_parameters(
      "attachment; filename=\"invoice.pdf\"; filename*=utf-8''invoice.pdf.exe");
  ASSERT_EQ(differ.parameters.size(), 1u);
  EXPECT_EQ(param(differ, "filename"), "invoice.pdf.exe");
  EXPECT_TRUE(differ.malformed);
}

TEST(MediaParametersTest, MissingSemicolons) {
  const MediaParameters p = parse_media_parameters("text/plain charset=utf-8 format=flowed");
  EXPECT_EQ(p.value, "text/plain");
  EXPECT_EQ(param(p, "charset"), "utf-8");
  EXPECT_EQ(param(p, "format"), "flowed");
  EXPECT_TRUE(p.malformed);
  const MediaParameters q = parse_media_parameters("attachment; filename=\"a.pdf\" size=3");
  EXPECT_EQ(param(q, "filename"), "a.pdf");
  EXPECT_EQ(param(q, "size"), "3");
  EXPECT_TRUE(q.malformed);
}

TEST(MediaParametersTest, OutlookUnquotedValueWithSpaces) {
  const MediaParameters p =
      parse_media_parameters("attachment; filename=My Report (final) 2023.pdf; size=1234");
  EXPECT_EQ(param(p, "filename"), "My Report (final) 2023.pdf");
  EXPECT_EQ(param(p, "size"), "1234");
  EXPECT_TRUE(p.malformed);
}

TEST(MediaParametersTest, TrailingAndEmptySemicolonsTolerated) {
  const MediaParameters p = parse_media_parameters("text/plain; charset=utf-8;");
  ASSERT_EQ(p.parameters.size(), 1u);
  EXPECT_EQ(param(p, "charset"), "utf-8");
  EXPECT_FALSE(p.malformed);
  const MediaParameters q = parse_media_parameters("text/plain;; ;charset=utf-8 ; ");
  EXPECT_EQ(param(q, "charset"), "utf-8");
  EXPECT_FALSE(q.malformed);
}

TEST(MediaParametersTest, CommentsAreCfws) {
  const MediaParameters p =
      parse_media_parameters("text/plain (Plain text); charset=us-ascii (Plain text)");
  EXPECT_EQ(p.value, "text/plain");
  EXPECT_EQ(param(p, "charset"), "us-ascii");
  EXPECT_FALSE(p.malformed);
  const MediaParameters spaced = parse_media_parameters("text / html ; charset = \"x\"");
  EXPECT_EQ(spaced.value, "text/html");
  EXPECT_EQ(param(spaced, "charset"), "x");
}

TEST(MediaParametersTest, Rfc2047InsideQuotedValueIsDecoded) {
  const MediaParameters p =
      parse_media_parameters("attachment; filename=\"=?utf-8?B?w6l0w6kucGRm?=\"");
  EXPECT_EQ(param(p, "filename"), "\xC3\xA9t\xC3\xA9.pdf");
  // Outlook splits long encoded names over plain RFC 2231 sections.
  const MediaParameters split = parse_media_parameters(
      "attachment; filename*0=\"=?utf-8?B?w6l0w6ku\"; filename*1=\"cGRm?=\"");
  EXPECT_EQ(param(split, "filename"), "\xC3\xA9t\xC3\xA9.pdf");
}

TEST(MediaParametersTest, RawUtf8ValueKept) {
  const MediaParameters p =
      parse_media_parameters("attachment; filename=\"r\xC3\xA9sum\xC3\xA9.pdf\"");
  EXPECT_EQ(param(p, "filename"), "r\xC3\xA9sum\xC3\xA9.pdf");
}

TEST(MediaParametersTest, BrokenPercentEncodingKeptLiterally) {
  const MediaParameters p = parse_media_parameters("attachment; filename*=utf-8''100%; x=%4");
  EXPECT_EQ(param(p, "filename"), "100%");
  EXPECT_EQ(param(p, "x"), "%4");
  EXPECT_TRUE(p.malformed);
  const MediaParameters no_charset = parse_media_parameters("attachment; filename*=a%20b");
  EXPECT_EQ(param(no_charset, "filename"), "a b");
  EXPECT_TRUE(no_charset.malformed);
}

TEST(MediaParametersTest, UnterminatedQuoteAndComment) {
  const MediaParameters p = parse_media_parameters("attachment; filename=\"abc; size=3");
  EXPECT_EQ(param(p, "filename"), "abc; size=3");
  EXPECT_TRUE(p.malformed);
  const MediaParameters c = parse_media_parameters("text/plain (unterminated; charset=x");
  EXPECT_EQ(c.value, "text/plain");
  EXPECT_TRUE(c.parameters.empty());
  EXPECT_TRUE(c.malformed);
}

TEST(MediaParametersTest, GarbageWithoutEqualsSkipped) {
  const MediaParameters p = parse_media_parameters("text/plain; junk; \"x\"; charset=utf-8");
  ASSERT_EQ(p.parameters.size(), 1u);
  EXPECT_EQ(param(p, "charset"), "utf-8");
  EXPECT_TRUE(p.malformed);
}

TEST(MediaParametersTest, EmptyInput) {
  const MediaParameters p = parse_media_parameters("");
  EXPECT_EQ(p.value, "");
  EXPECT_TRUE(p.parameters.empty());
  EXPECT_FALSE(p.malformed);
}

TEST(MediaParametersTest, ParameterCountIsCapped) {
  std::string v = "text/plain";
  for (int k = 0; k < 500; ++k) v += "; p" + std::to_string(k) + "=v";
  const MediaParameters p = parse_media_parameters(v);
  EXPECT_EQ(p.parameters.size(), 100u);
  EXPECT_TRUE(p.malformed);
}

TEST(MediaParametersTest, HostileInputsStayBounded) {
  const MediaParameters a = parse_media_parameters(std::string(200000, '('));
  EXPECT_TRUE(a.malformed);
  const MediaParameters b = parse_media_parameters("x; a=" + std::string(200000, ' ') + "b");
  EXPECT_EQ(param(b, "a"), "b");
  std::string spaces = "x; a=";
  for (int k = 0; k < 50000; ++k) spaces += "w (c) ";
  const MediaParameters c = parse_media_parameters(spaces);
  ASSERT_EQ(c.parameters.size(), 1u);
  const MediaParameters d = parse_media_parameters("x; n*999999999=a; n*0=b");
  EXPECT_EQ(param(d, "n"), "b");
  EXPECT_TRUE(d.malformed);
}

}  // namespace
}  // namespace vigie::parse
