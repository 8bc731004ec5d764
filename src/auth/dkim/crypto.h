// The OpenSSL 3 boundary of DKIM and ARC: public keys from key records, digests, and signature
// checks for rsa-sha1, rsa-sha256 (RFC 6376 §3.3) and ed25519-sha256 (RFC 8463). Nothing else in
// src/auth/dkim or src/auth/arc includes an OpenSSL header.
#pragma once

#include <memory>
#include <string>
#include <string_view>

#include <tl/expected.hpp>

#include "auth/dkim/signature.h"

struct evp_pkey_st;  // OpenSSL's EVP_PKEY

namespace vigie::auth::dkim {

// Largest RSA modulus accepted. RFC 8301 §3.2 asks verifiers to handle 1024–4096 bits; larger
// keys are refused so that a hostile record cannot make each verification arbitrarily slow.
inline constexpr unsigned kMaxRsaBits = 8192;

class PublicKey {
 public:
  KeyType type() const { return type_; }
  unsigned bits() const { return bits_; }  // RSA modulus size; 256 for Ed25519

  // p= bytes: RSA as SubjectPublicKeyInfo DER (what everyone publishes) or, failing that,
  // PKCS#1 RSAPublicKey DER (what RFC 6376 §3.6.1 literally names); Ed25519 as the 32 raw bytes
  // (RFC 8463 §4). The error is a reason for analysts, in English and French.
  static tl::expected<PublicKey, LocalizedText> load(KeyType type, std::string_view bytes);

  // Checks `signature` over the canonical header data. RSA: PKCS#1 v1.5 over hash(data).
  // Ed25519 (RFC 8463 §3): PureEd25519 over the SHA-256 digest of the data, not over the data.
  bool verify(Hash hash, std::string_view data, std::string_view signature) const;

 private:
  std::shared_ptr<evp_pkey_st> key_;
  KeyType type_ = KeyType::kRsa;
  unsigned bits_ = 0;
};

// The raw digest of `data`.
std::string digest(Hash hash, std::string_view data);

}  // namespace vigie::auth::dkim
