// The MISP export: attributes and their types, to_ids on what vigie derives or matched, the TLP
// as tag and distribution, sightings of the partner's MISP attributes.
#include "intel/export/misp_export.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace vigie::intel::sharing {
namespace {

using json = nlohmann::json;

Detection lure(Action action) {
  Detection d;
  d.message_id = "<lure@example>";
  d.subject = "Convocation";
  d.sender = "rh@portail-rh.example";
  d.seen_at = 1796198400;
  d.action = action;
  d.observables = {
      {ObservableType::kEmailAddress, "rh@portail-rh.example", kMessageObject, "header:From"},
      {ObservableType::kEmailAddress, "reply@elsewhere.example", kMessageObject, "header:Reply-To"},
      {ObservableType::kDomain, "portail-rh.example", kMessageObject, "header:From"},
      {ObservableType::kIpv4, "198.51.100.23", kMessageObject, "header:Received"},
      {ObservableType::kIpv4, "203.0.113.9", 1, "url"},
      {ObservableType::kUrl, "https://evil.example/kit/", 1, "url"},
      {ObservableType::kSha256, std::string(64, 'e'), 2, "sha256"},
      {ObservableType::kMd5, std::string(32, 'd'), 2, "md5"},
      {ObservableType::kFileName, "a.zip", 2, "filename"},
      {ObservableType::kEmailSubject, "Convocation", kMessageObject, "header:Subject"},
  };
  IndicatorSighting s;
  s.indicator_id = "misp:11111111-1111-4111-8111-111111111111/22222222-2222-4222-8222-222222222222";
  s.source = "partner";
  s.observable_type = "ipv4";
  s.observed = "198.51.100.23";
  s.matched = "198.51.100.0/24";
  s.how = "in network";
  s.field = "header:Received";
  d.sightings = {s};
  return d;
}

json event_of(const std::vector<Detection>& detections, Tlp tlp = Tlp::kUnknown) {
  ExportOptions options;
  options.producer = "CERT ministère";
  options.tlp = tlp;
  options.now = 1796284800;
  return json::parse(export_misp_event(detections, options))["Event"];
}

const json& attribute(const json& event, std::string_view type, std::string_view value) {
  for (const json& a : event["Attribute"]) {
    if (a["type"] == type && a["value"] == value) return a;
  }
  static const json kNone;
  ADD_FAILURE() << "no attribute " << type << " " << value;
  return kNone;
}

TEST(MispExport, EventMetadata) {
  const json event = event_of({lure(Action::kQuarantine)});
  EXPECT_EQ(event["info"], "vigie: 1 message detected, first on 2026-12-02");
  EXPECT_EQ(event["date"], "2026-12-02");
  EXPECT_EQ(event["threat_level_id"], "1");
  EXPECT_EQ(event["analysis"], "2");
  EXPECT_EQ(event["distribution"], "1") << "TLP:AMBER by default: this community only";
  EXPECT_EQ(event["Tag"][0]["name"], "tlp:amber");
  EXPECT_EQ(event["Orgc"]["name"], "CERT ministère");
  EXPECT_EQ(event["published"], false);
  EXPECT_EQ(event["uuid"].get<std::string>().size(), 36u);
  EXPECT_EQ(event["attribute_count"], std::to_string(event["Attribute"].size()));
  EXPECT_EQ(event_of({lure(Action::kWarn)}, Tlp::kRed)["distribution"], "0");
  EXPECT_EQ(event_of({lure(Action::kWarn)}, Tlp::kClear)["Tag"][0]["name"], "tlp:clear");
  EXPECT_EQ(event_of({lure(Action::kWarn)})["threat_level_id"], "2");
}

TEST(MispExport, AttributesTypedAndActionable) {
  const json event = event_of({lure(Action::kQuarantine)});
  EXPECT_EQ(attribute(event, "email-src", "rh@portail-rh.example")["to_ids"], true);
  EXPECT_EQ(attribute(event, "email-reply-to", "reply@elsewhere.example")["to_ids"], false);
  EXPECT_EQ(attribute(event, "domain", "portail-rh.example")["category"], "Network activity");
  EXPECT_EQ(attribute(event, "ip-dst", "203.0.113.9")["to_ids"], false);
  EXPECT_EQ(attribute(event, "url", "https://evil.example/kit/")["to_ids"], true);
  EXPECT_EQ(attribute(event, "sha256", std::string(64, 'e'))["to_ids"], true);
  EXPECT_EQ(attribute(event, "md5", std::string(32, 'd'))["category"], "Payload delivery");
  EXPECT_EQ(attribute(event, "filename", "a.zip")["to_ids"], false);
  EXPECT_EQ(attribute(event, "email-subject", "Convocation")["to_ids"], false);
  for (const json& a : event["Attribute"]) {
    for (const char* key : {"uuid", "type", "category", "to_ids", "distribution", "timestamp", "value", "deleted"}) {
      EXPECT_TRUE(a.contains(key)) << a["value"] << " " << key;
    }
  }
  // Tagged: nothing derived, but the value a partner's indicator matched stays actionable.
  const json tagged = event_of({lure(Action::kTag)});
  EXPECT_EQ(attribute(tagged, "url", "https://evil.example/kit/")["to_ids"], false);
  EXPECT_EQ(attribute(tagged, "ip-src", "198.51.100.23")["to_ids"], true);
}

TEST(MispExport, SightingOfThePartnersAttribute) {
  const json event = event_of({lure(Action::kQuarantine)});
  const json& hop = attribute(event, "ip-src", "198.51.100.23");
  ASSERT_EQ(hop["Sighting"].size(), 1u);
  EXPECT_EQ(hop["Sighting"][0]["uuid"], "22222222-2222-4222-8222-222222222222");
  EXPECT_EQ(hop["Sighting"][0]["type"], "0");
  EXPECT_EQ(hop["Sighting"][0]["date_sighting"], "1796198400");
  EXPECT_NE(hop["comment"].get<std::string>().find("matched partner misp:"), std::string::npos);
  EXPECT_FALSE(attribute(event, "domain", "portail-rh.example").contains("Sighting"));
}

TEST(MispExport, OneAttributePerValueAcrossMessages) {
  Detection second = lure(Action::kWarn);
  second.message_id = "<second@example>";
  second.seen_at += 86400;
  const json event = event_of({lure(Action::kQuarantine), second});
  EXPECT_EQ(event["info"], "vigie: 2 messages detected, first on 2026-12-02");
  EXPECT_EQ(event["Attribute"].size(), 10u);
  EXPECT_EQ(attribute(event, "ip-src", "198.51.100.23")["Sighting"].size(), 2u) << "one per message";
}

}  // namespace
}  // namespace vigie::intel::sharing
