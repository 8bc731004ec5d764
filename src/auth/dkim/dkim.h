// DKIM verification, RFC 6376 §6 with RFC 8301 (algorithm and key-size rules) and RFC 8463
// (ed25519-sha256). Entry point: verify_dkim(message, resolver, now_unix, options), one
// DkimAuthResult per DKIM-Signature field, in header order. It never throws for any message or
// DNS content: every problem is a result with a reason.
//
// The lower-level pieces (SignedMessage, KeyCache, verify_signature_field, header_data) are what
// ARC (src/auth/arc) reuses: an ARC-Message-Signature is verified exactly like a DKIM-Signature,
// and an ARC-Seal needs the same keys and crypto.
//
// Time is a parameter (unix seconds), never read from the clock here, so that results are
// reproducible (tests, replays of old messages with their reception time).
#pragma once

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include <tl/expected.hpp>

#include "auth/dkim/canonical.h"
#include "auth/dkim/crypto.h"
#include "auth/dkim/key_record.h"
#include "auth/dkim/shared_key_cache.h"
#include "auth/dkim/signature.h"
#include "auth/dns/resolver.h"
#include "vigie/auth.h"
#include "vigie/message.h"

namespace vigie::auth::dkim {

struct DkimOptions {
  // Signatures verified per message; further DKIM-Signature fields get permerror without any
  // DNS query or crypto (a message with hundreds of signatures must not cost hundreds of lookups).
  unsigned max_signatures = 10;
  // How far t= may be in the future before the signature is kFuture: clocks of signers and
  // verifiers drift, and RFC 6376 §3.5 gives no figure. Five minutes is what OpenDKIM allows.
  std::int64_t allowed_clock_skew = 300;
  // RFC 8301 §3.2: verifiers MUST NOT accept RSA keys under 1024 bits.
  unsigned min_rsa_bits = 1024;
};

// The header fields and body of a message as DKIM reads them.
class SignedMessage {
 public:
  struct Field {
    std::string_view name;  // as written
    std::string_view text;  // the whole field as written: name, ':', value; no final line break
  };

  // The message's top-level header and body.
  explicit SignedMessage(const ParsedMessage& message);
  // Fields and body given directly (tests, fuzzing). Views must outlive the object.
  SignedMessage(std::vector<Field> fields, std::string_view body);

  const std::vector<Field>& fields() const { return fields_; }
  std::string_view body() const { return body_; }
  // The canonical body in that form, computed once.
  const std::string& canonical_body(Canon canon) const;
  // Indexes (into fields()) of the fields with this lowercase name, top to bottom.
  const std::vector<std::size_t>& fields_named(const std::string& lowercase_name) const;

 private:
  void index_fields();

  std::vector<Field> fields_;
  std::string_view body_;
  std::unordered_map<std::string, std::vector<std::size_t>> by_name_;
  mutable std::unique_ptr<std::string> canonical_[2];
};

// A key ready for one signature (why there is none: KeyProblem, shared_key_cache.h).
struct VerificationKey {
  PublicKey key;
  bool testing = false;  // t=y
};

// Keys of one message, fetched once per selector._domainkey.domain (a message signed twice by the
// same domain, or DKIM plus ARC by the same sealer, costs one lookup). With a SharedKeyCache, a key
// another message already fetched and decoded is taken from it (the lookup is still charged to the
// message's budget, Resolver::charge_cached_lookup), and keys fetched here are added to it. Not
// thread-safe: one per scan (the shared cache is).
class KeyCache {
 public:
  // `resolver` and `shared` must outlive this object; `shared` may be null (keys for this message
  // only: tests, tools).
  explicit KeyCache(const dns::Resolver& resolver, SharedKeyCache* shared = nullptr)
      : resolver_(resolver), shared_(shared) {}

  // The key of selector._domainkey.domain, checked against a signature with `algorithm`:
  // k= must match, h= must allow the hash, RSA must be min_rsa_bits..kMaxRsaBits. With t=s,
  // `auid_domain` (the domain of i=, empty for ARC) must be d= itself.
  tl::expected<VerificationKey, KeyProblem> key_for(const std::string& selector,
                                                    const std::string& domain, Algorithm algorithm,
                                                    std::string_view auid_domain,
                                                    const DkimOptions& options);
  // Key names this message asked for, from DNS or the shared cache.
  unsigned lookups() const { return lookups_; }

 private:
  const ResolvedKey& fetch(const std::string& name);

  const dns::Resolver& resolver_;
  SharedKeyCache* shared_;
  std::map<std::string, std::shared_ptr<const ResolvedKey>> entries_;
  unsigned lookups_ = 0;
};

// Returns `field` (a signature field as written) with the value of its b= tag removed, the rest
// byte for byte unchanged (RFC 6376 §3.7: "with the value of the b= tag ... deleted"). Leading
// whitespace of the value goes with it; whitespace after it stays (as dkimpy and OpenDKIM hash it).
std::string without_b_value(std::string_view field);

// The header data a signature covers (§3.7): the fields named in `signed_headers`, each picked
// from the bottom up (a name listed once more than present selects nothing: over-signing), then
// `signature_field` with b= emptied, canonicalised, without its final CRLF.
std::string header_data(const SignedMessage& message,
                        const std::vector<std::string>& signed_headers, Canon canon,
                        std::string_view signature_field);

// Verifies the signature field at `field_index` of `message` (a DKIM-Signature or an
// ARC-Message-Signature, per `kind`). Fills every DkimAuthResult field it can, whatever the result.
DkimAuthResult verify_signature_field(const SignedMessage& message, std::size_t field_index,
                                      SignatureKind kind, KeyCache& keys, std::int64_t now_unix,
                                      const DkimOptions& options = {});

// Every DKIM-Signature of the message, in header order.
std::vector<DkimAuthResult> verify_dkim(const SignedMessage& message, KeyCache& keys,
                                        std::int64_t now_unix, const DkimOptions& options = {});
std::vector<DkimAuthResult> verify_dkim(const ParsedMessage& message, const dns::Resolver& resolver,
                                        std::int64_t now_unix, const DkimOptions& options = {});

}  // namespace vigie::auth::dkim
