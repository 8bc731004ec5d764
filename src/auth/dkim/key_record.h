// DKIM key records, RFC 6376 §3.6.1 (with RFC 8463 k=ed25519): the TXT record published at
// selector._domainkey.domain, parsed and checked on its own. Whether the key suits one given
// signature (k=, h=, t=s against a=, i=) is decided by the verifier, which has both.
#pragma once

#include <string>
#include <string_view>

#include <tl/expected.hpp>

#include "auth/dkim/signature.h"
#include "vigie/auth.h"

namespace vigie::auth::dkim {

struct KeyRecord {
  KeyType type = KeyType::kRsa;  // k=, default rsa
  bool allows_sha1 = true;       // h= absent, or h= lists sha1
  bool allows_sha256 = true;     // h= absent, or h= lists sha256
  bool testing = false;          // t=y: the domain is testing DKIM
  bool strict = false;           // t=s: i= must use d= itself, not a subdomain
  std::string public_key;        // p= decoded: SubjectPublicKeyInfo DER (rsa), 32 raw bytes
                                 // (ed25519); empty means revoked
};

struct KeyError {
  DkimFailure failure = DkimFailure::kKeyInvalid;  // kKeyInvalid or kKeyRevoked
  std::string reason;
  std::string reason_fr;
};

// Parses a key record (TXT strings already joined without separator). A record that is not for
// e-mail (s= without "*" or "email"), has an unknown k=, a v= other than "DKIM1" in first place,
// or a p= that is not base64 is kKeyInvalid; an empty p= is kKeyRevoked.
tl::expected<KeyRecord, KeyError> parse_key_record(std::string_view text);

}  // namespace vigie::auth::dkim
