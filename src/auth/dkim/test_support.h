// Test-only helpers for the DKIM and ARC unit tests: key generation and a small signer built on
// OpenSSL and this module's canonicalisation. The signer lets the unit tests make any signature
// they need (expired, l=, over-signed, ...); that it agrees with an independent implementation is
// what dkim_interop_test.cpp checks against dkimpy, so these tests are not self-confirming.
#pragma once

#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <openssl/x509.h>

#include <memory>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "auth/dkim/canonical.h"
#include "auth/dkim/crypto.h"
#include "auth/dkim/dkim.h"
#include "auth/dkim/tag_list.h"
#include "auth/dns/recorded_resolver.h"
#include "vigie/message.h"

namespace vigie::auth::dkim::testing {

struct TestKey {
  std::shared_ptr<EVP_PKEY> pkey;
  KeyType type = KeyType::kRsa;
  std::string p;  // base64 of what a key record publishes
};

inline std::string base64(std::string_view bytes) {
  std::string out(4 * ((bytes.size() + 2) / 3) + 1, '\0');
  const int n = EVP_EncodeBlock(reinterpret_cast<unsigned char*>(out.data()),
                                reinterpret_cast<const unsigned char*>(bytes.data()),
                                static_cast<int>(bytes.size()));
  out.resize(static_cast<std::size_t>(n));
  return out;
}

inline TestKey make_key(KeyType type, unsigned bits = 2048) {
  EVP_PKEY* raw =
      type == KeyType::kRsa ? EVP_RSA_gen(bits) : EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519");
  if (raw == nullptr) throw std::runtime_error("key generation failed");
  TestKey key{std::shared_ptr<EVP_PKEY>(raw, EVP_PKEY_free), type, {}};
  if (type == KeyType::kRsa) {
    unsigned char* der = nullptr;
    const int len = i2d_PUBKEY(raw, &der);
    key.p =
        base64(std::string_view(reinterpret_cast<const char*>(der), static_cast<std::size_t>(len)));
    OPENSSL_free(der);
  } else {
    unsigned char pub[32];
    std::size_t len = sizeof pub;
    EVP_PKEY_get_raw_public_key(raw, pub, &len);
    key.p = base64(std::string_view(reinterpret_cast<const char*>(pub), len));
  }
  return key;
}

// The same key for every test of the binary: RSA key generation takes a while.
inline const TestKey& rsa2048() {
  static const TestKey key = make_key(KeyType::kRsa, 2048);
  return key;
}
inline const TestKey& ed25519() {
  static const TestKey key = make_key(KeyType::kEd25519);
  return key;
}

inline std::string sign_bytes(const TestKey& key, Hash hash, std::string_view data) {
  std::unique_ptr<EVP_MD_CTX, void (*)(EVP_MD_CTX*)> ctx(EVP_MD_CTX_new(), EVP_MD_CTX_free);
  std::string input(data);
  const EVP_MD* md = hash == Hash::kSha1 ? EVP_sha1() : EVP_sha256();
  if (key.type == KeyType::kEd25519) {
    input = digest(Hash::kSha256, data);  // RFC 8463: Ed25519 over the SHA-256 of the data
    md = nullptr;
  }
  std::size_t size = 0;
  if (EVP_DigestSignInit(ctx.get(), nullptr, md, nullptr, key.pkey.get()) != 1 ||
      EVP_DigestSign(ctx.get(), nullptr, &size,
                     reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1) {
    throw std::runtime_error("signing failed");
  }
  std::string sig(size, '\0');
  if (EVP_DigestSign(ctx.get(), reinterpret_cast<unsigned char*>(sig.data()), &size,
                     reinterpret_cast<const unsigned char*>(input.data()), input.size()) != 1) {
    throw std::runtime_error("signing failed");
  }
  sig.resize(size);
  return sig;
}

inline std::unique_ptr<ParsedMessage> parse(const std::string& text) {
  return ParsedMessage::parse(std::make_shared<const std::string>(text), Limits{});
}

struct SignSpec {
  std::string field_name = "DKIM-Signature";
  std::string leading = "v=1; ";  // "i=1; " for an AMS
  std::string algorithm = "rsa-sha256";
  Canon header_canon = Canon::kRelaxed;
  Canon body_canon = Canon::kRelaxed;
  // Without c=: the verifier must then use the default, simple/simple (RFC 6376 §3.5), which is
  // what the signer uses whatever header_canon and body_canon say.
  bool omit_canonicalization = false;
  std::string domain = "example.com";
  std::string selector = "sel";
  std::string headers = "from:to:subject";
  std::string extra;  // further tags, each ending with "; "
  std::optional<std::size_t> length;
};

// `message` with a new signature field on top, signed as `spec` says.
inline std::string add_signature(const std::string& message, const TestKey& key,
                                 const SignSpec& spec) {
  const auto parsed = parse(message);
  const SignedMessage view(*parsed);
  const auto algorithm = parse_algorithm(spec.algorithm).value_or(Algorithm::kRsaSha256);
  const Canon header_canon = spec.omit_canonicalization ? Canon::kSimple : spec.header_canon;
  const Canon body_canon = spec.omit_canonicalization ? Canon::kSimple : spec.body_canon;
  std::string_view body = view.canonical_body(body_canon);
  if (spec.length) body = body.substr(0, *spec.length);
  std::string field =
      spec.field_name + ": " + spec.leading + "a=" + spec.algorithm + "; " +
      (spec.omit_canonicalization ? std::string()
                                  : "c=" + std::string(to_string(header_canon)) + "/" +
                                        std::string(to_string(body_canon)) + "; ") +
      "d=" + spec.domain + "; s=" + spec.selector +
      "; " + spec.extra + (spec.length ? "l=" + std::to_string(*spec.length) + "; " : "") +
      "h=" + spec.headers + ";\r\n\tbh=" + base64(digest(hash_of(algorithm), body)) + "; b=";
  // The names as the verifier reads h=: lowercase, whitespace around them dropped; an empty name
  // (an empty h=, "a::b") selects no field.
  std::vector<std::string> names;
  std::string lower;
  for (char c : spec.headers + ":") {
    if (c == ':') {
      names.push_back(lower);
      lower.clear();
    } else if (c != ' ' && c != '\t') {
      lower.push_back(c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c);
    }
  }
  const std::string data = header_data(view, names, header_canon, field);
  field += base64(sign_bytes(key, hash_of(algorithm), data));
  return field + "\r\n" + message;
}

// A zone from (name, TXT records, each a list of strings).
using TxtZone = std::vector<std::pair<std::string, std::vector<std::vector<std::string>>>>;
inline dns::RecordedResolver make_zone(const TxtZone& txt) {
  dns::RecordedResolver::Zone zone;
  for (const auto& [name, records] : txt) {
    auto& entries = zone[name];
    for (const auto& strings : records) {
      dns::RecordedResolver::Entry entry;
      entry.record.type = dns::RecordType::kTxt;
      entry.record.strings = strings;
      entries.push_back(std::move(entry));
    }
  }
  return dns::RecordedResolver(std::move(zone));
}

// A key record split into 255-byte strings, as DNS carries long TXT data.
inline std::vector<std::string> key_record(const TestKey& key, std::string_view tags = "") {
  const std::string text =
      "v=DKIM1; k=" + std::string(key.type == KeyType::kRsa ? "rsa" : "ed25519") + "; " +
      std::string(tags) + "p=" + key.p;
  std::vector<std::string> strings;
  for (std::size_t i = 0; i < text.size(); i += 255) strings.push_back(text.substr(i, 255));
  return strings;
}

}  // namespace vigie::auth::dkim::testing
