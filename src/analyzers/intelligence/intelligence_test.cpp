// intelligence: indicators in a store the test writes, matched against senders, Received hops,
// links (by domain, URL prefix and IP), attached files' hashes and names at any depth, and the
// subject; expired and revoked indicators do not match; the finding's confidence is the best
// matching indicator's.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>

#include "analyzers/analyzer_harness.h"
#include "config/section.h"
#include "intel/indicators/indicator_store.h"

namespace vigie {
namespace {

using intel::ObservableType;

class IntelligenceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    path_ = (std::filesystem::temp_directory_path() /
             ("vigie-intel-analyzer-" + std::string(::testing::UnitTest::GetInstance()->current_test_info()->name()) +
              ".db"))
                .string();
    std::filesystem::remove(path_);
  }
  void TearDown() override {
    std::filesystem::remove(path_);
    std::filesystem::remove(path_ + "-wal");
    std::filesystem::remove(path_ + "-shm");
  }
  void store(std::vector<intel::Indicator> indicators) {
    auto opened = intel::IndicatorStore::open(path_);
    ASSERT_TRUE(opened) << opened.error().message;
    intel::ImportResult imported;
    imported.indicators = std::move(indicators);
    ASSERT_TRUE((*opened)->replace_feed("test", "list", "test", imported, 0));
  }
  Config config() const {
    Config c;
    c.analyzers.sections["intelligence"] =
        config::section_from_toml("store = \"" + path_ + "\"\n", "analyzers.intelligence", "site.toml");
    return c;
  }
  std::string path_;
};

intel::Indicator indicator(std::string id, ObservableType type, std::string value, int confidence = -1) {
  intel::Indicator i;
  i.id = std::move(id);
  i.source = "CERT-FR";
  i.confidence = confidence;
  i.values = {{type, std::move(value)}};
  return i;
}

const std::string kMessage =
    "Received: from relay.evil.example (relay.evil.example [198.51.100.23]) by mx.exemple.gouv.fr\n"
    "From: Direction <rh@ministere-rh.example>\nTo: agent@exemple.gouv.fr\n"
    "Subject: Convocation  entretien annuel\nContent-Type: multipart/mixed; boundary=b\n\n"
    "--b\nContent-Type: text/plain\n\nVoir https://login.portail-rh.example/kit/index.php?u=1\n"
    "--b\nContent-Type: application/octet-stream\nContent-Disposition: attachment; filename=\"Convocation.pdf.lnk\"\n\n"
    "payload\n--b--\n";

TEST_F(IntelligenceTest, EveryKindOfObservableMatches) {
  intel::Indicator apt = indicator("indicator--domain", ObservableType::kDomain, "portail-rh.example", 90);
  apt.name = "APT28 credential phishing";
  apt.tlp = intel::Tlp::kAmber;
  apt.links = {{"intrusion-set", "APT28", ""}};
  store({apt,
         indicator("indicator--url", ObservableType::kUrl, "https://login.portail-rh.example/kit/"),
         indicator("indicator--net", ObservableType::kIpv4, "198.51.100.0/24", 40),
         indicator("indicator--sender", ObservableType::kEmailAddress, "RH@ministere-rh.example", 60),
         indicator("indicator--file", ObservableType::kFileName, "convocation.pdf.lnk", 50),
         indicator("indicator--subject", ObservableType::kEmailSubject, "convocation entretien annuel", 30),
         indicator("indicator--sha", ObservableType::kSha256, sha256_hex("payload"), 70),
         indicator("indicator--other", ObservableType::kDomain, "unrelated.example", 99)});
  const analyzers::AnalyzerHarness harness("intelligence", config());
  const std::vector<Finding> findings = harness.analyze(kMessage);
  ASSERT_EQ(findings.size(), 1u);
  const Finding& f = findings[0];
  EXPECT_EQ(f.id, "INTEL_MATCH");
  EXPECT_DOUBLE_EQ(f.confidence, 0.9);
  std::string all;
  for (const Evidence& e : f.evidence) all += e.field + " | " + e.value + "\n";
  for (const char* expected :
       {"header:From | email-address rh@ministere-rh.example matches indicator indicator--sender from CERT-FR, confidence 60",
        "url | domain login.portail-rh.example (parent domain portail-rh.example) matches indicator indicator--domain "
        "\"APT28 credential phishing\" from CERT-FR, confidence 90, TLP:AMBER; indicates intrusion-set APT28",
        "url | url https://login.portail-rh.example/kit/index.php?u=1 (URL prefix https://login.portail-rh.example/kit/)",
        "header:Received | ipv4 198.51.100.23 (in network 198.51.100.0/24)",
        "sha256 | sha256 ", "filename | file-name Convocation.pdf.lnk matches indicator indicator--file",
        "header:Subject | email-subject Convocation  entretien annuel matches indicator indicator--subject"}) {
    EXPECT_NE(all.find(expected), std::string::npos) << expected << "\n--- in ---\n" << all;
  }
  EXPECT_EQ(all.find("indicator--other"), std::string::npos);

  // The same matches as data, for attribution and the exports.
  ASSERT_EQ(f.sightings.size(), 7u);  // one per planted indicator but the unrelated one
  const auto sighting = [&](std::string_view id, std::string_view observed) -> const IndicatorSighting* {
    for (const IndicatorSighting& s : f.sightings) {
      if (s.indicator_id == id && s.observed == observed) return &s;
    }
    return nullptr;
  };
  const IndicatorSighting* link = sighting("indicator--domain", "login.portail-rh.example");
  ASSERT_NE(link, nullptr);
  EXPECT_EQ(link->observable_type, "domain");
  EXPECT_EQ(link->matched, "portail-rh.example");
  EXPECT_EQ(link->how, "parent domain");
  EXPECT_EQ(link->field, "url");
  EXPECT_EQ(link->source, "CERT-FR");
  EXPECT_EQ(link->confidence, 90);
  EXPECT_EQ(link->tlp, "TLP:AMBER");
  ASSERT_EQ(link->links.size(), 1u);
  EXPECT_EQ(link->links[0].kind, "intrusion-set");
  EXPECT_EQ(link->links[0].name, "APT28");
  const IndicatorSighting* file = sighting("indicator--sha", sha256_hex("payload"));
  ASSERT_NE(file, nullptr);
  EXPECT_NE(file->object, kMessageObject);
  EXPECT_EQ(file->confidence, 70);
  EXPECT_TRUE(file->tlp.empty());
}

