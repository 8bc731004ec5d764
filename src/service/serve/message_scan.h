// One message received by a listener of `vigie serve` (HTTP today, the milter next), scanned the
// same way whichever listener it came through: on the engine current when it starts (kept to the
// end, whatever a reload swaps in), the engine's observers run after the verdict as `vigie scan`
// runs them (sender history), counted in the metrics, and logged as one `scan` line under its id.
// When the service has an event store, the message's event (store/event_store.h) is queued for it
// under the same id, with the listener's name; this never waits for the disk (a full queue drops
// the event, counts it and logs it). What the listener does with the verdict (a JSON answer,
// milter replies, Quarantine::hold) stays the listener's.
#pragma once

#include <nlohmann/json.hpp>

#include <chrono>
#include <memory>
#include <string>

#include "service/engine_holder/engine_holder.h"
#include "service/serve/event_log.h"
#include "service/serve/service_metrics.h"
#include "vigie/engine.h"

namespace vigie::store {
class EventStore;
}

namespace vigie::service {

class Quarantine;

// 16 hex digits from the system's random source: unique enough to find one message in the logs
// (and, later, in the added headers and the store), and not guessable from the previous one.
std::string new_message_id();

struct MessageScan {
  ScanResult result;
  std::chrono::microseconds latency{0};  // scan and observers
  std::uint64_t engine_generation = 0;   // of the engine that scanned it
  std::shared_ptr<const Engine> engine;  // that engine, for the configuration the verdict was made under
};

// The services every listener shares. `events` and `quarantine` are null when [events] path or
// [quarantine] maildir is not configured; both outlive every listener (serve() closes them after
// the listeners stop).
struct ServeContext {
  EngineHolder& engines;
  ServiceMetrics& metrics;
  EventLog& log;
  store::EventStore* events = nullptr;
  Quarantine* quarantine = nullptr;
};

// Which listener a message came through: the event's `listener` column and the log's field.
enum class Listener { kHttp, kMilter };
std::string_view listener_name(Listener listener);  // "http", "milter"

// Scans, runs the observers, counts, records the event, logs. `log_fields` adds the listener's
// own fields to the log line (e.g. the client's host name).
MessageScan scan_message(const ServeContext& context, const std::string& id,
                         std::shared_ptr<const std::string> bytes, const Envelope& envelope, Listener listener,
                         nlohmann::json log_fields = nlohmann::json::object());

}  // namespace vigie::service
