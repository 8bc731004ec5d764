// Sender authentication results attached to a scan. Results are enums whose to_string() gives the
// RFC 8601 names ("pass", "fail", "softfail", "neutral", "none", "policy", "temperror",
// "permerror"), so that they are written into Authentication-Results and the outputs unchanged and
// compared as values everywhere else. `reason` says in plain English why, for analysts, and
// `reason_fr` the same in French (empty when it would say the same: see vigie/localized_text.h),
// with the domains, addresses and record terms unchanged.
#pragma once

#include <cstdint>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <vector>

#include "vigie/localized_text.h"

namespace vigie {

// RFC 8601 §2.7 result codes (IANA "Email Authentication Result Names"), shared by SPF, DKIM and
// DMARC; each result struct below says which codes its method gives.
enum class AuthResultCode : std::uint8_t {
  kNone,
  kPass,
  kFail,
  kSoftFail,
  kNeutral,
  kPolicy,
  kTempError,
  kPermError,
};

constexpr std::string_view to_string(AuthResultCode code) {
  switch (code) {
    case AuthResultCode::kNone: return "none";
    case AuthResultCode::kPass: return "pass";
    case AuthResultCode::kFail: return "fail";
    case AuthResultCode::kSoftFail: return "softfail";
    case AuthResultCode::kNeutral: return "neutral";
    case AuthResultCode::kPolicy: return "policy";
    case AuthResultCode::kTempError: return "temperror";
    case AuthResultCode::kPermError: return "permerror";
  }
  return "?";
}

// A DMARC policy (p=, sp=; RFC 7489 §6.3) and the disposition a receiver applies to one message
// (RFC 7489 §6.6.4, the dis= comment of Authentication-Results), which share the same three
// names. Ordered from the weakest to the strongest.
enum class DmarcPolicy : std::uint8_t { kNone, kQuarantine, kReject };

constexpr std::string_view to_string(DmarcPolicy policy) {
  switch (policy) {
    case DmarcPolicy::kNone: return "none";
    case DmarcPolicy::kQuarantine: return "quarantine";
    case DmarcPolicy::kReject: return "reject";
  }
  return "?";
}

// ARC chain validation status (RFC 8617 §4.4, the cv= values, and the arc method's results).
enum class ArcChainStatus : std::uint8_t { kNone, kPass, kFail };

constexpr std::string_view to_string(ArcChainStatus status) {
  switch (status) {
    case ArcChainStatus::kNone: return "none";
    case ArcChainStatus::kPass: return "pass";
    case ArcChainStatus::kFail: return "fail";
  }
  return "?";
}

// The names, for logs and test failure messages (GoogleTest prints values through these).
inline std::ostream& operator<<(std::ostream& out, AuthResultCode code) {
  return out << to_string(code);
}
inline std::ostream& operator<<(std::ostream& out, DmarcPolicy policy) {
  return out << to_string(policy);
}
inline std::ostream& operator<<(std::ostream& out, ArcChainStatus status) {
  return out << to_string(status);
}

struct SpfAuthResult {
  AuthResultCode result = AuthResultCode::kNone;  // none, neutral, pass, fail, softfail,
                                                  // temperror, permerror (RFC 7208 §2.6)
  std::string domain;       // the domain whose policy was checked (MAIL FROM, else HELO)
  std::string identity;     // "mailfrom" or "helo" (RFC 8601 §2.7.2 ptype smtp)
  std::string explanation;  // the domain's explanation (exp=) on fail
  std::string reason;
  std::string reason_fr;
};

// Why a DKIM signature did not pass, so that analysts (and findings) can tell a message altered in
// transit (body hash) from a forged or broken signature.
enum class DkimFailure : std::uint8_t {
  kNone,           // passed
  kSyntax,         // malformed DKIM-Signature (permerror)
  kUnsupported,    // unknown algorithm, canonicalisation, query method or version (neutral/permerror)
  kExpired,        // x= in the past
  kFuture,         // t= in the future beyond the allowed skew
  kNoKey,          // no key record at selector._domainkey.domain (permerror)
  kKeyRevoked,     // empty p= (RFC 6376 §3.6.1)
  kKeyInvalid,     // key record malformed, wrong k=, h= or s= not allowing this signature
  kKeyTooSmall,    // RSA key under 1024 bits (RFC 8301 §3.2)
  kWeakAlgorithm,  // rsa-sha1: verified but not accepted (RFC 8301 §3.1)
  kBodyHash,       // the body was changed after signing (bh= mismatch)
  kSignature,      // the signed headers were changed, or the signature is forged
  kDnsError,       // key lookup timed out or failed (temperror)
};

struct DkimAuthResult {
  AuthResultCode result = AuthResultCode::kNone;  // pass, fail, neutral, policy, temperror,
                                                  // permerror (RFC 6376 §6.1, RFC 8601 §2.7.1)
  DkimFailure failure = DkimFailure::kNone;
  std::string domain;       // d=
  std::string selector;     // s=
  std::string algorithm;    // a=, as written ("rsa-sha256", "ed25519-sha256", "rsa-sha1")
  std::string identity;     // i= (defaults to "@" + d=)
  std::string header_b;     // first 12 characters of b=, for RFC 8601 header.b
  unsigned key_bits = 0;    // RSA modulus size (256 for Ed25519), 0 when no key was read
  // l= present: the signature covers only the first body_length bytes of the canonical body.
  bool body_length_limited = false;
  std::uint64_t body_length = 0;
  std::uint64_t unsigned_body_bytes = 0;  // canonical body bytes after l=: appended, unsigned
  std::vector<std::string> signed_headers;  // h=, lowercase, in order
  std::string reason;
  std::string reason_fr;
};

struct DmarcAuthResult {
  AuthResultCode result = AuthResultCode::kNone;  // pass, fail, none, temperror, permerror
  std::optional<DmarcPolicy> policy;  // the applied policy (p= or sp=); empty without a record
  DmarcPolicy disposition = DmarcPolicy::kNone;  // what the policy asks for this message, after
                                                 // pct= and ARC
  std::string from_domain;      // RFC5322.From domain
  std::string record_domain;    // where the record was found (from_domain or its org domain)
  std::string organizational_domain;
  bool spf_aligned = false;
  bool dkim_aligned = false;
  unsigned pct = 100;
  bool arc_override = false;    // fail overridden because a trusted ARC sealer vouched for it
  std::string reason;
  std::string reason_fr;
};

struct ArcAuthResult {
  ArcChainStatus result = ArcChainStatus::kNone;
  unsigned instance = 0;        // highest instance seen (i=) when the chain passes
  unsigned failed_instance = 0; // first instance that failed, 0 when none failed
  unsigned oldest_pass = 0;     // oldest instance whose AMS still verifies (RFC 8617 §5.2)
  std::string sealer;           // d= of the newest ARC-Seal
  // The chain failed only because a key could not be fetched for now (DNS temperror): it could not
  // be checked, which says nothing against it. RFC 8617 gives the chain no temperror status.
  bool temporary_error = false;
  std::string reason;
  std::string reason_fr;
};

// Sets a result's reason from its two renderings.
template <typename AuthResult>
void set_reason(AuthResult& result, LocalizedText why) {
  result.reason_fr = french_unless_same(why);
  result.reason = std::move(why.en);
}

// A result's reason as prose in both languages (the English again where no French was written).
template <typename AuthResult>
LocalizedText reason_text(const AuthResult& result) {
  return {result.reason, result.reason_fr.empty() ? result.reason : result.reason_fr};
}

struct AuthResults {
  SpfAuthResult spf;
  std::vector<DkimAuthResult> dkim;  // one per DKIM-Signature, in header order
  DmarcAuthResult dmarc;
  ArcAuthResult arc;
  // The RFC 8601 Authentication-Results header value summarising the above, for the MTA to add.
  std::string authentication_results;
};

}  // namespace vigie
