// Per-message lookup budget (see budgeted_resolver.h): counts, checks the clock, passes on.
#include "auth/dns/budgeted_resolver.h"

#include <algorithm>

namespace vigie::auth::dns {

BudgetedResolver::BudgetedResolver(const Resolver& inner, LookupBudget budget, Clock clock)
    : inner_(inner), budget_(budget), clock_(std::move(clock)), deadline_(now() + budget.max_time) {}

std::chrono::steady_clock::time_point BudgetedResolver::now() const {
  return clock_ ? clock_() : std::chrono::steady_clock::now();
}

DnsAnswer BudgetedResolver::lookup(std::string_view name, RecordType type) const {
  return lookup_before(name, type, deadline_);
}

std::optional<DnsAnswer> BudgetedResolver::charge() const {
  const unsigned count = queries_.fetch_add(1, std::memory_order_relaxed) + 1;
  if (count > budget_.max_queries) {
    exhausted_.store(true, std::memory_order_relaxed);
    const std::string most = std::to_string(budget_.max_queries);
    return DnsAnswer::explained_temp_error(
        {"lookup budget exhausted: more than " + most + " lookups for this message",
         "budget de requêtes épuisé : plus de " + most + " requêtes pour ce message"});
  }
  if (now() >= deadline_) {
    exhausted_.store(true, std::memory_order_relaxed);
    const std::string time = std::to_string(budget_.max_time.count());
    return DnsAnswer::explained_temp_error({"lookup budget exhausted: " + time + " ms of lookups for this message",
                                            "budget de requêtes épuisé : " + time + " ms de requêtes pour ce message"});
  }
  return std::nullopt;
}

DnsAnswer BudgetedResolver::lookup_before(std::string_view name, RecordType type,
                                          Deadline deadline) const {
  if (auto refused = charge()) return std::move(*refused);
  return inner_.lookup_before(name, type, std::min(deadline, deadline_));
}

std::optional<DnsAnswer> BudgetedResolver::charge_cached_lookup() const { return charge(); }

}  // namespace vigie::auth::dns
