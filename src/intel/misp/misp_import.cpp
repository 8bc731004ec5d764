// MISP event JSON to indicators (see misp_import.h). The attribute types taken, and how each is
// split and checked, are in kAttributeTypes; tags and galaxy clusters give TLP, confidence and links.
#include "intel/misp/misp_import.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <optional>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/ascii.h"
#include "common/utf8_clip.h"
#include "intel/misp/observable_value.h"

namespace vigie::intel::misp {
namespace {

using nlohmann::json;

// Distinct unknown type names kept in MispCounts::other_types_by_name: the names come from the
// feed, so their number is bounded; the rest are counted under one key.
constexpr std::size_t kMaxOtherTypeNames = 128;
constexpr std::size_t kMaxNameBytes = 512;

// How a composite value "a|b" is cut: filenames may contain '|', hashes, ports and IPs may not.
enum class Split { kNone, kFirstBar, kLastBar };

struct AttributeType {
  std::string_view name;
  ValueKind first;
  std::optional<ValueKind> second;  // the part after the bar of a composite type
  Split split = Split::kNone;
  bool port_after_bar = false;      // ip-src|port: the part after the bar is a port, not a value
  bool url_only_with_scheme = false;  // link, uri: taken only when the value is a URL
};

constexpr std::array kAttributeTypes{
    AttributeType{"domain", ValueKind::kDomain, {}},
    AttributeType{"hostname", ValueKind::kDomain, {}},
    AttributeType{"domain|ip", ValueKind::kDomain, ValueKind::kIp, Split::kFirstBar},
    AttributeType{"url", ValueKind::kUrl, {}},
    AttributeType{"uri", ValueKind::kUrl, {}, Split::kNone, false, true},
    AttributeType{"link", ValueKind::kUrl, {}, Split::kNone, false, true},
    AttributeType{"ip-src", ValueKind::kIp, {}},
    AttributeType{"ip-dst", ValueKind::kIp, {}},
    AttributeType{"ip-src|port", ValueKind::kIp, {}, Split::kLastBar, true},
    AttributeType{"ip-dst|port", ValueKind::kIp, {}, Split::kLastBar, true},
    AttributeType{"email", ValueKind::kEmailAddress, {}},
    AttributeType{"email-src", ValueKind::kEmailAddress, {}},
    AttributeType{"email-dst", ValueKind::kEmailAddress, {}},
    AttributeType{"email-reply-to", ValueKind::kEmailAddress, {}},
    AttributeType{"email-subject", ValueKind::kEmailSubject, {}},
    AttributeType{"email-attachment", ValueKind::kFileName, {}},
    AttributeType{"filename", ValueKind::kFileName, {}},
    AttributeType{"md5", ValueKind::kMd5, {}},
    AttributeType{"sha1", ValueKind::kSha1, {}},
    AttributeType{"sha256", ValueKind::kSha256, {}},
    AttributeType{"sha512", ValueKind::kSha512, {}},
    AttributeType{"filename|md5", ValueKind::kFileName, ValueKind::kMd5, Split::kLastBar},
    AttributeType{"filename|sha1", ValueKind::kFileName, ValueKind::kSha1, Split::kLastBar},
    AttributeType{"filename|sha256", ValueKind::kFileName, ValueKind::kSha256, Split::kLastBar},
    AttributeType{"filename|sha512", ValueKind::kFileName, ValueKind::kSha512, Split::kLastBar},
};

const AttributeType* find_type(std::string_view name) {
  for (const AttributeType& type : kAttributeTypes) {
    if (type.name == name) return &type;
  }
  return nullptr;
}

std::string_view text_of(const json& object, const char* key) {
  if (!object.is_object()) return {};
  const auto it = object.find(key);
  if (it == object.end() || !it->is_string()) return {};
  return it->get_ref<const std::string&>();
}

// MISP writes booleans as JSON booleans, but older exports and hand-made files use "0"/"1".
bool flag_of(const json& object, const char* key, bool absent) {
  const auto it = object.find(key);
  if (it == object.end() || it->is_null()) return absent;
  if (it->is_boolean()) return it->get<bool>();
  if (it->is_number_integer()) return it->get<std::int64_t>() != 0;
  if (it->is_string()) {
    const std::string& s = it->get_ref<const std::string&>();
    return s == "1" || ascii::iequals(s, "true");
  }
  return absent;
}

const json* array_of(const json& object, const char* key) {
  if (!object.is_object()) return nullptr;
  const auto it = object.find(key);
  return it != object.end() && it->is_array() ? &*it : nullptr;
}

// Bounded nesting before nlohmann builds anything: its DOM and its destructor recurse.
bool nesting_within(std::string_view text, std::size_t max_depth) {
  std::size_t depth = 0;
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (in_string) {
      if (c == '\\') ++i;
      else if (c == '"') in_string = false;
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      if (++depth > max_depth) return false;
    } else if ((c == ']' || c == '}') && depth > 0) {
      --depth;
    }
  }
  return true;
}

bool parse_digits(std::string_view text, std::size_t from, std::size_t count, int& out) {
  if (from + count > text.size()) return false;
  const char* begin = text.data() + from;
  const auto [end, ec] = std::from_chars(begin, begin + count, out);
  return ec == std::errc() && end == begin + count;
}

// ISO 8601 as MISP writes first_seen/last_seen: "2019-06-02T22:14:28.711954+00:00", with or
// without seconds, fraction or offset ("Z", "+02:00", "+0200"; none means UTC), or a date alone.
std::optional<std::int64_t> parse_iso8601(std::string_view text) {
  int year = 0, month = 0, day = 0;
  if (text.size() < 10 || text[4] != '-' || text[7] != '-' || !parse_digits(text, 0, 4, year) ||
      !parse_digits(text, 5, 2, month) || !parse_digits(text, 8, 2, day)) {
    return std::nullopt;
  }
  const std::chrono::year_month_day date{std::chrono::year{year}, std::chrono::month{static_cast<unsigned>(month)},
                                         std::chrono::day{static_cast<unsigned>(day)}};
  if (!date.ok()) return std::nullopt;
  std::int64_t seconds = std::chrono::sys_days{date}.time_since_epoch().count() * std::int64_t{86400};
  std::size_t at = 10;
  if (at < text.size() && (text[at] == 'T' || text[at] == 't' || text[at] == ' ')) {
    int hour = 0, minute = 0, second = 0;
    if (!parse_digits(text, at + 1, 2, hour) || at + 3 >= text.size() || text[at + 3] != ':' ||
        !parse_digits(text, at + 4, 2, minute) || hour > 23 || minute > 59) {
      return std::nullopt;
    }
    at += 6;
    if (at < text.size() && text[at] == ':') {
      if (!parse_digits(text, at + 1, 2, second) || second > 60) return std::nullopt;
      at += 3;
      if (at < text.size() && (text[at] == '.' || text[at] == ',')) {
        ++at;
        while (at < text.size() && ascii::is_digit(text[at])) ++at;
      }
    }
    seconds += hour * 3600 + minute * 60 + second;
    if (at < text.size() && (text[at] == 'Z' || text[at] == 'z')) {
      ++at;
    } else if (at < text.size() && (text[at] == '+' || text[at] == '-')) {
      const int sign = text[at] == '+' ? 1 : -1;
      int off_hours = 0, off_minutes = 0;
      if (!parse_digits(text, at + 1, 2, off_hours)) return std::nullopt;
      at += 3;
      if (at < text.size() && text[at] == ':') ++at;
      if (at < text.size()) {
        if (!parse_digits(text, at, 2, off_minutes)) return std::nullopt;
        at += 2;
      }
      if (off_hours > 23 || off_minutes > 59) return std::nullopt;
      seconds -= sign * (off_hours * 3600 + off_minutes * 60);
    }
  }
  if (at != text.size()) return std::nullopt;
  return seconds;
}

// TLP from a tag name; nullopt when the tag is no TLP marking (FIRST TLP 1.0 and 2.0 names).
std::optional<Tlp> tlp_of_tag(std::string_view name) {
  if (!ascii::istarts_with(name, "tlp:")) return std::nullopt;
  const std::string level = ascii::lowercase(name.substr(4));
  if (level == "white" || level == "clear") return Tlp::kClear;
  if (level == "green") return Tlp::kGreen;
  if (level == "amber") return Tlp::kAmber;
  if (level == "amber+strict") return Tlp::kAmberStrict;
  if (level == "red") return Tlp::kRed;
  return std::nullopt;
}

// A machine tag `namespace:predicate="value"`, cut in its parts; the value unquoted.
struct MachineTag {
  std::string_view name_space;
  std::string_view predicate;
  std::string_view value;
};
std::optional<MachineTag> machine_tag(std::string_view name) {
  const std::size_t colon = name.find(':');
  const std::size_t equals = name.find('=');
  if (colon == std::string_view::npos || equals == std::string_view::npos || equals < colon) return std::nullopt;
  std::string_view value = name.substr(equals + 1);
  if (value.size() >= 2 && value.front() == '"' && value.back() == '"') value = value.substr(1, value.size() - 2);
  return MachineTag{name.substr(0, colon), name.substr(colon + 1, equals - colon - 1), value};
}

// Confidence 0-100 from the taxonomies feeds use; the admiralty and estimative scales follow the
// STIX 2.1 confidence scale mappings (Appendix A).
std::optional<int> confidence_of_tag(std::string_view name) {
  const auto tag = machine_tag(name);
  if (!tag) return std::nullopt;
  const std::string value = ascii::lowercase(tag->value);
  if (tag->predicate == "confidence-level") {
    if (value == "completely-confident") return 100;
    if (value == "usually-confident") return 75;
    if (value == "fairly-confident") return 50;
    if (value == "rarely-confident") return 25;
    if (value == "unconfident") return 0;
    return std::nullopt;  // "confidence-cannot-be-evaluated"
  }
  if (tag->name_space == "admiralty-scale" && tag->predicate == "information-credibility") {
    static constexpr std::array<int, 5> kCredibility{90, 70, 50, 30, 10};
    if (value.size() == 1 && value[0] >= '1' && value[0] <= '5') return kCredibility[value[0] - '1'];
    return std::nullopt;  // 6: truth cannot be judged
  }
  if (tag->name_space == "estimative-language" && tag->predicate == "confidence-in-analytic-judgment") {
    if (value == "low") return 15;
    if (value == "moderate") return 50;
    if (value == "high") return 85;
  }
  return std::nullopt;
}

struct GalaxyKind {
  std::string_view galaxy;
  std::string_view kind;
  std::string_view stix_type;  // MISP's MITRE galaxies reuse the ATT&CK object's uuid
};
constexpr std::array kGalaxyKinds{
    GalaxyKind{"threat-actor", "intrusion-set", ""},
    GalaxyKind{"mitre-intrusion-set", "intrusion-set", "intrusion-set"},
    GalaxyKind{"mitre-enterprise-attack-intrusion-set", "intrusion-set", "intrusion-set"},
    GalaxyKind{"microsoft-activity-group", "intrusion-set", ""},
    GalaxyKind{"mitre-malware", "malware", "malware"},
    GalaxyKind{"mitre-enterprise-attack-malware", "malware", "malware"},
    GalaxyKind{"mitre-tool", "malware", "tool"},
    GalaxyKind{"mitre-enterprise-attack-tool", "malware", "tool"},
    GalaxyKind{"malpedia", "malware", ""},
    GalaxyKind{"tool", "malware", ""},
    GalaxyKind{"rat", "malware", ""},
    GalaxyKind{"ransomware", "malware", ""},
    GalaxyKind{"backdoor", "malware", ""},
    GalaxyKind{"banker", "malware", ""},
    GalaxyKind{"stealer", "malware", ""},
    GalaxyKind{"botnet", "malware", ""},
    GalaxyKind{"mitre-campaign", "campaign", "campaign"},
};

const GalaxyKind* galaxy_kind(std::string_view galaxy) {
  for (const GalaxyKind& entry : kGalaxyKinds) {
    if (entry.galaxy == galaxy) return &entry;
  }
  return nullptr;
}

// "APT28 - G0007" (MISP's MITRE clusters) names APT28; the ATT&CK id stays in the STIX id.
std::string_view cluster_name(std::string_view value) {
  const std::size_t dash = value.rfind(" - ");
  if (dash == std::string_view::npos || value.size() - dash != 8) return value;
  const std::string_view id = value.substr(dash + 3);
  const bool attack_id = (id[0] == 'G' || id[0] == 'S' || id[0] == 'C') &&
                         std::all_of(id.begin() + 1, id.end(), [](char c) { return ascii::is_digit(c); });
  return attack_id ? value.substr(0, dash) : value;
}

void add_link(std::vector<IntelLink>& links, std::string_view kind, std::string_view name, std::string stix_id) {
  if (name.empty()) return;
  for (IntelLink& link : links) {
    if (link.kind == kind && link.name == name) {
      if (link.stix_id.empty()) link.stix_id = std::move(stix_id);
      return;
    }
  }
  links.push_back(IntelLink{std::string(kind), std::string(utf8::clip(name, kMaxNameBytes)), std::move(stix_id)});
}

// What the tags and galaxies at one level (event or attribute) say.
struct Marking {
  Tlp tlp = Tlp::kUnknown;
  int confidence = -1;
  std::vector<IntelLink> links;
  std::vector<std::string> labels;
};

Marking read_marking(const json& holder) {
  Marking marking;
  if (const json* tags = array_of(holder, "Tag")) {
    for (const json& tag : *tags) {
      const std::string_view name = text_of(tag, "name");
      if (name.empty()) continue;
      if (const auto tlp = tlp_of_tag(name)) {
        // Two TLP tags on one level: the more restrictive holds (the enum is in that order).
        marking.tlp = std::max(marking.tlp, *tlp);
        continue;
      }
      if (const auto confidence = confidence_of_tag(name)) {
        marking.confidence = *confidence;
        continue;
      }
      const auto machine = machine_tag(name);
      if (machine && machine->name_space == "misp-galaxy") {
        if (const GalaxyKind* kind = galaxy_kind(machine->predicate)) {
          add_link(marking.links, kind->kind, cluster_name(machine->value), {});
          continue;
        }
      }
      marking.labels.emplace_back(utf8::clip(name, kMaxNameBytes));
    }
  }
  if (const json* galaxies = array_of(holder, "Galaxy")) {
    for (const json& galaxy : *galaxies) {
      const json* clusters = array_of(galaxy, "GalaxyCluster");
      if (clusters == nullptr) continue;
      for (const json& cluster : *clusters) {
        std::string_view type = text_of(cluster, "type");
        if (type.empty()) type = text_of(galaxy, "type");
        const GalaxyKind* kind = galaxy_kind(type);
        if (kind == nullptr) continue;
        const std::string_view uuid = text_of(cluster, "uuid");
        std::string stix_id;
        if (!kind->stix_type.empty() && uuid.size() == 36) stix_id = std::string(kind->stix_type) + "--" + std::string(uuid);
        add_link(marking.links, kind->kind, cluster_name(text_of(cluster, "value")), std::move(stix_id));
      }
    }
  }
  return marking;
}

// The event-wide part of every indicator of one event.
struct EventContext {
  std::string_view where;  // the input's name
  std::string uuid;
  std::string source;
  std::string info;
  Marking marking;
  std::vector<std::string> labels;  // event date, threat level, event tags
};

struct ObjectContext {
  std::string_view name;
  bool deleted = false;
  const json* holder = nullptr;  // for first_seen/last_seen
};

class EventReader {
 public:
  EventReader(const MispOptions& options, MispImport& out) : options_(options), out_(out) {}

