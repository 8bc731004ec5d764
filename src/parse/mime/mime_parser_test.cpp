// MIME structure: part tree, boundaries and their tricks, encapsulated messages, limits, lazy
// decoding. Each message is tested with LF and with CRLF line endings.
#include <gtest/gtest.h>

#include <algorithm>

#include "vigie/message.h"

namespace vigie {
namespace {

std::string crlf(std::string_view lf) {
  std::string out;
  for (char c : lf) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

class MimeParserTest : public ::testing::TestWithParam<bool> {
 protected:
  std::unique_ptr<ParsedMessage> parse(std::string_view text, Limits limits = {}) {
    auto m = ParsedMessage::parse(std::make_shared<const std::string>(GetParam() ? crlf(text) : std::string(text)),
                                  limits);
    m->decode_all();
    return m;
  }
  static bool has(const ParsedMessage& m, AnomalyKind kind) {
    const auto a = m.anomalies();
    return std::any_of(a.begin(), a.end(), [&](const Anomaly& x) { return x.kind == kind; });
  }
  static std::string type(const Part& p) { return p.media_type + "/" + p.media_subtype; }
};

INSTANTIATE_TEST_SUITE_P(LineEndings, MimeParserTest, ::testing::Values(false, true),
                         [](const ::testing::TestParamInfo<bool>& param_info) { return param_info.param ? "CRLF" : "LF"; });

TEST_P(MimeParserTest, SinglePartDefaultsToTextPlain) {
  auto m = parse("Subject: hi\n\nhello\n");
  ASSERT_EQ(m->parts().size(), 1u);
  EXPECT_EQ(type(m->root()), "text/plain");
  EXPECT_FALSE(m->root().content_type_declared);
  EXPECT_EQ(m->text(0).substr(0, 5), "hello");
  EXPECT_EQ(m->subject(), "hi");
  EXPECT_TRUE(m->anomalies().empty());
}

TEST_P(MimeParserTest, MultipartWithPreambleAndEpilogue) {
  auto m = parse(
      "Content-Type: multipart/mixed; boundary=\"b1\"\n\n"
      "preamble text\n--b1\nContent-Type: text/plain\n\none\n--b1\n"
      "Content-Type: text/html\n\n<p>two</p>\n--b1--\nepilogue\n");
  ASSERT_EQ(m->parts().size(), 3u);
  EXPECT_EQ(m->root().children, (std::vector<PartId>{1, 2}));
  EXPECT_EQ(m->decoded(1), "one");  // the line break before a delimiter belongs to it
  EXPECT_EQ(type(m->part(2)), "text/html");
  ASSERT_NE(m->html(2), nullptr);
  EXPECT_EQ(m->html(2)->visible_text, "two");
  EXPECT_FALSE(has(*m, AnomalyKind::kMissingCloseBoundary));
}

TEST_P(MimeParserTest, NestedMultipartsAndLeaves) {
  auto m = parse(
      "Content-Type: multipart/mixed; boundary=outer\n\n"
      "--outer\nContent-Type: multipart/alternative; boundary=inner\n\n"
      "--inner\nContent-Type: text/plain\n\nplain\n--inner\nContent-Type: text/html\n\n<b>html</b>\n--inner--\n"
      "--outer\nContent-Type: application/pdf; name=a.pdf\nContent-Transfer-Encoding: base64\n\nJVBERi0=\n"
      "--outer--\n");
  ASSERT_EQ(m->parts().size(), 5u);
  EXPECT_EQ(m->leaves(), (std::vector<PartId>{2, 3, 4}));
  EXPECT_EQ(m->part(2).depth, 2u);
  EXPECT_EQ(m->part(4).filename, "a.pdf");
  EXPECT_TRUE(m->part(4).is_attachment());
  EXPECT_EQ(m->decoded(4), "%PDF-");
  EXPECT_EQ(m->hashes(4).md5, "561318f0d57972e7c62fe701849032af");
  EXPECT_EQ(m->hashes(4).sha256, "38523c087796e5d5dd1cf9bad1fb026781a838dd9dd2cf8af58b9f6502a46778");
}

TEST_P(MimeParserTest, MissingCloseDelimiterEndsAtOuterBoundary) {
  auto m = parse(
      "Content-Type: multipart/mixed; boundary=outer\n\n"
      "--outer\nContent-Type: multipart/alternative; boundary=inner\n\n"
      "--inner\nContent-Type: text/plain\n\nplain\n"
      "--outer\nContent-Type: text/plain\n\nafter\n--outer--\n");
  ASSERT_EQ(m->parts().size(), 4u);
  EXPECT_EQ(m->part(1).children, (std::vector<PartId>{2}));
  EXPECT_EQ(m->decoded(2), "plain");
  EXPECT_EQ(m->decoded(3), "after");
  EXPECT_TRUE(has(*m, AnomalyKind::kMissingCloseBoundary));
}

TEST_P(MimeParserTest, BoundaryWithTrailingJunkIsNotADelimiterButIsRecorded) {
  auto m = parse(
      "Content-Type: multipart/mixed; boundary=b\n\n"
      "--b\n\nfirst\n--bX\nContent-Type: text/html\n\nhidden\n--b--\n");
  ASSERT_EQ(m->leaves().size(), 1u);
  EXPECT_NE(m->decoded(1).find("hidden"), std::string_view::npos);
  EXPECT_TRUE(has(*m, AnomalyKind::kBoundaryWhitespace));
}

TEST_P(MimeParserTest, DelimiterMayCarryTrailingWhitespace) {
  auto m = parse("Content-Type: multipart/mixed; boundary=b\n\n--b  \n\nx\n--b-- \t\n");
  EXPECT_EQ(m->leaves().size(), 1u);
  EXPECT_EQ(m->decoded(1), "x");
  EXPECT_FALSE(has(*m, AnomalyKind::kMissingCloseBoundary));
}

TEST_P(MimeParserTest, BoundaryOnlyMatchesAtLineStart) {
  auto m = parse("Content-Type: multipart/mixed; boundary=b\n\n--b\n\nsee --b here\n--b--\n");
  EXPECT_EQ(m->decoded(1), "see --b here");
}

TEST_P(MimeParserTest, NestedBoundaryThatExtendsTheOuterOneIsFlagged) {
  auto m = parse(
      "Content-Type: multipart/mixed; boundary=abc\n\n"
      "--abc\nContent-Type: multipart/related; boundary=abcd\n\n--abcd\n\nx\n--abcd--\n--abc--\n");
  EXPECT_TRUE(has(*m, AnomalyKind::kNestedBoundaryPrefix));
  EXPECT_EQ(m->leaves().size(), 1u);
}

TEST_P(MimeParserTest, MultipartWithoutBoundaryHasNoChildren) {
  auto m = parse("Content-Type: multipart/mixed\n\nbody\n");
  EXPECT_TRUE(m->root().children.empty());
  EXPECT_TRUE(has(*m, AnomalyKind::kMissingBoundary));
  EXPECT_TRUE(m->leaves().empty());
}

TEST_P(MimeParserTest, BoundaryNeverFound) {
  auto m = parse("Content-Type: multipart/mixed; boundary=zz\n\nno parts here\n");
  EXPECT_TRUE(has(*m, AnomalyKind::kBoundaryNotFound));
}

TEST_P(MimeParserTest, NulInTextIsAnAnomalyInEveryCharset) {
  for (const char* charset : {"utf-8", "us-ascii", "iso-8859-1", "koi8-r"}) {
    auto m = parse(std::string("Content-Type: text/plain; charset=") + charset + "\n\nhello\n" +
                   std::string("wor\0ld\n", 7));
    m->text(0);
    EXPECT_TRUE(has(*m, AnomalyKind::kNulByte)) << charset;
    auto clean = parse(std::string("Content-Type: text/plain; charset=") + charset + "\n\nhello world\n");
    clean->text(0);
    EXPECT_FALSE(has(*clean, AnomalyKind::kNulByte)) << charset;
  }
}

TEST_P(MimeParserTest, EncapsulatedMessageIsParsed) {
  auto m = parse(
      "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nsee attached\n"
      "--b\nContent-Type: message/rfc822\n\nFrom: inner@example.org\nSubject: inner\n"
      "Content-Type: text/html\n\n<p>inner body</p>\n--b--\n");
  ASSERT_EQ(m->parts().size(), 4u);
  const Part& wrapper = m->part(2);
  EXPECT_TRUE(wrapper.is_encapsulated_message());
  EXPECT_FALSE(wrapper.is_leaf());
  const Part& inner = m->part(3);
  EXPECT_EQ(inner.parent, 2u);
  EXPECT_EQ(type(inner), "text/html");
  ASSERT_NE(inner.header("Subject"), nullptr);
  EXPECT_EQ(m->html(3)->visible_text, "inner body");
}

TEST_P(MimeParserTest, Base64EncodedMessageRfc822IsDecodedThenParsed) {
  // "Subject: x\n\nbody\n" in base64: forbidden by RFC 2046 §5.2.1, done by real mailers.
  auto m = parse(
      "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: message/rfc822\n"
      "Content-Transfer-Encoding: base64\n\nU3ViamVjdDogeAoKYm9keQo=\n--b--\n");
  ASSERT_EQ(m->parts().size(), 3u);
  EXPECT_EQ(m->part(2).source, 1u);
  EXPECT_EQ(m->part(2).header("Subject")->value, " x");
  EXPECT_EQ(m->decoded(2), "body\n");
}

TEST_P(MimeParserTest, DigestDefaultsToMessageRfc822) {
  auto m = parse(
      "Content-Type: multipart/digest; boundary=d\n\n--d\n\nSubject: one\n\nfirst\n--d--\n");
  EXPECT_EQ(type(m->part(1)), "message/rfc822");
  EXPECT_EQ(m->parts().size(), 3u);
}

TEST_P(MimeParserTest, DepthLimitStopsDescent) {
  std::string msg;
  const int levels = 10;
  for (int i = 0; i < levels; ++i) {
    msg += "Content-Type: multipart/mixed; boundary=l" + std::to_string(i) + "\n\n--l" + std::to_string(i) + "\n";
  }
  msg += "\nleaf\n";
  Limits limits;
  limits.max_mime_depth = 4;
  auto m = parse(msg, limits);
  EXPECT_TRUE(has(*m, AnomalyKind::kDepthLimit));
  EXPECT_EQ(m->parts().size(), 5u);
}

TEST_P(MimeParserTest, PartLimitIsRecorded) {
  std::string msg = "Content-Type: multipart/mixed; boundary=b\n\n";
  for (int i = 0; i < 50; ++i) msg += "--b\n\npart\n";
  msg += "--b--\n";
  Limits limits;
  limits.max_parts = 10;
  auto m = parse(msg, limits);
  EXPECT_EQ(m->parts().size(), 10u);
  EXPECT_TRUE(has(*m, AnomalyKind::kPartLimit));
}

TEST_P(MimeParserTest, MessageSizeLimitCutsAndRecords) {
  Limits limits;
  limits.max_message_bytes = 64;
  auto m = parse("Subject: s\n\n" + std::string(200, 'a') + "\n", limits);
  EXPECT_TRUE(has(*m, AnomalyKind::kMessageTooLarge));
  EXPECT_LE(m->raw().size(), 64u);
}

TEST_P(MimeParserTest, DecodedSizeLimitTruncates) {
  Limits limits;
  limits.max_part_decoded_bytes = 10;
  auto m = parse("Content-Transfer-Encoding: base64\n\n" + std::string(400, 'Q') + "\n", limits);
  EXPECT_EQ(m->decoded(0).size(), 10u);
  EXPECT_TRUE(has(*m, AnomalyKind::kDecodedSizeLimit));
}

TEST_P(MimeParserTest, DuplicateFromAndContentTypeAreRecorded) {
  auto m = parse(
      "From: a@example.org\nFrom: b@example.org\nContent-Type: text/plain\nContent-Type: text/html\n\nx\n");
  EXPECT_TRUE(has(*m, AnomalyKind::kDuplicateHeader));
  EXPECT_TRUE(has(*m, AnomalyKind::kDuplicateContentType));
  EXPECT_EQ(type(m->root()), "text/plain");  // the first wins, as in GMime and Thunderbird
  EXPECT_EQ(m->addresses("From").mailboxes.size(), 2u);
}

TEST_P(MimeParserTest, FilenameFromContentTypeNameAndConflict) {
  auto m = parse(
      "Content-Type: multipart/mixed; boundary=b\n\n--b\n"
      "Content-Type: application/octet-stream; name=\"invoice.pdf\"\n"
      "Content-Disposition: attachment; filename=\"invoice.pdf.exe\"\n\nMZ\n--b\n"
      "Content-Type: application/octet-stream; name=\"only-name.zip\"\n\nPK\n--b\n"
      "Content-Type: application/msword\nContent-Disposition: attachment; name=\"swapped.doc\"\n\nD\n--b--\n");
  EXPECT_EQ(m->part(1).filename, "invoice.pdf.exe");
  EXPECT_EQ(m->part(2).filename, "only-name.zip");
  EXPECT_EQ(m->part(3).filename, "swapped.doc");
  EXPECT_TRUE(has(*m, AnomalyKind::kFilenameConflict));
}

TEST_P(MimeParserTest, InvalidContentTypeFallsBackToTextPlain) {
  auto m = parse("Content-Type: garbage\n\nx\n");
  EXPECT_EQ(type(m->root()), "text/plain");
  EXPECT_TRUE(has(*m, AnomalyKind::kInvalidContentType));
}

TEST_P(MimeParserTest, UnknownTransferEncodingIsIdentity) {
  auto m = parse("Content-Transfer-Encoding: x-rot13\n\nabc\n");
  EXPECT_EQ(m->root().transfer_encoding, TransferEncoding::kUnknown);
  EXPECT_EQ(m->decoded(0), GetParam() ? "abc\r\n" : "abc\n");
  EXPECT_TRUE(has(*m, AnomalyKind::kUnknownTransferEncoding));
}

TEST_P(MimeParserTest, QuotedPrintableLatin1TextIsConvertedToUtf8) {
  auto m = parse(
      "Content-Type: text/plain; charset=ISO-8859-1\nContent-Transfer-Encoding: quoted-printable\n\n"
      "caf=E9 =\nlatte\n");
  EXPECT_EQ(m->root().charset, "iso-8859-1");
  EXPECT_EQ(m->text(0).substr(0, 11), "caf\xC3\xA9 latte");
}

// Big5 for 網址 ("web address"); read as GB18030 it is other characters.
constexpr std::string_view kBig5Text = "\xBA\xF4\xA7\x7D";

TEST_P(MimeParserTest, HtmlWithoutMimeCharsetIsReadInItsMetaCharset) {
  auto m = parse("Content-Type: text/html\nContent-Transfer-Encoding: quoted-printable\n\n"
                 "<html><head><meta http-equiv=3D\"Content-Type\" content=3D\"text/html; charset=3Dbig5\">\n"
                 "</head><body>=BA=F4=A7}</body></html>\n");
  EXPECT_NE(m->text(0).find("網址"), std::string_view::npos);
  EXPECT_EQ(m->html(0)->visible_text, "網址");
  // Declared, so not "undeclared 8-bit".
  EXPECT_FALSE(has(*m, AnomalyKind::kUndeclared8bit));
}

TEST_P(MimeParserTest, MimeCharsetWinsOverMetaCharset) {
  auto m = parse(std::string("Content-Type: text/html; charset=windows-1252\n\n<meta charset=big5>") +
                 std::string(kBig5Text) + "\n");
  EXPECT_EQ(m->text(0).find("網址"), std::string_view::npos);
  EXPECT_NE(m->text(0).find("\xC2\xBA"), std::string_view::npos);  // º: 0xBA in windows-1252
  // A meta charset nobody knows is reported like an unknown MIME charset.
  m = parse(std::string("Content-Type: text/html\n\n<meta charset=x-no-such-thing>") + std::string(kBig5Text) + "\n");
  EXPECT_TRUE(has(*m, AnomalyKind::kUnknownCharset));
}

TEST_P(MimeParserTest, HeaderWithoutSeparatorStartsBodyAtFirstNonField) {
  auto m = parse("Subject: s\nthis is body text\nmore\n");
  EXPECT_EQ(m->root().headers.size(), 1u);
  EXPECT_EQ(m->decoded(0).substr(0, 17), "this is body text");
  EXPECT_TRUE(has(*m, AnomalyKind::kNoHeaderBody));
}

TEST_P(MimeParserTest, UrlsFromPlainAndHtmlParts) {
  auto m = parse(
      "Content-Type: multipart/alternative; boundary=b\n\n--b\nContent-Type: text/plain\n\n"
      "visit www.example.org/a today\n--b\nContent-Type: text/html\n\n"
      "<a href=\"https://login.example.net/x\">click</a>\n--b--\n");
  const auto urls = m->urls();
  ASSERT_EQ(urls.size(), 2u);
  EXPECT_EQ(urls[0].host_ascii(), "www.example.org");
  EXPECT_EQ(urls[0].part, 1u);
  EXPECT_EQ(urls[1].host_ascii(), "login.example.net");
  EXPECT_EQ(urls[1].source, UrlSource::kHref);
  EXPECT_EQ(urls[1].anchor_text, "click");
}

TEST_P(MimeParserTest, UuencodedFileInTextIsFound) {
  auto m = parse(
      "Subject: uu\n\nhere it is\nbegin 644 cat.txt\n#0V%T\n`\nend\nbye\n");
  const auto files = m->embedded_files();
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].filename, "cat.txt");
  EXPECT_EQ(files[0].size, 3u);
  EXPECT_TRUE(has(*m, AnomalyKind::kUuencodeInText));
}

TEST_P(MimeParserTest, ReceivedChainAndHeaderConveniences) {
  auto m = parse(
      "Received: from a.example.org (a.example.org [192.0.2.1])\n\tby mx.example.net with ESMTP id X1;"
      " Tue, 1 Jul 2003 10:52:37 +0200\nReceived: from b by a.example.org; Tue, 1 Jul 2003 10:50:00 +0200\n"
      "Message-ID: <abc@example.org>\nDate: Tue, 1 Jul 2003 10:52:37 +0200\n\nx\n");
  const auto hops = m->received_chain();
  ASSERT_EQ(hops.size(), 2u);
  EXPECT_EQ(hops[0].from_ip, "192.0.2.1");
  EXPECT_EQ(m->message_id(), "abc@example.org");
  ASSERT_TRUE(m->date().has_value());
  EXPECT_EQ(m->date()->unix_seconds, 1057049557);
}

TEST_P(MimeParserTest, EmptyInputIsOneEmptyPart) {
  auto m = parse("");
  EXPECT_EQ(m->parts().size(), 1u);
  EXPECT_EQ(m->decoded(0), "");
  ASSERT_EQ(m->anomalies().size(), 1u);
  EXPECT_EQ(m->anomalies()[0].kind, AnomalyKind::kNoHeader);
}

TEST_P(MimeParserTest, OnlyTheMessageNeedsAHeader) {
  // A body part without fields is ordinary (text/plain by default); the message is not.
  auto m = parse("From: a@example.org\nContent-Type: multipart/mixed; boundary=b\n\n--b\n\nplain\n--b--\n");
  EXPECT_TRUE(m->anomalies().empty());
  auto body_alone = parse("just some words\n");
  const auto& anomalies = body_alone->anomalies();
  EXPECT_TRUE(std::any_of(anomalies.begin(), anomalies.end(),
                          [](const Anomaly& a) { return a.kind == AnomalyKind::kNoHeader; }));
}

}  // namespace
}  // namespace vigie
