// Prometheus counters of `vigie serve` (see service_metrics.h).
#include "service/serve/service_metrics.h"

#include "service/quarantine/quarantine.h"
#include "store/event_store.h"

#include <cstdio>

#include "service/engine_holder/engine_holder.h"

namespace vigie::service {
namespace {

constexpr std::array<const char*, kRequestErrorCount> kErrorKinds = {"bad_request", "too_large",
                                                                     "unauthorized", "internal"};

// Label values are quoted; finding ids are identifiers, but escaping keeps the format valid
// whatever a catalog holds.
std::string label_value(std::string_view text) {
  std::string out;
  for (const char c : text) {
    if (c == '\\' || c == '"') out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out;
}

std::string number(double value) {
  char buffer[32];
  std::snprintf(buffer, sizeof buffer, "%.6g", value);
  return buffer;
}

void header(std::string& out, const char* name, const char* type, const char* help) {
  out += std::string("# HELP ") + name + " " + help + "\n# TYPE " + name + " " + type + "\n";
}

}  // namespace

void ServiceMetrics::scanned(const ScanResult& result, std::chrono::microseconds latency) {
  by_action_[static_cast<std::size_t>(result.verdict.action)].fetch_add(1);
  const double seconds = static_cast<double>(latency.count()) / 1e6;
  std::size_t bucket = 0;
  while (bucket < kLatencyBounds.size() && seconds > kLatencyBounds[bucket]) ++bucket;
  latency_buckets_[bucket].fetch_add(1);
  latency_sum_us_.fetch_add(static_cast<std::uint64_t>(latency.count()));
  if (result.findings.empty()) return;
  const std::lock_guard lock(findings_mutex_);
  for (const Finding& finding : result.findings) {
    auto found = findings_.find(finding.id);
    if (found == findings_.end()) found = findings_.emplace(finding.id, 0).first;
    ++found->second;
  }
}

std::uint64_t ServiceMetrics::messages() const {
  std::uint64_t total = 0;
  for (const auto& count : by_action_) total += count.load();
  return total;
}

std::string ServiceMetrics::prometheus(const EngineHolder& holder, std::chrono::steady_clock::duration uptime,
                                       const store::EventStore* events, const Quarantine* quarantine) const {
  std::string out;
  header(out, "vigie_messages_total", "counter", "Messages scanned, by the verdict's action.");
  for (std::size_t a = 0; a < kActions; ++a) {
    out += "vigie_messages_total{action=\"" + std::string(action_name(static_cast<Action>(a))) +
           "\"} " + std::to_string(by_action_[a].load()) + "\n";
  }
  header(out, "vigie_findings_total", "counter", "Findings in scanned messages, by finding id.");
  {
    const std::lock_guard lock(findings_mutex_);
    for (const auto& [id, count] : findings_) {
      out += "vigie_findings_total{id=\"" + label_value(id) + "\"} " + std::to_string(count) + "\n";
    }
  }
  header(out, "vigie_scan_duration_seconds", "histogram",
         "Time from the request's body read to its verdict, per scanned message.");
  std::uint64_t cumulative = 0;
  for (std::size_t b = 0; b < latency_buckets_.size(); ++b) {
    cumulative += latency_buckets_[b].load();
    const std::string le = b < kLatencyBounds.size() ? number(kLatencyBounds[b]) : "+Inf";
    out += "vigie_scan_duration_seconds_bucket{le=\"" + le + "\"} " + std::to_string(cumulative) + "\n";
  }
  out += "vigie_scan_duration_seconds_sum " +
         number(static_cast<double>(latency_sum_us_.load()) / 1e6) + "\n";
  out += "vigie_scan_duration_seconds_count " + std::to_string(cumulative) + "\n";
  header(out, "vigie_errors_total", "counter", "Requests refused or failed, by kind.");
  for (std::size_t k = 0; k < kRequestErrorCount; ++k) {
    out += "vigie_errors_total{kind=\"" + std::string(kErrorKinds[k]) + "\"} " +
           std::to_string(errors_[k].load()) + "\n";
  }
  header(out, "vigie_in_flight_requests", "gauge", "Requests being handled now.");
  out += "vigie_in_flight_requests " + std::to_string(in_flight_.load()) + "\n";
  header(out, "vigie_engine_generation", "gauge", "Engines built so far, 1 for the first.");
  out += "vigie_engine_generation " + std::to_string(holder.generation()) + "\n";
  header(out, "vigie_reloads_total", "counter", "Reloads that swapped in a new engine.");
  out += "vigie_reloads_total " + std::to_string(holder.reloads()) + "\n";
  header(out, "vigie_reload_failures_total", "counter", "Reloads that kept the previous engine.");
  out += "vigie_reload_failures_total " + std::to_string(holder.reload_failures()) + "\n";
  if (shared_store_) {
    const store::FallbackStats stats = shared_store_();
    header(out, "vigie_shared_store_up", "gauge",
           "1 while the shared sender-history store (Redis) answers, 0 during an outage.");
    out += "vigie_shared_store_up " + std::string(stats.primary_up ? "1" : "0") + "\n";
    header(out, "vigie_shared_store_failures_total", "counter",
           "Calls the shared store failed; each was served by the local store.");
    out += "vigie_shared_store_failures_total " + std::to_string(stats.primary_failures) + "\n";
    header(out, "vigie_shared_store_outages_total", "counter", "Outages of the shared store.");
    out += "vigie_shared_store_outages_total " + std::to_string(stats.outages) + "\n";
    header(out, "vigie_shared_store_replayed_total", "counter",
           "History increments written to the shared store after an outage.");
    out += "vigie_shared_store_replayed_total " + std::to_string(stats.replayed) + "\n";
    header(out, "vigie_shared_store_lost_total", "counter",
           "History increments of an outage that did not fit the replay queue (kept locally only).");
    out += "vigie_shared_store_lost_total " + std::to_string(stats.lost) + "\n";
    header(out, "vigie_shared_store_pending", "gauge", "History increments waiting for the shared store.");
    out += "vigie_shared_store_pending " + std::to_string(stats.pending) + "\n";
  }
  header(out, "vigie_uptime_seconds", "gauge", "Seconds since the service started.");
  out += "vigie_uptime_seconds " +
         number(std::chrono::duration<double>(uptime).count()) + "\n";
  const auto single = [&](const char* name, const char* type, const char* help, std::uint64_t value) {
    header(out, name, type, help);
    out += std::string(name) + " " + std::to_string(value) + "\n";
  };
  if (events != nullptr) {
    const store::EventStore::Stats e = events->stats();
    single("vigie_events_written_total", "counter", "Scan events committed to the event store.", e.written);
    single("vigie_events_dropped_total", "counter",
           "Scan events not recorded because the event store's queue was full (or it was closing).", e.dropped);
    single("vigie_event_write_failures_total", "counter", "Scan events lost to a failed write transaction.",
           e.write_failures);
    single("vigie_event_store_bytes", "gauge", "Size of the event store's database file and its WAL.", e.file_bytes);
  }
  if (quarantine != nullptr) {
    const Quarantine::Stats q = quarantine->stats();
    single("vigie_quarantine_held", "gauge", "Messages held in the quarantine now.", q.held_now);
    single("vigie_quarantine_failed", "gauge",
           "1 after an I/O failure while holding: nothing is held (mail is temp-failed) until a restart.",
           quarantine->failure().empty() ? 0 : 1);
    single("vigie_quarantine_holds_total", "counter", "Messages stored in the quarantine.", q.holds);
    single("vigie_quarantine_hold_failures_total", "counter",
           "Messages the quarantine could not store (the listener temp-failed them).", q.hold_failures);
    single("vigie_quarantine_releases_total", "counter", "Held messages re-injected.", q.releases);
    single("vigie_quarantine_release_failures_total", "counter", "Releases that failed (the message stays held).",
           q.release_failures);
    single("vigie_quarantine_deletes_total", "counter", "Held messages deleted, by an analyst or retention.",
           q.deletes);
  }
  return out;
}

}  // namespace vigie::service