  // False once the attribute bound is reached: the caller stops reading.
  bool read_event(const json& event, std::string_view where, std::size_t index) {
    if (out_.counts.events >= options_.limits.max_events) {
      problem(std::string(where), "more than " + std::to_string(options_.limits.max_events) +
                                      " events (max_events); the rest were not read");
      return false;
    }
    ++out_.counts.events;
    EventContext context;
    context.where = where;
    context.uuid = std::string(utf8::clip(text_of(event, "uuid"), kMaxNameBytes));
    if (context.uuid.empty()) {
      problem(std::string(where) + ":event #" + std::to_string(index + 1), "the event has no uuid; it was skipped");
      return true;
    }
    if (!flag_of(event, "published", true) && !options_.include_unpublished) {
      ++out_.counts.unpublished_events;
      return true;
    }
    const json* orgc = event.contains("Orgc") ? &event["Orgc"] : nullptr;
    context.source = std::string(utf8::clip(orgc != nullptr ? text_of(*orgc, "name") : std::string_view(), kMaxNameBytes));
    if (context.source.empty() && event.contains("Org")) context.source = std::string(utf8::clip(text_of(event["Org"], "name"), kMaxNameBytes));
    if (context.source.empty()) context.source = "MISP";
    context.info = std::string(utf8::clip(text_of(event, "info"), kMaxNameBytes));
    context.marking = read_marking(event);
    if (const std::string_view date = text_of(event, "date"); !date.empty()) {
      context.labels.push_back("misp-event-date:" + std::string(utf8::clip(date, 32)));
    }
    static constexpr std::array<std::string_view, 4> kThreatLevels{"high", "medium", "low", "undefined"};
    const std::string_view level = text_of(event, "threat_level_id");
    if (level.size() == 1 && level[0] >= '1' && level[0] <= '4') {
      context.labels.push_back("misp-threat-level:" + std::string(kThreatLevels[level[0] - '1']));
    }
    if (!flag_of(event, "published", true)) context.labels.emplace_back("misp-unpublished");
    context.labels.insert(context.labels.end(), context.marking.labels.begin(), context.marking.labels.end());

    if (const json* attributes = array_of(event, "Attribute")) {
      // Geometric growth kept: reserving exactly per event would copy the vector once per event.
      auto& indicators = out_.result.indicators;
      const std::size_t needed = indicators.size() + std::min(attributes->size(), options_.limits.max_attributes);
      if (needed > indicators.capacity()) indicators.reserve(std::max(needed, 2 * indicators.capacity()));
      for (const json& attribute : *attributes) {
        if (!read_attribute(attribute, context, ObjectContext{})) return false;
      }
    }
    if (const json* objects = array_of(event, "Object")) {
      for (const json& object : *objects) {
        const json* attributes = array_of(object, "Attribute");
        if (attributes == nullptr) continue;
        const ObjectContext object_context{text_of(object, "name"), flag_of(object, "deleted", false), &object};
        for (const json& attribute : *attributes) {
          if (!read_attribute(attribute, context, object_context)) return false;
        }
      }
    }
    return true;
  }

