// BudgetedResolver: the DNS budget of one message. The authentication stage wraps the resolver in one
// of these per message, so that all the message's checks together (SPF with its includes, DKIM keys,
// DMARC records) make at most `max_queries` lookups and spend at most `max_time` waiting for them.
// Past either limit every lookup answers kTempError "lookup budget exhausted" without reaching the
// resolver, so a hostile message (an SPF record built to fan out, many signatures pointing at slow
// servers) costs a bounded share of the worker's time. Each lookup passed on gets the end of the
// budget as its deadline (Resolver::lookup_before), so even the last one cannot overrun it.
//
// The budget counts lookups, not network queries: an answer from the cache costs the same as one
// from the wire, and so does a key from the DKIM key cache shared across messages (which charges
// it through charge_cached_lookup()). That keeps a message's result independent of what other
// messages warmed up, and the same under recorded DNS as under live DNS.
//
// Why beside the RFC 7208 limits. Those (10 DNS-querying terms, 2 void lookups, 10 MX names) are
// per check_host() and live in the SPF code; this one is per message and across checks.
//
// Thread safety: lookup() is const and may be called concurrently (the counter is atomic), though a
// message is normally authenticated by one thread.
#pragma once

#include <atomic>
#include <chrono>
#include <functional>

#include "auth/dns/resolver.h"

namespace vigie::auth::dns {

struct LookupBudget {
  // RFC 7208 allows one check_host() more in theory (10 mx terms of 10 names each), but real SPF
  // trees stay well under 30 lookups; DKIM keys and the DMARC record add a handful.
  unsigned max_queries = 50;
  std::chrono::milliseconds max_time{10000};
};

class BudgetedResolver final : public Resolver {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  // The budget's time starts now. `inner` must outlive this object. `clock` is for tests.
  BudgetedResolver(const Resolver& inner, LookupBudget budget, Clock clock = {});

  DnsAnswer lookup(std::string_view name, RecordType type) const override;
  DnsAnswer lookup_before(std::string_view name, RecordType type, Deadline deadline) const override;
  // Counts a lookup answered by a cache above this resolver; the refusal once the budget is spent.
  std::optional<DnsAnswer> charge_cached_lookup() const override;

  // Lookups asked for so far, including refused ones.
  unsigned queries() const { return queries_.load(std::memory_order_relaxed); }
  // True once a lookup was refused for lack of budget.
  bool exhausted() const { return exhausted_.load(std::memory_order_relaxed); }
  Deadline deadline() const { return deadline_; }

 private:
  std::chrono::steady_clock::time_point now() const;
  // Counts one lookup; the kTempError to answer when it is over the budget.
  std::optional<DnsAnswer> charge() const;

  const Resolver& inner_;
  LookupBudget budget_;
  Clock clock_;
  Deadline deadline_;
  mutable std::atomic<unsigned> queries_{0};
  mutable std::atomic<bool> exhausted_{false};
};

}  // namespace vigie::auth::dns
