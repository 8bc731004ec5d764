// `vigie hunt` (see hunt_command.h).
#include "cli/hunt_command.h"

#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <memory>
#include <set>
#include <stdexcept>
#include <string_view>

#include "cli/commands.h"
#include "cli/export_output.h"
#include "cli/status_line.h"
#include "facts/organisation_profile.h"
#include "intel/indicators/import_source.h"
#include "intel/indicators/indicator_store.h"
#include "outputs/terminal_text.h"
#include "service/batch/batch_scanner.h"
#include "service/hunt/hunt.h"
#include "service/intake/message_source.h"
#include "vigie/config.h"
#include "vigie/engine.h"

namespace vigie::cli {
namespace {

namespace fs = std::filesystem;

// A private directory (mode 0700, from mkdtemp) for the store the feeds are imported into,
// removed when the hunt ends however it ends.
class PrivateDirectory {
 public:
  PrivateDirectory() {
    const char* tmp = std::getenv("TMPDIR");
    std::string pattern = std::string(tmp && *tmp ? tmp : "/tmp") + "/vigie-hunt-XXXXXX";
    if (::mkdtemp(pattern.data()) != nullptr) path_ = pattern;
  }
  ~PrivateDirectory() {
    if (path_.empty()) return;
    std::error_code ignored;  // nothing more can be done about a directory that will not go
    fs::remove_all(path_, ignored);
  }
  PrivateDirectory(const PrivateDirectory&) = delete;
  PrivateDirectory& operator=(const PrivateDirectory&) = delete;
  const std::string& path() const { return path_; }

 private:
  std::string path_;
};

// Copies the site's store (--store) to `copy_path`, where the hunt's feeds are added to it.
bool copy_store(const std::string& store_path, const std::string& copy_path) {
  if (std::error_code ec; !fs::is_regular_file(store_path, ec)) {
    say("--store: no indicator store at '" + store_path + "'");
    return false;
  }
  Result<std::unique_ptr<intel::IndicatorStore>> store = intel::IndicatorStore::open(store_path);
  Result<void> copied = store ? (*store)->copy_to(copy_path) : fail(store.error());
  if (!copied) say("--store: " + copied.error().message);
  return static_cast<bool>(copied);
}

// Imports every feed into the store at `store_path` (new, or a copy of --store), saying on stderr
// what each gave and what it did not take. False when a feed gave nothing usable or the store
// cannot be written: a hunt with a feed missing would report "no match" for indicators it never
// held.
bool import_feeds(const HuntOptions& options, const Limits& limits, const std::string& store_path) {
  Result<std::unique_ptr<intel::IndicatorStore>> store = intel::IndicatorStore::open(store_path);
  if (!store) {
    say("cannot create the indicator store: " + store.error().message);
    return false;
  }
  // The feeds of a copied store keep their names; a hunt's feed never replaces one of them.
  Result<std::vector<intel::FeedInfo>> existing = (*store)->feeds();
  if (!existing) {
    say("--store: " + existing.error().message);
    return false;
  }
  std::set<std::string> names;
  std::size_t total = 0;
  for (const intel::FeedInfo& feed : *existing) {
    names.insert(feed.name);
    total += feed.indicators;
  }
  for (const std::string& feed : options.feeds) {
    intel::ImportRequest request;
    request.format = options.feed_format;
    request.location = feed;
    request.type = options.feed_type;
    request.limits = limits;
    Result<intel::ImportedFeed> imported = intel::import_source(request);
    if (!imported) {
      say(feed + ": " + imported.error().message);
      return false;
    }
    intel::ImportResult& result = imported->result;
    if (result.indicators.empty()) {
      say(feed + ": no indicator could be taken from this feed" +
          (result.problems.empty() ? std::string() : ": " + result.problems.front().where + ": " + result.problems.front().what));
      return false;
    }
    // The feed's name in the store, and the "source" of its sightings: its file name, made unique.
    std::string name = fs::path(feed).filename().string();
    if (name.empty()) name = feed;
    for (int n = 2; !names.insert(name).second; ++n) name = fs::path(feed).filename().string() + "#" + std::to_string(n);
    // Sightings name the producer (a STIX identity, a MISP organisation); a feed that names none
    // is named by its file, so that every line of the summary says where its indicator came from.
    for (intel::Indicator& indicator : result.indicators) {
      if (indicator.source.empty()) indicator.source = name;
    }
    if (Result<void> saved = store->get()->replace_feed(name, imported->kind, feed, result, 0); !saved) {
      say(feed + ": " + saved.error().message);
      return false;
    }
    total += result.indicators.size();
    std::string line = feed + " (" + imported->kind + "): " + std::to_string(result.indicators.size()) + " indicators";
    if (!result.problems.empty()) line += ", " + std::to_string(result.problems.size()) + " not taken";
    say(line);
    for (std::size_t i = 0; i < result.problems.size() && i < 10; ++i) {
      say("  " + result.problems[i].where + ": " + result.problems[i].what);
    }
    if (result.problems.size() > 10) say("  … and " + std::to_string(result.problems.size() - 10) + " more");
    for (const std::string& note : imported->notes) say("  " + note);
  }
  const std::size_t feeds = options.feeds.size() + existing->size();
  say("hunting with " + std::to_string(total) + " indicators from " + std::to_string(feeds) +
      (feeds == 1 ? " feed" : " feeds") +
      (existing->empty() ? std::string() : " (" + std::to_string(existing->size()) + " of them from --store)"));
  return true;
}

// "1 message", "2 messages".
std::string count_of(std::size_t count, const std::string& noun) {
  return std::to_string(count) + " " + noun + (count == 1 ? "" : "s");
}

std::string megabytes(std::uint64_t bytes) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.1f MB", static_cast<double>(bytes) / 1e6);
  return buffer;
}

}  // namespace

