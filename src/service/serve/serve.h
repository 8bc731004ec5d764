// `vigie serve`: the service's life from start to exit. Reads [serve], builds the first engine,
// starts the HTTP listener, then waits for signals on the main thread (sigwait: no work in
// signal handlers): SIGHUP reloads the engine, SIGTERM and SIGINT stop accepting, let the requests
// in flight finish within [serve] shutdown_timeout_ms and exit. The milter listener, the event
// store and the quarantine start and stop here beside the HTTP one.
#pragma once

#include <string>

#include "vigie/services.h"

namespace vigie::service {

struct ServeOptions {
  std::string config_path;
  std::string http_listen;  // IP:PORT overriding [serve] http_listen; empty: the file's
  // Shared by every engine the service builds: DNS is the process's (a reload re-reads the
  // configuration file, not the DNS source chosen on the command line).
  Services services;
};

// Blocks SIGHUP, SIGTERM and SIGINT in the calling thread, so that every thread started after it
// (the listener's, and any a DNS library starts) inherits the mask and only serve()'s sigwait()
// receives them. Call it before building anything that may start a thread; serve() calls it too.
void block_service_signals();

// Exit status: 0 after a clean stop, 1 when in-flight requests did not finish in time, 2 when
// the service cannot start (configuration, engine, listener). Logs say why, as JSON lines on
// stderr.
int serve(const ServeOptions& options);

}  // namespace vigie::service
