// The HTTP listener of `vigie serve` (cpp-httplib): POST /scan, GET /health, GET /metrics and the
// admin endpoints POST /reload and /quarantine (list, show, raw, release, delete). Requests are handled on a fixed pool of threads; each scan takes
// the engine current when it starts from the EngineHolder and keeps it to its answer, runs the
// engine's observers (after_scan: the sender history) like `vigie scan`, and is logged as one
// JSON line under the id it returns in X-Vigie-Id. The API is in docs/serve.md.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include "config/serve_config.h"
#include "service/engine_holder/engine_holder.h"
#include "service/quarantine/quarantine.h"
#include "service/serve/event_log.h"
#include "service/serve/service_metrics.h"
#include "vigie/result.h"

namespace vigie::service {

struct HttpOptions {
  std::string host = "127.0.0.1";
  std::uint16_t port = 11380;  // 0: any free port (tests), see HttpService::port()
  // Threads, timeouts, keep-alive bounds and the admin token; max_request_bytes already resolved
  // (never 0 here).
  ServeConfig settings;
  // Where POST /scan records its events (never holds: the caller acts on the answer) and what the
  // /quarantine endpoints manage; null when not configured. Both must outlive the service.
  store::EventStore* events = nullptr;
  Quarantine* quarantine = nullptr;
};

class HttpService {
 public:
  // `reload` runs a reload and logs it (the same path as SIGHUP); all references must outlive
  // the service.
  HttpService(EngineHolder& holder, ServiceMetrics& metrics, EventLog& log, HttpOptions options,
              std::function<ReloadOutcome()> reload);
  ~HttpService();  // stops and waits, as stop()
  HttpService(const HttpService&) = delete;
  HttpService& operator=(const HttpService&) = delete;

  // Binds the listening socket and starts answering on the pool's threads; returns the port.
  Result<std::uint16_t> start();
  // Stops accepting, lets the requests being handled finish and answers them, closes idle
  // kept-alive connections. Returns false when they did not finish within `wait` (they still
  // run: the caller decides whether to exit).
  bool stop(std::chrono::milliseconds wait);

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

// A request's admin token against the configured one, in time that depends on neither (both are
// hashed, then the digests compared with CRYPTO_memcmp). False when `configured` is empty.
bool admin_token_matches(std::string_view presented, std::string_view configured);

}  // namespace vigie::service
