// Detections from scan results, and their compact JSON record (see detection.h).
#include "intel/export/detection.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <optional>

namespace vigie::intel::sharing {
namespace {

using json = nlohmann::json;

constexpr int kRecordVersion = 1;

std::optional<Action> action_named(std::string_view name) {
  for (const Action action : {Action::kAccept, Action::kTag, Action::kWarn, Action::kQuarantine, Action::kReject}) {
    if (action_name(action) == name) return action;
  }
  return std::nullopt;
}

json sighting_record(const IndicatorSighting& s) {
  json links = json::array();
  for (const IntelligenceLink& link : s.links) links.push_back({{"kind", link.kind}, {"name", link.name}, {"stix_id", link.stix_id}});
  return {{"indicator_id", s.indicator_id}, {"source", s.source},   {"name", s.name},
          {"observable_type", s.observable_type}, {"observed", s.observed}, {"matched", s.matched},
          {"how", s.how},                   {"object", s.object},   {"field", s.field},
          {"confidence", s.confidence},     {"tlp", s.tlp},         {"links", std::move(links)}};
}

// Reading a record: every key must be there with its type; the first one missing says why.
class RecordReader {
 public:
  const std::string& error() const { return error_; }

  std::string text(const json& object, const char* key) {
    const auto it = object.find(key);
    if (it != object.end() && it->is_string()) return it->get<std::string>();
    missing(key, "a string");
    return {};
  }
  std::int64_t integer(const json& object, const char* key) {
    const auto it = object.find(key);
    if (it != object.end() && it->is_number_integer()) return it->get<std::int64_t>();
    missing(key, "an integer");
    return 0;
  }
  double number(const json& object, const char* key) {
    const auto it = object.find(key);
    if (it != object.end() && it->is_number()) return it->get<double>();
    missing(key, "a number");
    return 0;
  }
  bool boolean(const json& object, const char* key) {
    const auto it = object.find(key);
    if (it != object.end() && it->is_boolean()) return it->get<bool>();
    missing(key, "a boolean");
    return false;
  }
  const json& array(const json& object, const char* key) {
    static const json kEmpty = json::array();
    const auto it = object.find(key);
    if (it != object.end() && it->is_array()) return *it;
    missing(key, "an array");
    return kEmpty;
  }
  void fail(std::string what) {
    if (error_.empty()) error_ = std::move(what);
  }

