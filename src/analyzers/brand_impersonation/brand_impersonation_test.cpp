// brand_impersonation: each way of borrowing a brand fires; the brand's own mail, mail that merely
// mentions a brand, and people whose name is a common word do not.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>
#include <fstream>

#include "analyzers/analyzer.h"
#include "analyzers/analyzer_harness.h"
#include "vigie/engine.h"

namespace vigie {
namespace {

const Finding* find(const ScanResult& r, std::string_view id) {
  for (const Finding& f : r.findings) {
    if (f.id == id) return &f;
  }
  return nullptr;
}

double brand_score(const ScanResult& r) {
  double score = 0;
  for (const Finding& f : r.findings) {
    if (f.analyzer == "brand_impersonation") score += f.score;
  }
  return score;
}

class BrandImpersonationTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() { engine_ = new Engine(Config{}); }
  static void TearDownTestSuite() {
    delete engine_;
    engine_ = nullptr;
  }
  static ScanResult scan(std::string_view message) {
    return engine_->scan(std::make_shared<const std::string>(message), Envelope{});
  }
  static Engine* engine_;
};
Engine* BrandImpersonationTest::engine_ = nullptr;

TEST_F(BrandImpersonationTest, BrandDisplayNameFromFreeMail) {
  const ScanResult r = scan(
      "From: \"Microsoft Support\" <helpdesk.ms365@gmail.com>\nTo: a@example.org\n"
      "Subject: Password expiry\n\nYour password expires today. Keep it: http://evil.example/k\n");
  const Finding* f = find(r, "BRAND_DISPLAY_NAME_IMPERSONATION");
  ASSERT_NE(f, nullptr);
  EXPECT_DOUBLE_EQ(f->confidence, 1.0);
  EXPECT_GE(f->score, 4.0);
  const bool names_brand = std::any_of(f->evidence.begin(), f->evidence.end(), [](const Evidence& e) {
    return e.value.find("microsoft.com") != std::string::npos;
  });
  EXPECT_TRUE(names_brand);
  // Where the brand was seen is said in French too; domains and names are data.
  const auto seen_in = std::find_if(f->evidence.begin(), f->evidence.end(),
                                    [](const Evidence& e) { return e.field == "seen in"; });
  ASSERT_NE(seen_in, f->evidence.end());
  EXPECT_EQ(seen_in->value, "sender display name");
  EXPECT_EQ(seen_in->value_fr, "nom affiché de l'expéditeur");
}

TEST_F(BrandImpersonationTest, BrandDisplayNameFromUnrelatedDomain) {
  const ScanResult r = scan(
      "From: Microsoft account team <no-reply@access-accsecurity.com>\n"
      "Subject: Microsoft account unusual signin activity\n\n"
      "We detected something unusual. Review: https://access-accsecurity.com/r\n");
  EXPECT_NE(find(r, "BRAND_DISPLAY_NAME_IMPERSONATION"), nullptr);
  EXPECT_GE(brand_score(r), 4.0);
}

TEST_F(BrandImpersonationTest, BrandsOwnMailIsClean) {
  for (const char* from :
       {"Microsoft <account-security-noreply@accountprotection.microsoft.com>",
        "\"Microsoft 365\" <no-reply@office.com>", "Office 365 <noreply@microsoftonline.com>",
        "\"PayPal\" <service@paypal.fr>", "Amazon.com <auto-confirm@amazon.com>",
        "\"Jane Doe via LinkedIn\" <messages-noreply@linkedin.com>",
        "\"DHL Paket\" <noreply@dhl.de>", "impots.gouv.fr <ne-pas-repondre@dgfip.finances.gouv.fr>",
        "Facebook <notification@facebookmail.com>", "\"Yahoo! Groups\" <notify@yahoogroups.com>"}) {
    const std::string message = std::string("From: ") + from +
                                "\nSubject: Your Microsoft account and PayPal news\n\n"
                                "Microsoft and PayPal news. Microsoft, PayPal. "
                                "https://www.microsoft.com/ https://evil.example/\n";
    const ScanResult r = scan(message);
    const Finding* display = find(r, "BRAND_DISPLAY_NAME_IMPERSONATION");
    EXPECT_EQ(display, nullptr) << from;
  }
}

TEST_F(BrandImpersonationTest, NewsletterFromTheBrandMentioningItIsClean) {
  const ScanResult r = scan(
      "From: Netflix <info@mailer.netflix.com>\nSubject: New on Netflix this week\n"
      "Content-Type: text/html\n\n<html><head><title>Netflix</title></head><body>"
      "Netflix picks for you. Watch on Netflix. <a href=\"https://www.netflix.com/browse\">Open "
      "Netflix</a></body></html>\n");
  EXPECT_TRUE(r.findings.empty() || brand_score(r) == 0) << r.findings.front().id;
}

TEST_F(BrandImpersonationTest, SingleMentionInRunningTextIsClean) {
  const ScanResult r = scan(
      "From: Paul Martin <paul@example.org>\nSubject: dinner\n\n"
      "I paid you back with PayPal yesterday, see you at http://restaurant.example/menu\n");
  EXPECT_EQ(brand_score(r), 0);
}

TEST_F(BrandImpersonationTest, PeopleNamedLikeCommonWordBrands) {
  EXPECT_EQ(brand_score(scan("From: Chase Miller <chase.miller@gmail.com>\nSubject: hi\n\nhello\n")), 0);
  EXPECT_EQ(brand_score(scan("From: Orange County News <news@ocnews.example>\nSubject: x\n\ny\n")), 0);
  EXPECT_NE(find(scan("From: Chase Bank <alerts@chase-online.example>\nSubject: x\n\ny\n"),
                 "BRAND_DISPLAY_NAME_IMPERSONATION"),
            nullptr);
  EXPECT_NE(find(scan("From: Apple Support <id@apple-verify.example>\nSubject: x\n\ny\n"),
                 "BRAND_DISPLAY_NAME_IMPERSONATION"),
            nullptr);
  // A common word in the subject or text is not the brand.
  EXPECT_EQ(brand_score(scan("From: a@example.org\nSubject: apple pie and orange juice\n\n"
                             "apple apple orange orange http://x.example/\n")),
            0);
}

TEST_F(BrandImpersonationTest, SubjectNamesBrandWithLinkElsewhere) {
  const ScanResult r = scan(
      "From: Service Client <noreply@secure-notice.example>\n"
      "Subject: Votre compte PayPal est limite\n\n"
      "Votre compte PayPal est suspendu. Confirmez: https://secure-notice.example/pp\n");
  const Finding* f = find(r, "BRAND_SUBJECT_IMPERSONATION");
  ASSERT_NE(f, nullptr);
  EXPECT_GE(f->confidence, 0.85);
}

TEST_F(BrandImpersonationTest, TheBrandsOwnLinksDoNotHideTheOtherOne) {
  // Seventy links to the brand's own hosts before the one that goes elsewhere: the message still
  // offers a link away from the brand (a cap of 64 hosts read it as the brand's own mail).
  std::string body = "Votre compte PayPal est suspendu.\n";
  for (int i = 0; i < 70; ++i) body += "https://h" + std::to_string(i) + ".paypal.com/help\n";
  body += "Confirmez: https://secure-notice.example/pp\n";
  const ScanResult r = scan("From: Service Client <noreply@secure-notice.example>\n"
                            "Subject: Votre compte PayPal est limite\n\n" + body);
  const Finding* f = find(r, "BRAND_SUBJECT_IMPERSONATION");
  ASSERT_NE(f, nullptr);
  EXPECT_GE(f->confidence, 0.85);
}

TEST_F(BrandImpersonationTest, SubjectInThreadIsWeak) {
  const ScanResult r = scan(
      "From: Bob <bob@example.org>\nIn-Reply-To: <a@example.org>\n"
      "Subject: Re: Microsoft licence renewal\n\nMicrosoft sent the quote, see "
      "http://intranet.example.org/q\n");
  EXPECT_LT(brand_score(r), 2.0);
}

TEST_F(BrandImpersonationTest, HtmlTitleAndRepeatedText) {
  const ScanResult r = scan(
      "From: Account Team <team@notify-center.example>\nSubject: Action required\n"
      "Content-Type: text/html\n\n<html><head><title>DocuSign</title></head><body>"
      "DocuSign: you have a document to review. DocuSign Electronic Signature. "
      "<a href=\"https://notify-center.example/doc\">REVIEW DOCUMENT</a></body></html>\n");
  const Finding* f = find(r, "BRAND_CONTENT_IMPERSONATION");
  ASSERT_NE(f, nullptr);
  EXPECT_GE(f->confidence, 0.7);
}

TEST_F(BrandImpersonationTest, DisguisedBrandName) {
  // "Binаnсе" with Cyrillic а and с, even from the brand's own domain.
  const ScanResult r = scan(
      "From: Binance <do-not-reply@ses.binance.com>\n"
      "Subject: =?utf-8?B?W0JpbtCwbtGB0LVdIGxtbWVkaWF0ZSB2ZXJpZmljYXRpb24=?=\n\nx\n");
  const Finding* f = find(r, "BRAND_NAME_DISGUISED");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(find(r, "BRAND_DISPLAY_NAME_IMPERSONATION"), nullptr);
  const ScanResult r2 = scan("From: \"PayPaI Service\" <x@evil.example>\nSubject: hi\n\nx\n");
  EXPECT_NE(find(r2, "BRAND_NAME_DISGUISED"), nullptr);
  EXPECT_NE(find(r2, "BRAND_DISPLAY_NAME_IMPERSONATION"), nullptr);
}

TEST_F(BrandImpersonationTest, DkimPassForBrandDomainClears) {
  const analyzers::AnalyzerHarness harness("brand_impersonation");
  const std::string raw = "From: DocuSign <dse@esp-relay.example>\nSubject: x\n\ny\n";
  AuthResults auth;
  EXPECT_EQ(harness.analyze(raw, auth).size(), 1u);
  auth.dkim.push_back(DkimAuthResult{});
  auth.dkim.back().result = AuthResultCode::kPass;
  auth.dkim.back().domain = "docusign.net";
  EXPECT_TRUE(harness.analyze(raw, auth).empty());
}

TEST(BrandImpersonationConfigTest, SupplierListAndBrokenList) {
  const std::string path = ::testing::TempDir() + "/vigie_suppliers.tsv";
  {
    std::ofstream out(path);
    out << "# our suppliers\nacme-payroll\tsupplier\tAcme Payroll\tacme-payroll.example\t-\t"
           "contract 2024-17\n";
  }
  Config config;
  config.lists.brands.push_back(path);
  const Engine engine(config);
  const ScanResult r = engine.scan(
      std::make_shared<const std::string>(
          "From: Acme Payroll <payroll@acme-payroll-hr.example>\nSubject: payslip\n\nx\n"),
      Envelope{});
  EXPECT_TRUE(std::any_of(r.findings.begin(), r.findings.end(), [](const Finding& f) {
    return f.id == "BRAND_DISPLAY_NAME_IMPERSONATION";
  }));
  {
    std::ofstream out(path);
    out << "acme-payroll\tsupplier\tAcme Payroll\n";
  }
  try {
    const Engine broken(config);
    ADD_FAILURE() << "a broken list must stop the engine";
  } catch (const EngineConfigError& e) {
    EXPECT_NE(std::string(e.what()).find("vigie_suppliers.tsv:1"), std::string::npos) << e.what();
  }
  std::remove(path.c_str());
}

TEST(BrandImpersonationLimitTest, TextBeyondTheLimitIsNotReadAndSaysSo) {
  // A brand named only after the limit is not seen, and the run says how much text was left out.
  const std::string raw = "From: Notifications <notice@esp-relay.example>\nSubject: notice\n\n" +
                          std::string(3000, 'x') + "\nYour DocuSign envelope is waiting: sign with DocuSign now.\n";
  Config config;
  config.limits.max_brand_text_bytes = 1024;
  const auto cut = analyzers::AnalyzerHarness("brand_impersonation", config).run(raw);
  EXPECT_TRUE(cut.findings.empty());
  ASSERT_EQ(cut.limits_reached.size(), 1u);
  EXPECT_EQ(cut.limits_reached[0].limit, "max_brand_text_bytes");
  EXPECT_EQ(cut.limits_reached[0].allowed, 1024u);

  const auto whole = analyzers::AnalyzerHarness("brand_impersonation").run(raw);
  EXPECT_FALSE(whole.findings.empty());
  EXPECT_TRUE(whole.limits_reached.empty());
}

}  // namespace
}  // namespace vigie
