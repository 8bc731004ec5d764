// The event of a scanned message (see scan_record.h).
#include "service/serve/scan_record.h"

#include <chrono>

#include "intel/export/detection.h"

namespace vigie::service {
namespace {

// Objects listed in one event at most: the tree is already bounded by [limits], this keeps one
// row of the store small whatever those limits are set to.
constexpr std::size_t kMaxSummaryObjects = 200;

nlohmann::json objects_summary(const ObjectTree& objects) {
  nlohmann::json out = nlohmann::json::array();
  for (const Object& object : objects) {
    if (out.size() == kMaxSummaryObjects) {
      out.push_back({{"omitted", objects.size() - kMaxSummaryObjects}});
      break;
    }
    nlohmann::json item{{"path", objects.path(object.id)},
                        {"origin", object_origin_name(object.origin)},
                        {"size", object.size()}};
    if (!object.filename.empty()) item["filename"] = object.filename;
    if (!object.declared_type.empty()) item["declared_type"] = object.declared_type;
    if (!object.detected_type.empty()) item["detected_type"] = object.detected_type;
    if (object.is_file()) item["sha256"] = object.sha256();
    if (object.flags != 0) {
      nlohmann::json flags = nlohmann::json::array();
      for (const std::string_view flag : object_flag_names(object.flags)) flags.push_back(flag);
      item["flags"] = std::move(flags);
    }
    out.push_back(std::move(item));
  }
  return out;
}

}  // namespace

std::vector<store::EventFinding> event_findings(const ScanResult& result) {
  std::vector<store::EventFinding> out;
  out.reserve(result.findings.size());
  for (const Finding& f : result.findings) {
    const ObjectId object = f.evidence.empty() ? kMessageObject : f.evidence.front().object;
    out.push_back({f.id, f.group, f.score, result.objects.path(object)});
  }
  return out;
}

nlohmann::json findings_json(const std::vector<store::EventFinding>& findings) {
  nlohmann::json out = nlohmann::json::array();
  for (const store::EventFinding& f : findings) {
    out.push_back({{"id", f.id}, {"group", f.group}, {"score", f.score}, {"object", f.object_path}});
  }
  return out;
}

std::string export_record(const ScanResult& result, const Envelope& envelope,
                          const facts::OrganisationProfile& organisation, std::int64_t seen_at) {
  if (!result.message || !intel::sharing::worth_exporting(result)) return {};
  return intel::sharing::detection_record(intel::sharing::detection_of(result, envelope, organisation, seen_at));
}

store::Event scan_event(const std::string& id, const ScanResult& result, const Envelope& envelope,
                        std::uint64_t size, std::uint64_t engine_generation, std::string_view listener,
                        const facts::OrganisationProfile& organisation) {
  store::Event e;
  e.id = id;
  e.received_at = envelope.received_at != 0
                      ? envelope.received_at
                      : std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch()).count();
  e.queue_id = envelope.queue_id;
  e.client_ip = envelope.client_ip;
  e.helo = envelope.helo;
  e.mail_from = envelope.mail_from;
  e.recipients = envelope.recipients;
  if (result.message) {
    const AddressList& from = result.message->addresses("From");
    if (!from.mailboxes.empty()) e.header_from = from.mailboxes.front().address();
    e.subject = result.message->subject();
    e.message_id = result.message->message_id();
  }
  e.size = size;
  e.action = std::string(action_name(result.verdict.action));
  e.score = result.verdict.score;
  e.complete = result.verdict.complete;
  e.engine_generation = engine_generation;
  e.listener = std::string(listener);
  e.findings = event_findings(result);
  e.objects_json = objects_summary(result.objects).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
  e.export_record = export_record(result, envelope, organisation, e.received_at);
  return e;
}

}  // namespace vigie::service
