// sender_auth: spoofing of protected domains, DMARC/SPF failures, DKIM l= and weak signatures,
// temperror without score. Engine-level where DNS decides, direct where only results matter.
#include <gtest/gtest.h>

#include <algorithm>

#include "analyzers/analyzer.h"
#include "analyzers/analyzer_harness.h"
#include "auth/dns/recorded_resolver.h"
#include "vigie/engine.h"

namespace vigie::analyzers::sender_auth {
const AnalyzerDescriptor& descriptor();

namespace {

constexpr std::string_view kZone = R"(
exemple.gouv.fr:
  - TXT: v=spf1 ip4:192.0.2.25 -all
_dmarc.exemple.gouv.fr:
  - TXT: v=DMARC1; p=reject
nodmarc.gouv.fr:
  - TXT: v=spf1 ip4:192.0.2.25 -all
partner.example:
  - TXT: v=spf1 ip4:192.0.2.30 ~all
_dmarc.partner.example:
  - TXT: v=DMARC1; p=quarantine
slow.example:
  - TIMEOUT
)";

std::shared_ptr<const auth::dns::Resolver> zone() {
  Result<auth::dns::RecordedResolver> loaded = auth::dns::RecordedResolver::from_string(kZone);
  if (!loaded) {
    ADD_FAILURE() << loaded.error().message;
    return nullptr;
  }
  return std::make_shared<auth::dns::RecordedResolver>(std::move(*loaded));
}

const Finding* find(const std::vector<Finding>& findings, std::string_view id) {
  const auto it = std::find_if(findings.begin(), findings.end(), [&](const Finding& f) { return f.id == id; });
  return it == findings.end() ? nullptr : &*it;
}

std::vector<Finding> scan(std::string_view from, std::string client_ip, std::string mail_from) {
  Config config;
  config.organisation.protected_domains = {"exemple.gouv.fr", "nodmarc.gouv.fr"};
  Services services;
  services.resolver = zone();
  const Engine engine(config, services);
  Envelope envelope;
  envelope.client_ip = std::move(client_ip);
  envelope.mail_from = std::move(mail_from);
  const std::string message = "From: " + std::string(from) + "\nSubject: x\n\nbody\n";
  return engine.scan(std::make_shared<const std::string>(message), envelope).findings;
}

TEST(SenderAuthTest, ProtectedDomainFailingDmarcIsSpoofing) {
  const auto findings = scan("Cabinet <cabinet@exemple.gouv.fr>", "203.0.113.9", "x@attacker.example");
  const Finding* spoof = find(findings, "SPOOFED_PROTECTED_DOMAIN");
  ASSERT_NE(spoof, nullptr);
  EXPECT_EQ(spoof->analyzer, "sender_auth");
  EXPECT_EQ(spoof->score, 12.0);
  EXPECT_EQ(find(findings, "DMARC_FAIL"), nullptr);  // the stronger finding says it all
}

TEST(SenderAuthTest, ProtectedDomainWithoutDmarcStillSpoofedOnSpfFail) {
  const auto findings = scan("dsi@nodmarc.gouv.fr", "203.0.113.9", "dsi@nodmarc.gouv.fr");
  const Finding* spoof = find(findings, "SPOOFED_PROTECTED_DOMAIN");
  ASSERT_NE(spoof, nullptr);
  EXPECT_LT(spoof->confidence, 1.0);
  EXPECT_NE(find(findings, "SPF_FAIL"), nullptr);
}

// The authentication reasons in the evidence are prose: said in French too, the domain and the
// record's term unchanged.
TEST(SenderAuthTest, AuthenticationReasonsAreAlsoInFrench) {
  const auto findings = scan("dsi@nodmarc.gouv.fr", "203.0.113.9", "dsi@nodmarc.gouv.fr");
  const Finding* spf = find(findings, "SPF_FAIL");
  ASSERT_NE(spf, nullptr);
  ASSERT_EQ(spf->evidence.size(), 1u);
  EXPECT_EQ(spf->evidence[0].value, "nodmarc.gouv.fr: '-all' matched in the SPF record of nodmarc.gouv.fr");
  EXPECT_EQ(spf->evidence[0].value_fr,
            "nodmarc.gouv.fr : '-all' correspond dans l'enregistrement SPF de nodmarc.gouv.fr");
  const auto foreign = scan("compta@partner.example", "203.0.113.9", "compta@partner.example");
  const Finding* dmarc = find(foreign, "DMARC_FAIL");
  ASSERT_NE(dmarc, nullptr);
  EXPECT_EQ(dmarc->evidence.back().field, "auth");
  EXPECT_EQ(dmarc->evidence.back().value_fr, "aucun SPF ou DKIM pass aligné sur partner.example");
}

TEST(SenderAuthTest, LegitimateMailFromOurServersHasNoFinding) {
  EXPECT_TRUE(scan("cabinet@exemple.gouv.fr", "192.0.2.25", "cabinet@exemple.gouv.fr").empty());
}

TEST(SenderAuthTest, ForeignDomainDmarcFailIsGradedByPolicy) {
  const auto findings = scan("compta@partner.example", "203.0.113.9", "compta@partner.example");
  const Finding* dmarc = find(findings, "DMARC_FAIL");
  ASSERT_NE(dmarc, nullptr);
  EXPECT_DOUBLE_EQ(dmarc->confidence, 0.75);  // p=quarantine
  EXPECT_DOUBLE_EQ(dmarc->score, 6.0 * 0.75);
  const Finding* spf = find(findings, "SPF_FAIL");
  ASSERT_NE(spf, nullptr);
  EXPECT_LT(spf->confidence, 1.0);  // ~all: softfail
}

TEST(SenderAuthTest, TemporaryErrorsAreReportedWithoutScore) {
  const auto findings = scan("a@slow.example", "203.0.113.9", "a@slow.example");
  const Finding* temp = find(findings, "AUTH_TEMPORARY_ERROR");
  ASSERT_NE(temp, nullptr);
  EXPECT_EQ(temp->score, 0.0);
}

std::vector<Finding> analyze_results(const AuthResults& auth) {
  static const AnalyzerHarness harness("sender_auth");
  return harness.analyze("Subject: x\n\ny\n", auth);
}

TEST(SenderAuthTest, DkimLengthLimitWithAppendedContent) {
  AuthResults auth;
  DkimAuthResult d;
  d.result = AuthResultCode::kPass;
  d.domain = "bank.example";
  d.body_length_limited = true;
  d.body_length = 120;
  d.unsigned_body_bytes = 0;
  auth.dkim.push_back(d);
  EXPECT_EQ(find(analyze_results(auth), "DKIM_UNSIGNED_CONTENT"), nullptr);  // l= covers it all
  auth.dkim[0].unsigned_body_bytes = 800;
  const auto findings = analyze_results(auth);
  const Finding* appended = find(findings, "DKIM_UNSIGNED_CONTENT");
  ASSERT_NE(appended, nullptr);
  EXPECT_NE(appended->evidence.at(1).value.find("800 bytes"), std::string::npos);
  EXPECT_EQ(appended->evidence.at(1).value_fr, "800 octets après la longueur signée");
}

TEST(SenderAuthTest, BodyAlteredWeakSignatureAndBrokenArc) {
  AuthResults auth;
  DkimAuthResult altered;
  altered.result = AuthResultCode::kFail;
  altered.failure = DkimFailure::kBodyHash;
  DkimAuthResult weak;
  weak.result = AuthResultCode::kFail;
  weak.failure = DkimFailure::kWeakAlgorithm;
  auth.dkim = {altered, weak};
  auth.arc.result = ArcChainStatus::kFail;
  auth.arc.failed_instance = 2;
  const auto findings = analyze_results(auth);
  EXPECT_NE(find(findings, "DKIM_BODY_ALTERED"), nullptr);
  EXPECT_NE(find(findings, "DKIM_WEAK_SIGNATURE"), nullptr);
  const Finding* arc = find(findings, "ARC_CHAIN_BROKEN");
  ASSERT_NE(arc, nullptr);
  EXPECT_NE(arc->evidence.at(0).value.find("instance 2"), std::string::npos);
}

// While DNS is unavailable every check is temperror: the finding says authentication could not run,
// and an ARC chain whose keys could not be fetched is not called broken.
TEST(SenderAuthTest, UnavailableDnsIsATemporaryErrorNotABrokenChain) {
  AuthResults auth;
  const std::string why = "DNS unavailable: the lookup of the root zone's name servers failed";
  auth.spf.result = AuthResultCode::kTempError;
  auth.spf.reason = "TXT lookup for example.org failed: " + why;
  auth.dmarc.result = AuthResultCode::kTempError;
  auth.dmarc.reason = "DMARC record lookup for example.org failed: " + why;
  DkimAuthResult d;
  d.result = AuthResultCode::kTempError;
  d.domain = "example.org";
  d.reason = "the key lookup failed temporarily (" + why + ")";
  auth.dkim.push_back(d);
  auth.arc.result = ArcChainStatus::kFail;
  auth.arc.temporary_error = true;
  auth.arc.reason = "the ARC-Seal of instance 1 cannot be checked: " + why;
  const auto findings = analyze_results(auth);
  EXPECT_EQ(find(findings, "ARC_CHAIN_BROKEN"), nullptr);
  const Finding* temporary = find(findings, "AUTH_TEMPORARY_ERROR");
  ASSERT_NE(temporary, nullptr);
  std::vector<std::string> where;
  for (const Evidence& e : temporary->evidence) {
    where.push_back(e.field);
    EXPECT_NE(e.value.find("DNS unavailable"), std::string::npos) << e.value;
  }
  EXPECT_EQ(where, (std::vector<std::string>{"spf", "dmarc", "dkim", "arc"}));
  EXPECT_EQ(findings.size(), 1u);
}

}  // namespace
}  // namespace vigie::analyzers::sender_auth
