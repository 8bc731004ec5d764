// Detections as a STIX 2.1 bundle (see stix_export.h).
#include "intel/export/stix_export.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <ctime>
#include <map>
#include <optional>
#include <set>

#include "intel/export/uuid5.h"

namespace vigie::intel::sharing {
namespace {

using ordered = nlohmann::ordered_json;
using sorted = nlohmann::json;  // keys sorted: the canonical form the SCO ids are computed over

// The TLP 2.0 extension that the TLP 2.0 marking definitions carry.
constexpr std::string_view kTlp2Extension = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";

std::string vigie_id(std::string_view type, std::string_view name) {
  return std::string(type) + "--" + uuid5(kVigieNamespace, std::string(type) + ":" + std::string(name));
}

// STIX 2.1 §2.9: the UUIDv5 of the canonical JSON (RFC 8785: sorted keys, no whitespace) of the
// id-contributing properties.
std::string sco_id(std::string_view type, const sorted& contributing) {
  return std::string(type) + "--" + uuid5(kStixScoNamespace, contributing.dump(-1, ' ', false, sorted::error_handler_t::replace));
}

std::string_view tlp2_value(Tlp tlp) {
  switch (tlp) {
    case Tlp::kClear: return "clear";
    case Tlp::kGreen: return "green";
    case Tlp::kAmberStrict: return "amber+strict";
    case Tlp::kRed: return "red";
    case Tlp::kAmber:
    case Tlp::kUnknown: break;
  }
  return "amber";
}

Tlp tlp_named(std::string_view name) {
  Tlp tlp = Tlp::kUnknown;
  parse_tlp(name, tlp);
  return tlp;
}

// A valid STIX identifier of an indicator (what the schemas' identifier pattern accepts).
bool is_stix_indicator_id(std::string_view id) {
  constexpr std::string_view kPrefix = "indicator--";
  if (!id.starts_with(kPrefix) || id.size() != kPrefix.size() + 36) return false;
  const std::string_view uuid = id.substr(kPrefix.size());
  for (std::size_t i = 0; i < uuid.size(); ++i) {
    const char c = uuid[i];
    if (i == 8 || i == 13 || i == 18 || i == 23) {
      if (c != '-') return false;
    } else if (!std::isxdigit(static_cast<unsigned char>(c))) {
      return false;
    }
  }
  return uuid[14] >= '1' && uuid[14] <= '5' && std::string_view("89abAB").find(uuid[19]) != std::string_view::npos;
}

std::string verdict_words(Action action) {
  switch (action) {
    case Action::kReject: return "rejected";
    case Action::kQuarantine: return "quarantined";
    case Action::kWarn: return "delivered with a warning";
    case Action::kTag: return "tagged";
    case Action::kAccept: break;
  }
  return "accepted";
}

std::string join(const std::vector<std::string>& items, std::string_view separator) {
  std::string out;
  for (const std::string& item : items) {
    if (!out.empty()) out += separator;
    out += item;
  }
  return out;
}

class BundleBuilder {
 public:
  explicit BundleBuilder(const ExportOptions& options)
      : created_(rfc3339_millis(export_time(options))),
        tlp_(options.tlp == Tlp::kUnknown ? Tlp::kAmber : options.tlp),
        identity_id_(vigie_id("identity", options.producer)) {
    add({{"type", "identity"},
         {"spec_version", "2.1"},
         {"id", identity_id_},
         {"created", created_},
         {"modified", created_},
         {"name", options.producer},
         {"identity_class", "organization"},
         {"object_marking_refs", ordered::array({marking(tlp_)})}});
  }