 private:
  void missing(const char* key, const char* what) { fail(std::string("\"") + key + "\" is not " + what); }
  std::string error_;
};

}  // namespace

bool worth_exporting(Action action, bool indicator_matched) { return action >= Action::kWarn || indicator_matched; }

bool worth_exporting(const Detection& detection) {
  return worth_exporting(detection.action, !detection.sightings.empty());
}

bool worth_exporting(const ScanResult& result) {
  const bool matched = std::any_of(result.findings.begin(), result.findings.end(),
                                   [](const Finding& f) { return !f.sightings.empty(); });
  return worth_exporting(result.verdict.action, matched);
}

Detection detection_of(const ScanResult& result, const facts::MessageFacts& facts, std::int64_t seen_at) {
  Detection d;
  const ParsedMessage& message = *result.message;
  d.message_id = message.message_id();
  d.subject = message.subject();
  if (const facts::Identity* author = facts.author()) {
    d.sender = author->address;
    d.sender_known_domain = author->standing != facts::DomainStanding::kOutside;
  }
  d.multipart = message.root().is_multipart();
  d.seen_at = seen_at;
  d.action = result.verdict.action;
  d.score = result.verdict.score;
  d.reasons = result.verdict.reasons;
  d.observables = message_observables(facts, result.objects);
  for (const Finding& finding : result.findings) {
    d.sightings.insert(d.sightings.end(), finding.sightings.begin(), finding.sightings.end());
  }
  return d;
}

Detection detection_of(const ScanResult& result, const Envelope& envelope, const facts::OrganisationProfile& profile,
                       std::int64_t seen_at) {
  const facts::MessageFacts facts(*result.message, envelope, profile, &result.objects);
  return detection_of(result, facts, seen_at);
}

std::string detection_record(const Detection& d) {
  json observables = json::array();
  for (const MessageObservable& o : d.observables) {
    observables.push_back(
        {{"type", observable_type_name(o.type)}, {"value", o.value}, {"object", o.object}, {"field", o.field}});
  }
  json sightings = json::array();
  for (const IndicatorSighting& s : d.sightings) sightings.push_back(sighting_record(s));
  const json record = {{"v", kRecordVersion},
                       {"message_id", d.message_id},
                       {"subject", d.subject},
                       {"sender", d.sender},
                       {"sender_known_domain", d.sender_known_domain},
                       {"multipart", d.multipart},
                       {"seen_at", d.seen_at},
                       {"action", action_name(d.action)},
                       {"score", d.score},
                       {"reasons", d.reasons},
                       {"observables", std::move(observables)},
                       {"sightings", std::move(sightings)}};
  // Invalid UTF-8 from a message (a raw 8-bit subject) must not make the record unwritable.
  return record.dump(-1, ' ', false, json::error_handler_t::replace);
}

Result<Detection> detection_from_record(std::string_view text) {
  const json record = json::parse(text, nullptr, false);
  if (record.is_discarded() || !record.is_object()) {
    return fail(Error::invalid_argument("detection record: not a JSON object"));
  }
  RecordReader read;
  if (read.integer(record, "v") != kRecordVersion && read.error().empty()) {
    return fail(Error::invalid_argument("detection record: version " + record["v"].dump() + ", this vigie reads " +
                                        std::to_string(kRecordVersion)));
  }
  Detection d;
  d.message_id = read.text(record, "message_id");
  d.subject = read.text(record, "subject");
  d.sender = read.text(record, "sender");
  d.sender_known_domain = read.boolean(record, "sender_known_domain");
  d.multipart = read.boolean(record, "multipart");
  d.seen_at = read.integer(record, "seen_at");
  const std::string action = read.text(record, "action");
  if (const std::optional<Action> named = action_named(action)) {
    d.action = *named;
  } else {
    read.fail("\"action\": unknown action '" + action + "'");
  }
  d.score = read.number(record, "score");
  for (const json& reason : read.array(record, "reasons")) {
    if (reason.is_string()) d.reasons.push_back(reason.get<std::string>());
  }
  for (const json& o : read.array(record, "observables")) {
    const std::string type = read.text(o, "type");
    const std::optional<ObservableType> named = observable_type_from_name(type);
    if (!named) {
      read.fail("observable: unknown type '" + type + "'");
      break;
    }
    d.observables.push_back({*named, read.text(o, "value"), static_cast<ObjectId>(read.integer(o, "object")),
                             read.text(o, "field")});
  }
  for (const json& s : read.array(record, "sightings")) {
    IndicatorSighting sighting;
    sighting.indicator_id = read.text(s, "indicator_id");
    sighting.source = read.text(s, "source");
    sighting.name = read.text(s, "name");
    sighting.observable_type = read.text(s, "observable_type");
    sighting.observed = read.text(s, "observed");
    sighting.matched = read.text(s, "matched");
    sighting.how = read.text(s, "how");
    sighting.object = static_cast<ObjectId>(read.integer(s, "object"));
    sighting.field = read.text(s, "field");
    sighting.confidence = static_cast<int>(read.integer(s, "confidence"));
    sighting.tlp = read.text(s, "tlp");
    for (const json& link : read.array(s, "links")) {
      sighting.links.push_back({read.text(link, "kind"), read.text(link, "name"), read.text(link, "stix_id")});
    }
    d.sightings.push_back(std::move(sighting));
  }
  if (!read.error().empty()) return fail(Error::invalid_argument("detection record: " + read.error()));
  return d;
}

}  // namespace vigie::intel::sharing