  void problem(std::string where, std::string what) {
    out_.result.problems.push_back(ImportProblem{std::move(where), std::move(what)});
  }

 private:
  void count_other_type(std::string_view type) {
    ++out_.counts.other_types;
    auto& by_name = out_.counts.other_types_by_name;
    std::string key(utf8::clip(type, 64));
    if (by_name.size() >= kMaxOtherTypeNames && !by_name.contains(key)) key = "(other)";
    ++by_name[key];
  }

  // first_seen/last_seen of the attribute, else of its object; a date we cannot read is said.
  template <typename Where>
  std::int64_t seen_time(const json& attribute, const ObjectContext& object, const char* key, const Where& where) {
    std::string_view text = text_of(attribute, key);
    if (text.empty() && object.holder != nullptr) text = text_of(*object.holder, key);
    if (text.empty()) return 0;
    if (const auto seconds = parse_iso8601(text)) return *seconds;
    problem(where(), std::string(key) + " \"" + std::string(utf8::clip(text, 64)) +
                       "\" is not an ISO 8601 date; the indicator is kept without it");
    return 0;
  }

  bool read_attribute(const json& attribute, const EventContext& event, const ObjectContext& object) {
    if (out_.counts.attributes >= options_.limits.max_attributes) {
      problem(std::string(event.where), "more than " + std::to_string(options_.limits.max_attributes) +
                                            " attributes (max_attributes); the rest were not read");
      return false;
    }
    ++out_.counts.attributes;
    if (!attribute.is_object()) {
      ++out_.counts.malformed;
      problem(std::string(event.where) + ":" + event.uuid, "an attribute is not a JSON object");
      return true;
    }
    const std::string_view type = text_of(attribute, "type");
    const std::string_view uuid = text_of(attribute, "uuid");
    // Built only for problems: most attributes have none.
    const auto where = [&] {
      return std::string(event.where) + ":" + event.uuid + ":" +
             (uuid.empty() ? std::string("(no uuid)") : std::string(utf8::clip(uuid, kMaxNameBytes)));
    };
    if (flag_of(attribute, "deleted", false) || object.deleted) {
      ++out_.counts.deleted;
      return true;
    }
    const AttributeType* known = find_type(type);
    const std::string_view raw = text_of(attribute, "value");
    if (known == nullptr) {
      count_other_type(type);
      return true;
    }
    if (known->url_only_with_scheme && !check_value(ValueKind::kUrl, raw)) {
      // A link may be a document reference or a path ("/admin.php"): context, not a URL to match.
      count_other_type(type);
      return true;
    }
    if (!flag_of(attribute, "to_ids", false)) {
      ++out_.counts.not_for_detection;
      return true;
    }
    if (uuid.empty()) {
      ++out_.counts.malformed;
      problem(where(), std::string(type) + ": the attribute has no uuid");
      return true;
    }

    Indicator indicator;
    std::string_view first = raw;
    std::string_view second;
    if (known->split != Split::kNone) {
      const std::size_t bar = known->split == Split::kFirstBar ? raw.find('|') : raw.rfind('|');
      if (bar == std::string_view::npos) {
        ++out_.counts.malformed;
        problem(where(), std::string(type) + ": \"" + std::string(utf8::clip(raw, 80)) + "\" lacks the '|' of a composite value");
        return true;
      }
      first = raw.substr(0, bar);
      second = raw.substr(bar + 1);
    }
    auto value = check_value(known->first, first);
    if (!value) {
      ++out_.counts.malformed;
      problem(where(), std::string(type) + ": " + value.error().message);
      return true;
    }
    indicator.values.push_back(std::move(*value));
    if (known->port_after_bar) {
      const std::string_view port = ascii::trim_blanks(second);
      unsigned number = 0;
      const auto [end, ec] = std::from_chars(port.data(), port.data() + port.size(), number);
      if (port.empty() || ec != std::errc() || end != port.data() + port.size() || number > 65535) {
        ++out_.counts.malformed;
        problem(where(), std::string(type) + ": \"" + std::string(utf8::clip(port, 80)) + "\" is not a port number");
        return true;
      }
      indicator.labels.push_back("port:" + std::to_string(number));
    } else if (known->second) {
      auto other = check_value(*known->second, second);
      if (!other) {
        ++out_.counts.malformed;
        problem(where(), std::string(type) + ": " + other.error().message);
        return true;
      }
      indicator.values.push_back(std::move(*other));
    }

    indicator.id = "misp:" + event.uuid + "/" + std::string(utf8::clip(uuid, kMaxNameBytes));
    indicator.source = event.source;
    indicator.name = event.info;
    indicator.description = std::string(utf8::clip(text_of(attribute, "comment"), 4096));
    indicator.valid_from = seen_time(attribute, object, "first_seen", where);
    indicator.valid_until = seen_time(attribute, object, "last_seen", where);
    const Marking marking = read_marking(attribute);
    indicator.tlp = marking.tlp != Tlp::kUnknown ? marking.tlp : event.marking.tlp;
    indicator.confidence = marking.confidence >= 0 ? marking.confidence : event.marking.confidence;
    indicator.links = event.marking.links;
    for (const IntelLink& link : marking.links) add_link(indicator.links, link.kind, link.name, link.stix_id);
    indicator.labels.reserve(indicator.labels.size() + event.labels.size() + marking.labels.size() + 3);
    indicator.labels.push_back("misp-type:" + std::string(type));
    if (const std::string_view category = text_of(attribute, "category"); !category.empty()) {
      indicator.labels.push_back("misp-category:" + std::string(utf8::clip(category, 64)));
    }
    if (!object.name.empty()) indicator.labels.push_back("misp-object:" + std::string(utf8::clip(object.name, 64)));
    indicator.labels.insert(indicator.labels.end(), event.labels.begin(), event.labels.end());
    indicator.labels.insert(indicator.labels.end(), marking.labels.begin(), marking.labels.end());
    out_.result.indicators.push_back(std::move(indicator));
    ++out_.counts.indicators;
    return true;
  }

