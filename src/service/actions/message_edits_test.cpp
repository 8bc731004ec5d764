// The message edits of the mail-flow actions: forged fields removed, vigie's fields added, the
// banner of a warn in the right parts, in their charset and transfer encoding, every other byte
// kept, and every rewritten message read back by the project's parser without a new anomaly.
#include "service/actions/message_edits.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <set>

#include "parse/encoding/transfer_encoding.h"
#include "service/actions/banner.h"

namespace vigie::service {
namespace {

const LocalizedText kBanner{
    "Warning: this message is suspicious. Do not click its links, open its attachments or reply "
    "before checking with the sender by another means.",
    "Attention : ce message est suspect. Ne cliquez pas sur ses liens, n'ouvrez pas ses pièces "
    "jointes et n'y répondez pas avant d'avoir vérifié auprès de l'expéditeur par un autre moyen."};

std::string crlf(std::string_view lf) {
  std::string out;
  for (const char c : lf) {
    if (c == '\n') out += '\r';
    out += c;
  }
  return out;
}

std::unique_ptr<ParsedMessage> parse(const std::string& raw) {
  auto message = ParsedMessage::parse(std::make_shared<const std::string>(raw), Limits{});
  message->decode_all();
  return message;
}

Verdict verdict(Action action) {
  Verdict v;
  v.action = action;
  v.score = 8.25;
  v.reasons = {"LINK_TEXT_MISMATCH", "FIRST_CONTACT", "SPF_FAIL"};
  if (action != Action::kAccept) v.banner = kBanner;
  return v;
}

AuthResults ran_auth() {
  AuthResults auth;
  auth.spf.result = AuthResultCode::kPass;
  auth.spf.domain = "example.org";
  auth.spf.identity = "mailfrom";
  auth.authentication_results = "mx.example.gouv.fr; spf=pass smtp.mailfrom=example.org";
  return auth;
}

ActionSettings settings(std::vector<std::string> languages = {"en"}) {
  ActionSettings s;
  s.authserv_id = "mx.example.gouv.fr";
  s.banner_languages = std::move(languages);
  return s;
}

struct Rewritten {
  MessageEdits edits;
  std::string output;
  std::unique_ptr<ParsedMessage> before;
  std::unique_ptr<ParsedMessage> after;
};

std::set<AnomalyKind> kinds(const ParsedMessage& m) {
  std::set<AnomalyKind> out;
  for (const Anomaly& a : m.anomalies()) out.insert(a.kind);
  return out;
}

// Plans and applies the edits, re-parses the result and checks that it has the same parts and no
// anomaly the original did not have.
Rewritten rewrite(const std::string& raw, const Verdict& v, const ActionSettings& s = settings(),
                  const AuthResults& auth = ran_auth()) {
  Rewritten r;
  r.before = parse(raw);
  r.edits = plan_message_edits(*r.before, auth, v, "0123456789abcdef", s);
  r.output = apply_message_edits(raw, r.edits);
  r.after = parse(r.output);
  EXPECT_EQ(r.after->parts().size(), r.before->parts().size()) << r.output;
  const std::set<AnomalyKind> known = kinds(*r.before);
  for (const Anomaly& a : r.after->anomalies()) {
    EXPECT_TRUE(known.count(a.kind)) << "new anomaly " << anomaly_name(a.kind) << " in\n" << r.output;
  }
  // No line over 998 octets, no bare CR or LF in a CRLF message.
  std::size_t start = 0;
  while (start < r.output.size()) {
    std::size_t end = r.output.find('\n', start);
    if (end == std::string::npos) end = r.output.size();
    EXPECT_LE(end - start, 999u);
    start = end + 1;
  }
  return r;
}

std::vector<std::string> values(const ParsedMessage& m, std::string_view name) {
  std::vector<std::string> out;
  for (const HeaderField& f : m.root().headers) {
    if (f.name.size() == name.size() && std::equal(f.name.begin(), f.name.end(), name.begin(), [](char a, char b) {
          return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
        })) {
      out.push_back(m.header_text(f));
    }
  }
  return out;
}

bool contains(std::string_view haystack, std::string_view needle) { return haystack.find(needle) != std::string_view::npos; }

const char* const kEnglishStart = "Warning: this message is suspicious.";
const char* const kFrenchStart = "Attention : ce message est suspect.";
const char* const kFrenchAccents = "pièces jointes et n'y répondez pas avant d'avoir vérifié";

// The banner text as a reader sees it: the part's text with line breaks as spaces.
std::string flat_text(const ParsedMessage& m, PartId id) {
  std::string out;
  const std::string_view text = m.html(id) != nullptr ? std::string_view(m.html(id)->visible_text) : m.text(id);
  bool space = false;
  for (const char c : text) {
    if (c == '\r' || c == '\n' || c == ' ' || c == '\t') {
      space = true;
      continue;
    }
    if (space && !out.empty()) out += ' ';
    space = false;
    out += c;
  }
  return out;
}

PartId find_part(const ParsedMessage& m, std::string_view type, std::size_t nth = 0) {
  for (const Part& p : m.parts()) {
    if (p.media_type + "/" + p.media_subtype == type && nth-- == 0) return p.id;
  }
  ADD_FAILURE() << "no " << type;
  return 0;
}

// ---- headers -------------------------------------------------------------------------------------

TEST(MessageEditsTest, RemovesForgedVigieFieldsAndOurAuthenticationResultsKeepsForeignOnes) {
  const std::string raw = crlf(
      "X-Vigie-Score: -100\n"
      "Authentication-Results: mx.example.gouv.fr; spf=pass smtp.mailfrom=bank.example\n"
      "Received: from x by y\n"
      "x-vigie-action: accept\n"
      "Authentication-Results: (forged) \"MX.Example.Gouv.FR\" 1;\n dkim=pass header.d=bank.example\n"
      "Authentication-Results: mx.partner.example; dmarc=pass header.from=partner.example\n"
      "Authentication-Results: mx.example.gouv.fr.evil.example; spf=pass\n"
      "X-VIGIE-Score: 0.0\n"
      "X-Vigie-Id: forged\n"
      "From: a@example.org\n"
      "Subject: hello\n"
      "\n"
      "body\n");
  const Rewritten r = rewrite(raw, verdict(Action::kAccept));
  // Removals come first, each name from its last occurrence down.
  std::vector<std::pair<std::string, std::size_t>> removals;
  for (const HeaderEdit& e : r.edits.headers) {
    if (e.kind == HeaderEdit::Kind::kRemove) removals.emplace_back(e.name, e.occurrence);
  }
  const std::vector<std::pair<std::string, std::size_t>> expected = {
      {"X-Vigie-Id", 1}, {"X-VIGIE-Score", 2}, {"Authentication-Results", 2}, {"x-vigie-action", 1},
      {"Authentication-Results", 1}, {"X-Vigie-Score", 1}};
  EXPECT_EQ(removals, expected);
  ASSERT_EQ(r.edits.headers.front().kind, HeaderEdit::Kind::kRemove);

  const ParsedMessage& m = *r.after;
  EXPECT_EQ(values(m, "X-Vigie-Score"), std::vector<std::string>{"8.2"});  // %.1f of 8.25 (binary 8.25 rounds to even)
  EXPECT_EQ(values(m, "X-Vigie-Action"), std::vector<std::string>{"accept"});
  EXPECT_EQ(values(m, "X-Vigie-Id"), std::vector<std::string>{"0123456789abcdef"});
  const std::vector<std::string> results = values(m, "Authentication-Results");
  ASSERT_EQ(results.size(), 3u);
  EXPECT_EQ(results[0], "mx.example.gouv.fr; spf=pass smtp.mailfrom=example.org");  // ours, on top
  EXPECT_TRUE(contains(results[1], "mx.partner.example")) << results[1];
  EXPECT_TRUE(contains(results[2], "mx.example.gouv.fr.evil.example")) << results[2];
  EXPECT_EQ(m.root().headers.front().name, "Authentication-Results");
  EXPECT_FALSE(r.edits.body);
  EXPECT_TRUE(r.output.ends_with("\r\n\r\nbody\r\n"));
}

TEST(MessageEditsTest, AddsVerdictFieldsFoldedAndAsciiAndNoResultsWhenAuthenticationDidNotRun) {
  Verdict v = verdict(Action::kTag);
  v.complete = false;
  v.score = -0.04;
  v.reasons = {"A_VERY_LONG_FINDING_IDENTIFIER_NUMBER_ONE", "A_VERY_LONG_FINDING_IDENTIFIER_NUMBER_TWO",
               "THIRD", "FOURTH", "FIFTH", "SIXTH"};
  AuthResults not_run;
  not_run.authentication_results = "mx.example.gouv.fr; none";
  const Rewritten r = rewrite(crlf("From: a@example.org\n\nbody\n"), v, settings(), not_run);
  const ParsedMessage& m = *r.after;
  EXPECT_TRUE(values(m, "Authentication-Results").empty());
  EXPECT_EQ(values(m, "X-Vigie-Action"), std::vector<std::string>{"tag"});
  EXPECT_EQ(values(m, "X-Vigie-Score"), std::vector<std::string>{"0.0"});
  EXPECT_EQ(values(m, "X-Vigie-Incomplete"), std::vector<std::string>{"yes"});
  EXPECT_EQ(values(m, "X-Vigie-Findings"),
            std::vector<std::string>{"A_VERY_LONG_FINDING_IDENTIFIER_NUMBER_ONE, "
                                     "A_VERY_LONG_FINDING_IDENTIFIER_NUMBER_TWO, THIRD, FOURTH, FIFTH"});
  // Folded: no header line longer than 78 columns.
  const std::string_view header = std::string_view(r.output).substr(0, r.output.find("\r\n\r\n"));
  std::size_t start = 0;
  while (start < header.size()) {
    const std::size_t end = std::min(header.find("\r\n", start), header.size());
    EXPECT_LE(end - start, 78u) << header.substr(start, end - start);
    start = end + 2;
  }
  // A tag gets headers only.
  EXPECT_FALSE(r.edits.body);
  EXPECT_TRUE(r.edits.banner_skipped.empty());
  // The stage not run at all: no summary, no field.
  const Rewritten none = rewrite(crlf("From: a@example.org\n\nbody\n"), v, settings(), AuthResults{});
  EXPECT_TRUE(values(*none.after, "Authentication-Results").empty());
}

TEST(MessageEditsTest, MessageDerivedTextCannotInjectAField) {
  Verdict v = verdict(Action::kWarn);
  v.reasons = {"EVIL\r\nBcc: victim@example.org", "OK_ID"};
  v.banner.en = "Warning:\r\nBcc: someone@example.org\r\n\r\n<script>alert(1)</script> \xe2\x80\xae reversed";
  AuthResults auth = ran_auth();
  auth.spf.domain = "evil.example\r\nBcc: x@example.org";
  auth.authentication_results = "x; spf=pass";
  const std::string raw = crlf("From: a@example.org\nContent-Type: text/html\n\n<html><body>hi</body></html>\n");
  Rewritten r;
  r.before = parse(raw);
  r.edits = plan_message_edits(*r.before, auth, v, "01234567\r\nBcc: x", settings());
  for (const HeaderEdit& e : r.edits.headers) {
    for (std::size_t i = 0; i < e.value.size(); ++i) {
      const auto c = static_cast<unsigned char>(e.value[i]);
      if (c == '\r') {
        ASSERT_LT(i + 2, e.value.size());
        EXPECT_EQ(e.value[i + 1], '\n');
        EXPECT_EQ(e.value[i + 2], ' ') << e.name << ":" << e.value;
      } else if (c != '\n') {
        EXPECT_TRUE(c >= 0x20 && c < 0x7f) << e.name;
      }
    }
  }
  r.output = apply_message_edits(raw, r.edits);
  r.after = parse(r.output);
  EXPECT_TRUE(values(*r.after, "Bcc").empty()) << r.output;
  EXPECT_EQ(values(*r.after, "X-Vigie-Id"), std::vector<std::string>{"01234567Bccx"});
  EXPECT_EQ(values(*r.after, "X-Vigie-Findings"), std::vector<std::string>{"EVILBccvictimexample.org, OK_ID"});
  EXPECT_FALSE(contains(r.output, "<script>")) << r.output;
  EXPECT_TRUE(contains(r.output, "&lt;script&gt;")) << r.output;
  EXPECT_FALSE(contains(r.output, "\xe2\x80\xae"));
}

TEST(MessageEditsTest, ApplyKeepsTheMessagesOwnLineEnds) {
  const std::string raw = "From: a@example.org\nX-Vigie-Score: 1\nSubject: s\n\nline one\nline two\n";
  const Rewritten r = rewrite(raw, verdict(Action::kWarn));
  EXPECT_EQ(r.output.find('\r'), std::string::npos) << r.output;
  EXPECT_TRUE(r.edits.body);
  EXPECT_TRUE(contains(*r.edits.body, "\r\n"));
  EXPECT_TRUE(r.output.ends_with("\n\nline one\nline two\n")) << r.output;
  EXPECT_TRUE(values(*r.after, "X-Vigie-Score") == std::vector<std::string>{"8.2"});
}

// ---- banner, single part ---------------------------------------------------------------------------

TEST(MessageEditsTest, WarnPrependsTheBannerToA7bitUsAsciiTextPart) {
  const std::string raw = crlf(
      "From: a@example.org\nMIME-Version: 1.0\nContent-Type: text/plain; charset=us-ascii; format=flowed\n\n"
      "Please pay the invoice.\n");
  const Rewritten en = rewrite(raw, verdict(Action::kWarn));
  EXPECT_TRUE(en.edits.banner_skipped.empty()) << en.edits.banner_skipped;
  EXPECT_EQ(en.edits.banner_parts, 1u);
  // English is ASCII: the part keeps its charset and encoding.
  for (const HeaderEdit& e : en.edits.headers) EXPECT_NE(e.kind, HeaderEdit::Kind::kChange) << e.name;
  const std::string text = flat_text(*en.after, 0);
  EXPECT_TRUE(text.starts_with(kEnglishStart)) << text;
  EXPECT_TRUE(contains(text, "____ Please pay the invoice.")) << text;
  EXPECT_TRUE(contains(en.output, "another means.\r\n______"));

  // French is not: the part becomes UTF-8, quoted-printable, the other parameters kept.
  const Rewritten fr = rewrite(raw, verdict(Action::kWarn), settings({"fr", "en"}));
  EXPECT_EQ(fr.after->root().charset, "utf-8");
  EXPECT_EQ(fr.after->root().transfer_encoding, TransferEncoding::kQuotedPrintable);
  EXPECT_EQ(values(*fr.after, "Content-Type"), std::vector<std::string>{"text/plain; charset=utf-8; format=flowed"});
  const std::string both = flat_text(*fr.after, 0);
  EXPECT_TRUE(both.starts_with(kFrenchStart)) << both;
  EXPECT_TRUE(contains(both, kFrenchAccents)) << both;
  EXPECT_LT(both.find(kFrenchStart), both.find(kEnglishStart));
  EXPECT_TRUE(contains(both, "Please pay the invoice.")) << both;
}

TEST(MessageEditsTest, WarnOnAMessageWithoutMimeFieldsAddsThem) {
  const Rewritten r = rewrite(crlf("From: a@example.org\nSubject: s\n\nhello\n"), verdict(Action::kWarn),
                              settings({"fr"}));
  EXPECT_EQ(values(*r.after, "MIME-Version"), std::vector<std::string>{"1.0"});
  EXPECT_EQ(r.after->root().charset, "utf-8");
  EXPECT_TRUE(contains(flat_text(*r.after, 0), kFrenchAccents));
}

TEST(MessageEditsTest, WarnPrependsAnEncodedBannerToAQuotedPrintableUtf8Part) {
  const std::string raw = crlf(
      "From: a@example.org\nMIME-Version: 1.0\nContent-Type: text/plain; charset=UTF-8\n"
      "Content-Transfer-Encoding: quoted-printable\n\nBonjour, voici la facture =C3=A0 payer.=\n suite\n");
  const Rewritten r = rewrite(raw, verdict(Action::kWarn), settings({"fr", "en"}));
  EXPECT_TRUE(r.edits.headers.end() ==
              std::find_if(r.edits.headers.begin(), r.edits.headers.end(),
                           [](const HeaderEdit& e) { return e.kind == HeaderEdit::Kind::kChange; }));
  const std::string text = flat_text(*r.after, 0);
  EXPECT_TRUE(text.starts_with(kFrenchStart)) << text;
  EXPECT_TRUE(contains(text, kFrenchAccents)) << text;
  EXPECT_TRUE(contains(text, "Bonjour, voici la facture à payer. suite")) << text;
  // The original encoded bytes follow the banner unchanged.
  EXPECT_TRUE(r.output.ends_with("\r\n\r\nBonjour, voici la facture =C3=A0 payer.=\r\n suite\r\n")) << r.output;
}

TEST(MessageEditsTest, WarnInsertsAStyledBlockAfterTheBodyTagOfABase64Html) {
  const std::string html =
      "<html><head><title>&lt;body&gt;</title><script>var s = '<body>';</script></head>\r\n"
      "<!-- <body> -->\r\n<body class=\"main\" data-x='a>b'><p>Pay now</p></body></html>\r\n";
  const std::string raw = crlf("From: a@example.org\nMIME-Version: 1.0\nContent-Type: text/html; charset=utf-8\n"
                               "Content-Transfer-Encoding: base64\n\n") +
                          parse::encode_base64(html) + "\r\n";
  const Rewritten r = rewrite(raw, verdict(Action::kWarn), settings({"fr", "en"}));
  EXPECT_EQ(r.edits.banner_parts, 1u);
  const std::string decoded(r.after->decoded(0));
  const std::size_t body_tag = decoded.find("data-x='a>b'>");
  ASSERT_NE(body_tag, std::string::npos) << decoded;
  EXPECT_EQ(decoded.find("<div dir=", body_tag), body_tag + 13) << decoded;
  EXPECT_TRUE(contains(decoded, "pi&#232;ces")) << decoded;
  EXPECT_TRUE(contains(decoded, "<p>Pay now</p>"));
  const std::string visible = flat_text(*r.after, 0);
  EXPECT_TRUE(contains(visible, kFrenchAccents)) << visible;
  EXPECT_TRUE(contains(visible, kEnglishStart)) << visible;
  EXPECT_LT(visible.find(kEnglishStart), visible.find("Pay now"));
  // Re-encoded in lines of 76.
  const std::string_view body = std::string_view(r.output).substr(r.output.find("\r\n\r\n") + 4);
  EXPECT_EQ(body.find("\r\n"), 76u);
}

TEST(MessageEditsTest, WarnWritesTheBannerInTheLatin1OfALatin1Part) {
  const std::string raw = crlf("From: a@example.org\nMIME-Version: 1.0\nContent-Type: text/plain; charset=iso-8859-1\n"
                               "Content-Transfer-Encoding: 8bit\n\nVoici la facture \xe0 payer.\n");
  const Rewritten r = rewrite(raw, verdict(Action::kWarn), settings({"fr", "en"}));
  EXPECT_TRUE(r.edits.banner_skipped.empty()) << r.edits.banner_skipped;
  EXPECT_TRUE(contains(r.output, "pi\xe8" "ces jointes")) << "latin-1 bytes";
  EXPECT_FALSE(contains(r.output, "pi\xc3\xa8" "ces")) << "no UTF-8 in a latin-1 part";
  EXPECT_EQ(r.after->root().charset, "iso-8859-1");
  const std::string text = flat_text(*r.after, 0);
  EXPECT_TRUE(contains(text, kFrenchAccents)) << text;
  EXPECT_TRUE(contains(text, "Voici la facture à payer.")) << text;

  // A character latin-1 does not have: the part is rewritten in UTF-8, its text unchanged.
  Verdict euro = verdict(Action::kWarn);
  euro.banner.fr += " 100 €";
  const Rewritten utf8 = rewrite(raw, euro, settings({"fr"}));
  EXPECT_TRUE(utf8.edits.banner_skipped.empty()) << utf8.edits.banner_skipped;
  EXPECT_EQ(utf8.after->root().charset, "utf-8");
  EXPECT_EQ(utf8.after->root().transfer_encoding, TransferEncoding::kEightBit);
  const std::string converted = flat_text(*utf8.after, 0);
  EXPECT_TRUE(contains(converted, "100 € ____")) << converted;
  EXPECT_TRUE(contains(converted, "Voici la facture à payer.")) << converted;
}

TEST(MessageEditsTest, ATextInACharsetWithoutTheBannersLettersIsRewrittenInUtf8UnlessItsReadingIsAGuess) {
  // "Привет" in KOI8-R, 7bit by mistake: read as KOI8-R, written as UTF-8 quoted-printable.
  const Rewritten koi8 = rewrite(crlf("From: a@example.org\nMIME-Version: 1.0\n"
                                      "Content-Type: text/plain; charset=koi8-r\n\n\xf0\xd2\xc9\xd7\xc5\xd4\n"),
                                 verdict(Action::kWarn), settings({"fr"}));
  EXPECT_TRUE(koi8.edits.banner_skipped.empty()) << koi8.edits.banner_skipped;
  EXPECT_EQ(koi8.after->root().charset, "utf-8");
  EXPECT_EQ(koi8.after->root().transfer_encoding, TransferEncoding::kQuotedPrintable);
  const std::string text = flat_text(*koi8.after, 0);
  EXPECT_TRUE(text.starts_with(kFrenchStart)) << text;
  EXPECT_TRUE(text.ends_with("____ Привет")) << text;

  // 8-bit bytes under us-ascii that are not UTF-8: windows-1252, as clients read them.
  const Rewritten ascii = rewrite(crlf("From: a@example.org\nContent-Type: text/plain; charset=us-ascii\n\n"
                                       "caf\xe9\n"),
                                  verdict(Action::kWarn));
  EXPECT_EQ(ascii.after->root().charset, "utf-8");
  EXPECT_TRUE(flat_text(*ascii.after, 0).ends_with("____ café")) << flat_text(*ascii.after, 0);

  // An unknown charset, or 8-bit text without one: a guess, so no banner.
  const Rewritten unknown = rewrite(crlf("From: a@example.org\nContent-Type: text/plain; charset=x-klingon\n\n\xf0\xd2\n"),
                                    verdict(Action::kWarn), settings({"fr"}));
  EXPECT_FALSE(unknown.edits.body);
  EXPECT_TRUE(contains(unknown.edits.banner_skipped, "unsupported charset x-klingon")) << unknown.edits.banner_skipped;
  const Rewritten undeclared = rewrite(crlf("From: a@example.org\n\ncaf\xe9 cr\xe8me\n"), verdict(Action::kWarn));
  EXPECT_FALSE(undeclared.edits.body);
  EXPECT_TRUE(contains(undeclared.edits.banner_skipped, "8-bit text")) << undeclared.edits.banner_skipped;
}

// ---- banner, multipart -------------------------------------------------------------------------

const char* const kAttachment =
    "Content-Type: application/pdf; name=\"facture.pdf\"\n"
    "Content-Disposition: attachment; filename=\"facture.pdf\"\n"
    "Content-Transfer-Encoding: base64\n\n"
    "JVBERi0xLjQKJcfsj6IKNSAwIG9iago8PC9MZW5ndGggNiAwIFI+PgpzdHJlYW0K\n";

TEST(MessageEditsTest, WarnPutsTheBannerInBothAlternativesAndLeavesTheAttachmentAlone) {
  const std::string raw = crlf(std::string(
      "From: a@example.org\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"outer\"\n\n"
      "preamble\n--outer\nContent-Type: multipart/alternative; boundary=inner\n\n"
      "--inner\nContent-Type: text/plain; charset=us-ascii\n\nPlain body.\n"
      "--inner\nContent-Type: text/html; charset=us-ascii\nContent-Transfer-Encoding: 7bit\n\n"
      "<html><body><p>HTML body.</p></body></html>\n"
      "--inner--\n"
      "--outer\n") + kAttachment + "--outer--\nepilogue\n");
  const Rewritten r = rewrite(raw, verdict(Action::kWarn), settings({"fr", "en"}));
  EXPECT_EQ(r.edits.banner_parts, 2u);
  EXPECT_TRUE(r.edits.banner_skipped.empty()) << r.edits.banner_skipped;
  const PartId plain = find_part(*r.after, "text/plain");
  const PartId html = find_part(*r.after, "text/html");
  EXPECT_TRUE(flat_text(*r.after, plain).starts_with(kFrenchStart)) << flat_text(*r.after, plain);
  EXPECT_TRUE(contains(flat_text(*r.after, plain), "Plain body."));
  EXPECT_EQ(r.after->part(plain).charset, "utf-8");
  EXPECT_EQ(r.after->part(plain).transfer_encoding, TransferEncoding::kQuotedPrintable);
  EXPECT_TRUE(contains(flat_text(*r.after, html), kFrenchAccents)) << flat_text(*r.after, html);
  EXPECT_EQ(r.after->part(html).charset, "us-ascii");  // the HTML banner is ASCII
  const PartId pdf = find_part(*r.after, "application/pdf");
  EXPECT_EQ(r.after->part(pdf).header_block, r.before->part(pdf).header_block);
  EXPECT_EQ(r.after->part(pdf).body, r.before->part(pdf).body);
  EXPECT_TRUE(contains(r.output, "\r\n\r\npreamble\r\n--outer\r\n"));
  EXPECT_TRUE(r.output.ends_with("--outer--\r\nepilogue\r\n"));
}

TEST(MessageEditsTest, WarnOnMixedTakesTheFirstPartOnlyAndNestedRelatedItsStart) {
  const std::string mixed = crlf(std::string(
      "From: a@example.org\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=b\n\n"
      "--b\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: 8bit\n\nSee attached.\n"
      "--b\nContent-Type: text/plain; charset=utf-8\nContent-Disposition: attachment; filename=notes.txt\n\nnotes\n"
      "--b\n") + kAttachment + "--b--\n");
  const Rewritten m = rewrite(mixed, verdict(Action::kWarn), settings({"fr"}));
  EXPECT_EQ(m.edits.banner_parts, 1u);
  EXPECT_TRUE(flat_text(*m.after, 1).starts_with(kFrenchStart));
  EXPECT_EQ(m.after->part(1).transfer_encoding, TransferEncoding::kEightBit);
  EXPECT_EQ(m.after->part(2).body, "notes");
  EXPECT_EQ(m.after->part(3).body, m.before->part(3).body);

  const std::string nested = crlf(std::string(
      "From: a@example.org\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=m\n\n"
      "--m\nContent-Type: multipart/alternative; boundary=a\n\n"
      "--a\nContent-Type: text/plain\n\nplain\n"
      "--a\nContent-Type: multipart/related; boundary=r; type=\"text/html\"\n\n"
      "--r\nContent-Type: image/png\nContent-ID: <logo>\nContent-Transfer-Encoding: base64\n\niVBORw0KGgo=\n"
      "--r\nContent-Type: text/html; charset=windows-1252\nContent-ID: <root>\n"
      "Content-Transfer-Encoding: quoted-printable\n\n<html><body bgcolor=3D\"white\">caf=E9 <img src=3D\"cid:logo\"></body></html>\n"
      "--r--\n--a--\n--m\n") + kAttachment + "--m--\n");
  std::string with_start = nested;
  with_start.replace(with_start.find("type=\"text/html\""), 16, "type=\"text/html\"; start=\"<root>\"");
  const Rewritten n = rewrite(with_start, verdict(Action::kWarn), settings({"fr"}));
  EXPECT_EQ(n.edits.banner_parts, 2u) << n.edits.banner_skipped;
  const PartId html = find_part(*n.after, "text/html");
  const std::string visible = flat_text(*n.after, html);
  EXPECT_TRUE(visible.starts_with(kFrenchStart)) << visible;
  EXPECT_TRUE(contains(visible, "café")) << visible;
  const PartId png = find_part(*n.after, "image/png");
  EXPECT_EQ(n.after->part(png).body, n.before->part(png).body);
  EXPECT_TRUE(flat_text(*n.after, find_part(*n.after, "text/plain")).starts_with(kFrenchStart));
}

// ---- no banner -----------------------------------------------------------------------------------

TEST(MessageEditsTest, SignedEncryptedAndPgpMessagesGetHeadersOnlyWithTheReason) {
  const std::string signed_message = crlf(
      "From: a@example.org\nMIME-Version: 1.0\n"
      "Content-Type: multipart/signed; protocol=\"application/pkcs7-signature\"; micalg=sha-256; boundary=s\n\n"
      "--s\nContent-Type: text/plain\n\nSigned text.\n"
      "--s\nContent-Type: application/pkcs7-signature; name=smime.p7s\nContent-Transfer-Encoding: base64\n\nMIIB\n"
      "--s--\n");
  const Rewritten s = rewrite(signed_message, verdict(Action::kWarn));
  EXPECT_FALSE(s.edits.body);
  EXPECT_EQ(s.edits.banner_parts, 0u);
  EXPECT_TRUE(contains(s.edits.banner_skipped, "multipart/signed")) << s.edits.banner_skipped;
  EXPECT_EQ(values(*s.after, "X-Vigie-Action"), std::vector<std::string>{"warn"});
  EXPECT_TRUE(s.output.ends_with(signed_message.substr(signed_message.find("\r\n\r\n"))));

  const Rewritten p7 = rewrite(crlf("From: a@example.org\nMIME-Version: 1.0\n"
                                    "Content-Type: application/pkcs7-mime; smime-type=enveloped-data; name=smime.p7m\n"
                                    "Content-Transfer-Encoding: base64\n\nMIIB\n"),
                               verdict(Action::kWarn));
  EXPECT_FALSE(p7.edits.body);
  EXPECT_TRUE(contains(p7.edits.banner_skipped, "pkcs7-mime")) << p7.edits.banner_skipped;

  const Rewritten pgp = rewrite(crlf("From: a@example.org\n\n-----BEGIN PGP SIGNED MESSAGE-----\nHash: SHA256\n\n"
                                     "text\n-----BEGIN PGP SIGNATURE-----\nabc\n-----END PGP SIGNATURE-----\n"),
                                verdict(Action::kWarn));
  EXPECT_FALSE(pgp.edits.body);
  EXPECT_TRUE(contains(pgp.edits.banner_skipped, "inline PGP")) << pgp.edits.banner_skipped;
}

TEST(MessageEditsTest, NoTextPartTooLargeMalformedAndSwitchedOffGetNoBanner) {
  const std::string only_attachment = crlf(std::string("From: a@example.org\nMIME-Version: 1.0\n"
                                                       "Content-Type: multipart/mixed; boundary=b\n\n--b\n") +
                                           kAttachment + "--b--\n");
  const Rewritten none = rewrite(only_attachment, verdict(Action::kWarn));
  EXPECT_FALSE(none.edits.body);
  EXPECT_TRUE(contains(none.edits.banner_skipped, "no text body part")) << none.edits.banner_skipped;

  std::string lines;
  for (int i = 0; i < 40; ++i) lines += std::string(50, 'x') + "\n";
  const std::string text = crlf("From: a@example.org\n\n" + lines);
  ActionSettings small = settings();
  small.max_banner_part_bytes = 1000;
  const Rewritten large = rewrite(text, verdict(Action::kWarn), small);
  EXPECT_FALSE(large.edits.body);
  EXPECT_TRUE(contains(large.edits.banner_skipped, "over max_banner_part_bytes")) << large.edits.banner_skipped;

  const Rewritten garbage = rewrite(crlf("From: a@example.org\nContent-Transfer-Encoding: base64\n\n!!!!****\n"),
                                    verdict(Action::kWarn));
  EXPECT_FALSE(garbage.edits.body);
  EXPECT_TRUE(contains(garbage.edits.banner_skipped, "base64_garbage")) << garbage.edits.banner_skipped;

  const Rewritten unclosed = rewrite(crlf("From: a@example.org\nMIME-Version: 1.0\n"
                                          "Content-Type: multipart/mixed; boundary=b\n\n--b\n\ntext\n"),
                                     verdict(Action::kWarn));
  EXPECT_FALSE(unclosed.edits.body);
  EXPECT_TRUE(contains(unclosed.edits.banner_skipped, "missing_close_boundary")) << unclosed.edits.banner_skipped;
  // Not closed, but the first part ends at a delimiter like any other: it gets the banner.
  const Rewritten first_of_unclosed = rewrite(crlf("From: a@example.org\nMIME-Version: 1.0\n"
                                                   "Content-Type: multipart/mixed; boundary=b\n\n--b\n\ntext\n--b\n\nlast\n"),
                                              verdict(Action::kWarn));
  EXPECT_EQ(first_of_unclosed.edits.banner_parts, 1u) << first_of_unclosed.edits.banner_skipped;
  EXPECT_EQ(first_of_unclosed.after->part(2).body, "last\r\n");


  // Found by fuzz_message_edits: a part whose header ends with its segment, without a blank line.
  const Rewritten headless = rewrite(crlf("From: a@example.org\nMIME-Version: 1.0\n"
                                          "Content-Type: multipart/alternative; boundary=b\n\n"
                                          "--b\nContent-Type: text/html\n--b--\n"),
                                     verdict(Action::kWarn));
  EXPECT_FALSE(headless.edits.body);
  EXPECT_TRUE(contains(headless.edits.banner_skipped, "no blank line after its header")) << headless.edits.banner_skipped;

  ActionSettings off = settings();
  off.banner_on_warn = false;
  const Rewritten switched_off = rewrite(crlf("From: a@example.org\n\nhello\n"), verdict(Action::kWarn), off);
  EXPECT_FALSE(switched_off.edits.body);
  EXPECT_EQ(switched_off.edits.banner_skipped, "banner_on_warn is off");
}

TEST(MessageEditsTest, ABannerLineThatWouldBeABoundaryIsNotWritten) {
  const std::string raw = crlf(
      "From: a@example.org\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=\"----=_b\"\n\n"
      "------=_b\nContent-Type: text/plain\n\nhello\n------=_b--\n");
  Verdict v = verdict(Action::kWarn);
  v.banner.en = "------=_b quoted from the message";
  const Rewritten r = rewrite(raw, v);
  EXPECT_FALSE(r.edits.body);
  EXPECT_TRUE(contains(r.edits.banner_skipped, "boundary line")) << r.edits.banner_skipped;
}

TEST(MessageEditsTest, FindsTheBodyTagAsABrowserDoes) {
  EXPECT_EQ(html_banner_offset("<p>no body tag</p>"), 0u);
  const std::string_view page = "<!-- <body> --><script>x='<body>'</script><BODY onload=\"a>b\">text";
  EXPECT_EQ(page.substr(html_banner_offset(page)), "text");
}

TEST(MessageEditsTest, ReadsTheAuthservIdPastCommentsAndQuotes) {
  EXPECT_EQ(authserv_id_of(" mx.example.org; spf=pass"), "mx.example.org");
  EXPECT_EQ(authserv_id_of(" (c (nested\\)) )\r\n \"mx.example.org\" 1; none"), "mx.example.org");
  EXPECT_EQ(authserv_id_of("mx.example.org(comment);"), "mx.example.org");
}

}  // namespace
}  // namespace vigie::service
