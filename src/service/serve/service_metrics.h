// The counters of `vigie serve`, written by the request handlers and read by GET /metrics in the
// Prometheus text exposition format (version 0.0.4). Every counter is safe to update from any
// handler thread; the findings by id sit behind one mutex, taken once per scanned message.
#pragma once

#include <array>
#include <atomic>
#include <chrono>
#include <cstdint>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <vector>

#include "store/fallback_store.h"
#include "vigie/engine.h"
#include "vigie/verdict.h"

namespace vigie::store {
class EventStore;
}

namespace vigie::service {

class EngineHolder;
class Quarantine;

// Why a request was not answered with a scan: the `kind` label of vigie_errors_total.
enum class RequestError { kBadRequest, kTooLarge, kUnauthorized, kInternal };
inline constexpr std::size_t kRequestErrorCount = 4;

class ServiceMetrics {
 public:
  // Upper bounds of the scan latency histogram, in seconds (Prometheus' `le`); +Inf follows.
  static constexpr std::array<double, 12> kLatencyBounds = {
      0.0005, 0.001, 0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};

  void scanned(const ScanResult& result, std::chrono::microseconds latency);
  void failed(RequestError kind) { errors_[static_cast<std::size_t>(kind)].fetch_add(1); }
  // The shared sender-history store's outage counters (Redis in front of SQLite), when the
  // service runs one; set once at start, before the listeners.
  void watch_shared_store(std::function<store::FallbackStats()> stats) { shared_store_ = std::move(stats); }

  // Held by a handler for as long as it serves its request.
  class InFlight {
   public:
    explicit InFlight(ServiceMetrics& metrics) : metrics_(metrics) { metrics_.in_flight_.fetch_add(1); }
    ~InFlight() { metrics_.in_flight_.fetch_sub(1); }
    InFlight(const InFlight&) = delete;
    InFlight& operator=(const InFlight&) = delete;

   private:
    ServiceMetrics& metrics_;
  };

  std::int64_t in_flight() const { return in_flight_.load(); }
  std::uint64_t messages() const;

  // The exposition text: these counters, the holder's generation and reloads, the uptime, and
  // those of the event store and the quarantine when the service has them (null: left out).
  std::string prometheus(const EngineHolder& holder, std::chrono::steady_clock::duration uptime,
                         const store::EventStore* events = nullptr, const Quarantine* quarantine = nullptr) const;

 private:
  static constexpr std::size_t kActions = static_cast<std::size_t>(Action::kReject) + 1;
  std::array<std::atomic<std::uint64_t>, kActions> by_action_{};
  std::array<std::atomic<std::uint64_t>, kLatencyBounds.size() + 1> latency_buckets_{};
  std::atomic<std::uint64_t> latency_sum_us_{0};
  std::array<std::atomic<std::uint64_t>, kRequestErrorCount> errors_{};
  std::atomic<std::int64_t> in_flight_{0};
  std::function<store::FallbackStats()> shared_store_;
  mutable std::mutex findings_mutex_;
  std::map<std::string, std::uint64_t, std::less<>> findings_;
};

}  // namespace vigie::service