TEST_F(IntelligenceTest, LinksToIpAddressesOfBothFamiliesMatchTheirIndicators) {
  store({indicator("indicator--v6", ObservableType::kIpv6, "2001:db8::/32"),
         indicator("indicator--v4", ObservableType::kIpv4, "203.0.113.9")});
  const analyzers::AnalyzerHarness harness("intelligence", config());
  const std::vector<Finding> findings = harness.analyze(
      "From: a@example.org\nTo: agent@exemple.gouv.fr\nSubject: x\n\n"
      "Ouvrez http://[2001:DB8:0::1]:8080/login et http://203.0.113.9/kit\n");
  ASSERT_EQ(findings.size(), 1u);
  std::vector<std::string> seen;
  for (const IndicatorSighting& s : findings[0].sightings) seen.push_back(s.observable_type + " " + s.matched);
  std::sort(seen.begin(), seen.end());
  EXPECT_EQ(seen, (std::vector<std::string>{"ipv4 203.0.113.9/32", "ipv6 2001:db8::/32"}));
}

TEST_F(IntelligenceTest, PatternsTheIndexCannotAnswerAreEvaluatedOnTheMessage) {
  intel::Indicator like;
  like.id = "indicator--like";
  like.confidence = 60;
  like.pattern = "[email-message:subject LIKE 'Convocation%' AND email-message:from_ref.value LIKE '%@ministere-rh.example']";
  intel::Indicator other_sender = like;
  other_sender.id = "indicator--other-sender";
  other_sender.pattern = "[email-message:subject LIKE 'Convocation%' AND email-message:from_ref.value = 'x@elsewhere.example']";
  intel::Indicator file;
  file.id = "indicator--file-size";
  file.pattern = "[file:name MATCHES '(?i)[.]pdf[.]lnk$' AND file:size < 100]";
  store({like, other_sender, file});
  const analyzers::AnalyzerHarness harness("intelligence", config());
  const std::vector<Finding> findings = harness.analyze(kMessage);
  ASSERT_EQ(findings.size(), 1u);
  std::string all;
  for (const Evidence& e : findings[0].evidence) all += e.field + " | " + e.value + "\n";
  EXPECT_NE(all.find("stix-pattern | the message satisfies the STIX pattern [email-message:subject LIKE"), std::string::npos) << all;
  EXPECT_NE(all.find("indicator--file-size"), std::string::npos) << all;
  EXPECT_EQ(all.find("indicator--other-sender"), std::string::npos) << all;
  EXPECT_DOUBLE_EQ(findings[0].confidence, 0.8);  // the file pattern's confidence is not stated
  // The sighting says a pattern matched the message, and which.
  ASSERT_EQ(findings[0].sightings.size(), 2u);
  const IndicatorSighting& sighting = findings[0].sightings[0];
  EXPECT_EQ(sighting.indicator_id, "indicator--like");
  EXPECT_EQ(sighting.observable_type, "pattern");
  EXPECT_EQ(sighting.how, "pattern");
  EXPECT_EQ(sighting.matched, like.pattern);
  EXPECT_EQ(sighting.confidence, 60);
}

TEST_F(IntelligenceTest, ExpiredAndRevokedIndicatorsDoNotMatchAndNoStoreMeansNothing) {
  intel::Indicator expired = indicator("expired", ObservableType::kDomain, "portail-rh.example");
  expired.valid_until = 1000;  // long before any message
  intel::Indicator revoked = indicator("revoked", ObservableType::kDomain, "ministere-rh.example");
  revoked.revoked = true;
  store({expired, revoked});
  const analyzers::AnalyzerHarness harness("intelligence", config());
  EXPECT_TRUE(harness.analyze(kMessage).empty());
  const analyzers::AnalyzerHarness without("intelligence");
  EXPECT_TRUE(without.analyze(kMessage).empty());
}

TEST_F(IntelligenceTest, AMissingStoreIsAConfigurationError) {
  EXPECT_THROW(analyzers::AnalyzerHarness("intelligence", config()), EngineConfigError);
}

}  // namespace
}  // namespace vigie
