// Tests of the STIX 2.1 bundle importer: the OASIS examples read in place from
// ../shared/conformance/stix2/examples, and bundles written here (broken JSON, a broken pattern
// among good ones, revoked and expired indicators, TLP markings, indicates relationships,
// unsupported pattern types and constructs, limits).
#include "intel/stix/bundle_import.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <string>

#include <nlohmann/json.hpp>

namespace vigie::intel::stix {
namespace {

using nlohmann::json;

const std::filesystem::path kExamples =
    std::filesystem::path(VIGIE_SOURCE_DIR) / ".." / "shared" / "conformance" / "stix2" / "examples";

ImportResult import_example(const std::string& name) {
  const auto result = import_bundle_file(kExamples / name);
  EXPECT_TRUE(result.has_value()) << name << ": " << (result ? "" : result.error().message);
  return result ? *result : ImportResult{};
}

std::string problems_text(const ImportResult& result) {
  std::string text;
  for (const ImportProblem& problem : result.problems) text += problem.where + ": " + problem.what + "\n";
  return text;
}

class StixExamples : public ::testing::Test {
 protected:
  void SetUp() override {
    if (!std::filesystem::exists(kExamples)) GTEST_SKIP() << "no STIX examples at " << kExamples;
  }
};

TEST_F(StixExamples, C2Address) {
  const ImportResult result = import_example("indicator-for-c2-ip-address.json");
  EXPECT_TRUE(result.problems.empty()) << problems_text(result);
  ASSERT_EQ(result.indicators.size(), 1u);
  const Indicator& indicator = result.indicators[0];
  ASSERT_EQ(indicator.values.size(), 1u);
  EXPECT_EQ(indicator.values[0].type, ObservableType::kIpv4);
  EXPECT_EQ(indicator.values[0].value, "10.0.0.0");
  EXPECT_EQ(indicator.pattern, "[ipv4-addr:value = '10.0.0.0']");
}

TEST_F(StixExamples, IndicatesCampaign) {
  const ImportResult result = import_example("indicator-to-campaign-relationship.json");
  EXPECT_TRUE(result.problems.empty()) << problems_text(result);
  ASSERT_EQ(result.indicators.size(), 1u);
  const Indicator& indicator = result.indicators[0];
  EXPECT_EQ(indicator.id, "indicator--c43a0a05-e8d2-4f64-ae37-3f3fb153f8d9");
  EXPECT_EQ(indicator.name, "test_name");
  EXPECT_EQ(indicator.description, "Test description.");
  EXPECT_EQ(indicator.valid_from, 1410292719);  // 2014-09-09T19:58:39.609Z
  ASSERT_EQ(indicator.links.size(), 1u);
  EXPECT_EQ(indicator.links[0].kind, "campaign");
  EXPECT_EQ(indicator.links[0].name, "Operation Omega");
  EXPECT_EQ(indicator.links[0].stix_id, "campaign--b549a58c-afd9-4847-85c3-5be13d56d3cc");
}

TEST_F(StixExamples, C2WithCourseOfAction) {
  const ImportResult result = import_example("indicators-for-C2-with-COA.json");
  EXPECT_TRUE(result.problems.empty()) << problems_text(result);
  ASSERT_EQ(result.indicators.size(), 2u);
  for (const Indicator& indicator : result.indicators) {
    EXPECT_EQ(indicator.source, "The MITRE Corporation - DHS Support Team");
    ASSERT_EQ(indicator.links.size(), 1u) << indicator.id;
    EXPECT_EQ(indicator.links[0].kind, "malware");
    EXPECT_EQ(indicator.links[0].name, "Poison Ivy");
  }
  const Indicator& hash = result.indicators[1];
  ASSERT_EQ(hash.values.size(), 1u);
  EXPECT_EQ(hash.values[0].type, ObservableType::kSha256);
}

TEST_F(StixExamples, MaliciousEmailPatternsAreEvaluated) {
  const ImportResult result = import_example("malicious-email-indicator-with-attachment.json");
  EXPECT_TRUE(result.problems.empty()) << problems_text(result);
  ASSERT_EQ(result.indicators.size(), 2u);
  for (const Indicator& indicator : result.indicators) {
    EXPECT_TRUE(indicator.values.empty()) << "MATCHES cannot be indexed: " << indicator.pattern;
    EXPECT_TRUE(indicator.links.empty()) << "attack-pattern targets are not intrusion sets, campaigns or malware";
  }
  Observation observation;
  observation.add_object("email-message")
      .add("subject", "[IMPORTANT] Please Review Before Friday")
      .add("body_multipart[*].body_raw_ref.name", "Final Report 2014.exe");
  const auto subject = Pattern::parse(result.indicators[0].pattern);
  const auto attachment = Pattern::parse(result.indicators[1].pattern);
  ASSERT_TRUE(subject && attachment);
  EXPECT_EQ(evaluate(*attachment, observation).truth, Truth::kTrue);
  // The example's regex opens with a character class, not the literal "[IMPORTANT]": it
  // matches one of those letters followed by " Please Review Before", as RE2 (and PCRE) read it.
  EXPECT_EQ(evaluate(*subject, observation).truth, Truth::kFalse);
  Observation literal_reading;
  literal_reading.add_object("email-message").add("subject", "T Please Review Before Friday");
  EXPECT_EQ(evaluate(*subject, literal_reading).truth, Truth::kTrue);
}

TEST_F(StixExamples, ObjectsWithoutIndicators) {
  for (const char* name : {"infrastructure.json", "interop-objectmarking-test.json"}) {
    const ImportResult result = import_example(name);
    EXPECT_TRUE(result.indicators.empty()) << name;
    EXPECT_TRUE(result.problems.empty()) << name << "\n" << problems_text(result);
  }
}

TEST_F(StixExamples, ThreatReports) {
  const ImportResult apt1 = import_example("threat-reports/apt1.json");
  // Two of the twelve indicators test x509-certificate objects, which no message holds.
  EXPECT_EQ(apt1.indicators.size(), 10u);
  ASSERT_EQ(apt1.problems.size(), 2u) << problems_text(apt1);
  for (const ImportProblem& problem : apt1.problems) {
    EXPECT_TRUE(problem.where.starts_with("apt1.json: indicator--")) << problem.where;
    EXPECT_NE(problem.what.find("x509-certificate"), std::string::npos) << problem.what;
  }
  const auto md5 = std::find_if(apt1.indicators.begin(), apt1.indicators.end(), [](const Indicator& i) {
    return !i.values.empty() && i.values[0].type == ObservableType::kMd5;
  });
  ASSERT_NE(md5, apt1.indicators.end());

  const ImportResult poisonivy = import_example("threat-reports/poisonivy.json");
  EXPECT_EQ(poisonivy.indicators.size(), 25u) << problems_text(poisonivy);
  EXPECT_TRUE(poisonivy.problems.empty()) << problems_text(poisonivy);
  const auto with_links = std::count_if(poisonivy.indicators.begin(), poisonivy.indicators.end(),
                                        [](const Indicator& i) { return !i.links.empty(); });
  EXPECT_GT(with_links, 0);
  for (const Indicator& indicator : poisonivy.indicators) {
    EXPECT_FALSE(indicator.values.empty()) << indicator.pattern;  // all plain equalities joined by OR
  }
}

json indicator(const std::string& id, const std::string& pattern) {
  return {{"type", "indicator"},   {"spec_version", "2.1"},   {"id", id},
          {"pattern_type", "stix"}, {"pattern", pattern},     {"valid_from", "2026-01-01T00:00:00Z"},
          {"created", "2026-01-01T00:00:00Z"}, {"modified", "2026-01-01T00:00:00Z"}};
}

json bundle(json objects) { return {{"type", "bundle"}, {"id", "bundle--1"}, {"objects", std::move(objects)}}; }

Result<ImportResult> import_json(const json& document, const BundleLimits& limits = {}) {
  return import_bundle(document.dump(), "test.json", limits);
}

TEST(StixBundle, BrokenJsonIsAnErrorWithItsOffset) {
  const auto result = import_bundle("{\"type\": \"bundle\", \"objects\": [}", "feed.json");
  ASSERT_FALSE(result.has_value());
  EXPECT_NE(result.error().message.find("feed.json: not JSON (at byte 32)"), std::string::npos)
      << result.error().message;
  EXPECT_FALSE(import_bundle("[1, 2]", "feed.json").has_value());
  EXPECT_FALSE(import_bundle("{\"objects\": []}", "feed.json").has_value());
  EXPECT_FALSE(import_bundle("{\"type\": \"bundle\", \"objects\": 3}", "feed.json").has_value());
  EXPECT_TRUE(import_bundle("{\"type\": \"bundle\", \"id\": \"bundle--1\"}", "feed.json").has_value());
  const auto missing = import_bundle_file(kExamples / "no-such-file.json");
  ASSERT_FALSE(missing.has_value());
  EXPECT_EQ(missing.error().code, ErrorCode::kIo);
}

TEST(StixBundle, ABrokenPatternAmongGoodOnes) {
  const auto result = import_json(bundle({
      indicator("indicator--1", "[domain-name:value = 'a.example']"),
      indicator("indicator--2", "[domain-name:value = 'b.example' OR"),
      indicator("indicator--3", "[url:value = 'http://c.example/']"),
      "not an object",
  }));
  ASSERT_TRUE(result.has_value());
  ASSERT_EQ(result->indicators.size(), 2u);
  EXPECT_EQ(result->indicators[0].id, "indicator--1");
  EXPECT_EQ(result->indicators[1].id, "indicator--3");
  ASSERT_EQ(result->problems.size(), 2u);
  EXPECT_EQ(result->problems[1].where, "test.json: objects[3]");
  EXPECT_EQ(result->problems[0].where, "test.json: indicator--2");
  EXPECT_EQ(result->problems[0].what,
            "pattern: at 35: expected an object type (\"domain-name\") or '(', found end of pattern; "
            "indicator not kept");
}

TEST(StixBundle, UnsupportedPatternTypesAndConstructsAreProblems) {
  json sigma = indicator("indicator--s", "title: x");
  sigma["pattern_type"] = "sigma";
  const auto result = import_json(bundle({
      sigma,
      indicator("indicator--f", "[domain-name:value = 'a'] FOLLOWEDBY [domain-name:value = 'b']"),
      indicator("indicator--p", "[process:name = 'cmd.exe']"),
      indicator("indicator--m", "[process:name = 'cmd.exe'] OR [domain-name:value = 'a.example']"),
      {{"type", "malware"}, {"id", "malware--1"}, {"name", "X"}},
  }));
  ASSERT_TRUE(result.has_value());
  ASSERT_EQ(result->indicators.size(), 1u);
  EXPECT_EQ(result->indicators[0].id, "indicator--m");
  EXPECT_TRUE(result->indicators[0].values.empty());  // evaluated, not indexed
  const std::string text = problems_text(*result);
  EXPECT_NE(text.find("indicator--s: pattern_type 'sigma' is not supported"), std::string::npos) << text;
  EXPECT_NE(text.find("indicator--f: pattern uses FOLLOWEDBY"), std::string::npos) << text;
  EXPECT_NE(text.find("indicator--p: pattern tests only object types a message does not hold (process)"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("indicator--m: kept, but its comparisons on process never hold"), std::string::npos) << text;
  EXPECT_EQ(result->problems.size(), 4u);
}

TEST(StixBundle, RevokedExpiredConfidenceLabels) {
  json revoked = indicator("indicator--r", "[domain-name:value = 'r.example']");
  revoked["revoked"] = true;
  revoked["confidence"] = 85;
  revoked["labels"] = {"apt28", "phishing"};
  json expired = indicator("indicator--e", "[domain-name:value = 'e.example']");
  expired["valid_until"] = "2020-06-01T12:00:00.123+02:00";
  json bad_time = indicator("indicator--t", "[domain-name:value = 't.example']");
  bad_time["valid_until"] = "next tuesday";
  json bad_confidence = indicator("indicator--c", "[domain-name:value = 'c.example']");
  bad_confidence["confidence"] = 400;
  const auto result = import_json(bundle({revoked, expired, bad_time, bad_confidence}));
  ASSERT_TRUE(result.has_value());
  ASSERT_EQ(result->indicators.size(), 3u) << problems_text(*result);
  const Indicator& r = result->indicators[0];
  EXPECT_TRUE(r.revoked);
  EXPECT_EQ(r.confidence, 85);
  EXPECT_EQ(r.labels, (std::vector<std::string>{"apt28", "phishing"}));
  EXPECT_EQ(r.valid_from, 1767225600);  // 2026-01-01T00:00:00Z
  EXPECT_EQ(r.valid_until, 0);
  const Indicator& e = result->indicators[1];
  EXPECT_FALSE(e.revoked);
  EXPECT_EQ(e.confidence, -1);
  EXPECT_EQ(e.valid_until, 1591005600);  // 2020-06-01T10:00:00Z
  EXPECT_EQ(result->indicators[2].id, "indicator--c");
  EXPECT_EQ(result->indicators[2].confidence, -1);
  ASSERT_EQ(result->problems.size(), 2u);
  EXPECT_EQ(result->problems[0].where, "test.json: indicator--t");
  EXPECT_EQ(result->problems[0].what, "valid_until: not an RFC 3339 timestamp; indicator not kept");
  EXPECT_EQ(result->problems[1].what, "confidence: not an integer from 0 to 100; kept without it");
}

TEST(StixBundle, TlpMarkings) {
  auto marked = [](const std::string& id, std::vector<std::string> refs) {
    json object = indicator(id, "[domain-name:value = 'm.example']");
    object["object_marking_refs"] = refs;
    return object;
  };
  const json tlp1_custom = {{"type", "marking-definition"},
                            {"id", "marking-definition--custom-1"},
                            {"definition_type", "tlp"},
                            {"definition", {{"tlp", "amber"}}}};
  const json tlp2_custom = {
      {"type", "marking-definition"},
      {"id", "marking-definition--custom-2"},
      {"name", "TLP:AMBER+STRICT"},
      {"extensions",
       {{"extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d",
         {{"extension_type", "property-extension"}, {"tlp_2_0", "amber+strict"}}}}}};
  const json statement = {{"type", "marking-definition"},
                          {"id", "marking-definition--statement"},
                          {"definition_type", "statement"},
                          {"definition", {{"statement", "Copyright"}}}};
  const auto result = import_json(bundle({
      marked("indicator--white", {"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"}),
      marked("indicator--green1", {"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da"}),
      marked("indicator--red1", {"marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed"}),
      marked("indicator--clear2", {"marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487"}),
      marked("indicator--amberstrict2", {"marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"}),
      marked("indicator--custom1", {"marking-definition--custom-1", "marking-definition--statement"}),
      marked("indicator--custom2", {"marking-definition--custom-2"}),
      marked("indicator--most-restrictive", {"marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
                                             "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1"}),
      marked("indicator--statement-only", {"marking-definition--statement"}),
      tlp1_custom,
      tlp2_custom,
      statement,
  }));
  ASSERT_TRUE(result.has_value());
  ASSERT_EQ(result->indicators.size(), 9u) << problems_text(*result);
  const std::vector<Tlp> expected = {Tlp::kClear, Tlp::kGreen, Tlp::kRed,         Tlp::kClear,  Tlp::kAmberStrict,
                                     Tlp::kAmber, Tlp::kAmberStrict, Tlp::kRed, Tlp::kUnknown};
  for (std::size_t i = 0; i < expected.size(); ++i) {
    EXPECT_EQ(result->indicators[i].tlp, expected[i]) << result->indicators[i].id;
  }
  EXPECT_TRUE(result->problems.empty()) << problems_text(*result);
}

TEST(StixBundle, IndicatesRelationships) {
  const auto result = import_json(bundle({
      {{"type", "relationship"},
       {"id", "relationship--1"},
       {"relationship_type", "indicates"},
       {"source_ref", "indicator--1"},
       {"target_ref", "intrusion-set--apt28"}},
      {{"type", "relationship"},
       {"id", "relationship--2"},
       {"relationship_type", "indicates"},
       {"source_ref", "indicator--1"},
       {"target_ref", "malware--unknown"}},
      {{"type", "relationship"},
       {"id", "relationship--3"},
       {"relationship_type", "indicates"},
       {"source_ref", "indicator--1"},
       {"target_ref", "intrusion-set--apt28"}},
      {{"type", "relationship"},
       {"id", "relationship--4"},
       {"relationship_type", "related-to"},
       {"source_ref", "indicator--1"},
       {"target_ref", "campaign--c"}},
      {{"type", "relationship"},
       {"id", "relationship--5"},
       {"relationship_type", "indicates"},
       {"source_ref", "indicator--1"},
       {"target_ref", "attack-pattern--t1566"}},
      indicator("indicator--1", "[email-message:from_ref.value = 'x@evil.example']"),
      {{"type", "intrusion-set"}, {"id", "intrusion-set--apt28"}, {"name", "APT28"}},
      {{"type", "identity"}, {"id", "identity--cert"}, {"name", "CERT-FR"}},
  }));
  ASSERT_TRUE(result.has_value());
  ASSERT_EQ(result->indicators.size(), 1u);
  const Indicator& indicator = result->indicators[0];
  ASSERT_EQ(indicator.links.size(), 2u);
  EXPECT_EQ(indicator.links[0].kind, "intrusion-set");
  EXPECT_EQ(indicator.links[0].name, "APT28");
  EXPECT_EQ(indicator.links[1].kind, "malware");
  EXPECT_EQ(indicator.links[1].name, "malware--unknown");  // not in the bundle: its id
  EXPECT_EQ(indicator.source, "");
  ASSERT_EQ(indicator.values.size(), 1u);
  EXPECT_EQ(indicator.values[0].type, ObservableType::kEmailAddress);
}

TEST(StixBundle, CreatorIdentityOrItsId) {
  json named = indicator("indicator--1", "[domain-name:value = 'a.example']");
  named["created_by_ref"] = "identity--cert";
  json unnamed = indicator("indicator--2", "[domain-name:value = 'a.example']");
  unnamed["created_by_ref"] = "identity--elsewhere";
  const auto result = import_json(bundle({named, unnamed, {{"type", "identity"}, {"id", "identity--cert"}, {"name", "CERT-FR"}}}));
  ASSERT_TRUE(result.has_value());
  ASSERT_EQ(result->indicators.size(), 2u);
  EXPECT_EQ(result->indicators[0].source, "CERT-FR");
  EXPECT_EQ(result->indicators[1].source, "identity--elsewhere");
}

TEST(StixBundle, Limits) {
  BundleLimits limits;
  limits.max_objects = 2;
  const json three = bundle({indicator("indicator--1", "[a:b = 1]"), indicator("indicator--2", "[a:b = 1]"),
                             indicator("indicator--3", "[a:b = 1]")});
  const auto too_many = import_json(three, limits);
  ASSERT_FALSE(too_many.has_value());
  EXPECT_EQ(too_many.error().code, ErrorCode::kLimit);
  limits.max_bundle_bytes = 10;
  const auto too_big = import_json(three, limits);
  ASSERT_FALSE(too_big.has_value());
  EXPECT_EQ(too_big.error().code, ErrorCode::kLimit);
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  EXPECT_FALSE(import_bundle(deep, "deep.json").has_value());  // not a bundle, and no stack overflow
}

}  // namespace
}  // namespace vigie::intel::stix