  void detection(const Detection& d) {
    const std::string key = d.message_id + "\n" + std::to_string(d.seen_at) + "\n" + d.sender + "\n" + d.subject;
    const std::string seen = rfc3339_millis(d.seen_at);
    const std::vector<std::string> refs = observables(d);
    const std::string observed_id = vigie_id("observed-data", key);
    ordered observed = sdo("observed-data", observed_id, tlp_);
    observed["first_observed"] = seen;
    observed["last_observed"] = seen;
    observed["number_observed"] = 1;
    observed["object_refs"] = refs;
    add(std::move(observed));

    std::set<std::string> sighted;
    for (const IndicatorSighting& s : d.sightings) {
      if (!sighted.insert(s.indicator_id).second) continue;
      // Sharing back what a partner marked must not loosen the partner's marking.
      const Tlp tlp = std::max(tlp_, tlp_named(s.tlp));
      const std::string indicator_ref = is_stix_indicator_id(s.indicator_id) ? s.indicator_id : partner_indicator(s, seen, tlp);
      ordered sighting = sdo("sighting", vigie_id("sighting", key + "\n" + s.indicator_id), tlp);
      sighting["description"] = (s.observable_type == "pattern" ? std::string("the message satisfied the pattern")
                                                                : s.observable_type + " " + s.observed) +
                                " (" + s.field + ", " + s.how + " match of " +
                                (s.source.empty() ? s.indicator_id : s.source + " " + s.indicator_id) + ")";
      sighting["first_seen"] = seen;
      sighting["last_seen"] = seen;
      sighting["count"] = 1;
      sighting["sighting_of_ref"] = indicator_ref;
      sighting["observed_data_refs"] = ordered::array({observed_id});
      sighting["where_sighted_refs"] = ordered::array({identity_id_});
      add(std::move(sighting));
    }

    if (d.action < Action::kWarn) return;
    const std::string why = "vigie " + verdict_words(d.action) + " a message" +
                            (d.subject.empty() ? std::string() : " \"" + d.subject + "\"") +
                            (d.reasons.empty() ? std::string() : " (" + join(d.reasons, ", ") + ")");
    if (!d.sender.empty() && !d.sender_known_domain) derived_indicator(ObservableType::kEmailAddress, d.sender, "Sender " + d.sender, why, d, observed_id);
    std::map<ObjectId, std::string> file_names;
    for (const MessageObservable& o : d.observables) {
      if (o.type == ObservableType::kFileName) file_names.emplace(o.object, o.value);
    }
    for (const MessageObservable& o : d.observables) {
      if (o.type == ObservableType::kUrl) derived_indicator(o.type, o.value, "Link " + o.value, why, d, observed_id);
      if (o.type == ObservableType::kSha256) {
        const auto name = file_names.find(o.object);
        derived_indicator(o.type, o.value, "File " + (name != file_names.end() ? name->second + " " : "") + o.value, why,
                          d, observed_id);
      }
    }
  }

  std::string finish() {
    std::string ids;
    for (const ordered& object : objects_) ids += object["id"].get<std::string>() + "\n";
    ordered bundle = {{"type", "bundle"}, {"id", "bundle--" + uuid5(kVigieNamespace, "bundle:" + created_ + "\n" + ids)}};
    ordered objects = ordered::array();
    for (const Tlp tlp : markings_used_) objects.push_back(marking_definition(tlp));
    for (ordered& object : objects_) objects.push_back(std::move(object));
    bundle["objects"] = std::move(objects);
    return bundle.dump(2, ' ', false, ordered::error_handler_t::replace) + "\n";
  }

 private:
  std::string marking(Tlp tlp) {
    markings_used_.insert(tlp);
    return std::string(tlp2_marking_id(tlp));
  }

  static ordered marking_definition(Tlp tlp) {
    return {{"type", "marking-definition"},
            {"spec_version", "2.1"},
            {"id", tlp2_marking_id(tlp)},
            {"created", "2022-10-01T00:00:00.000Z"},
            {"name", tlp_name(tlp)},
            {"extensions",
             {{kTlp2Extension, {{"extension_type", "property-extension"}, {"tlp_2_0", tlp2_value(tlp)}}}}}};
  }

  ordered sdo(std::string_view type, const std::string& id, Tlp tlp) {
    return {{"type", type},
            {"spec_version", "2.1"},
            {"id", id},
            {"created_by_ref", identity_id_},
            {"created", created_},
            {"modified", created_},
            {"object_marking_refs", ordered::array({marking(tlp)})}};
  }

  // Adds an object unless one with its id is there already (the same SCO in two messages, the
  // same sender in two detections). Returns its id.
  std::string add(ordered object) {
    std::string id = object["id"].get<std::string>();
    if (ids_.insert(id).second) objects_.push_back(std::move(object));
    return id;
  }

  std::string sco(std::string_view type, const sorted& contributing, ordered properties) {
    ordered object = {{"type", type}, {"spec_version", "2.1"}, {"id", sco_id(type, contributing)}};
    for (auto& [name, value] : properties.items()) object[name] = value;
    object["object_marking_refs"] = ordered::array({marking(tlp_)});
    return add(std::move(object));
  }

