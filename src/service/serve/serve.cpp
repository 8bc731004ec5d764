// `vigie serve` start, signals and stop (see serve.h).
#include "service/serve/serve.h"

#include <algorithm>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <ctime>
#include <optional>
#include <pthread.h>

#include "common/ip_address.h"
#include "config/actions_config.h"
#include "config/serve_config.h"
#include "intel/sender_history/sender_history.h"
#include "store/fallback_store.h"
#include "service/engine_holder/engine_holder.h"
#include "service/serve/event_log.h"
#include "service/http/http_service.h"
#include "service/milter/milter_decision.h"
#include "service/milter/milter_listener.h"
#include "service/quarantine/quarantine.h"
#include "service/serve/service_metrics.h"
#include "store/event_store.h"
#include "vigie/config.h"

namespace vigie::service {

namespace {

// How often held copies past [quarantine] retention_days are looked for (the event store runs its
// own retention on its writer thread).
constexpr std::chrono::hours kQuarantineExpiryInterval{1};

void expire_quarantine(Quarantine& quarantine, EventLog& log) {
  const Result<std::size_t> expired = quarantine.expire();
  if (!expired) {
    log.error("quarantine_expiry_failed", {{"error", expired.error().message}});
  } else if (*expired > 0) {
    log.info("quarantine_expired", {{"deleted", *expired}});
  }
}

sigset_t service_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGHUP);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  return signals;
}

// A start-up step that failed has been logged (start_failed, naming the setting at fault);
// serve() then exits with this status.
constexpr int kCannotStart = 2;

std::string host_port(const IpAddress& address, std::uint16_t port) {
  const std::string host = address.to_string();
  return (address.is_v4() ? host : "[" + host + "]") + ":" + std::to_string(port);
}

// The sender history of [history], opened once and shared by every engine the service builds: a
// reload keeps its connections, its outage state and its replay queue ([history] changes take
// effect at restart, like [serve]). False when it cannot open.
bool open_shared_history(const std::string& config_path, Services& services, ServiceMetrics& metrics, EventLog& log) {
  if (services.store) return true;
  const Result<Config> config = load_config(config_path);
  if (!config || config->history.path.empty()) return true;  // the engine's own start reports a bad file
  auto history = intel::sender_history::open_history_store(config->history, services.clock);
  if (!history) {
    log.error("start_failed", {{"history", config->history.path}, {"error", history.error().message}});
    return false;
  }
  services.store = *history;
  if (auto shared = std::dynamic_pointer_cast<store::FallbackStore>(*history)) {
    metrics.watch_shared_store([shared] { return shared->stats(); });
  }
  return true;
}

// The event store of [events] path (nullptr without one); nullopt when it cannot open.
std::optional<std::unique_ptr<store::EventStore>> open_events(const ServeConfig& settings, EventLog& log) {
  if (settings.events.path.empty()) return std::unique_ptr<store::EventStore>{};
  store::EventStoreOptions o;
  o.path = settings.events.path;
  o.retention_days = settings.events.retention_days;
  o.queue_size = settings.events.queue_size;
  o.on_write_error = [&log](const std::string& error, std::size_t lost) {
    log.error("event_write_failed", {{"error", error}, {"events_lost", lost}});
  };
  Result<std::unique_ptr<store::EventStore>> opened = store::EventStore::open(std::move(o));
  if (!opened) {
    log.error("start_failed", {{"events", settings.events.path}, {"error", opened.error().message}});
    return std::nullopt;
  }
  return std::move(*opened);
}

// The quarantine of [quarantine] maildir (nullptr without one), its expired copies deleted;
// nullopt when it cannot open. load_serve_config() refuses a maildir without [events] path: the
// rows live there.
std::optional<std::unique_ptr<Quarantine>> open_quarantine(const ServeConfig& settings, store::EventStore* events,
                                                           EventLog& log) {
  if (settings.quarantine.maildir.empty()) return std::unique_ptr<Quarantine>{};
  Result<IpEndpoint> relay = IpEndpoint::parse(settings.quarantine.release_smtp, 25);
  if (!relay) {
    log.error("start_failed", {{"release_smtp", settings.quarantine.release_smtp}, {"error", relay.error().message}});
    return std::nullopt;
  }
  QuarantineOptions o;
  o.maildir = settings.quarantine.maildir;
  o.release = {relay->address.to_string(), relay->port,
               std::chrono::milliseconds(settings.quarantine.release_timeout_ms)};
  o.retention_days = settings.quarantine.retention_days;
  Result<std::unique_ptr<Quarantine>> opened = Quarantine::open(std::move(o), *events);
  if (!opened) {
    log.error("start_failed", {{"quarantine", settings.quarantine.maildir}, {"error", opened.error().message}});
    return std::nullopt;
  }
  expire_quarantine(**opened, log);
  return std::move(*opened);
}

