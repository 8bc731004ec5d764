// Detections as one MISP event (see misp_export.h).
#include "intel/export/misp_export.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <optional>
#include <map>
#include <utility>

#include "intel/export/uuid5.h"

namespace vigie::intel::sharing {
namespace {

using ordered = nlohmann::ordered_json;

struct AttributeKind {
  std::string_view type;
  std::string_view category;
};

AttributeKind attribute_kind(const MessageObservable& o) {
  switch (o.type) {
    case ObservableType::kEmailAddress:
      return {o.field == "header:Reply-To" ? "email-reply-to" : "email-src", "Payload delivery"};
    case ObservableType::kDomain: return {"domain", "Network activity"};
    case ObservableType::kUrl: return {"url", "Network activity"};
    // The client and the Received hops sent the message; an address in a link is where it leads.
    case ObservableType::kIpv4:
    case ObservableType::kIpv6: return {o.field == "url" ? "ip-dst" : "ip-src", "Network activity"};
    case ObservableType::kMd5: return {"md5", "Payload delivery"};
    case ObservableType::kSha1: return {"sha1", "Payload delivery"};
    case ObservableType::kSha256: return {"sha256", "Payload delivery"};
    case ObservableType::kSha512: return {"sha512", "Payload delivery"};
    case ObservableType::kFileName: return {"filename", "Payload delivery"};
    case ObservableType::kEmailSubject: return {"email-subject", "Payload delivery"};
  }
  return {"text", "Other"};
}

// MISP distribution of an event marked `tlp`: how far a MISP instance may push it.
std::string_view distribution_of(Tlp tlp) {
  switch (tlp) {
    case Tlp::kClear: return "3";   // all communities
    case Tlp::kGreen: return "2";   // connected communities
    case Tlp::kRed: return "0";     // your organisation only
    case Tlp::kAmber:
    case Tlp::kAmberStrict:
    case Tlp::kUnknown: break;
  }
  return "1";  // this community only
}

std::string tlp_tag(Tlp tlp) {
  std::string name(tlp_name(tlp));
  std::transform(name.begin(), name.end(), name.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return name;
}

std::string_view threat_level_of(Action strongest) {
  if (strongest >= Action::kQuarantine) return "1";  // high
  if (strongest == Action::kWarn) return "2";        // medium
  return "3";                                        // low: only a partner's indicator matched
}

std::string describe(const Detection& d) {
  std::string text = d.subject.empty() ? std::string("a message") : "\"" + d.subject + "\"";
  if (!d.sender.empty()) text += " from " + d.sender;
  if (!d.message_id.empty()) text += " " + d.message_id;
  return text;
}

class EventBuilder {
 public:
  explicit EventBuilder(const ExportOptions& options)
      : options_(options), tlp_(options.tlp == Tlp::kUnknown ? Tlp::kAmber : options.tlp), now_(export_time(options)) {}

  void detection(const Detection& d) {
    strongest_ = std::max(strongest_, d.action);
    first_seen_ = first_seen_ == 0 ? d.seen_at : std::min(first_seen_, d.seen_at);
    keys_ += d.message_id + "\n" + std::to_string(d.seen_at) + "\n";
    const bool derive = d.action >= Action::kWarn;
    for (const MessageObservable& o : d.observables) {
      bool to_ids = false;
      if (derive) {
        to_ids = o.type == ObservableType::kUrl || o.type == ObservableType::kMd5 || o.type == ObservableType::kSha1 ||
                 o.type == ObservableType::kSha256 ||
                 (o.type == ObservableType::kEmailAddress && o.value == d.sender && !d.sender_known_domain);
      }
      attribute(o, to_ids, d);
    }
    for (const IndicatorSighting& s : d.sightings) {
      const std::optional<ObservableType> type = observable_type_from_name(s.observable_type);
      if (!type) continue;  // a pattern: the message as a whole, no one attribute
      ordered& a = attribute({*type, s.observed, s.object, s.field}, true, d);
      const std::string note = "matched " + (s.source.empty() ? std::string() : s.source + " ") + s.indicator_id;
      std::string comment = a["comment"].get<std::string>();
      if (comment.find(note) == std::string::npos) a["comment"] = comment + "; " + note;
      // A MISP attribute ("misp:<event uuid>/<attribute uuid>"): the sighting names it.
      if (s.indicator_id.starts_with("misp:") && s.indicator_id.find('/') != std::string::npos) {
        const std::string sighted = s.indicator_id.substr(s.indicator_id.rfind('/') + 1);
        ordered& sightings = a["Sighting"];
        const ordered sighting = {{"type", "0"},
                                  {"uuid", sighted},
                                  {"date_sighting", std::to_string(d.seen_at)},
                                  {"source", options_.producer}};
        if (std::find(sightings.begin(), sightings.end(), sighting) == sightings.end()) sightings.push_back(sighting);
      }
    }
    ++messages_;
  }

  std::string finish() {
    ordered attributes = ordered::array();
    for (auto& [key, a] : attributes_) {
      if (a["Sighting"].empty()) a.erase("Sighting");
      attributes.push_back(std::move(a));
    }
    std::sort(attributes.begin(), attributes.end(), [](const ordered& x, const ordered& y) {
      return std::pair(x["type"].get<std::string>(), x["value"].get<std::string>()) <
             std::pair(y["type"].get<std::string>(), y["value"].get<std::string>());
    });
    std::string info = "vigie: " + std::to_string(messages_) + (messages_ == 1 ? " message" : " messages") +
                       " detected, first on " + rfc3339_millis(first_seen_).substr(0, 10);
    ordered event = {{"uuid", uuid5(kVigieNamespace, "misp-event:" + options_.producer + "\n" + keys_)},
                     {"info", info},
                     {"date", rfc3339_millis(first_seen_ != 0 ? first_seen_ : now_).substr(0, 10)},
                     {"threat_level_id", threat_level_of(strongest_)},
                     {"analysis", "2"},
                     {"distribution", distribution_of(tlp_)},
                     {"sharing_group_id", "0"},
                     {"published", false},
                     {"timestamp", std::to_string(now_)},
                     {"publish_timestamp", "0"},
                     {"attribute_count", std::to_string(attributes.size())},
                     {"Orgc", {{"name", options_.producer}, {"uuid", uuid5(kVigieNamespace, "organisation:" + options_.producer)}}},
                     {"Tag", ordered::array({ordered{{"name", tlp_tag(tlp_)}}})},
                     {"Attribute", std::move(attributes)}};
    const ordered document = {{"Event", std::move(event)}};
    return document.dump(2, ' ', false, ordered::error_handler_t::replace) + "\n";
  }

 private:
  // The event's attribute for this value, made on first sight: one per type and value however
  // many messages showed it, its comment naming the first.
  ordered& attribute(const MessageObservable& o, bool to_ids, const Detection& d) {
    const AttributeKind kind = attribute_kind(o);
    const std::string key = std::string(kind.type) + "\n" + o.value;
    auto [it, made] = attributes_.try_emplace(key);
    ordered& a = it->second;
    if (made) {
      a = {{"uuid", uuid5(kVigieNamespace, "misp-attribute:" + key)},
           {"type", kind.type},
           {"category", kind.category},
           {"to_ids", to_ids},
           {"distribution", "5"},  // as the event
           {"timestamp", std::to_string(d.seen_at)},
           {"comment", o.field + " of " + describe(d)},
           {"deleted", false},
           {"value", o.value},
           {"first_seen", rfc3339_millis(d.seen_at)},
           {"Sighting", ordered::array()}};
    } else if (to_ids) {
      a["to_ids"] = true;
    }
    return a;
  }

  const ExportOptions& options_;
  const Tlp tlp_;
  const std::int64_t now_;
  Action strongest_ = Action::kAccept;
  std::int64_t first_seen_ = 0;
  std::size_t messages_ = 0;
  std::string keys_;
  std::map<std::string, ordered> attributes_;
};

}  // namespace

std::string export_misp_event(std::span<const Detection> detections, const ExportOptions& options) {
  EventBuilder builder(options);
  for (const Detection& d : detections) builder.detection(d);
  return builder.finish();
}

}  // namespace vigie::intel::sharing
