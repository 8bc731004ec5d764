// [serve]: the settings of `vigie serve` (listener, threads, bounds, admin token). They belong to
// the service, not to the engine: a reload rebuilds the engine from the file and keeps these as
// the process started with them (a listener cannot move while it serves). `vigie config check`
// validates the section with the rest of the file.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "vigie/result.h"

namespace vigie {

// [events]: the event store (src/store/event_store.h), one row per scanned message. Without a
// path, no event is recorded.
struct EventsConfig {
  std::string path;                // SQLite file, resolved against the configuration file
  unsigned retention_days = 90;    // events older are deleted (at start and hourly); 0: never
  std::size_t queue_size = 10000;  // events waiting to be written; beyond, dropped and counted
};

// [quarantine]: held messages (src/service/quarantine). Without a maildir, nothing is held.
struct QuarantineConfig {
  std::string maildir;             // resolved against the configuration file; created if missing
  // Where a release re-injects: an MTA listener that does not run the milter again (see
  // docs/serve.md for the Postfix master.cf line). IP:PORT.
  std::string release_smtp = "127.0.0.1:10026";
  unsigned retention_days = 30;    // held and released copies older are deleted; 0: never
  unsigned release_timeout_ms = 30000;  // the whole SMTP exchange of one release
};

struct ServeConfig {
  std::string http_listen = "127.0.0.1:11380";  // IP:PORT ([IPv6]:PORT); loopback by default
  unsigned threads = 8;                  // HTTP worker threads: requests handled at once
  // Largest request body (raw message) accepted; larger is refused with 413. 0: [limits]
  // max_message_bytes.
  std::uint64_t max_request_bytes = 0;
  unsigned read_timeout_ms = 10000;      // longest wait for the next bytes of a request
  unsigned write_timeout_ms = 10000;     // longest wait for the client to take the answer's next bytes
  unsigned keep_alive_timeout_ms = 5000; // idle time before a kept-alive connection is closed
  unsigned keep_alive_max_requests = 100;  // requests on one connection before it is closed
  unsigned shutdown_timeout_ms = 30000;  // SIGTERM: wait this long for scans in flight
  // The milter listener the MTA connects to (Postfix: smtpd_milters = inet:127.0.0.1:11332);
  // empty: no milter listener.
  std::string milter_listen;
  unsigned milter_max_connections = 64;  // MTA connections served at once; more wait to be accepted
  // A message that cannot be scanned (an internal error): "tempfail" (fail closed: the sender
  // retries) or "accept" (fail open: delivered, marked X-Vigie-Action: unscanned).
  std::string milter_on_error = "tempfail";
  // Where a quarantined message waits: "vigie" (vigie's quarantine; the MTA discards its copy) or
  // "mta" (the MTA's hold queue).
  std::string milter_quarantine = "vigie";
  // Bearer token of the admin endpoints (POST /reload); empty: they are disabled. At least 16
  // characters.
  std::string admin_token;
  EventsConfig events;
  QuarantineConfig quarantine;
};

// The [serve], [events] and [quarantine] sections of a configuration file over the defaults above,
// paths resolved against the file; errors as load_config's.
Result<ServeConfig> load_serve_config(const std::string& path);

}  // namespace vigie
