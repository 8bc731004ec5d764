// Evidence in the reader's language: the text renderer shows an analyzer's French rendering of
// its prose with --lang fr, the value itself otherwise; JSON keeps `what` and adds `what_fr`
// only for prose. With --lang fr the block's labels, the authentication reasons and the parser's
// own words are French too; JSON keeps `reason` in English and adds `reason_fr`.
#include "outputs/text_output.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "auth/dns/recorded_resolver.h"
#include "outputs/json_output.h"

namespace vigie::outputs {
namespace {

// A scanned message with one finding of our own making: its evidence is one prose line (English
// and French) and one data line (a header value, the same in both languages).
ScanResult scanned_with_evidence() {
  const Engine engine{Config{}};
  ScanResult result = engine.scan(
      std::make_shared<const std::string>("From: a@example.org\nSubject: s\n\nhello\n"), Envelope{});
  Finding finding;
  finding.id = "TEST_FINDING";
  finding.analyzer = "test";
  finding.explanation = {"A test finding.", "Un constat de test."};
  finding.evidence.push_back(Evidence{"url", LocalizedText{"text shows bank.example, link goes to evil.example",
                                                           "le texte affiche bank.example, le lien mène à evil.example"}});
  finding.evidence.push_back(Evidence{"header:From", "a@example.org"});
  result.findings.push_back(std::move(finding));
  return result;
}

// Technique ids the engine named are followed by their ATT&CK name; others stay bare ids.
TEST(TextOutputTest, TechniquesShowTheirNames) {
  ScanResult result = scanned_with_evidence();
  Finding& finding = result.findings.back();
  finding.attack = {"T1566.002", "T9999"};
  finding.attack_techniques = {AttackTechnique{"T1566.002", "Spearphishing Link", {"initial-access"}}};
  const std::string text = scan_to_text(result, "m.eml", Language::kEnglish, /*explain=*/false);
  EXPECT_NE(text.find("TEST_FINDING (+0.0) [T1566.002 Spearphishing Link, T9999]: A test finding."), std::string::npos)
      << text;
}

TEST(TextOutputTest, FrenchEvidenceIsShownWithFrench) {
  const std::string text = scan_to_text(scanned_with_evidence(), "m.eml", Language::kFrench, /*explain=*/true);
  EXPECT_NE(text.find("url: le texte affiche bank.example, le lien mène à evil.example\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("link goes to"), std::string::npos) << text;
  // Data has no French rendering: it is shown as it is.
  EXPECT_NE(text.find("header:From: a@example.org\n"), std::string::npos) << text;
  EXPECT_NE(text.find("Un constat de test."), std::string::npos) << text;
}

TEST(TextOutputTest, EnglishEvidenceIsShownOtherwise) {
  const std::string text = scan_to_text(scanned_with_evidence(), "m.eml", Language::kEnglish, /*explain=*/true);
  EXPECT_NE(text.find("url: text shows bank.example, link goes to evil.example\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("le lien mène"), std::string::npos) << text;
  EXPECT_NE(text.find("header:From: a@example.org\n"), std::string::npos) << text;
}

TEST(TextOutputTest, ExplainContextWordsAreInTheReadersLanguage) {
  const ScanResult result = scanned_with_evidence();
  const std::string english = scan_to_text(result, "m.eml", Language::kEnglish, /*explain=*/true);
  const std::string french = scan_to_text(result, "m.eml", Language::kFrench, /*explain=*/true);
  EXPECT_NE(english.find("        in From: a@example.org\n"), std::string::npos) << english;
  EXPECT_NE(french.find("        dans From: a@example.org\n"), std::string::npos) << french;
}

TEST(TextOutputTest, JsonAddsWhatFrOnlyForProse) {
  const nlohmann::json j = nlohmann::json::parse(scan_json_line(scanned_with_evidence(), "m.eml"));
  const nlohmann::json& evidence = j["findings"].back()["evidence"];
  ASSERT_EQ(evidence.size(), 2u);
  EXPECT_EQ(evidence[0]["what"], "text shows bank.example, link goes to evil.example");
  EXPECT_EQ(evidence[0]["what_fr"], "le texte affiche bank.example, le lien mène à evil.example");
  EXPECT_EQ(evidence[1]["what"], "a@example.org");
  EXPECT_FALSE(evidence[1].contains("what_fr"));
}

// A message from a protected domain sent from elsewhere: SPF fails, and the reasons say so.
ScanResult spf_fail_with_nul_byte() {
  auto zone = auth::dns::RecordedResolver::from_string("exemple.gouv.fr:\n  - TXT: v=spf1 ip4:192.0.2.25 -all\n");
  EXPECT_TRUE(zone.has_value());
  Config config;
  config.organisation.protected_domains = {"exemple.gouv.fr"};
  Services services;
  services.resolver = std::make_shared<auth::dns::RecordedResolver>(std::move(*zone));
  const Engine engine(config, services);
  Envelope envelope;
  envelope.client_ip = "203.0.113.9";
  envelope.mail_from = "dsi@exemple.gouv.fr";
  constexpr char kMessage[] = "From: dsi@exemple.gouv.fr\nSubject: s\nX-A: a\0b\n\nhello\n";
  return engine.scan(std::make_shared<const std::string>(kMessage, sizeof kMessage - 1), envelope);
}

TEST(TextOutputTest, FrenchAuthenticationReasonsAndLabels) {
  const ScanResult result = spf_fail_with_nul_byte();
  const std::string text = scan_to_text(result, "m.eml", Language::kFrench, /*explain=*/true);
  EXPECT_NE(text.find("spf: exemple.gouv.fr : '-all' correspond dans l'enregistrement SPF de exemple.gouv.fr\n"),
            std::string::npos)
      << text;
  EXPECT_EQ(text.find("matched in the SPF record"), std::string::npos) << text;
  // The parser's word for where the NUL byte was, in French; the anomaly's name is an identifier.
  EXPECT_NE(text.find("structure: nul_byte : en-tête\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\n  authentification : spf=fail (exemple.gouv.fr)"), std::string::npos) << text;
  EXPECT_NE(text.find("\n  de :               dsi@exemple.gouv.fr\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\n  objet :            s\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\n  parties :          1, anomalies : 1\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\n  bannière :         "), std::string::npos) << text;
  for (const char* english : {"  subject:", "  from:", "  auth:", "  parts:", "  banner:", "  verdict:"}) {
    EXPECT_EQ(text.find(english), std::string::npos) << english << "\n" << text;
  }
}

TEST(TextOutputTest, EnglishLabelsAndReasonsStayAsTheyWere) {
  const ScanResult result = spf_fail_with_nul_byte();
  const std::string text = scan_to_text(result, "m.eml", Language::kEnglish, /*explain=*/true);
  EXPECT_NE(text.find("spf: exemple.gouv.fr: '-all' matched in the SPF record of exemple.gouv.fr\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("structure: nul_byte: header\n"), std::string::npos) << text;
  EXPECT_NE(text.find("\n  auth:    spf=fail (exemple.gouv.fr)"), std::string::npos) << text;
  EXPECT_NE(text.find("\n  parts:   1, anomalies: 1\n"), std::string::npos) << text;
  EXPECT_EQ(text.find("correspond"), std::string::npos) << text;
}

TEST(TextOutputTest, JsonKeepsEnglishReasonsAndAddsFrench) {
  const nlohmann::json j = nlohmann::json::parse(scan_json_line(spf_fail_with_nul_byte(), "m.eml"));
  EXPECT_EQ(j["auth"]["spf"]["reason"], "'-all' matched in the SPF record of exemple.gouv.fr");
  EXPECT_EQ(j["auth"]["spf"]["reason_fr"], "'-all' correspond dans l'enregistrement SPF de exemple.gouv.fr");
  EXPECT_EQ(j["parse"]["anomalies"][0]["detail"], "header");
  EXPECT_EQ(j["parse"]["anomalies"][0]["detail_fr"], "en-tête");
}

TEST(TextOutputTest, FrenchIdenticalToEnglishIsNoTranslation) {
  const Evidence port{"url", LocalizedText{"http://x.example:81/ (port 81)", "http://x.example:81/ (port 81)"}};
  EXPECT_TRUE(port.value_fr.empty());
  EXPECT_EQ(port.value_in_french(), "http://x.example:81/ (port 81)");
}

}  // namespace
}  // namespace vigie::outputs