  std::string value_sco(std::string_view type, const std::string& value) {
    return sco(type, {{"value", value}}, {{"value", value}});
  }

  // The SCOs of the message's observables, the email-message first; their ids in that order.
  std::vector<std::string> observables(const Detection& d) {
    std::vector<std::string> refs;
    const auto keep = [&](std::string id) {
      if (std::find(refs.begin(), refs.end(), id) == refs.end()) refs.push_back(std::move(id));
    };
    std::string from_ref;
    if (!d.sender.empty()) from_ref = value_sco("email-addr", d.sender);
    ordered message = {{"is_multipart", d.multipart}};
    sorted contributing = sorted::object();
    if (!from_ref.empty()) {
      message["from_ref"] = from_ref;
      contributing["from_ref"] = from_ref;
    }
    if (!d.message_id.empty()) message["message_id"] = d.message_id;
    if (!d.subject.empty()) {
      message["subject"] = d.subject;
      contributing["subject"] = d.subject;
    }
    // Without a sender or subject the message has nothing to be named by: its Message-ID and
    // time of detection stand in (the spec then allows any UUID).
    if (contributing.empty()) contributing["x_vigie_seen"] = d.message_id + "\n" + std::to_string(d.seen_at);
    keep(sco("email-message", contributing, std::move(message)));
    if (!from_ref.empty()) keep(from_ref);

    struct FileSeen {
      std::string md5, sha1, sha256, name;
    };
    std::map<ObjectId, FileSeen> files;
    for (const MessageObservable& o : d.observables) {
      switch (o.type) {
        case ObservableType::kEmailAddress: keep(value_sco("email-addr", o.value)); break;
        case ObservableType::kDomain: keep(value_sco("domain-name", o.value)); break;
        case ObservableType::kUrl: keep(value_sco("url", o.value)); break;
        case ObservableType::kIpv4: keep(value_sco("ipv4-addr", o.value)); break;
        case ObservableType::kIpv6: keep(value_sco("ipv6-addr", o.value)); break;
        case ObservableType::kMd5: files[o.object].md5 = o.value; break;
        case ObservableType::kSha1: files[o.object].sha1 = o.value; break;
        case ObservableType::kSha256: files[o.object].sha256 = o.value; break;
        case ObservableType::kFileName: files[o.object].name = o.value; break;
        case ObservableType::kSha512:
        case ObservableType::kEmailSubject: break;  // the subject is on the email-message
      }
    }
    for (const auto& [object, file] : files) {
      ordered hashes = ordered::object();
      if (!file.md5.empty()) hashes["MD5"] = file.md5;
      if (!file.sha1.empty()) hashes["SHA-1"] = file.sha1;
      if (!file.sha256.empty()) hashes["SHA-256"] = file.sha256;
      if (hashes.empty() && file.name.empty()) continue;
      // §2.9 names one hash for the id, the first of MD5, SHA-1, SHA-256 present.
      sorted contributing_file = sorted::object();
      if (!hashes.empty()) contributing_file["hashes"] = {{hashes.begin().key(), hashes.begin().value().get<std::string>()}};
      if (!file.name.empty()) contributing_file["name"] = file.name;
      ordered properties = ordered::object();
      if (!hashes.empty()) properties["hashes"] = std::move(hashes);
      if (!file.name.empty()) properties["name"] = file.name;
      keep(sco("file", contributing_file, std::move(properties)));
    }
    return refs;
  }

  // The indicator a MISP attribute or list line stands for, written so that a sighting can name
  // it: its pattern says the value the partner shared.
  std::string partner_indicator(const IndicatorSighting& s, const std::string& seen, Tlp tlp) {
    const std::string id = vigie_id("indicator", "partner\n" + s.indicator_id);
    if (ids_.count(id) != 0) return id;
    const std::optional<ObservableType> type = observable_type_from_name(s.observable_type);
    ordered indicator = sdo("indicator", id, tlp);
    indicator["name"] = s.name.empty() ? s.indicator_id : s.name;
    indicator["description"] = "Indicator " + s.indicator_id + (s.source.empty() ? "" : " shared by " + s.source) +
                               ", as vigie matched it";
    indicator["pattern"] = type ? stix_pattern_of(*type, s.matched) : s.matched;
    indicator["pattern_type"] = "stix";
    indicator["pattern_version"] = "2.1";
    indicator["valid_from"] = seen;
    if (s.confidence >= 0) indicator["confidence"] = std::min(s.confidence, 100);
    indicator["external_references"] = ordered::array(
        {ordered{{"source_name", s.source.empty() ? std::string("partner") : s.source}, {"external_id", s.indicator_id}}});
    return add(std::move(indicator));
  }

