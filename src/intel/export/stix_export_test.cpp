// The STIX export: ids (SCOs by the spec's UUIDv5, the rest deterministic), every reference
// resolving in the bundle, patterns, markings, and what is derived from which detection.
#include "intel/export/stix_export.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <set>

namespace vigie::intel::sharing {
namespace {

using json = nlohmann::json;

constexpr std::int64_t kSeen = 1796198400;  // 2026-12-02T08:00:00Z
constexpr std::int64_t kNow = 1796284800;

IndicatorSighting sighting(std::string id, std::string type, std::string observed, std::string matched) {
  IndicatorSighting s;
  s.indicator_id = std::move(id);
  s.source = "CERT partenaire";
  s.observable_type = std::move(type);
  s.observed = std::move(observed);
  s.matched = std::move(matched);
  s.how = "exact";
  s.field = "header:From";
  s.confidence = 70;
  return s;
}

Detection lure() {
  Detection d;
  d.message_id = "<lure@example>";
  d.subject = "Convocation";
  d.sender = "rh@portail-rh.example";
  d.multipart = true;
  d.seen_at = kSeen;
  d.action = Action::kQuarantine;
  d.reasons = {"INTEL_MATCH"};
  d.observables = {
      {ObservableType::kEmailAddress, "rh@portail-rh.example", kMessageObject, "header:From"},
      {ObservableType::kDomain, "evil.example", kMessageObject, "header:From"},
      {ObservableType::kIpv4, "198.51.100.23", kMessageObject, "header:Received"},
      {ObservableType::kIpv6, "2001:db8::1", kMessageObject, "envelope:client"},
      {ObservableType::kUrl, "https://evil.example/it's", 1, "url"},
      {ObservableType::kSha256, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", 2, "sha256"},
      {ObservableType::kSha1, "da39a3ee5e6b4b0d3255bfef95601890afd80709", 2, "sha1"},
      {ObservableType::kMd5, "d41d8cd98f00b204e9800998ecf8427e", 2, "md5"},
      {ObservableType::kFileName, "a.zip", 2, "filename"},
      {ObservableType::kEmailSubject, "Convocation", kMessageObject, "header:Subject"},
  };
  d.sightings = {
      sighting("indicator--00000000-0000-4000-8000-000000000001", "domain", "evil.example", "evil.example"),
      sighting("misp:11111111-1111-4111-8111-111111111111/22222222-2222-4222-8222-222222222222", "email-address",
               "rh@portail-rh.example", "rh@portail-rh.example"),
  };
  d.sightings[1].tlp = "TLP:RED";
  return d;
}

json bundle_of(const std::vector<Detection>& detections, ExportOptions options = {}) {
  options.now = kNow;
  return json::parse(export_stix_bundle(detections, options));
}

std::vector<json> of_type(const json& bundle, std::string_view type) {
  std::vector<json> out;
  for (const json& o : bundle["objects"]) {
    if (o["type"] == type) out.push_back(o);
  }
  return out;
}

const json* by_id(const json& bundle, const std::string& id) {
  for (const json& o : bundle["objects"]) {
    if (o["id"] == id) return &o;
  }
  return nullptr;
}

TEST(StixExport, ScoIdsAreTheSpecsUuid5) {
  const json bundle = bundle_of({lure()});
  // Computed independently: uuid5(00abedb4-..., canonical JSON of the contributing properties).
  EXPECT_NE(by_id(bundle, "domain-name--69228563-c8d2-54ae-aeca-5f4134cb59aa"), nullptr);
  const json* file = by_id(bundle, "file--208f3cfc-8252-5598-939a-0f3b5328496f");
  ASSERT_NE(file, nullptr) << "file id over its MD5 and name";
  EXPECT_EQ((*file)["hashes"]["SHA-256"], "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ((*file)["name"], "a.zip");
}

TEST(StixExport, EveryReferenceResolvesInTheBundle) {
  const json bundle = bundle_of({lure()});
  EXPECT_EQ(bundle["type"], "bundle");
  std::set<std::string> ids;
  for (const json& o : bundle["objects"]) EXPECT_TRUE(ids.insert(o["id"].get<std::string>()).second) << o["id"];
  for (const json& o : bundle["objects"]) {
    for (const auto& [key, value] : o.items()) {
      const bool partner_stix = key == "sighting_of_ref" && value == "indicator--00000000-0000-4000-8000-000000000001";
      if (key.ends_with("_ref") && !partner_stix) {
        EXPECT_TRUE(ids.count(value.get<std::string>())) << o["id"] << " " << key;
      }
      if (key.ends_with("_refs")) {
        for (const json& ref : value) EXPECT_TRUE(ids.count(ref.get<std::string>())) << o["id"] << " " << key << " " << ref;
      }
    }
  }
}

TEST(StixExport, SightingsOfStixAndDerivedIndicators) {
  const json bundle = bundle_of({lure()});
  const std::vector<json> sightings = of_type(bundle, "sighting");
  ASSERT_EQ(sightings.size(), 2u);
  EXPECT_EQ(sightings[0]["sighting_of_ref"], "indicator--00000000-0000-4000-8000-000000000001");
  const std::string derived_ref = sightings[1]["sighting_of_ref"];
  const json* derived = by_id(bundle, derived_ref);
  ASSERT_NE(derived, nullptr) << "a MISP attribute is sighted through an indicator written in the bundle";
  EXPECT_EQ((*derived)["pattern"], "[email-addr:value = 'rh@portail-rh.example']");
  EXPECT_EQ((*derived)["external_references"][0]["external_id"],
            "misp:11111111-1111-4111-8111-111111111111/22222222-2222-4222-8222-222222222222");
  EXPECT_EQ((*derived)["confidence"], 70);
  const json observed = of_type(bundle, "observed-data").at(0);
  EXPECT_EQ(sightings[0]["observed_data_refs"][0], observed["id"]);
  EXPECT_EQ(sightings[0]["where_sighted_refs"][0], of_type(bundle, "identity").at(0)["id"]);
  EXPECT_EQ(sightings[0]["first_seen"], "2026-12-02T08:00:00.000Z");
  EXPECT_EQ(observed["first_observed"], "2026-12-02T08:00:00.000Z");
  EXPECT_EQ(observed["created"], "2026-12-03T08:00:00.000Z");
  EXPECT_EQ(observed["object_refs"][0].get<std::string>().rfind("email-message--", 0), 0u);
}

TEST(StixExport, IndicatorsDerivedFromAQuarantinedMessage) {
  const json bundle = bundle_of({lure()});
  std::set<std::string> patterns;
  for (const json& i : of_type(bundle, "indicator")) {
    if (i.contains("indicator_types")) {
      EXPECT_EQ(i["indicator_types"][0], "malicious-activity");
      patterns.insert(i["pattern"]);
    }
  }
  EXPECT_EQ(patterns, (std::set<std::string>{
                          "[email-addr:value = 'rh@portail-rh.example']",
                          "[url:value = 'https://evil.example/it\\'s']",
                          "[file:hashes.'SHA-256' = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855']",
                      }));
  EXPECT_EQ(of_type(bundle, "relationship").size(), 3u);

  Detection tagged = lure();
  tagged.action = Action::kTag;
  const json only_sightings = bundle_of({tagged});
  for (const json& i : of_type(only_sightings, "indicator")) {
    EXPECT_FALSE(i.contains("indicator_types")) << i["pattern"];
  }
  EXPECT_TRUE(of_type(only_sightings, "relationship").empty());

  Detection colleague = lure();
  colleague.sender_known_domain = true;
  for (const json& i : of_type(bundle_of({colleague}), "indicator")) {
    if (!i.contains("indicator_types")) continue;  // the partner's, sighted
    EXPECT_NE(i["pattern"], "[email-addr:value = 'rh@portail-rh.example']") << "no indicator from one of our senders";
  }
}

TEST(StixExport, TlpMarkingsAreTlp2AndNeverLooserThanThePartners) {
  ExportOptions options;
  options.producer = "CERT ministère";
  options.tlp = Tlp::kGreen;
  const json bundle = bundle_of({lure()}, options);
  EXPECT_EQ(of_type(bundle, "identity").at(0)["name"], "CERT ministère");
  const std::vector<json> markings = of_type(bundle, "marking-definition");
  ASSERT_EQ(markings.size(), 2u) << "green for ours, red kept for the partner's red indicator";
  EXPECT_EQ(markings[0]["id"], "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb");
  EXPECT_EQ(markings[0]["extensions"]["extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d"]["tlp_2_0"], "green");
  EXPECT_EQ(markings[1]["id"], "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1");
  const std::vector<json> sightings = of_type(bundle, "sighting");
  EXPECT_EQ(sightings[0]["object_marking_refs"][0], "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb");
  EXPECT_EQ(sightings[1]["object_marking_refs"][0], "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1");
  for (const json& o : bundle["objects"]) {
    if (o["type"] != "marking-definition") {
      EXPECT_TRUE(o.contains("object_marking_refs")) << o["id"];
    }
  }
  EXPECT_EQ(of_type(bundle_of({lure()}), "marking-definition").at(0)["name"], "TLP:AMBER") << "the default";
}

TEST(StixExport, SameDetectionsSameBundle) {
  EXPECT_EQ(bundle_of({lure()}), bundle_of({lure()}));
  Detection again = lure();
  again.seen_at += 3600;
  again.message_id = "<second@example>";
  const json two = bundle_of({lure(), again});
  EXPECT_EQ(of_type(two, "observed-data").size(), 2u);
  EXPECT_EQ(of_type(two, "domain-name").size(), 1u) << "one SCO per value";
  EXPECT_EQ(of_type(two, "sighting").size(), 4u);
}

TEST(StixExport, PatternsAndTlpNames) {
  EXPECT_EQ(stix_pattern_of(ObservableType::kSha1, "ab"), "[file:hashes.'SHA-1' = 'ab']");
  EXPECT_EQ(stix_pattern_of(ObservableType::kIpv4, "10.0.0.0/8"), "[ipv4-addr:value = '10.0.0.0/8']");
  EXPECT_EQ(stix_pattern_of(ObservableType::kEmailSubject, "a\\b"), "[email-message:subject = 'a\\\\b']");
  Tlp tlp = Tlp::kUnknown;
  EXPECT_TRUE(parse_tlp("TLP:AMBER+STRICT", tlp));
  EXPECT_EQ(tlp, Tlp::kAmberStrict);
  EXPECT_TRUE(parse_tlp("white", tlp));
  EXPECT_EQ(tlp, Tlp::kClear);
  EXPECT_FALSE(parse_tlp("orange", tlp));
  EXPECT_EQ(rfc3339_millis(0), "1970-01-01T00:00:00.000Z");
}

}  // namespace
}  // namespace vigie::intel::sharing
