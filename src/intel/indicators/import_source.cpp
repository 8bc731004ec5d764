// The format of a feed worked out and its importer called (see import_source.h).
#include "intel/indicators/import_source.h"

#include <filesystem>
#include <fstream>

#include "intel/misp/list_import.h"
#include "intel/misp/misp_feed.h"
#include "intel/misp/misp_import.h"
#include "intel/stix/bundle_import.h"

namespace vigie::intel {

namespace {

bool is_url(const std::string& location) {
  return location.rfind("http://", 0) == 0 || location.rfind("https://", 0) == 0;
}

// The start of a file, to tell a STIX bundle from a MISP event without parsing it twice.
std::string head_of(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::string head(4096, '\0');
  in.read(head.data(), static_cast<std::streamsize>(head.size()));
  head.resize(static_cast<std::size_t>(in.gcount()));
  return head;
}

Result<std::string> detect(const ImportRequest& request) {
  if (request.format != "auto") return request.format;
  if (is_url(request.location)) return std::string("misp-feed");
  std::error_code ec;
  if (std::filesystem::is_directory(request.location, ec)) return std::string("misp-feed");
  if (!std::filesystem::is_regular_file(request.location, ec)) {
    return fail(Error::io("no such file or folder"));
  }
  const std::string extension = std::filesystem::path(request.location).extension().string();
  if (extension == ".csv") return std::string("csv");
  if (extension == ".json") {
    const std::string head = head_of(request.location);
    if (head.find("\"Event\"") != std::string::npos) return std::string("misp");
    if (head.find("\"bundle\"") != std::string::npos || head.find("\"spec_version\"") != std::string::npos) {
      return std::string("stix");
    }
    return fail(Error::invalid_argument("a JSON file that is neither a STIX bundle nor a MISP event: give --format"));
  }
  return std::string("list");
}

std::vector<std::string> misp_notes(const misp::MispCounts& counts) {
  std::vector<std::string> notes;
  if (counts.not_for_detection != 0) {
    notes.push_back(std::to_string(counts.not_for_detection) + " attributes not for detection (to_ids false)");
  }
  if (counts.deleted != 0) notes.push_back(std::to_string(counts.deleted) + " deleted attributes");
  if (counts.unpublished_events != 0) {
    notes.push_back(std::to_string(counts.unpublished_events) + " unpublished events skipped");
  }
  if (counts.other_types != 0) {
    std::string types;
    for (const auto& [name, count] : counts.other_types_by_name) {
      types += (types.empty() ? "" : ", ") + name + " " + std::to_string(count);
    }
    notes.push_back(std::to_string(counts.other_types) + " attributes of types that do not apply to mail (" + types + ")");
  }
  return notes;
}

misp::MispLimits misp_limits(const Limits& limits) {
  misp::MispLimits out;
  out.max_event_bytes = limits.intel_max_misp_document_bytes;
  out.max_attributes = limits.intel_max_misp_attributes;
  out.max_events = limits.intel_max_misp_events;
  out.max_feed_bytes = limits.intel_max_misp_feed_bytes;
  return out;
}

}  // namespace

Result<ImportedFeed> import_source(const ImportRequest& request) {
  Result<std::string> format = detect(request);
  if (!format) return fail(format.error());
  ImportedFeed feed;
  feed.kind = *format;
  if (*format == "stix") {
    stix::BundleLimits limits;
    limits.max_bundle_bytes = request.limits.intel_max_bundle_bytes;
    limits.max_objects = request.limits.intel_max_bundle_objects;
    limits.pattern.max_pattern_bytes = request.limits.intel_max_pattern_bytes;
    Result<ImportResult> bundle = stix::import_bundle_file(request.location, limits);
    if (!bundle) return fail(bundle.error());
    feed.result = std::move(*bundle);
    return feed;
  }
  if (*format == "misp" || *format == "misp-feed") {
    misp::MispImport imported;
    if (*format == "misp-feed") {
      misp::MispFeedOptions options;
      options.import.limits = misp_limits(request.limits);
      options.authorization_file = request.auth_header_file;
      Result<misp::MispImport> read = misp::import_misp_feed(request.location, options);
      if (!read) return fail(read.error());
      imported = std::move(*read);
    } else {
      misp::MispOptions options;
      options.limits = misp_limits(request.limits);
      std::error_code ec;
      const std::uintmax_t size = std::filesystem::file_size(request.location, ec);
      if (ec) return fail(Error::io("cannot be read: " + ec.message()));
      if (size > options.limits.max_event_bytes) {
        return fail(Error::limit("a MISP event of " + std::to_string(size) + " bytes, over [limits] " +
                                 "intel_max_misp_document_bytes = " + std::to_string(options.limits.max_event_bytes)));
      }
      std::ifstream in(request.location, std::ios::binary);
      if (!in) return fail(Error::io("cannot be read"));
      const std::string json((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      imported = misp::import_misp_events(json, std::filesystem::path(request.location).filename().string(), options);
    }
    feed.result = std::move(imported.result);
    feed.notes = misp_notes(imported.counts);
    return feed;
  }
  if (*format == "list" || *format == "csv") {
    std::optional<misp::ValueKind> declared;
    if (!request.type.empty()) {
      declared = misp::value_kind_from_name(request.type);
      if (!declared) return fail(Error::invalid_argument("--type '" + request.type + "' is not a known value type"));
    } else if (*format == "list") {
      return fail(Error::invalid_argument("a plain list needs --type (domain, url, ipv4, sha256...)"));
    }
    Result<ImportResult> list =
        misp::import_list_file(request.location, *format == "csv" ? misp::ListFormat::kCsv : misp::ListFormat::kPlain,
                               declared, request.limits.intel_max_list_bytes);
    if (!list) return fail(list.error());
    feed.result = std::move(*list);
    return feed;
  }
  return fail(Error::invalid_argument("unknown format '" + *format + "' (stix, misp, misp-feed, list, csv)"));
}

}  // namespace vigie::intel