int run_hunt(const HuntOptions& options) {
  // Outputs first: a typo there must not cost a whole hunt.
  std::string jsonl_path, stix_path;
  for (std::size_t i = 0; i + 1 < options.outputs.size(); i += 2) {
    const std::string& format = options.outputs[i];
    if (format == "jsonl") {
      jsonl_path = options.outputs[i + 1];
    } else if (format == "stix") {
      stix_path = options.outputs[i + 1];
    } else {
      say("--output: unknown format '" + format + "' (jsonl, stix)");
      return kExitUsage;
    }
  }
  if (options.feeds.empty() && options.store_path.empty()) {
    say("hunt: give the indicators as --intel FEED (repeatable), an existing --store PATH, or both");
    return kExitUsage;
  }
  Config config;
  if (!options.config_path.empty()) {
    Result<Config> loaded = load_config(options.config_path);
    if (!loaded) {
      say("invalid configuration:\n" + loaded.error().message);
      return kExitUsage;
    }
    config = std::move(*loaded);
  }
  PrivateDirectory directory;
  std::string store_path = options.store_path;
  if (!options.feeds.empty()) {
    if (directory.path().empty()) {
      say("cannot create a private temporary directory for the indicators");
      return kExitIo;
    }
    store_path = directory.path() + "/indicators.sqlite";
    if (!options.store_path.empty() && !copy_store(options.store_path, store_path)) return kExitUsage;
    if (!import_feeds(options, config.limits, store_path)) return kExitUsage;
  } else if (std::error_code ec; !fs::is_regular_file(store_path, ec)) {
    say("--store: no indicator store at '" + store_path + "'");
    return kExitUsage;
  }
  service::hunt::configure(config, store_path,
                           options.all_analyzers ? service::hunt::Analyzers::kAll
                                                 : service::hunt::Analyzers::kIntelligenceOnly);
  std::unique_ptr<const Engine> engine;
  try {
    // No resolver: a hunt over an archive does no DNS.
    engine = std::make_unique<const Engine>(config, Services{});
  } catch (const EngineConfigError& e) {
    say(std::string("cannot start: ") + e.what());
    return kExitUsage;
  }

  std::FILE* jsonl = nullptr;
  std::unique_ptr<std::FILE, int (*)(std::FILE*)> jsonl_file(nullptr, &std::fclose);
  if (jsonl_path == "-") {
    jsonl = stdout;
  } else if (!jsonl_path.empty()) {
    jsonl_file.reset(std::fopen(jsonl_path.c_str(), "w"));
    if (!jsonl_file) {
      say(jsonl_path + ": " + std::strerror(errno));
      return kExitIo;
    }
    jsonl = jsonl_file.get();
  }
  // The records own stdout when written there; the summary then goes to stderr.
  std::FILE* summary_out = jsonl == stdout ? stderr : stdout;

  StatusLine status(options.progress && isatty(STDERR_FILENO), isatty(fileno(summary_out)) != 0);
  std::vector<std::string> unreadable;
  const std::vector<service::InputFile> inputs = service::collect_inputs(options.archives, unreadable);
  for (const std::string& error : unreadable) status.say(error);

  const std::uint32_t max_header_fields = config.limits.max_header_fields;
  service::BatchOptions batch;
  batch.threads = options.jobs;
  batch.max_message_bytes = config.limits.max_message_bytes;
  batch.record_history = false;
  batch.envelope_of = [max_header_fields](const service::InputMessage& message, Envelope& envelope) {
    if (const auto delivered = service::hunt::delivery_time(message, max_header_fields)) {
      envelope.received_at = delivered->unix_seconds;
    }
  };
  // With --output stix, each worker renders the message's detection record first (one JSON line,
  // empty when nothing matched) and the calling thread gathers them for one bundle at the end, as
  // `vigie scan --export` does; the sightings are dated at delivery.
  const bool exporting = !stix_path.empty();
  intel::sharing::ExportOptions export_settings;
  if (exporting && !export_options(config, "", export_settings)) return kExitUsage;
  const facts::OrganisationProfile& organisation = engine->organisation();
  std::vector<intel::sharing::Detection> detections;
  const service::RenderScanOf render = [&](const ScanResult& result, const service::InputMessage& origin) {
    std::string out;
    if (exporting) {
      if (intel::sharing::worth_exporting(result)) {
        const auto delivered = service::hunt::delivery_time(origin, max_header_fields);
        const std::int64_t seen_at =
            delivered ? delivered->unix_seconds
                      : std::chrono::duration_cast<std::chrono::seconds>(
                            std::chrono::system_clock::now().time_since_epoch())
                            .count();
        out = intel::sharing::detection_record(intel::sharing::detection_of(result, Envelope{}, organisation, seen_at));
      }
      out += '\n';
    }
    const nlohmann::json record = service::hunt::record_of(result, origin);
    if (!record.is_null()) out += record.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
    return out;
  };
  service::hunt::HuntSummary summary;
  bool written = true;
  service::BatchCallbacks callbacks;
  callbacks.on_message = [&](service::ScannedMessage&& message, const service::BatchProgress&) {
    if (exporting) {
      const std::size_t end = message.rendered.find('\n');
      const std::string_view line = std::string_view(message.rendered).substr(0, end);
      if (!line.empty()) {
        Result<intel::sharing::Detection> detection = intel::sharing::detection_from_record(line);
        if (!detection) throw std::logic_error(detection.error().message);  // written just above
        detections.push_back(std::move(*detection));
      }
      message.rendered.erase(0, end + 1);
    }
    if (message.rendered.empty()) return;
    const nlohmann::json record = nlohmann::json::parse(message.rendered);
    summary.add(record);
    if (jsonl == nullptr || record["sightings"].empty()) return;
    status.before_output();
    message.rendered.push_back('\n');
    written = std::fwrite(message.rendered.data(), 1, message.rendered.size(), jsonl) == message.rendered.size() &&
              written;
  };
  callbacks.on_failure = [&](const service::InputFailure& failure, const service::BatchProgress&) {
    status.say(failure.error.message);
  };
  callbacks.on_progress = [&](const service::BatchProgress& progress) { status.show(progress); };
  const service::BatchProgress done =
      service::BatchScanner(*engine, Envelope{}, batch).run(inputs, render, callbacks);
  status.clear();
  if (jsonl != nullptr) written = std::fflush(jsonl) == 0 && written;
  if (exporting) written = write_export(stix_path, render_export("stix", detections, export_settings)) && written;

  const double seconds = std::chrono::duration<double>(done.elapsed).count();
  char timing[96];
  std::snprintf(timing, sizeof timing, " in %.2f s (%.1f MB/s)", seconds,
                seconds > 0 ? static_cast<double>(done.bytes_done) / 1e6 / seconds : 0.0);
  std::string text = "Retro-hunt: " + count_of(done.messages, "message") + " in " + count_of(done.inputs, "file") +
                     ", " + megabytes(done.bytes_done) + timing + ", " +
                     count_of(done.failed_inputs + unreadable.size(), "error") + "; " +
                     (options.all_analyzers ? "every analyzer" : "intelligence only") + ".\n";
  text += summary.text(options.rows);
  if (summary.messages_cut() > 0) {
    text += "\n" + count_of(summary.messages_cut(), "message") + " over the size limit ([limits] max_message_bytes = " +
            std::to_string(config.limits.max_message_bytes) + "), examined only up to it:\n";
    for (std::size_t i = 0; i < summary.cut_labels().size() && i < options.rows; ++i) {
      text += "  " + summary.cut_labels()[i] + "\n";
    }
    if (summary.messages_cut() > options.rows) text += "  … " + std::to_string(summary.messages_cut() - options.rows) + " more\n";
  }
  // Labels and indicator values come from the archives and the feeds: no control character
  // reaches the terminal.
  std::fputs(outputs::terminal_safe(text, outputs::LineBreaks::kKeep).c_str(), summary_out);
  if (!written || std::fflush(summary_out) != 0) {
    say("cannot write the output");
    return kExitIo;
  }
  return unreadable.empty() && done.failed_inputs == 0 ? kExitOk : kExitIo;
}

}  // namespace vigie::cli
