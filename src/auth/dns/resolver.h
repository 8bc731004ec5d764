// The DNS interface of sender authentication: SPF's records and its chain of queries, DKIM and ARC
// public keys, DMARC policies. Every DNS access of the authentication checks goes through
// Resolver, so the same checks run over recorded DNS (RecordedResolver: tests, and analysts
// replaying an old message with --dns-zone) and over live DNS (UnboundResolver: --dns,
// --dns-server).
//
// Why a synchronous call. SPF evaluation (RFC 7208 §4.6) is a chain in which every query depends
// on the answer to the previous one (the TXT record decides the include, the include's record
// decides the next query...), so a single check gains nothing from overlapping its own queries,
// and RFC 7208 §4.6.4 caps it at a few dozen queries anyway. vigie scans one message per worker
// thread, so throughput comes from running many messages at once, not from one message's lookups.
// The live resolver (UnboundResolver, unbound_resolver.h) submits each lookup asynchronously to one
// shared libunbound context and blocks only the calling worker, with a deadline, so the lookups of
// many messages are in flight together; a lookup that does not finish within its deadline returns
// DnsStatus::kTempError, which is exactly what RFC 7208 §2.6.6/§5 wants for a timeout. Should the
// engine ever need thousands of concurrent checks on few threads, the SPF evaluator can become a
// resumable state machine over this same answer type; the DnsAnswer/DnsStatus vocabulary below was
// chosen so that nothing else would change.
//
// What belongs here and what does not. The resolver follows CNAME chains (as a recursive resolver
// does) and reports one of four outcomes; it does not count lookups: the RFC 7208 §4.6.4 limits
// (10 DNS-querying terms, 2 void lookups, 10 MX/PTR names) are SPF rules and live in the SPF code.
// The per-message budget (total queries, total time) is a wrapper, BudgetedResolver
// (budgeted_resolver.h), put around the resolver once per message by the authentication stage.
//
// Thread safety: lookup() is const and implementations must allow concurrent calls.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "common/ip_address.h"
#include "vigie/localized_text.h"

namespace vigie::auth::dns {

enum class RecordType : std::uint8_t { kA, kAaaa, kTxt, kMx, kPtr, kCname };

// "A", "AAAA", "TXT", "MX", "PTR", "CNAME".
std::string_view to_string(RecordType type);

enum class DnsStatus : std::uint8_t {
  kRecords,    // RCODE 0 with at least one record of the asked type
  kNoData,     // RCODE 0, the name exists but has no record of that type
  kNxDomain,   // RCODE 3, the name does not exist
  kTempError,  // timeout, SERVFAIL, other RCODE, CNAME loop: the answer is unknown for now
};

std::string_view to_string(DnsStatus status);

// One resource record. Only the fields of its type are meaningful.
struct DnsRecord {
  RecordType type = RecordType::kA;
  // TXT: the character-strings of the record, in order and not joined (RFC 7208 §3.3 joins them
  // without separator; other users, e.g. DKIM, have their own rules).
  std::vector<std::string> strings;
  IpAddress address;              // A, AAAA
  std::uint16_t preference = 0;   // MX
  std::string name;               // MX exchange, PTR target, CNAME target; no trailing dot
};

struct DnsAnswer {
  DnsStatus status = DnsStatus::kNxDomain;
  std::vector<DnsRecord> records;  // non-empty exactly when status == kRecords
  std::string detail;              // why, for kTempError ("timeout", "CNAME loop at ...")
  // How long, in seconds, the answer may be reused (RFC 1035 §3.2.1 TTL, as the resolver's cache
  // has it left); 0 when unknown or not to be reused (every kTempError).
  std::uint32_t ttl = 0;
  // kTempError because no answer came before the deadline: the case where asking cost the
  // caller its whole wait (CircuitBreakerResolver counts these).
  bool timed_out = false;
  // The detail in French, for the reasons analysts read ("délai dépassé"); empty when the detail
  // is data (an rcode name) or a resolver library's own message.
  std::string detail_fr = {};

  static DnsAnswer nxdomain() { return {DnsStatus::kNxDomain, {}, {}}; }
  static DnsAnswer no_data() { return {DnsStatus::kNoData, {}, {}}; }
  static DnsAnswer temp_error(std::string why) { return {DnsStatus::kTempError, {}, std::move(why)}; }
  // The same, with a detail written in both languages.
  static DnsAnswer explained_temp_error(LocalizedText why) {
    DnsAnswer answer = temp_error(std::move(why.en));
    answer.detail_fr = std::move(why.fr);
    return answer;
  }
  // kTempError "timeout" (`why` adds to it, `why_fr` in French), timed_out set.
  static DnsAnswer timeout(std::string_view why = {}, std::string_view why_fr = {}) {
    DnsAnswer answer = explained_temp_error(
        {why.empty() ? std::string("timeout") : "timeout " + std::string(why),
         why_fr.empty() ? std::string("délai dépassé") : "délai dépassé " + std::string(why_fr)});
    answer.timed_out = true;
    return answer;
  }

  const std::string& detail_in_french() const { return detail_fr.empty() ? detail : detail_fr; }
};

// The time by which a lookup must have its answer.
using Deadline = std::chrono::steady_clock::time_point;

// Whether a resolver as a whole answers, as opposed to one name: what a lookup of a name that must
// exist (the root zone's name servers, UnboundResolver::check_health) tells. CircuitBreakerResolver
// and the start-up check of `vigie scan --dns` act on it.
enum class DnsHealth : std::uint8_t {
  kAnswering,    // the name that must exist was resolved
  kUnreachable,  // no answer in time, SERVFAIL, REFUSED...: nothing can be resolved now
  kBroken,       // it answers that the name does not exist: its other answers cannot be trusted
                 // either (a local stub resolver without network answers NXDOMAIN to everything)
};

struct HealthReport {
  DnsHealth health = DnsHealth::kAnswering;
  std::string detail;  // what was asked and what came back, for a warning
};

class Resolver {
 public:
  virtual ~Resolver() = default;

  // Records of `type` at `name` (case-insensitive, with or without the trailing root dot), CNAMEs
  // followed unless type is kCname itself. Never throws for any name, however malformed: a name
  // that cannot be queried is kNxDomain.
  virtual DnsAnswer lookup(std::string_view name, RecordType type) const = 0;

  // Same, answering kTempError ("timeout") rather than waiting past `deadline`, so that a caller
  // with a budget of its own (BudgetedResolver) bounds every lookup by what is left of it. The
  // default ignores the deadline: it suits resolvers that never wait (recorded DNS).
  virtual DnsAnswer lookup_before(std::string_view name, RecordType type, Deadline deadline) const {
    (void)deadline;
    return lookup(name, type);
  }

  // For a cache above the resolver (the DKIM key cache shared across messages) that answers a
  // lookup without calling lookup(): counts that lookup as if it had been made, so that a
  // per-message budget (BudgetedResolver) charges the same whether an answer came from such a
  // cache or from the wire, and a message's results do not depend on what other messages warmed
  // up. Returns the kTempError the lookup would have got without reaching any server (the budget
  // is spent), or nullopt when the cached answer may be used. The default counts nothing.
  virtual std::optional<DnsAnswer> charge_cached_lookup() const { return std::nullopt; }

 protected:
  Resolver() = default;
  Resolver(const Resolver&) = default;
  Resolver(Resolver&&) = default;
  Resolver& operator=(const Resolver&) = default;
  Resolver& operator=(Resolver&&) = default;
};

}  // namespace vigie::auth::dns
