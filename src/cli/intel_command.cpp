// `vigie intel` (see intel_command.h).
#include "cli/intel_command.h"

#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <iostream>
#include <optional>

#include "cli/commands.h"
#include "cli/export_output.h"
#include "config/section.h"
#include "config/serve_config.h"
#include "intel/indicators/import_source.h"
#include "intel/indicators/indicator_store.h"
#include "intel/stix/pattern.h"
#include "outputs/terminal_text.h"
#include "store/event_store.h"
#include "vigie/config.h"

namespace vigie::cli {

namespace {

void say(const std::string& text) {
  std::cerr << "vigie intel: " << outputs::terminal_safe(text, outputs::LineBreaks::kKeep) << "\n";
}

// The configuration of --config (its [limits] bound what an import reads), else the defaults;
// nullopt after printing why it cannot be read.
std::optional<Config> configuration(const IntelOptions& options) {
  if (options.config_path.empty()) return Config{};
  Result<Config> config = load_config(options.config_path);
  if (!config) {
    say("invalid configuration:\n" + config.error().message);
    return std::nullopt;
  }
  return std::move(*config);
}

// --store, else [analyzers.intelligence] store of --config; empty after printing why.
std::string store_path(const IntelOptions& options, const Config& config) {
  if (!options.store_path.empty()) return options.store_path;
  if (options.config_path.empty()) {
    say("no indicator store: give --store PATH, or --config with [analyzers.intelligence] store");
    return "";
  }
  std::string path;
  if (const auto section = config.analyzers.sections.find("intelligence"); section != config.analyzers.sections.end()) {
    config::SectionReader reader(section->second);
    reader.path("store", path);
  }
  if (path.empty()) say(options.config_path + ": [analyzers.intelligence] store is not set");
  return path;
}

std::int64_t now() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

int import(intel::IndicatorStore& store, const IntelOptions& options, const Limits& limits) {
  if (options.feed.empty() || options.source.empty()) {
    say("import needs a feed name and a source: vigie intel import NAME FILE|FOLDER|URL");
    return kExitUsage;
  }
  intel::ImportRequest request;
  request.format = options.format;
  request.location = options.source;
  request.type = options.type;
  request.auth_header_file = options.auth_header_file;
  request.limits = limits;
  Result<intel::ImportedFeed> imported = intel::import_source(request);
  if (!imported) {
    say(options.source + ": " + imported.error().message + " (the store is unchanged)");
    return imported.error().code == ErrorCode::kIo ? kExitIo : kExitUsage;
  }
  if (Result<void> saved = store.replace_feed(options.feed, imported->kind, options.source, imported->result, now());
      !saved) {
    say(saved.error().message + " (the store is unchanged)");
    return kExitIo;
  }
  const intel::ImportResult& result = imported->result;
  std::cout << "feed " << outputs::terminal_safe(options.feed) << " (" << imported->kind << "): "
            << result.indicators.size() << " indicators imported";
  if (!result.problems.empty()) std::cout << ", " << result.problems.size() << " not taken";
  std::cout << "\n";
  for (std::size_t i = 0; i < result.problems.size() && i < 20; ++i) {
    std::cout << "  " << outputs::terminal_safe(result.problems[i].where + ": " + result.problems[i].what) << "\n";
  }
  if (result.problems.size() > 20) std::cout << "  … and " << result.problems.size() - 20 << " more\n";
  for (const std::string& note : imported->notes) std::cout << "  " << outputs::terminal_safe(note) << "\n";
  return kExitOk;
}

int list(const intel::IndicatorStore& store, const IntelOptions& options) {
  Result<std::vector<intel::FeedInfo>> feeds = store.feeds();
  if (!feeds) {
    say(feeds.error().message);
    return kExitIo;
  }
  nlohmann::json out = nlohmann::json::array();
  for (const intel::FeedInfo& f : *feeds) {
    if (!options.feed.empty() && f.name != options.feed) continue;
    if (options.json) {
      out.push_back({{"name", f.name}, {"kind", f.kind}, {"location", f.location}, {"imported_at", f.imported_at},
                     {"indicators", f.indicators}, {"problems", f.problems}, {"first_problems", f.first_problems}});
      continue;
    }
    std::cout << outputs::terminal_safe(f.name) << "  " << f.kind << "  " << f.indicators << " indicators";
    if (f.problems != 0) std::cout << ", " << f.problems << " not taken";
    std::cout << "  from " << outputs::terminal_safe(f.location) << "\n";
    for (const std::string& p : f.first_problems) std::cout << "    " << outputs::terminal_safe(p) << "\n";
  }
  if (options.json) std::cout << out.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
  return kExitOk;
}

int stats(const intel::IndicatorStore& store, const IntelOptions& options) {
  Result<intel::StoreStats> s = store.stats();
  if (!s) {
    say(s.error().message);
    return kExitIo;
  }
  if (options.json) {
    nlohmann::json by_type = nlohmann::json::object();
    for (const auto& [type, count] : s->values_by_type) by_type[type] = count;
    std::cout << nlohmann::json{{"feeds", s->feeds}, {"indicators", s->indicators}, {"values", s->values},
                                {"values_by_type", by_type}, {"file_bytes", s->file_bytes}}
                     .dump(2)
              << "\n";
    return kExitOk;
  }
  std::cout << s->feeds << " feeds, " << s->indicators << " indicators, " << s->values << " values, "
            << s->file_bytes / 1024 << " KiB\n";
  for (const auto& [type, count] : s->values_by_type) std::cout << "  " << type << ": " << count << "\n";
  return kExitOk;
}

int remove(intel::IndicatorStore& store, const IntelOptions& options) {
  if (options.feed.empty()) {
    say("remove needs the feed's name");
    return kExitUsage;
  }
  Result<bool> removed = store.remove_feed(options.feed);
  if (!removed) {
    say(removed.error().message);
    return kExitIo;
  }
  if (!*removed) {
    say("no feed named '" + options.feed + "'");
    return kExitUsage;
  }
  std::cout << "feed " << outputs::terminal_safe(options.feed) << " removed\n";
  return kExitOk;
}

// A --since or --until bound: a day (its start, or for `until` the start of the next, so that the
// day is included) or an RFC 3339 date-time. False after saying why.
bool time_bound(const std::string& option, const std::string& text, bool end_of_day, std::int64_t& out) {
  if (text.empty()) return true;
  const bool day = text.size() == 10;
  const std::optional<intel::stix::Timestamp> parsed = intel::stix::parse_rfc3339(day ? text + "T00:00:00Z" : text);
  if (!parsed) {
    say(option + " '" + text + "': not a date (2026-12-07) or an RFC 3339 date-time (2026-12-07T14:00:00Z)");
    return false;
  }
  out = parsed->seconds + (day && end_of_day ? 86400 : 0);
  return true;
}

int export_detections(const IntelOptions& options) {
  const std::optional<Config> config = configuration(options);
  if (!config) return kExitUsage;
  std::string events_path = options.events_path;
  if (events_path.empty() && !options.config_path.empty()) {
    Result<ServeConfig> serve = load_serve_config(options.config_path);
    if (serve) events_path = serve->events.path;
  }
  if (events_path.empty()) {
    say("no event store: give --events PATH, or --config with [events] path");
    return kExitUsage;
  }
  std::int64_t since = 0, until = 0;
  if (!time_bound("--since", options.since, false, since) || !time_bound("--until", options.until, true, until)) {
    return kExitUsage;
  }
  intel::sharing::ExportOptions settings;
  if (!export_options(*config, options.tlp, settings)) return kExitUsage;
  if (!std::filesystem::is_regular_file(events_path)) {
    say("no event store at '" + events_path + "'");
    return kExitIo;
  }
  store::EventStoreOptions store_options;
  store_options.path = events_path;
  store_options.retention_days = 0;  // reading must delete nothing: retention is the service's
  Result<std::unique_ptr<store::EventStore>> events = store::EventStore::open(store_options);
  if (!events) {
    say(events.error().message);
    return kExitIo;
  }
  Result<std::vector<store::ExportRecord>> records = (*events)->export_records(since, until);
  (*events)->close();
  if (!records) {
    say(records.error().message);
    return kExitIo;
  }
  std::vector<intel::sharing::Detection> detections;
  std::size_t unreadable = 0;
  for (const store::ExportRecord& record : *records) {
    Result<intel::sharing::Detection> detection = intel::sharing::detection_from_record(record.record);
    if (!detection) {
      // A record written by another version: said and left out, the others still shared.
      if (++unreadable <= 5) say("event " + record.id + ": " + detection.error().message);
      continue;
    }
    detections.push_back(std::move(*detection));
  }
  if (!write_export(options.output, render_export(options.export_format, detections, settings))) return kExitIo;
  say("exported " + std::to_string(detections.size()) + (detections.size() == 1 ? " detection" : " detections") +
      " as " + options.export_format + " (" + std::string(intel::tlp_name(settings.tlp)) + ")" +
      (unreadable == 0 ? std::string() : "; " + std::to_string(unreadable) + " records unreadable, left out"));
  return unreadable == 0 ? kExitOk : kExitIo;
}

}  // namespace

int run_intel(const IntelOptions& options) {
  if (options.action == "export") return export_detections(options);
  const std::optional<Config> config = configuration(options);
  if (!config) return kExitUsage;
  const std::string path = store_path(options, *config);
  if (path.empty()) return kExitUsage;
  Result<std::unique_ptr<intel::IndicatorStore>> store = intel::IndicatorStore::open(path);
  if (!store) {
    say(store.error().message);
    return store.error().code == ErrorCode::kConfig ? kExitUsage : kExitIo;
  }
  if (options.action == "import") return import(**store, options, config->limits);
  if (options.action == "list") return list(**store, options);
  if (options.action == "stats") return stats(**store, options);
  if (options.action == "remove") return remove(**store, options);
  say("unknown action '" + options.action + "'");
  return kExitUsage;
}

}  // namespace vigie::cli