// What the milter answers, from [actions] and [serve] milter_on_error / milter_quarantine.
Result<milter::MilterPolicy> milter_policy_from(const std::string& config_path, const ServeConfig& settings) {
  Result<ActionSettings> actions = load_actions_settings(config_path);
  if (!actions) return fail(actions.error());
  milter::MilterPolicy policy;
  policy.actions = std::move(*actions);
  policy.on_error = settings.milter_on_error == "accept" ? milter::MilterPolicy::OnError::kAccept
                                                         : milter::MilterPolicy::OnError::kTempfail;
  policy.quarantine_at = settings.milter_quarantine == "mta" ? milter::MilterPolicy::QuarantineAt::kMta
                                                             : milter::MilterPolicy::QuarantineAt::kVigie;
  return policy;
}

// Listening milter at [serve] milter_listen, and the address it listens on for the started log.
struct StartedMilter {
  std::unique_ptr<milter::MilterListener> listener;
  std::string endpoint;
};

std::optional<StartedMilter> start_milter(const ServeConfig& settings, milter::MilterSession::Decide decide, EventLog& log) {
  Result<IpEndpoint> at = IpEndpoint::parse(settings.milter_listen, 11332);
  if (!at) {
    log.error("start_failed", {{"milter_listen", settings.milter_listen}, {"error", at.error().message}});
    return std::nullopt;
  }
  milter::ListenerOptions o;
  o.host = at->address.to_string();
  o.port = at->port;
  o.max_connections = settings.milter_max_connections;
  o.max_message_bytes = settings.max_request_bytes;
  auto listener = std::make_unique<milter::MilterListener>(o, std::move(decide));
  Result<std::uint16_t> port = listener->start();
  if (!port) {
    log.error("start_failed", {{"milter_listen", settings.milter_listen}, {"error", port.error().message}});
    return std::nullopt;
  }
  return StartedMilter{std::move(listener), host_port(at->address, *port)};
}

}  // namespace

void block_service_signals() {
  const sigset_t signals = service_signals();
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
}

