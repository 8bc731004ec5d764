// Subcommand implementations: option handling, starting the engine, and printing what the
// library returns (the parallel scan of many inputs is service/batch).
#include "cli/commands.h"

#include <unistd.h>

#include <chrono>
#include <functional>
#include <cstdio>
#include <iostream>
#include <memory>
#include <stdexcept>

#include "auth/dns/circuit_breaker.h"
#include "auth/dns/recorded_resolver.h"
#include "auth/dns/unbound_resolver.h"
#include "cli/export_output.h"
#include "cli/status_line.h"
#include "config/serve_config.h"
#include "facts/organisation_profile.h"
#include "intel/attack/attack_knowledge.h"
#include "intel/attack/attack_report.h"
#include "intel/content_model/learning.h"
#include "outputs/json_output.h"
#include "outputs/terminal_text.h"
#include "outputs/text_output.h"
#include "parse/url/public_suffix_list.h"
#include "service/batch/batch_scanner.h"
#include "service/intake/message_source.h"
#include "service/serve/event_log.h"
#include "service/serve/serve.h"
#include "vigie/config.h"
#include "vigie/engine.h"

namespace vigie::cli {
namespace {

// Loads the configuration, or the built-in defaults when no file is given.
bool load(const std::string& path, Config& config) {
  if (path.empty()) return true;
  Result<Config> loaded = load_config(path);
  if (!loaded) {
    say("invalid configuration:\n" + loaded.error().message);
    return false;
  }
  config = std::move(*loaded);
  return true;
}

// Recorded DNS from a zone file; nullptr with `error` set when the file is unusable.
// GCC 12 at -O2 reports a false -Wfree-nonheap-object on the std::string inside a stack-allocated
// tl::expected here (the error alternative is never live on that path); the Result is kept on
// the heap instead of silencing the warning.
std::shared_ptr<const auth::dns::Resolver> load_zone(const std::string& path, std::string& error) {
  auto zone = std::make_unique<Result<auth::dns::RecordedResolver>>(
      auth::dns::RecordedResolver::from_file(path));
  if (!*zone) {
    error = zone->error().message;
    return nullptr;
  }
  return std::make_shared<auth::dns::RecordedResolver>(std::move(**zone));
}

// The engine, or nullptr after printing why it cannot start (an analyzer's list is invalid).
std::unique_ptr<const Engine> start_engine(const Config& config,
                                           std::shared_ptr<const auth::dns::Resolver> resolver) {
  Services services;
  services.resolver = std::move(resolver);
  try {
    return std::make_unique<const Engine>(config, std::move(services));
  } catch (const EngineConfigError& e) {
    say(std::string("cannot start: ") + e.what());
    return nullptr;
  }
}

// Says what the configured classifier has learned: on stdout when asked (config check), and on
// stderr as a warning when it is untrained, since an untrained classifier emits nothing. False
// when the model file is not a model (the engine refuses to start on it anyway).
bool report_classifier(const intel::content_model::ClassifierSettings& classifier, bool always) {
  if (classifier.model.empty()) return true;
  Result<intel::content_model::ModelStatus> status = intel::content_model::model_status(classifier);
  if (!status) {
    say(status.error().message);
    return false;
  }
  if (!status->trained) {
    say("warning: " + status->description);
  } else if (always) {
    std::cout << status->description << "\n";
  }
  return true;
}

bool report_classifier(const Config& config, bool always) {
  Result<intel::content_model::ClassifierSettings> classifier = intel::content_model::classifier_settings(config);
  if (!classifier) {
    std::cerr << "vigie: invalid configuration:\n" << classifier.error().message << "\n";
    return false;
  }
  return report_classifier(*classifier, always);
}

// What the circuit breaker's changes mean for the analyst, once per outage on stderr.
void warn_dns_change(const auth::dns::CircuitBreakerResolver::Change& change,
                     const std::string& upstream) {
  std::string line;
  if (change.open) {
    const auto retry_seconds =
        std::chrono::duration_cast<std::chrono::seconds>(change.retry_in).count();
    const bool broken = change.report.health == auth::dns::DnsHealth::kBroken;
    line = "vigie: warning: DNS " +
           std::string(broken ? "gives answers that cannot be right" : "looks unreachable") + " (" +
           upstream + "): " + change.report.detail +
           (broken ? ", as a resolver without network does" : "") +
           (change.consecutive_timeouts > 0
                ? " after " + std::to_string(change.consecutive_timeouts) + " lookups timed out"
                : "") +
           ". Sender authentication cannot run: its results are temperror (AUTH_TEMPORARY_ERROR) "
           "without waiting for DNS, which is checked again every " +
           std::to_string(retry_seconds) + " s or more.\n";
  } else {
    line = "vigie: DNS answers again (" + upstream + "): sender authentication resumes.\n";
  }
  std::cerr << line << std::flush;
}

// Live DNS: the --dns-server forwarders, else the configuration's [dns] servers, else the system
// resolver; timeouts and DNSSEC from [dns]. Behind a circuit breaker (auth/dns/circuit_breaker.h)
// whose health check runs once now: a resolver that is unreachable or broken from the start is
// reported before the first message, and an outage costs each message no wait.
// Says what a change of the circuit breaker means: warn_dns_change for scan, a JSON log line for
// serve.
using DnsChangeReport =
    std::function<void(const auth::dns::CircuitBreakerResolver::Change&, const std::string& upstream)>;

std::shared_ptr<const auth::dns::Resolver> live_resolver(const DnsOptions& options,
                                                         const Config& config, std::string& error,
                                                         DnsChangeReport report) {
  auth::dns::UnboundOptions unbound;
  unbound.servers = options.dns_servers.empty() ? config.dns.servers : options.dns_servers;
  unbound.timeout = std::chrono::milliseconds(config.dns.timeout_ms);
  unbound.retries = config.dns.retries;
  unbound.trust_anchor_file = config.dns.trust_anchor_file;
  auto created = std::make_unique<Result<std::unique_ptr<auth::dns::UnboundResolver>>>(
      auth::dns::UnboundResolver::create(unbound));
  if (!*created) {
    error = created->error().message;
    return nullptr;
  }
  std::shared_ptr<const auth::dns::UnboundResolver> live = std::move(**created);
  std::string upstream = "the system resolver, " + unbound.resolv_conf;
  if (!unbound.servers.empty()) {
    upstream = "server";
    for (const std::string& server : unbound.servers) upstream += " " + server;
  }
  auth::dns::CircuitBreakerOptions breaker_options;
  breaker_options.check_timeout = unbound.timeout;
  auto breaker = std::make_shared<auth::dns::CircuitBreakerResolver>(
      live, [live](auth::dns::Deadline deadline) { return live->check_health(deadline); },
      breaker_options,
      [upstream, report = std::move(report)](const auth::dns::CircuitBreakerResolver::Change& change) {
        report(change, upstream);
      });
  breaker->check_now();
  return breaker;
}

// The DNS source the options choose (nullptr: none); false after saying why it cannot be used.
bool choose_resolver(const DnsOptions& options, const Config& config,
                     std::shared_ptr<const auth::dns::Resolver>& resolver,
                     DnsChangeReport report = warn_dns_change) {
  const bool live = options.live_dns || !options.dns_servers.empty();
  if (live && !options.dns_zone.empty()) {
    std::cerr << "vigie: --dns-zone (recorded DNS) and --dns/--dns-server (live DNS) cannot be "
                 "used together: choose one DNS source\n";
    return false;
  }
  std::string error;
  if (live) {
    resolver = live_resolver(options, config, error, std::move(report));
    if (!resolver) say("live DNS: " + error);
  } else if (!options.dns_zone.empty()) {
    resolver = load_zone(options.dns_zone, error);
    if (!resolver) say(error);
  }
  return error.empty();
}

}  // namespace

int run_scan(const ScanOptions& options) {
  Config config;
  if (!load(options.config_path, config)) return kExitUsage;
  std::shared_ptr<const auth::dns::Resolver> resolver;
  if (!choose_resolver(options.dns, config, resolver)) return kExitUsage;
  const std::unique_ptr<const Engine> engine = start_engine(config, resolver);
  if (!engine) return kExitUsage;
  report_classifier(config, false);
  Envelope envelope;
  envelope.client_ip = options.client_ip;
  envelope.helo = options.helo;
  envelope.mail_from = options.mail_from;
  envelope.recipients = options.recipients;

  const bool progress_line = options.progress && !options.quiet && isatty(STDERR_FILENO);
  const bool output_on_terminal = isatty(STDOUT_FILENO);
  StatusLine status(progress_line, output_on_terminal);
  std::vector<std::string> unreadable;
  const std::vector<service::InputFile> inputs = service::collect_inputs(options.paths, unreadable);
  for (const std::string& error : unreadable) status.say(error);

  // With --export, each worker renders the message's detection record (one JSON line, empty when
  // the message is not worth sharing) before the usual output; the calling thread takes the
  // records back in input order and builds the export once every message is in.
  const bool exporting = !options.export_format.empty();
  const bool records_too = !exporting || !(options.export_file.empty() || options.export_file == "-");
  intel::sharing::ExportOptions export_settings;
  if (exporting && !export_options(config, options.tlp, export_settings)) return kExitUsage;
  const facts::OrganisationProfile& organisation = engine->organisation();
  const Envelope export_envelope = envelope;
  std::vector<intel::sharing::Detection> detections;
  std::size_t not_exported = 0;

  const bool text = options.format == "text";
  const outputs::Language language =
      options.language == "fr" ? outputs::Language::kFrench : outputs::Language::kEnglish;
  const service::RenderScan render = [&](const ScanResult& result, std::string_view label) {
    std::string out;
    if (exporting) {
      const std::int64_t now =
          std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
      if (intel::sharing::worth_exporting(result)) {
        out = intel::sharing::detection_record(intel::sharing::detection_of(result, export_envelope, organisation, now));
      }
      out += '\n';
    }
    if (records_too) {
      out += text ? outputs::scan_to_text(result, label, language, options.explain) + "\n"
                  : outputs::scan_json_line(result, label) + "\n";
    }
    return out;
  };
  service::BatchCallbacks callbacks;
  callbacks.on_message = [&](service::ScannedMessage&& message, const service::BatchProgress&) {
    std::string_view rendered = message.rendered;
    if (exporting) {
      const std::size_t end = rendered.find('\n');
      const std::string_view record = rendered.substr(0, end);
      rendered.remove_prefix(end + 1);
      if (record.empty()) {
        ++not_exported;
      } else {
        Result<intel::sharing::Detection> detection = intel::sharing::detection_from_record(record);
        if (!detection) throw std::logic_error(detection.error().message);  // written just above
        detections.push_back(std::move(*detection));
      }
    }
    if (rendered.empty()) return;
    status.before_output();
    std::fwrite(rendered.data(), 1, rendered.size(), stdout);
    // On a shared terminal the record must be out before the progress line is drawn again.
    if (progress_line && output_on_terminal) std::fflush(stdout);
  };
  callbacks.on_failure = [&](const service::InputFailure& failure, const service::BatchProgress&) {
    std::fflush(stdout);  // the error follows the records of the inputs before it
    status.say(failure.error.message);
  };
  callbacks.on_progress = [&](const service::BatchProgress& progress) { status.show(progress); };

  service::BatchOptions batch;
  batch.threads = options.jobs;
  batch.max_message_bytes = config.limits.max_message_bytes;
  const service::BatchProgress summary =
      service::BatchScanner(*engine, std::move(envelope), batch).run(inputs, render, callbacks);
  status.clear();
  bool written = std::fflush(stdout) == 0;
  if (exporting) {
    written = write_export(options.export_file, render_export(options.export_format, detections, export_settings)) &&
              written;
  }
  if (!options.quiet) {
    status.say(summary_text(summary, unreadable.size()));
    if (exporting) {
      status.say("exported " + std::to_string(detections.size()) +
                 (detections.size() == 1 ? " detection" : " detections") + " as " + options.export_format + " (" +
                 std::string(intel::tlp_name(export_settings.tlp)) + "); " + std::to_string(not_exported) +
                 (not_exported == 1 ? " message" : " messages") +
                 " left out: below warn and no partner's indicator matched");
    }
  }
  if (!written) {
    status.say("cannot write output");
    return kExitIo;
  }
  return unreadable.empty() && summary.failed_inputs == 0 ? kExitOk : kExitIo;
}

int run_serve(const ServeOptions& options) {
  // Before the live resolver, which may start threads of its own.
  service::block_service_signals();
  // The configuration is read here only for [dns]; the service reads it again for the engine.
  Config config;
  if (!load(options.config_path, config)) return kExitUsage;
  service::ServeOptions serve;
  // The service's log is JSON lines: so are its DNS outages.
  auto dns_log = std::make_shared<service::EventLog>(stderr);
  const DnsChangeReport report_dns = [dns_log](const auth::dns::CircuitBreakerResolver::Change& change,
                                               const std::string& upstream) {
    if (change.open) {
      dns_log->warning("dns_unavailable",
                       {{"upstream", upstream},
                        {"health", change.report.health == auth::dns::DnsHealth::kBroken ? "broken" : "unreachable"},
                        {"detail", change.report.detail},
                        {"consecutive_timeouts", change.consecutive_timeouts},
                        {"retry_in_s", std::chrono::duration_cast<std::chrono::seconds>(change.retry_in).count()}});
    } else {
      dns_log->info("dns_restored", {{"upstream", upstream}});
    }
  };
  if (!choose_resolver(options.dns, config, serve.services.resolver, report_dns)) return kExitUsage;
  // So are the analyzers' notices to the operator (a DNS list refusing our queries).
  serve.services.notify = [dns_log](const OperatorNotice& notice) {
    nlohmann::json fields = nlohmann::json::object();
    for (const auto& [key, value] : notice.fields) fields[key] = value;
    fields["message"] = notice.text;
    dns_log->warning(notice.event, std::move(fields));
  };
  if (!report_classifier(config, false)) return kExitUsage;
  serve.config_path = options.config_path;
  serve.http_listen = options.http_listen;
  return service::serve(serve);
}

int run_parse(const ParseOptions& options) {
  Config config;
  if (!load(options.config_path, config)) return kExitUsage;
  // No engine here, yet the URL fields shown must be the ones a scan with this configuration sees.
  if (const Result<void> suffixes = parse::use_public_suffix_list_file(config.lists.public_suffix_list); !suffixes) {
    say("cannot start: " + suffixes.error().message);
    return kExitUsage;
  }
  // Every message of an mbox, in file order, each under its label (path:N), unless --message
  // picks one; a file holding one message prints as it always has.
  std::size_t count = 0;
  bool shown = false;
  Result<std::size_t> read = service::read_messages(
      service::InputFile{options.path}, config.limits.max_message_bytes, [&](service::InputMessage&& m) {
        ++count;
        if (options.message != 0 && count != options.message) return;
        const std::unique_ptr<ParsedMessage> message = ParsedMessage::parse(std::move(m.bytes), config.limits);
        message->decode_all();
        const bool in_mbox = m.mbox_position != 0;
        if (options.json) {
          nlohmann::json json = outputs::parse_to_json(*message);
          if (in_mbox) json["file"] = m.label;
          std::cout << json.dump(2, ' ', false, nlohmann::json::error_handler_t::replace) << "\n";
        } else {
          if (in_mbox) {
            std::cout << (shown ? "\n" : "") << "File:       " << outputs::terminal_safe(m.label) << "\n";
          }
          std::cout << outputs::parse_to_text(*message);
        }
        shown = true;
      });
  if (!read) {
    say(read.error().message);
    return kExitIo;
  }
  if (count == 0) {
    say(options.path + ": no message");
    return kExitIo;
  }
  if (!shown) {
    say(options.path + " holds " + std::to_string(count) + (count == 1 ? " message" : " messages") +
        ": there is no message " + std::to_string(options.message));
    return kExitUsage;
  }
  return kExitOk;
}

int run_attack(const AttackOptions& options) {
  Config config;
  if (!load(options.config_path, config)) return kExitUsage;
  const std::string file = intel::attack::AttackKnowledge::shipped_file(config);
  Result<std::shared_ptr<const intel::attack::AttackKnowledge>> knowledge = intel::attack::AttackKnowledge::load(file);
  if (!knowledge) {
    say("cannot read the ATT&CK data: " + knowledge.error().message);
    return kExitIo;
  }
  if (options.about) {
    std::cout << outputs::terminal_safe(intel::attack::about(**knowledge, file), outputs::LineBreaks::kKeep);
    return kExitOk;
  }
  const Result<std::string> description = intel::attack::describe(**knowledge, options.query);
  if (!description) {
    say(description.error().message);
    return kExitNotFound;
  }
  std::cout << outputs::terminal_safe(*description, outputs::LineBreaks::kKeep)
            << (*knowledge)->copyright() << "\n";
  return kExitOk;
}

int run_config_check(const std::string& path) {
  Result<Config> loaded = load_config(path);
  if (!loaded) {
    std::cerr << outputs::terminal_safe(loaded.error().message, outputs::LineBreaks::kKeep) << "\n";
    return kExitUsage;
  }
  // [serve] is checked by load_config() too; this is what `vigie serve` will run with.
  if (Result<ServeConfig> serve = load_serve_config(path); !serve) {
    std::cerr << outputs::terminal_safe(serve.error().message, outputs::LineBreaks::kKeep) << "\n";
    return kExitUsage;
  }
  // Starting the engine loads and checks every list the configuration names.
  if (!start_engine(*loaded, nullptr)) return kExitUsage;
  if (!report_classifier(*loaded, true)) return kExitUsage;
  std::cout << path << ": ok\n";
  return kExitOk;
}

int run_learn(const LearnOptions& options) {
  Config config;
  if (!load(options.config_path, config)) return kExitUsage;
  Result<intel::content_model::ClassifierSettings> settings = intel::content_model::classifier_settings(config);
  if (!settings) {
    std::cerr << "vigie: invalid configuration:\n" << settings.error().message << "\n";
    return kExitUsage;
  }
  const std::string model = options.model_path.empty() ? settings->model : options.model_path;
  if (model.empty()) {
    std::cerr << "vigie: learn: no model file: give --model FILE or a configuration with "
                 "[analyzers.content_classifier] model\n";
    return kExitUsage;
  }
  if (options.phish == options.ham) {
    std::cerr << "vigie: learn: say what the messages are: --phish or --ham\n";
    return kExitUsage;
  }
  const auto label = options.phish ? intel::content_model::Label::kPhish : intel::content_model::Label::kHam;
  Result<intel::content_model::LearnSummary> learned =
      intel::content_model::learn_paths(model, label, options.paths, config.limits);
  if (!learned) {
    say("learn: " + learned.error().message);
    return learned.error().code == ErrorCode::kIo ? kExitIo : kExitUsage;
  }
  std::cout << "learned " << learned->messages << (options.phish ? " phishing" : " legitimate")
            << " message(s) from " << learned->files << " file(s); " << model << " now holds "
            << learned->totals.phish_messages << " phishing and " << learned->totals.ham_messages
            << " legitimate message(s), " << learned->tokens << " tokens\n";
  report_classifier(intel::content_model::ClassifierSettings{model, settings->threshold}, false);
  return kExitOk;
}

}  // namespace vigie::cli
