// SPF, RFC 7208: check_host() and the two identities it is run for (MAIL FROM, HELO).
//
// Entry point: check_host(resolver, request, options). The caller picks the identity:
//   * MAIL FROM: check_mail_from(resolver, ip, mail_from, helo) — sender = the reverse-path,
//     domain = its domain; an empty reverse-path (bounces) checks postmaster@helo (§2.4).
//   * HELO: check_helo(resolver, ip, helo) — sender = postmaster@helo, domain = helo (§2.3).
// The function never throws and never fails: every problem is one of the seven results, with the
// reason in SpfOutcome::reason for analysts. All DNS goes through the Resolver; every RFC 7208 §4.6.4
// limit is enforced here, per check_host() call including its includes and redirects.
//
// The scan pipeline calls it through src/auth/stage (authenticate()).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "common/ip_address.h"
#include "auth/dns/resolver.h"
#include "vigie/localized_text.h"

namespace vigie::auth::spf {

// RFC 7208 §4.6.4 limits; SpfOptions takes its defaults from here.
inline constexpr unsigned kMaxDnsTerms = 10;       // include, a, mx, ptr, exists, redirect
inline constexpr unsigned kMaxVoidLookups = 2;     // NXDOMAIN or empty answers
inline constexpr unsigned kMaxMxNames = 10;        // more MX records: permerror
inline constexpr unsigned kMaxPtrNames = 10;       // further PTR names are ignored
inline constexpr std::size_t kMaxDomainLength = 253;
inline constexpr std::size_t kMaxLabelLength = 63;

enum class SpfResult : std::uint8_t {
  kNone, kNeutral, kPass, kFail, kSoftFail, kTempError, kPermError,
};

// "none", "neutral", "pass", "fail", "softfail", "temperror", "permerror" (§2.6 names, as used in
// Received-SPF and Authentication-Results).
std::string_view to_string(SpfResult result);

struct SpfRequest {
  IpAddress ip;   // the SMTP client; an IPv4-mapped IPv6 address is checked as IPv4 (§5)
  std::string domain;  // <domain>: the domain of the identity being checked
  std::string sender;  // <sender>: local-part@domain ("postmaster@helo" for HELO checks)
  std::string helo;    // the HELO/EHLO name, for %{h}
};

struct SpfOptions {
  std::string receiver = "unknown";  // %{r}: the checking host's domain (§7.2)
  // %{t}; nullopt means the current time. Replays pass the message's reception time.
  std::optional<std::int64_t> timestamp;
  // Used when the result is fail and the record gives no usable exp= (§6.2). A macro-string in
  // explanation scope; if it is not valid, it is used as written.
  std::string default_explanation = "%{i} is not authorized to send mail for %{d}";
  unsigned max_dns_terms = kMaxDnsTerms;
  unsigned max_void_lookups = kMaxVoidLookups;
};

struct SpfOutcome {
  SpfResult result = SpfResult::kNone;
  std::string explanation;  // only for fail: exp= text or the default explanation
  std::string reason;       // why, in English, for analysts: the matching term or the error
  std::string reason_fr;    // the same in French; empty when it says the same
  unsigned dns_terms = 0;   // DNS-querying terms evaluated (limit kMaxDnsTerms)
  unsigned void_lookups = 0;
};

SpfOutcome check_host(const dns::Resolver& resolver, const SpfRequest& request,
                      const SpfOptions& options = {});

SpfOutcome check_mail_from(const dns::Resolver& resolver, const IpAddress& ip,
                           std::string_view mail_from, std::string_view helo,
                           const SpfOptions& options = {});

SpfOutcome check_helo(const dns::Resolver& resolver, const IpAddress& ip,
                      std::string_view helo, const SpfOptions& options = {});

}  // namespace vigie::auth::spf