  const MispOptions& options_;
  MispImport& out_;
};

}  // namespace

void add_misp_events(std::string_view text, std::string_view where, const MispOptions& options, MispImport& into) {
  EventReader reader(options, into);
  if (text.size() > options.limits.max_event_bytes) {
    reader.problem(std::string(where), "the document holds " + std::to_string(text.size()) + " bytes, more than max_event_bytes (" +
                                           std::to_string(options.limits.max_event_bytes) + "); it was not read");
    return;
  }
  if (!nesting_within(text, options.limits.max_json_depth)) {
    reader.problem(std::string(where), "JSON nested deeper than " + std::to_string(options.limits.max_json_depth) +
                                           " levels (max_json_depth); it was not read");
    return;
  }
  json document = json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded()) {
    reader.problem(std::string(where), "not valid JSON; it was not read");
    return;
  }
  // {"Event": {...}}, [{"Event": {...}}, ...], {"response": [...]}, or a bare event object.
  const json* list = &document;
  if (document.is_object() && document.contains("response") && document["response"].is_array()) list = &document["response"];
  if (list->is_object()) {
    const json& event = list->contains("Event") ? (*list)["Event"] : *list;
    if (!event.is_object() || !(event.contains("uuid") || event.contains("Attribute"))) {
      reader.problem(std::string(where), "no MISP event in the document (expected {\"Event\": {...}})");
      return;
    }
    reader.read_event(event, where, 0);
    return;
  }
  if (!list->is_array()) {
    reader.problem(std::string(where), "no MISP event in the document (expected {\"Event\": {...}} or a list of them)");
    return;
  }
  std::size_t index = 0;
  for (const json& item : *list) {
    const json& event = item.is_object() && item.contains("Event") ? item["Event"] : item;
    if (!event.is_object()) {
      reader.problem(std::string(where) + ":event #" + std::to_string(index + 1), "not a MISP event object; skipped");
    } else if (!reader.read_event(event, where, index)) {
      return;
    }
    ++index;
  }
}

MispImport import_misp_events(std::string_view json_text, std::string_view where, const MispOptions& options) {
  MispImport result;
  add_misp_events(json_text, where, options, result);
  return result;
}

}  // namespace vigie::intel::misp
