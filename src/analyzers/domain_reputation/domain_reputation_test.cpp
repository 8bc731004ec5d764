// domain_reputation: senders and links under abused suffixes are reported with the suffix and its
// source; look-alike endings (visa.com for sa.com) and ordinary domains are not.
#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "analyzers/analyzer_harness.h"

namespace vigie {
namespace {

std::vector<Finding> reputation_findings(const std::string& message, Envelope envelope = {}) {
  static const analyzers::AnalyzerHarness harness("domain_reputation");
  return harness.analyze(message, {}, envelope);
}

const Finding* find(const std::vector<Finding>& findings, std::string_view id) {
  const auto it = std::find_if(findings.begin(), findings.end(), [&](const Finding& f) { return f.id == id; });
  return it == findings.end() ? nullptr : &*it;
}

TEST(DomainReputationTest, SenderUnderAnAbusedSuffix) {
  const auto findings = reputation_findings(
      "From: Offers <lina_83612@deals4you.sa.com>\nReply-To: claims@winner-desk.top\n"
      "Subject: x\n\nhello\n");
  const Finding* f = find(findings, "SENDER_ON_ABUSED_SUFFIX");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(f->evidence.size(), 2u);
  EXPECT_EQ(f->evidence[0].field, "header:From");
  EXPECT_NE(f->evidence[0].value.find("under .sa.com"), std::string::npos) << f->evidence[0].value;
  EXPECT_EQ(f->evidence[1].field, "header:Reply-To");
}

TEST(DomainReputationTest, EnvelopeSender) {
  Envelope envelope;
  envelope.mail_from = "bounce@mailer.click";
  const auto findings =
      reputation_findings("From: Shop <news@shop.example>\nSubject: x\n\nhello\n", envelope);
  const Finding* f = find(findings, "SENDER_ON_ABUSED_SUFFIX");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->evidence[0].field, "envelope:MAIL FROM");
}

TEST(DomainReputationTest, LinkUnderAnAbusedSuffix) {
  const auto findings = reputation_findings(
      "From: a@example.org\nSubject: x\nContent-Type: text/html\n\n"
      "<a href=\"https://secure-login.xyz/verify\">Verify</a><img src=\"https://cdn.img.top/a.png\">\n");
  const Finding* f = find(findings, "LINK_ON_ABUSED_SUFFIX");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(f->evidence.size(), 1u);  // the image loads by itself; only the link counts
  EXPECT_NE(f->evidence[0].value.find("secure-login.xyz"), std::string::npos);
  EXPECT_EQ(f->evidence[0].field, "url");  // in the object of its part, not a "part:N" field
}

TEST(DomainReputationTest, OrdinaryAndLookAlikeEndingsAreSilent) {
  EXPECT_TRUE(reputation_findings("From: Card <info@visa.com>\nReply-To: a@desktop.example.org\n"
                                  "Subject: x\n\nSee https://www.example.com/top and www.visa.com\n")
                  .empty());
}

}  // namespace
}  // namespace vigie
