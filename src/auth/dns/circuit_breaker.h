// CircuitBreakerResolver: keeps a DNS outage from costing every message its full lookup timeouts.
//
// Why. With live DNS and an unreachable server, each lookup waits for its deadline (3 s, twice
// with the retry), so every message of a scan waits 6 to 10 s and its authentication fails anyway.
// The breaker sits between the per-message budget (BudgetedResolver) and the live resolver, shared
// by every worker, and decides when asking is pointless.
//
// How. Closed (the normal state), lookups go through and the breaker counts consecutive
// timeouts; any answer that did not time out resets the count. After `timeouts_before_check` of
// them it does not conclude anything yet: timeouts on one domain's silent servers say nothing about
// the resolver, and must not let a sender who controls such a server switch authentication off for
// everyone. The next lookup first runs the health check, a lookup of a name that must exist (the
// root zone's name servers, UnboundResolver::check_health). If that answers, the count restarts.
// If it does not, or says that the root does not exist, the breaker opens: every lookup answers
// kTempError at once, without reaching the resolver, with a detail beginning "DNS unavailable",
// for `open_interval`. The first lookup after that runs the health check again (half-open): when
// it answers, the breaker closes; otherwise it stays open for twice as long, up to
// `max_open_interval`. check_now() runs the health check at start-up, so that a resolver broken
// from the first message (a local stub answering NXDOMAIN for everything) is caught at once.
//
// The health check is bounded by `check_timeout` and by the deadline of the lookup that runs it,
// so it replaces that lookup's wait rather than adding to it: no lookup waits past its deadline.
// The observer hears every change between closed and open, so that the caller can warn once per
// outage (the CLI prints it on stderr).
//
// Thread safety: lookups may run concurrently. One mutex guards the state; it is never held while
// a lookup, the health check or the observer runs. One thread at a time runs the health check;
// meanwhile the others pass through (closed) or fail fast (open).
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "auth/dns/resolver.h"

namespace vigie::auth::dns {

struct CircuitBreakerOptions {
  // Consecutive timed-out lookups after which the health check runs.
  unsigned timeouts_before_check = 3;
  // How long lookups fail fast once the breaker opens, before the health check is tried again.
  std::chrono::milliseconds open_interval{30000};
  // The interval doubles after each failed retry, up to this.
  std::chrono::milliseconds max_open_interval{300000};
  // Longest wait for one health check (one attempt of a live lookup).
  std::chrono::milliseconds check_timeout{3000};
};

class CircuitBreakerResolver final : public Resolver {
 public:
  using HealthCheck = std::function<HealthReport(Deadline)>;
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  // A change between closed and open, for the observer.
  struct Change {
    bool open = false;
    HealthReport report;                    // the health check that decided it
    std::chrono::milliseconds retry_in{0};  // open: when the health check runs again
    unsigned consecutive_timeouts = 0;      // open: the timeouts that led to the check
  };
  using Observer = std::function<void(const Change&)>;

  // `inner` is shared with whoever else uses it; `check` must be callable from any thread.
  // `clock` is for tests.
  CircuitBreakerResolver(std::shared_ptr<const Resolver> inner, HealthCheck check,
                         CircuitBreakerOptions options = {}, Observer observer = {},
                         Clock clock = {});

  DnsAnswer lookup(std::string_view name, RecordType type) const override;
  DnsAnswer lookup_before(std::string_view name, RecordType type, Deadline deadline) const override;

  // Runs the health check now (at start-up) and opens the breaker when DNS is unreachable or
  // broken; the observer hears it as any other change. Returns what the check found.
  HealthReport check_now() const;

  bool is_open() const;

 private:
  enum class Role : std::uint8_t { kPass, kFailFast, kCheckFirst };
  std::chrono::steady_clock::time_point now() const;
  // Decides what a lookup starting now does.
  Role admit() const;
  // Runs the health check until `deadline` and applies what it found; true when DNS answers.
  bool check(Deadline deadline) const;
  // Closes or opens the breaker after a health check, and tells the observer of a change.
  bool apply(const HealthReport& report) const;
  DnsAnswer fail_fast() const;
  void record(const DnsAnswer& answer) const;

  std::shared_ptr<const Resolver> inner_;
  HealthCheck check_;
  CircuitBreakerOptions options_;
  Observer observer_;
  Clock clock_;

  mutable std::mutex mutex_;
  mutable bool open_ = false;                               // guarded by mutex_
  mutable bool checking_ = false;                           // guarded by mutex_
  mutable unsigned consecutive_timeouts_ = 0;               // guarded by mutex_
  mutable std::chrono::milliseconds interval_{0};           // guarded by mutex_
  mutable std::chrono::steady_clock::time_point retry_at_;  // guarded by mutex_
  mutable std::string why_open_;                            // guarded by mutex_
};

}  // namespace vigie::auth::dns
