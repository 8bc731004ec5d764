// The circuit breaker's state machine (see circuit_breaker.h): closed, counting timeouts; a health
// check before concluding anything; open, failing fast until the next check answers.
#include "auth/dns/circuit_breaker.h"

#include <algorithm>

namespace vigie::auth::dns {

CircuitBreakerResolver::CircuitBreakerResolver(std::shared_ptr<const Resolver> inner,
                                               HealthCheck check, CircuitBreakerOptions options,
                                               Observer observer, Clock clock)
    : inner_(std::move(inner)),
      check_(std::move(check)),
      options_(options),
      observer_(std::move(observer)),
      clock_(std::move(clock)),
      interval_(options.open_interval) {}

std::chrono::steady_clock::time_point CircuitBreakerResolver::now() const {
  return clock_ ? clock_() : std::chrono::steady_clock::now();
}

CircuitBreakerResolver::Role CircuitBreakerResolver::admit() const {
  std::lock_guard lock(mutex_);
  if (open_) {
    if (checking_ || now() < retry_at_) return Role::kFailFast;
    checking_ = true;  // half-open: this lookup asks whether DNS is back
    return Role::kCheckFirst;
  }
  if (consecutive_timeouts_ >= options_.timeouts_before_check && !checking_) {
    checking_ = true;
    return Role::kCheckFirst;
  }
  return Role::kPass;
}

bool CircuitBreakerResolver::check(Deadline deadline) const { return apply(check_(deadline)); }

bool CircuitBreakerResolver::apply(const HealthReport& report) const {
  const bool answering = report.health == DnsHealth::kAnswering;
  Change change;
  bool changed = false;
  {
    std::lock_guard lock(mutex_);
    checking_ = false;
    change.consecutive_timeouts = consecutive_timeouts_;
    consecutive_timeouts_ = 0;
    if (answering) {
      if (open_) {
        open_ = false;
        interval_ = options_.open_interval;
        changed = true;
      }
    } else {
      if (open_) {
        interval_ = std::min(interval_ * 2, options_.max_open_interval);  // a failed retry
      } else {
        open_ = true;
        changed = true;
      }
      retry_at_ = now() + interval_;
      why_open_ = report.detail;
    }
    change.open = open_;
    change.retry_in = interval_;
  }
  if (changed && observer_) {
    change.report = report;
    observer_(change);
  }
  return answering;
}

HealthReport CircuitBreakerResolver::check_now() const {
  {
    std::lock_guard lock(mutex_);
    checking_ = true;
  }
  const HealthReport report = check_(std::chrono::steady_clock::now() + options_.check_timeout);
  apply(report);
  return report;
}

bool CircuitBreakerResolver::is_open() const {
  std::lock_guard lock(mutex_);
  return open_;
}

DnsAnswer CircuitBreakerResolver::fail_fast() const {
  std::lock_guard lock(mutex_);
  // why_open_ is the health check's own report (a resolver library's message): kept as written.
  return DnsAnswer::explained_temp_error(
      {"DNS unavailable: " + why_open_ + "; not asked again until a periodic check finds it answering",
       "DNS indisponible : " + why_open_ + " ; plus interrogé avant qu'une vérification périodique le trouve à nouveau "
                                           "en état de répondre"});
}

void CircuitBreakerResolver::record(const DnsAnswer& answer) const {
  std::lock_guard lock(mutex_);
  if (answer.timed_out) {
    ++consecutive_timeouts_;
  } else {
    consecutive_timeouts_ = 0;
  }
}

DnsAnswer CircuitBreakerResolver::lookup(std::string_view name, RecordType type) const {
  const Role role = admit();
  if (role == Role::kFailFast) return fail_fast();
  if (role == Role::kCheckFirst &&
      !check(std::chrono::steady_clock::now() + options_.check_timeout)) {
    return fail_fast();
  }
  DnsAnswer answer = inner_->lookup(name, type);
  record(answer);
  return answer;
}

DnsAnswer CircuitBreakerResolver::lookup_before(std::string_view name, RecordType type,
                                                Deadline deadline) const {
  const Role role = admit();
  if (role == Role::kFailFast) return fail_fast();
  if (role == Role::kCheckFirst) {
    const Deadline check_deadline =
        std::min(deadline, std::chrono::steady_clock::now() + options_.check_timeout);
    if (!check(check_deadline)) return fail_fast();
  }
  DnsAnswer answer = inner_->lookup_before(name, type, deadline);
  record(answer);
  return answer;
}

}  // namespace vigie::auth::dns
