// One message scanned for a listener of `vigie serve` (see message_scan.h).
#include "service/serve/message_scan.h"

#include <openssl/rand.h>

#include <stdexcept>

#include "service/serve/scan_record.h"
#include "store/event_store.h"

namespace vigie::service {

std::string new_message_id() {
  unsigned char bytes[8];
  if (RAND_bytes(bytes, sizeof bytes) != 1) throw std::runtime_error("RAND_bytes failed");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string id;
  for (const unsigned char b : bytes) {
    id += kHex[b >> 4];
    id += kHex[b & 0xf];
  }
  return id;
}

std::string_view listener_name(Listener listener) {
  return listener == Listener::kMilter ? "milter" : "http";
}

MessageScan scan_message(const ServeContext& context, const std::string& id,
                         std::shared_ptr<const std::string> bytes, const Envelope& envelope, Listener listener,
                         nlohmann::json log_fields) {
  const auto start = std::chrono::steady_clock::now();
  const std::size_t size = bytes->size();
  MessageScan scan;
  // The engine of this message, kept until it is answered even if a reload swaps another in.
  const EngineHolder::Held held = context.engines.hold();
  const std::shared_ptr<const Engine>& engine = held.engine;
  scan.engine_generation = held.generation;
  scan.engine = engine;
  scan.result = engine->scan(std::move(bytes), envelope);
  engine->after_scan(scan.result, envelope);
  scan.latency = std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start);
  context.metrics.scanned(scan.result, scan.latency);
  if (context.events != nullptr &&
      !context.events->record(scan_event(id, scan.result, envelope, size, scan.engine_generation, listener_name(listener),
                                         engine->organisation()))) {
    // A full queue means the disk is slower than the mail: one line per thousand drops (the
    // metric counts each), not one per message, so the log does not add to the load.
    const std::uint64_t dropped = context.events->dropped();
    if (dropped == 1 || dropped % 1000 == 0) {
      context.log.warning("event_dropped", {{"id", id}, {"dropped_total", dropped},
                                            {"why", "the event store's queue is full or closed"}});
    }
  }

  const Verdict& verdict = scan.result.verdict;
  nlohmann::json findings = nlohmann::json::array();  // the deciding ones, at most five
  for (std::size_t i = 0; i < verdict.reasons.size() && i < 5; ++i) findings.push_back(verdict.reasons[i]);
  nlohmann::json line{{"id", id},
                      {"queue_id", envelope.queue_id},
                      {"from", envelope.mail_from},
                      {"rcpts", envelope.recipients.size()},
                      {"bytes", size},
                      {"action", action_name(verdict.action)},
                      {"score", verdict.score},
                      {"complete", verdict.complete},
                      {"findings", std::move(findings)},
                      {"latency_ms", static_cast<double>(scan.latency.count()) / 1000.0},
                      {"engine", scan.engine_generation},
                      {"listener", listener_name(listener)}};
  for (auto& [key, value] : log_fields.items()) line[key] = std::move(value);
  context.log.info("scan", std::move(line));
  return scan;
}

}  // namespace vigie::service
