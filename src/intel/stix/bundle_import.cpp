// STIX 2.1 bundle → ImportResult. Two passes over the objects: first the ones others refer to
// (identities, marking definitions, relationship targets, `indicates` relationships), then the
// indicators, so a bundle may list them in any order.
#include "intel/stix/bundle_import.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <map>
#include <set>
#include <string>
#include <system_error>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/ascii.h"

namespace vigie::intel::stix {

namespace {

using nlohmann::json;

// Object types one message can hold an instance of: what the pattern evaluator observes.
constexpr std::array<std::string_view, 7> kMailObjectTypes = {"email-message", "domain-name", "url", "ipv4-addr",
                                                              "ipv6-addr",     "email-addr",  "file"};

// The TLP 2.0 extension definition (FIRST TLP 2.0 for STIX 2.1).
constexpr std::string_view kTlp2Extension = "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";

Tlp tlp_of_word(std::string_view word) {
  std::string folded = ascii::lowercase(ascii::trim_blanks(word));
  if (folded.starts_with("tlp:")) folded.erase(0, 4);
  if (folded == "clear" || folded == "white") return Tlp::kClear;
  if (folded == "green") return Tlp::kGreen;
  if (folded == "amber") return Tlp::kAmber;
  if (folded == "amber+strict") return Tlp::kAmberStrict;
  if (folded == "red") return Tlp::kRed;
  return Tlp::kUnknown;
}

std::string string_field(const json& object, const char* key) {
  const auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : std::string();
}

// The TLP a marking-definition object of the bundle declares, TLP 1.0 (definition_type "tlp") or
// TLP 2.0 (the extension, or a name "TLP:..." on an object carrying it).
Tlp tlp_of_marking_object(const json& object) {
  if (string_field(object, "definition_type") == "tlp") {
    const auto definition = object.find("definition");
    if (definition != object.end() && definition->is_object()) return tlp_of_word(string_field(*definition, "tlp"));
  }
  const auto extensions = object.find("extensions");
  if (extensions != object.end() && extensions->is_object()) {
    const auto tlp2 = extensions->find(std::string(kTlp2Extension));
    if (tlp2 != extensions->end() && tlp2->is_object()) {
      const Tlp declared = tlp_of_word(string_field(*tlp2, "tlp_2_0"));
      return declared != Tlp::kUnknown ? declared : tlp_of_word(string_field(object, "name"));
    }
  }
  return Tlp::kUnknown;
}

struct BundleIndex {
  std::map<std::string, std::string, std::less<>> names;  // id → name (identities, sets, campaigns...)
  std::map<std::string, Tlp, std::less<>> markings;       // marking-definition id → TLP
  std::map<std::string, std::vector<IntelLink>, std::less<>> links;  // indicator id → targets
};

bool is_link_target(std::string_view id, std::string& kind) {
  for (std::string_view type : {"intrusion-set", "campaign", "malware"}) {
    if (id.starts_with(type) && id.substr(type.size()).starts_with("--")) {
      kind = type;
      return true;
    }
  }
  return false;
}

class Importer {
 public:
  Importer(std::string_view where, const BundleLimits& limits) : where_(where), limits_(limits) {}

  ImportResult run(const json& objects) {
    for (const json& object : objects) {
      if (object.is_object()) index(object);
    }
    for (std::size_t i = 0; i < objects.size(); ++i) {
      const json& object = objects[i];
      if (!object.is_object()) {
        problem("objects[" + std::to_string(i) + "]", "not a JSON object");
        continue;
      }
      if (string_field(object, "type") == "indicator") indicator(object, i);
    }
    return std::move(result_);
  }

 private:
  void problem(std::string_view object, std::string what) {
    result_.problems.push_back({std::string(where_) + ": " + std::string(object), std::move(what)});
  }

  void index(const json& object) {
    const std::string type = string_field(object, "type");
    const std::string id = string_field(object, "id");
    if (type == "marking-definition") {
      const Tlp tlp = tlp_of_marking_object(object);
      if (tlp != Tlp::kUnknown) index_.markings[id] = tlp;
    } else if (type == "relationship") {
      if (string_field(object, "relationship_type") != "indicates") return;
      const std::string source = string_field(object, "source_ref");
      IntelLink link;
      link.stix_id = string_field(object, "target_ref");
      if (!source.starts_with("indicator--") || !is_link_target(link.stix_id, link.kind)) return;
      index_.links[source].push_back(std::move(link));
    } else if (!id.empty()) {
      const std::string name = string_field(object, "name");
      if (!name.empty()) index_.names[id] = name;
    }
  }

