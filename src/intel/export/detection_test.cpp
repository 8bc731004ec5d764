// Detections: the record the event store keeps reads back as it was written; the UUIDv5 the
// exports' ids rest on is RFC 4122's.
#include "intel/export/detection.h"

#include <gtest/gtest.h>

#include "intel/export/uuid5.h"

namespace vigie::intel::sharing {
namespace {

Detection sample() {
  Detection d;
  d.message_id = "<lure@example>";
  d.subject = "Convocation « entretien »";
  d.sender = "rh@portail-rh.example";
  d.multipart = true;
  d.seen_at = 1796198400;
  d.action = Action::kQuarantine;
  d.score = 14.5;
  d.reasons = {"INTEL_MATCH", "LOOKALIKE_DOMAIN"};
  d.observables = {{ObservableType::kEmailAddress, "rh@portail-rh.example", kMessageObject, "header:From"},
                   {ObservableType::kSha256, std::string(64, 'a'), 3, "sha256"}};
  IndicatorSighting s;
  s.indicator_id = "misp:11111111-1111-4111-8111-111111111111/22222222-2222-4222-8222-222222222222";
  s.source = "CERT partenaire";
  s.observable_type = "email-address";
  s.observed = "rh@portail-rh.example";
  s.matched = "rh@portail-rh.example";
  s.how = "exact";
  s.field = "header:From";
  s.confidence = 80;
  s.tlp = "TLP:AMBER";
  s.links = {{"intrusion-set", "APT28", "intrusion-set--bef4c620-0787-42a8-a96d-b7eb6e85917c"}};
  d.sightings = {s};
  return d;
}

TEST(ExportDetection, RecordReadsBackAsWritten) {
  const Detection d = sample();
  const std::string record = detection_record(d);
  EXPECT_EQ(record.find('\n'), std::string::npos) << "one line";
  Result<Detection> back = detection_from_record(record);
  ASSERT_TRUE(back) << back.error().message;
  EXPECT_EQ(back->message_id, d.message_id);
  EXPECT_EQ(back->subject, d.subject);
  EXPECT_EQ(back->action, Action::kQuarantine);
  EXPECT_EQ(back->seen_at, d.seen_at);
  EXPECT_EQ(back->reasons, d.reasons);
  ASSERT_EQ(back->observables.size(), 2u);
  EXPECT_EQ(back->observables[1].type, ObservableType::kSha256);
  EXPECT_EQ(back->observables[1].object, 3u);
  ASSERT_EQ(back->sightings.size(), 1u);
  EXPECT_EQ(back->sightings[0].indicator_id, d.sightings[0].indicator_id);
  EXPECT_EQ(back->sightings[0].confidence, 80);
  ASSERT_EQ(back->sightings[0].links.size(), 1u);
  EXPECT_EQ(back->sightings[0].links[0].name, "APT28");
  EXPECT_EQ(detection_record(*back), record);
}

TEST(ExportDetection, BadRecordsSayWhy) {
  EXPECT_FALSE(detection_from_record("not json"));
  Result<Detection> other_version = detection_from_record(R"({"v": 2})");
  ASSERT_FALSE(other_version);
  EXPECT_NE(other_version.error().message.find("version 2"), std::string::npos);
  std::string record = detection_record(sample());
  record.replace(record.find("\"quarantine\""), 12, "\"obliterate\"");
  Result<Detection> bad_action = detection_from_record(record);
  ASSERT_FALSE(bad_action);
  EXPECT_NE(bad_action.error().message.find("obliterate"), std::string::npos);
}

TEST(ExportDetection, WorthExportingIsWarnOrAMatch) {
  Detection d = sample();
  EXPECT_TRUE(worth_exporting(d));
  d.action = Action::kTag;
  EXPECT_TRUE(worth_exporting(d)) << "a partner's indicator matched";
  d.sightings.clear();
  EXPECT_FALSE(worth_exporting(d));
  d.action = Action::kWarn;
  EXPECT_TRUE(worth_exporting(d));
}

TEST(ExportUuid5, MatchesRfc4122) {
  // Python: uuid.uuid5(uuid.NAMESPACE_DNS, "python.org")
  EXPECT_EQ(uuid5("6ba7b810-9dad-11d1-80b4-00c04fd430c8", "python.org"), "886313e1-3b8a-5372-9b90-0c9aee199e5d");
  EXPECT_THROW(uuid5("not-a-uuid", "x"), std::invalid_argument);
}

}  // namespace
}  // namespace vigie::intel::sharing
