// DKIM-Signature fields (RFC 6376 §3.5) and ARC-Message-Signature fields (RFC 8617 §4.1.2): tag
// meanings, required tags and the checks that need nothing but the field itself (§6.1.1). This file
// owns the decision "is this signature field usable"; keys, hashing and crypto are elsewhere.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <tl/expected.hpp>

#include "auth/dkim/canonical.h"
#include "vigie/auth.h"

namespace vigie::auth::dkim {

// Beyond any real h= list (over-signing doubles a few dozen names); keeps header selection cheap.
inline constexpr std::size_t kMaxSignedHeaders = 512;
// RFC 8617 §4.2.1: i= of an ARC set is 1 to 50.
inline constexpr unsigned kMaxArcInstance = 50;

enum class Algorithm : std::uint8_t { kRsaSha1, kRsaSha256, kEd25519Sha256 };
enum class Hash : std::uint8_t { kSha1, kSha256 };
enum class KeyType : std::uint8_t { kRsa, kEd25519 };

Hash hash_of(Algorithm algorithm);
KeyType key_type_of(Algorithm algorithm);
// "rsa-sha1", "rsa-sha256", "ed25519-sha256".
std::string_view to_string(Algorithm algorithm);
// nullopt for an unknown name (compared case-insensitively).
std::optional<Algorithm> parse_algorithm(std::string_view name);

enum class SignatureKind : std::uint8_t {
  kDkim,        // DKIM-Signature: v=1 required, i= is the AUID and must be within d=
  kArcMessage,  // ARC-Message-Signature: no v=, i= is the ARC instance (1..50)
};

struct Signature {
  SignatureKind kind = SignatureKind::kDkim;
  Algorithm algorithm = Algorithm::kRsaSha256;
  std::string algorithm_text;  // a= as written
  std::string b_text;          // b= without whitespace (base64)
  std::string signature;       // b= decoded
  std::string body_hash;       // bh= decoded
  Canon header_canon = Canon::kSimple;
  Canon body_canon = Canon::kSimple;
  std::string domain;                        // d=, lowercase
  std::string selector;                      // s=
  std::string identity;                      // DKIM: i= as written, "@" + d= when absent
  unsigned instance = 0;                     // ARC: i=
  std::optional<std::uint64_t> body_length;  // l=; saturates at UINT64_MAX
  std::optional<std::int64_t> timestamp;     // t=
  std::optional<std::int64_t> expiration;    // x=
  std::vector<std::string> signed_headers;   // h=, lowercase, in order
};

struct SignatureError {
  DkimFailure failure = DkimFailure::kSyntax;  // kSyntax or kUnsupported
  std::string reason;
  std::string reason_fr;  // the same in French
};

// Parses and checks the value of a signature field (everything after the colon).
tl::expected<Signature, SignatureError> parse_signature(std::string_view value, SignatureKind kind);

// domain-name syntax for d= and s= (RFC 6376 §3.5: sub-domain labels; '_' tolerated, as DNS
// allows it and selectors use it): non-empty labels of letters, digits, '-' and '_', at most 63
// bytes each and 253 in all, no trailing dot.
bool is_dns_name(std::string_view name);

}  // namespace vigie::auth::dkim