  std::string name_of(const std::string& id) const {
    const auto it = index_.names.find(id);
    return it == index_.names.end() ? id : it->second;
  }

  // The most restrictive TLP among the markings; statement and unknown markings say nothing.
  Tlp tlp_of(const json& object) const {
    Tlp tlp = Tlp::kUnknown;
    const auto refs = object.find("object_marking_refs");
    if (refs == object.end() || !refs->is_array()) return tlp;
    for (const json& ref : *refs) {
      if (!ref.is_string()) continue;
      const std::string& id = ref.get_ref<const std::string&>();
      Tlp marked = tlp_of_marking_id(id);
      if (marked == Tlp::kUnknown) {
        const auto it = index_.markings.find(id);
        if (it != index_.markings.end()) marked = it->second;
      }
      tlp = std::max(tlp, marked);
    }
    return tlp;
  }

  bool timestamp(const json& object, const char* key, std::int64_t& out, std::string_view id) {
    const auto it = object.find(key);
    if (it == object.end()) return true;
    const auto parsed = it->is_string() ? parse_rfc3339(it->get_ref<const std::string&>()) : std::nullopt;
    if (!parsed) {
      problem(id, std::string(key) + ": not an RFC 3339 timestamp; indicator not kept");
      return false;
    }
    out = parsed->seconds;
    return true;
  }

  void indicator(const json& object, std::size_t position) {
    Indicator indicator;
    indicator.id = string_field(object, "id");
    const std::string where = indicator.id.empty() ? "objects[" + std::to_string(position) + "]" : indicator.id;
    const std::string pattern_type = string_field(object, "pattern_type");
    if (pattern_type != "stix") {
      problem(where, "pattern_type '" + pattern_type + "' is not supported (only stix); indicator not kept");
      return;
    }
    if (indicator.id.empty()) {
      problem(where, "indicator without an id; not kept");
      return;
    }
    indicator.pattern = string_field(object, "pattern");
    auto pattern = Pattern::parse(indicator.pattern, limits_.pattern);
    if (!pattern) {
      problem(where, "pattern: " + pattern.error().text() + "; indicator not kept");
      return;
    }
    if (!pattern->unsupported_construct().empty()) {
      problem(where, "pattern uses " + pattern->unsupported_construct() +
                         ", which one message cannot satisfy; indicator not kept");
      return;
    }
    std::vector<std::string> foreign;
    for (const std::string& type : pattern->object_types()) {
      if (std::find(kMailObjectTypes.begin(), kMailObjectTypes.end(), type) == kMailObjectTypes.end()) {
        foreign.push_back(type);
      }
    }
    if (!foreign.empty()) {
      std::string list;
      for (const std::string& type : foreign) list += (list.empty() ? "" : ", ") + type;
      if (foreign.size() == pattern->object_types().size()) {
        problem(where, "pattern tests only object types a message does not hold (" + list + "); indicator not kept");
        return;
      }
      problem(where, "kept, but its comparisons on " + list + " never hold on a message");
    }
    if (!timestamp(object, "valid_from", indicator.valid_from, where) ||
        !timestamp(object, "valid_until", indicator.valid_until, where)) {
      return;
    }
    EqualityValues values = extract_equality_values(*pattern);
    if (values.complete) indicator.values = std::move(values.values);
    indicator.name = string_field(object, "name");
    indicator.description = string_field(object, "description");
    const auto revoked = object.find("revoked");
    indicator.revoked = revoked != object.end() && revoked->is_boolean() && revoked->get<bool>();
    const auto confidence = object.find("confidence");
    if (confidence != object.end()) {
      if (confidence->is_number_integer() && *confidence >= 0 && *confidence <= 100) {
        indicator.confidence = confidence->get<int>();
      } else {
        problem(where, "confidence: not an integer from 0 to 100; kept without it");
      }
    }
    const auto labels = object.find("labels");
    if (labels != object.end() && labels->is_array()) {
      for (const json& label : *labels) {
        if (label.is_string()) indicator.labels.push_back(label.get<std::string>());
      }
    }
    indicator.tlp = tlp_of(object);
    const std::string creator = string_field(object, "created_by_ref");
    if (!creator.empty()) indicator.source = name_of(creator);
    if (const auto links = index_.links.find(indicator.id); links != index_.links.end()) {
      std::set<std::string> seen;
      for (IntelLink link : links->second) {
        if (!seen.insert(link.stix_id).second) continue;
        link.name = name_of(link.stix_id);
        indicator.links.push_back(std::move(link));
      }
    }
    result_.indicators.push_back(std::move(indicator));
  }