int serve(const ServeOptions& options) {
  EventLog log(stderr);
  block_service_signals();
  const sigset_t signals = service_signals();
  // A client that closes its connection early must not kill the service.
  std::signal(SIGPIPE, SIG_IGN);

  Result<ServeConfig> settings = load_serve_config(options.config_path);
  if (!settings) {
    log.error("start_failed", {{"config", options.config_path}, {"error", settings.error().message}});
    return kCannotStart;
  }
  const std::string listen = options.http_listen.empty() ? settings->http_listen : options.http_listen;
  Result<IpEndpoint> endpoint = IpEndpoint::parse(listen, 11380);
  if (!endpoint) {
    log.error("start_failed", {{"http_listen", listen}, {"error", endpoint.error().message}});
    return kCannotStart;
  }
  Services services = options.services;
  ServiceMetrics metrics;
  if (!open_shared_history(options.config_path, services, metrics, log)) return kCannotStart;
  Result<std::unique_ptr<EngineHolder>> holder =
      EngineHolder::start(engine_from_file(options.config_path, services));
  if (!holder) {
    log.error("start_failed", {{"config", options.config_path}, {"error", holder.error().message}});
    return kCannotStart;
  }
  EngineHolder& engines = **holder;
  if (settings->max_request_bytes == 0) {
    settings->max_request_bytes = engines.current()->config().limits.max_message_bytes;
  }

  const auto reload = [&]() {
    log.info("reload_started", {{"config", options.config_path}});
    ReloadOutcome outcome = engines.reload();
    if (outcome.ok) {
      log.info("reloaded", {{"engine", outcome.generation}});
    } else {
      log.error("reload_failed", {{"engine", outcome.generation},
                                  {"error", outcome.error},
                                  {"kept", "the previous engine serves on"}});
    }
    return outcome;
  };

  // The event store and the quarantine outlive the listeners: declared before the service, they
  // are destroyed after it (the store's destructor writes every queued event).
  std::optional<std::unique_ptr<store::EventStore>> opened_events = open_events(*settings, log);
  if (!opened_events) return kCannotStart;
  std::unique_ptr<store::EventStore> events = std::move(*opened_events);
  std::optional<std::unique_ptr<Quarantine>> opened_quarantine = open_quarantine(*settings, events.get(), log);
  if (!opened_quarantine) return kCannotStart;
  std::unique_ptr<Quarantine> quarantine = std::move(*opened_quarantine);

  HttpOptions http;
  http.host = endpoint->address.to_string();
  http.port = endpoint->port;
  http.settings = *settings;
  http.events = events.get();
  http.quarantine = quarantine.get();
  HttpService service(engines, metrics, log, http, reload);
  Result<std::uint16_t> port = service.start();
  if (!port) {
    log.error("start_failed", {{"http_listen", listen}, {"error", port.error().message}});
    return kCannotStart;
  }

  Result<milter::MilterPolicy> milter_policy = milter_policy_from(options.config_path, *settings);
  if (!milter_policy) {
    log.error("start_failed", {{"config", options.config_path}, {"error", milter_policy.error().message}});
    return kCannotStart;
  }
  const ServeContext context{engines, metrics, log, events.get(), quarantine.get()};
  // Without [quarantine] maildir, quarantined messages wait in the MTA's hold queue.
  milter::HoldInQuarantine hold;
  if (quarantine) {
    hold = [&quarantine](const std::string& id, const std::string& raw, const ScanResult& result,
                         const Envelope& envelope) { return quarantine->hold(id, raw, result, envelope); };
  }
  StartedMilter milter{nullptr, "off"};
  if (!settings->milter_listen.empty()) {
    std::optional<StartedMilter> started = start_milter(
        *settings,
        [&](milter::ReceivedMessage& message) { return milter::decide_message(context, *milter_policy, hold, message); },
        log);
    if (!started) return kCannotStart;
    milter = std::move(*started);
  }
  log.info("started", {{"config", options.config_path},
                       {"http", host_port(endpoint->address, *port)},
                       {"milter", milter.endpoint},
                       {"threads", settings->threads},
                       {"max_request_bytes", settings->max_request_bytes},
                       {"admin", settings->admin_token.empty() ? "disabled" : "enabled"},
                       {"events", events ? settings->events.path : "disabled"},
                       {"quarantine", quarantine ? settings->quarantine.maildir : "disabled"},
                       {"engine", engines.generation()}});
  auto next_expiry = std::chrono::steady_clock::now() + kQuarantineExpiryInterval;
  for (;;) {
    // Signals, with a timeout when there is a quarantine to expire now and then.
    const auto wait = std::chrono::duration_cast<std::chrono::seconds>(next_expiry - std::chrono::steady_clock::now());
    const timespec timeout{std::max<time_t>(1, static_cast<time_t>(wait.count())), 0};
    const int received = quarantine ? sigtimedwait(&signals, nullptr, &timeout) : sigwaitinfo(&signals, nullptr);
    if (received < 0) {
      if (quarantine && errno == EAGAIN) {
        expire_quarantine(*quarantine, log);
        next_expiry = std::chrono::steady_clock::now() + kQuarantineExpiryInterval;
      }
      continue;
    }
    if (received == SIGHUP) {
      reload();
      continue;
    }
    log.info("stopping", {{"signal", received == SIGTERM ? "SIGTERM" : "SIGINT"},
                          {"in_flight", metrics.in_flight()},
                          {"milter_receiving", milter.listener ? milter.listener->messages_in_flight() : 0u}});
    const auto deadline =
        std::chrono::steady_clock::now() + std::chrono::milliseconds(settings->shutdown_timeout_ms);
    const auto remaining = [&] {
      return std::chrono::duration_cast<std::chrono::milliseconds>(
          std::max(deadline - std::chrono::steady_clock::now(), std::chrono::steady_clock::duration::zero()));
    };
    // The milter first (the MTA is waiting on it), then HTTP, within one deadline.
    const bool milter_done = !milter.listener || milter.listener->stop(remaining());
    if (!service.stop(remaining()) || !milter_done) {
      log.error("stop_timed_out", {{"in_flight", metrics.in_flight()},
                                   {"waited_ms", settings->shutdown_timeout_ms}});
      // Every event accepted so far is written; scans still running find the store closed.
      if (events) events->close();
      std::fflush(stderr);
      std::_Exit(1);  // the pool's threads still run: no orderly destruction is possible
    }
    quarantine.reset();
    nlohmann::json stopped{{"messages", metrics.messages()}};
    if (events) {
      events->close();  // writes every queued event
      const store::EventStore::Stats written = events->stats();
      stopped["events_written"] = written.written;
      stopped["events_dropped"] = written.dropped;
    }
    log.info("stopped", std::move(stopped));
    return 0;
  }
}

}  // namespace vigie::service