  // `name` says what the value is ("File invoice.zip <sha256>"); the description, when it was seen.
  void derived_indicator(ObservableType type, const std::string& value, const std::string& name, const std::string& why,
                         const Detection& d, const std::string& observed_id) {
    const std::string pattern = stix_pattern_of(type, value);
    const std::string id = vigie_id("indicator", pattern);
    if (ids_.count(id) == 0) {
      ordered indicator = sdo("indicator", id, tlp_);
      indicator["name"] = name;
      indicator["description"] = "Seen when " + why;
      indicator["indicator_types"] =
          ordered::array({d.action >= Action::kQuarantine ? "malicious-activity" : "anomalous-activity"});
      indicator["pattern"] = pattern;
      indicator["pattern_type"] = "stix";
      indicator["pattern_version"] = "2.1";
      indicator["valid_from"] = rfc3339_millis(d.seen_at);
      add(std::move(indicator));
    }
    ordered based_on = sdo("relationship", vigie_id("relationship", id + "\nbased-on\n" + observed_id), tlp_);
    based_on["relationship_type"] = "based-on";
    based_on["source_ref"] = id;
    based_on["target_ref"] = observed_id;
    add(std::move(based_on));
  }

  const std::string created_;
  const Tlp tlp_;
  const std::string identity_id_;
  std::vector<ordered> objects_;
  std::set<std::string> ids_;
  std::set<Tlp> markings_used_;
};

}  // namespace

std::string rfc3339_millis(std::int64_t unix_seconds) {
  const std::time_t t = static_cast<std::time_t>(unix_seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char text[40];
  std::strftime(text, sizeof text, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
  return text;
}

std::int64_t export_time(const ExportOptions& options) {
  if (options.now != 0) return options.now;
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

std::string_view tlp2_marking_id(Tlp tlp) {
  switch (tlp) {
    case Tlp::kClear: return "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487";
    case Tlp::kGreen: return "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb";
    case Tlp::kAmberStrict: return "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003";
    case Tlp::kRed: return "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1";
    case Tlp::kAmber:
    case Tlp::kUnknown: break;
  }
  return "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421";
}

std::string stix_pattern_of(ObservableType type, std::string_view value) {
  std::string path;
  switch (type) {
    case ObservableType::kDomain: path = "domain-name:value"; break;
    case ObservableType::kUrl: path = "url:value"; break;
    case ObservableType::kIpv4: path = "ipv4-addr:value"; break;
    case ObservableType::kIpv6: path = "ipv6-addr:value"; break;
    case ObservableType::kEmailAddress: path = "email-addr:value"; break;
    case ObservableType::kEmailSubject: path = "email-message:subject"; break;
    case ObservableType::kFileName: path = "file:name"; break;
    case ObservableType::kMd5: path = "file:hashes.MD5"; break;
    case ObservableType::kSha1: path = "file:hashes.'SHA-1'"; break;
    case ObservableType::kSha256: path = "file:hashes.'SHA-256'"; break;
    case ObservableType::kSha512: path = "file:hashes.'SHA-512'"; break;
  }
  std::string out = "[" + path + " = '";
  for (const char c : value) {
    if (c == '\'' || c == '\\') out.push_back('\\');
    out.push_back(c);
  }
  out += "']";
  return out;
}

bool parse_tlp(std::string_view name, Tlp& out) {
  std::string level;
  for (const char c : name) level.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
  if (level.starts_with("tlp:")) level.erase(0, 4);
  if (level == "clear" || level == "white") {
    out = Tlp::kClear;
  } else if (level == "green") {
    out = Tlp::kGreen;
  } else if (level == "amber") {
    out = Tlp::kAmber;
  } else if (level == "amber+strict") {
    out = Tlp::kAmberStrict;
  } else if (level == "red") {
    out = Tlp::kRed;
  } else {
    return false;
  }
  return true;
}

std::string export_stix_bundle(std::span<const Detection> detections, const ExportOptions& options) {
  BundleBuilder builder(options);
  for (const Detection& d : detections) builder.detection(d);
  return builder.finish();
}

}  // namespace vigie::intel::sharing
