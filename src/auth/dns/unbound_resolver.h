// UnboundResolver: live DNS for the auth checks, on libunbound (NLnet Labs).
//
// Why libunbound rather than c-ares. Both are maintained C libraries packaged by Debian 12
// (libunbound-dev 1.17, libc-ares-dev 1.18). libunbound is a full caching resolver in a library: a
// message and RRset cache that honours TTLs (and negative TTLs, RFC 2308) and is shared by every
// thread using the context, its own retry and server-selection logic, either full recursion or
// forwarding to given servers, and DNSSEC validation when a trust anchor is given. c-ares is a stub
// resolver: it needs a recursive server to talk to, and the version in Debian 12 has no answer cache
// (its query cache arrived in 1.23, 2023). Mail authentication asks the same names again and again
// (the big senders' SPF includes, DKIM keys, DMARC records), so a TTL cache shared by all workers
// matters more than anything else here, and libunbound gives it without us writing one.
//
// How it works. One ub_ctx per UnboundResolver, threaded mode (ub_ctx_async(ctx, 1)): libunbound
// runs the resolution in its own background thread. lookup() submits the query with
// ub_resolve_async() and waits on a condition variable of its own, up to its deadline; answers come
// back through ub_fd() to ONE event thread of ours that polls it and calls ub_process(), which runs
// the completion callback. So each worker thread blocks only on its own lookups, and the lookups of
// every message being scanned are in flight at once in the one context (and its one cache).
//
// Deadlines, retries, cancellation. An attempt that has no answer by its deadline is cancelled with
// ub_cancel(). libunbound decides under its own lock whether the cancel or the answer wins:
// ub_cancel() succeeds exactly when the callback will never run, and fails (UB_NOID) when the
// answer was already taken for delivery; ownership of the per-query state follows that (see the
// .cpp). A timeout or SERVFAIL is tried again up to `retries` times while the deadline allows; then
// the answer is kTempError ("timeout", "SERVFAIL"), as RFC 7208 §5 wants.
//
// What it answers. RCODE 0 with data → kRecords, RCODE 0 without → kNoData, NXDOMAIN → kNxDomain,
// anything else (SERVFAIL, REFUSED, DNSSEC bogus, a malformed record) → kTempError with the reason.
// libunbound follows CNAMEs itself for any type but CNAME. Answers are bounded (kMaxRecords); names
// come out lowercase without the trailing dot (rdata.h).
//
// Upstream. With no servers: the nameservers of /etc/resolv.conf (127.0.0.1 when it lists none,
// as resolv.conf(5) says) plus /etc/hosts. With servers ("IP", "IP:PORT", "[IPv6]:PORT"): those.
// Either way libunbound forwards every query (no recursion of its own), so the upstream is trusted
// with everything: it may be on the loopback (a local resolver, the test server), and it answers
// for the special-use names that a stock unbound answers locally (test., home.arpa., the reverse
// zones of private and documentation networks), because a site's own resolver is exactly where
// those are defined. DNSSEC validation is off unless a trust anchor file is given: without an
// anchor it could only mark answers insecure, and it costs queries.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "auth/dns/resolver.h"
#include "vigie/result.h"

namespace vigie::auth::dns {

struct UnboundOptions {
  std::vector<std::string> servers;          // forwarders, "IP[:PORT]"; empty: system resolver
  std::chrono::milliseconds timeout{3000};   // one attempt
  unsigned retries = 1;                      // further attempts after a timeout or SERVFAIL
  std::string trust_anchor_file;             // DNSSEC validation with this anchor when set
  // System mode only: where the system configuration is read from (tests point these elsewhere).
  std::string resolv_conf = "/etc/resolv.conf";
  std::string hosts_file = "/etc/hosts";
};

class UnboundResolver final : public Resolver {
 public:
  // Most records one answer may hold; beyond it the answer is kTempError rather than a silent cut.
  // A DNS message is at most 64 KiB, so this only caps the per-record overhead of our copies.
  static constexpr std::size_t kMaxRecords = 512;

  // Creates the context and starts the event thread. Errors: unparsable server, unreadable
  // resolv.conf, hosts or trust anchor file, or libunbound refusing an option.
  static Result<std::unique_ptr<UnboundResolver>> create(const UnboundOptions& options);

  ~UnboundResolver() override;
  UnboundResolver(const UnboundResolver&) = delete;
  UnboundResolver& operator=(const UnboundResolver&) = delete;
  UnboundResolver(UnboundResolver&&) = delete;
  UnboundResolver& operator=(UnboundResolver&&) = delete;

  // Deadline: now + timeout × (1 + retries).
  DnsAnswer lookup(std::string_view name, RecordType type) const override;
  DnsAnswer lookup_before(std::string_view name, RecordType type, Deadline deadline) const override;

  const UnboundOptions& options() const;

  // Whether the upstream answers at all: one query, without retry, of the root zone's name
  // servers, a name every working resolver knows. kBroken when it answers NXDOMAIN or no data
  // (what a local stub resolver without network does for every name), kUnreachable on a timeout
  // at `deadline` or an error. For CircuitBreakerResolver and the start-up warning of --dns.
  HealthReport check_health(Deadline deadline) const;

  struct Impl;

 private:
  explicit UnboundResolver(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace vigie::auth::dns
