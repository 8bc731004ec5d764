// `vigie serve` start, signals and stop (see serve.h).
#include "service/serve/serve.h"

#include <csignal>
#include <cstdlib>
#include <pthread.h>

#include "common/ip_address.h"
#include "config/serve_config.h"
#include "service/engine_holder/engine_holder.h"
#include "service/serve/event_log.h"
#include "service/http/http_service.h"
#include "service/serve/service_metrics.h"
#include "vigie/config.h"

namespace vigie::service {

namespace {

sigset_t service_signals() {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGHUP);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGINT);
  return signals;
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
    return 2;
  }
  const std::string listen = options.http_listen.empty() ? settings->http_listen : options.http_listen;
  Result<IpEndpoint> endpoint = IpEndpoint::parse(listen, 11380);
  if (!endpoint) {
    log.error("start_failed", {{"http_listen", listen}, {"error", endpoint.error().message}});
    return 2;
  }
  Result<std::unique_ptr<EngineHolder>> holder =
      EngineHolder::start(engine_from_file(options.config_path, options.services));
  if (!holder) {
    log.error("start_failed", {{"config", options.config_path}, {"error", holder.error().message}});
    return 2;
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

  ServiceMetrics metrics;
  HttpOptions http;
  http.host = endpoint->address.to_string();
  http.port = endpoint->port;
  http.settings = *settings;
  HttpService service(engines, metrics, log, http, reload);
  Result<std::uint16_t> port = service.start();
  if (!port) {
    log.error("start_failed", {{"http_listen", listen}, {"error", port.error().message}});
    return 2;
  }
  log.info("started", {{"config", options.config_path},
                       {"http", (endpoint->address.is_v4() ? http.host : "[" + http.host + "]") + ":" +
                                    std::to_string(*port)},
                       {"threads", settings->threads},
                       {"max_request_bytes", settings->max_request_bytes},
                       {"admin", settings->admin_token.empty() ? "disabled" : "enabled"},
                       {"engine", engines.generation()}});
  for (;;) {
    int received = 0;
    if (sigwait(&signals, &received) != 0) continue;
    if (received == SIGHUP) {
      reload();
      continue;
    }
    log.info("stopping", {{"signal", received == SIGTERM ? "SIGTERM" : "SIGINT"},
                          {"in_flight", metrics.in_flight()}});
    if (!service.stop(std::chrono::milliseconds(settings->shutdown_timeout_ms))) {
      log.error("stop_timed_out", {{"in_flight", metrics.in_flight()},
                                   {"waited_ms", settings->shutdown_timeout_ms}});
      std::fflush(stderr);
      std::_Exit(1);  // the pool's threads still run: no orderly destruction is possible
    }
    log.info("stopped", {{"messages", metrics.messages()}});
    return 0;
  }
}

}  // namespace vigie::service