  std::string_view where_;
  const BundleLimits& limits_;
  BundleIndex index_;
  ImportResult result_;
};

}  // namespace

Tlp tlp_of_marking_id(std::string_view id) {
  static constexpr std::array<std::pair<std::string_view, Tlp>, 9> kFixed = {{
      // STIX 2.1 §7.2.1.4, TLP 1.0
      {"marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9", Tlp::kClear},  // TLP:WHITE
      {"marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da", Tlp::kGreen},
      {"marking-definition--f88d31f6-486f-44da-b317-01333bde0b82", Tlp::kAmber},
      {"marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed", Tlp::kRed},
      // TLP 2.0 marking definitions (extension-definition--60a3c5c5-...)
      {"marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487", Tlp::kClear},
      {"marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb", Tlp::kGreen},
      {"marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421", Tlp::kAmber},
      {"marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003", Tlp::kAmberStrict},
      {"marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1", Tlp::kRed},
  }};
  for (const auto& [fixed, tlp] : kFixed) {
    if (id == fixed) return tlp;
  }
  return Tlp::kUnknown;
}

Result<ImportResult> import_bundle(std::string_view text, std::string_view where, const BundleLimits& limits) {
  if (text.size() > limits.max_bundle_bytes) {
    return fail(Error::limit(std::string(where) + ": " + std::to_string(text.size()) + " bytes, more than the " +
                             std::to_string(limits.max_bundle_bytes) + " a STIX bundle may have"));
  }
  json document;
  try {
    document = json::parse(text);
  } catch (const json::parse_error& e) {
    // nlohmann reports malformed JSON only by exception; its byte offset is what the user needs.
    return fail(Error::invalid_argument(std::string(where) + ": not JSON (at byte " + std::to_string(e.byte) +
                                        "): " + e.what()));
  }
  if (!document.is_object() || string_field(document, "type").empty()) {
    return fail(Error::invalid_argument(std::string(where) + ": not a STIX bundle (no \"type\")"));
  }
  json single = json::array();
  const json* objects = &single;
  if (string_field(document, "type") == "bundle") {
    const auto it = document.find("objects");
    if (it == document.end()) return ImportResult{};  // an empty bundle
    if (!it->is_array()) return fail(Error::invalid_argument(std::string(where) + ": bundle \"objects\" is not an array"));
    objects = &*it;
  } else {
    single.push_back(std::move(document));  // a bare STIX object
  }
  if (objects->size() > limits.max_objects) {
    return fail(Error::limit(std::string(where) + ": " + std::to_string(objects->size()) + " objects, more than " +
                             std::to_string(limits.max_objects)));
  }
  return Importer(where, limits).run(*objects);
}

Result<ImportResult> import_bundle_file(const std::filesystem::path& path, const BundleLimits& limits) {
  const std::string where = path.filename().string();
  std::error_code ec;
  const auto size = std::filesystem::file_size(path, ec);
  if (ec) return fail(Error::io(path.string() + ": " + ec.message()));
  if (size > limits.max_bundle_bytes) {
    return fail(Error::limit(where + ": " + std::to_string(size) + " bytes, more than the " +
                             std::to_string(limits.max_bundle_bytes) + " a STIX bundle may have"));
  }
  std::ifstream in(path, std::ios::binary);
  std::string text(static_cast<std::size_t>(size), '\0');
  if (!in || !in.read(text.data(), static_cast<std::streamsize>(text.size()))) {
    return fail(Error::io(path.string() + ": cannot be read"));
  }
  return import_bundle(text, where, limits);
}

}  // namespace vigie::intel::stix
