// Fuzz target for DKIM and ARC (src/auth/dkim/, src/auth/arc/): tag lists, DKIM-Signature and
// ARC-Message-Signature parsing, key records and key loading, both canonicalisations, and
// verify_dkim() / validate_arc() end to end over recorded DNS with fixed keys. Signature fields
// come from whoever sent the message and key records from whoever owns a domain, so all of it must
// survive any bytes, within bounded DNS queries. It owns only the harness and this input layout:
//
//   [key record] NUL message     the bytes before the first NUL (if any) are published as the TXT
//                                record of fz._domainkey.example.com; the rest is the message.
//
// The fixed zone publishes the public halves of the test keys in fuzz/dkim_keys/ (RSA-1024 at
// sel._domainkey.example.com and arc._domainkey.relay{,2}..., Ed25519 at ed._domainkey...), so
// the seeds that fuzz/dkim_keys/make_seeds.py signs with dkimpy reach the crypto and pass.
#include <cstdint>
#include <string>
#include <string_view>

#include "auth/arc/arc.h"
#include "auth/dkim/canonical.h"
#include "auth/dkim/crypto.h"
#include "auth/dkim/dkim.h"
#include "auth/dkim/key_record.h"
#include "auth/dkim/signature.h"
#include "auth/dkim/tag_list.h"
#include "auth/dns/recorded_resolver.h"
#include "counting_resolver.h"
#include "fuzz_support.h"
#include "vigie/message.h"

namespace {

using namespace vigie;
using namespace vigie::auth;
using vigie::fuzz::consume;
using vigie::fuzz::CountingResolver;
using vigie::fuzz::require;

// After every t= the seeds carry, so that they pass; x= checks are reached by mutation.
constexpr std::int64_t kNow = 1900000000;

constexpr std::string_view kRsaKey =
    "v=DKIM1; k=rsa; "
    "p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDRIYLux7ZSONfmxKszl86iZGgE43R8QRrhQ9mlv4"
    "4qunduBBhhhgRRKke/T6OJnkDRXgCSHpoYjPy7LAyTRr7wmzZjGM1wqsdmGRosSJZInbhVlEqgoTkDr5eYTUpud4QZArOb"
    "UfJVC0ROh7+Ufg4m1zZdaUV4r4LYtSvHCPj4LQIDAQAB";
constexpr std::string_view kEdKey =
    "v=DKIM1; k=ed25519; p=mGguep4XXOS3oyrPPHaqWgz5XeSqxG+AUEe+kpuuDxw=";

dns::RecordedResolver::Entry txt(std::string_view text) {
  dns::RecordedResolver::Entry entry;
  entry.record.type = dns::RecordType::kTxt;
  // Split as DNS carries long records, to exercise the joining.
  for (std::size_t i = 0; i < text.size(); i += 255)
    entry.record.strings.emplace_back(text.substr(i, 255));
  return entry;
}

const dns::RecordedResolver::Zone& fixed_zone() {
  static const dns::RecordedResolver::Zone zone = [] {
    dns::RecordedResolver::Zone z;
    z["sel._domainkey.example.com"] = {txt(kRsaKey)};
    z["ed._domainkey.example.com"] = {txt(kEdKey)};
    z["arc._domainkey.relay.example.org"] = {txt(kRsaKey)};
    z["arc._domainkey.relay2.example.net"] = {txt(kRsaKey)};
    z["two._domainkey.example.com"] = {txt(kRsaKey), txt(kEdKey)};
    z["revoked._domainkey.example.com"] = {txt("v=DKIM1; p=")};
    dns::RecordedResolver::Entry timeout;
    timeout.kind = dns::RecordedResolver::Entry::Kind::kTimeout;
    timeout.any_type = true;
    z["tmo._domainkey.example.com"] = {timeout};
    return z;
  }();
  return zone;
}

void check_key_record(std::string_view text) {
  auto tags = dkim::parse_tag_list(text);
  if (tags) {
    require(tags->tags.size() <= dkim::kMaxTags, "at most kMaxTags tags");
    for (const auto& tag : tags->tags) {
      consume(tag.name);
      consume(tag.value);
      require(tag.value.size() <= dkim::kMaxTagValue, "tag values within kMaxTagValue");
    }
  }
  auto key = dkim::parse_key_record(text);
  if (!key) {
    require(!key.error().reason.empty(), "a key record error has a reason");
    require(key.error().failure == DkimFailure::kKeyInvalid ||
                key.error().failure == DkimFailure::kKeyRevoked,
            "key record errors are kKeyInvalid or kKeyRevoked");
    return;
  }
  require(!key->public_key.empty(), "a usable key record has a key");
  for (auto type : {dkim::KeyType::kRsa, dkim::KeyType::kEd25519}) {
    auto loaded = dkim::PublicKey::load(type, key->public_key);
    if (loaded) {
      consume(loaded->bits());
      consume(std::uint64_t{loaded->verify(dkim::Hash::kSha256, text, "signature")});
    } else {
      consume(loaded.error().en);
      consume(loaded.error().fr);
    }
  }
}

void check_canonical_forms(const dkim::SignedMessage& message) {
  for (auto canon : {dkim::Canon::kSimple, dkim::Canon::kRelaxed}) {
    const std::string& body = message.canonical_body(canon);
    require(body.empty() ? canon == dkim::Canon::kRelaxed : body.ends_with("\r\n"),
            "a canonical body is empty (relaxed only) or ends with CRLF");
    require(dkim::canonicalize_body(canon, body) == body, "body canonicalisation is idempotent");
    consume(body);
  }
  for (const auto& field : message.fields()) {
    std::string relaxed;
    dkim::canonicalize_header(dkim::Canon::kRelaxed, field.text, relaxed);
    require(relaxed.ends_with("\r\n"), "a canonical header field ends with CRLF");
    std::string again;
    dkim::canonicalize_header(dkim::Canon::kRelaxed,
                              std::string_view(relaxed).substr(0, relaxed.size() - 2), again);
    require(again == relaxed, "relaxed header canonicalisation is idempotent");
    std::string simple;
    dkim::canonicalize_header(dkim::Canon::kSimple, field.text, simple);
    require(simple.size() >= field.text.size() + 2, "simple canonicalisation only adds bytes");

    const std::string stripped = dkim::without_b_value(field.text);
    require(stripped.size() <= field.text.size(), "removing b= never adds bytes");
    const std::size_t colon = field.text.find(':');
    const std::string_view value =
        colon == std::string_view::npos ? std::string_view() : field.text.substr(colon + 1);
    for (auto kind : {dkim::SignatureKind::kDkim, dkim::SignatureKind::kArcMessage}) {
      auto sig = dkim::parse_signature(value, kind);
      if (!sig) {
        require(!sig.error().reason.empty(), "a signature error has a reason");
        continue;
      }
      require(dkim::is_dns_name(sig->domain) && dkim::is_dns_name(sig->selector),
              "d= and s= of a usable signature are DNS names");
      require(!sig->signature.empty() && !sig->body_hash.empty(), "b= and bh= are not empty");
      require(sig->signed_headers.size() <= dkim::kMaxSignedHeaders, "h= within its limit");
      require(kind == dkim::SignatureKind::kDkim ||
                  (sig->instance >= 1 && sig->instance <= dkim::kMaxArcInstance),
              "an AMS instance is 1 to 50");
      consume(sig->identity);
    }
  }
}

// What RFC 6376 §6.1 lets a verifier say about one signature (never none, softfail).
bool known_result(AuthResultCode r) {
  return r == AuthResultCode::kPass || r == AuthResultCode::kFail ||
         r == AuthResultCode::kNeutral || r == AuthResultCode::kPolicy ||
         r == AuthResultCode::kTempError || r == AuthResultCode::kPermError;
}

void check_verify(const dkim::SignedMessage& message, const dns::Resolver& zone) {
  CountingResolver resolver(zone);
  dkim::KeyCache keys(resolver);
  const dkim::DkimOptions options;
  const auto results = dkim::verify_dkim(message, keys, kNow, options);
  std::string name = "dkim-signature";
  require(results.size() == message.fields_named(name).size(),
          "one result per DKIM-Signature field");
  for (const DkimAuthResult& r : results) {
    require(known_result(r.result), "DKIM results use RFC 8601 names");
    require((r.result == AuthResultCode::kPass) == (r.failure == DkimFailure::kNone),
            "pass exactly when kNone");
    require(!r.reason.empty(), "every DKIM result has a reason");
    require(r.header_b.size() <= 12, "header.b is at most 12 characters");
    require(!r.body_length_limited || r.result != AuthResultCode::kPass ||
                r.body_length + r.unsigned_body_bytes ==
                    message.canonical_body(dkim::Canon::kSimple).size() ||
                r.body_length + r.unsigned_body_bytes ==
                    message.canonical_body(dkim::Canon::kRelaxed).size(),
            "l= plus unsigned bytes is the canonical body");
    consume(r.reason);
    consume(r.domain);
    for (const auto& h : r.signed_headers) consume(h);
  }
  require(keys.lookups() <= options.max_signatures,
          "at most one key lookup per verified signature");
  require(resolver.lookups() == keys.lookups(), "every lookup goes through the cache");

  const ArcAuthResult arc = arc::validate_arc(message, keys, kNow);
  require(to_string(arc.result) != "?", "ARC results are none, pass or fail");
  require(!arc.reason.empty(), "every ARC result has a reason");
  require(arc.result != ArcChainStatus::kPass ||
              (arc.failed_instance == 0 && arc.oldest_pass >= 1 &&
               arc.oldest_pass <= arc.instance && arc.instance <= dkim::kMaxArcInstance),
          "a passing chain has consistent instances");
  // Each instance has one AMS key and one AS key: at most two new names per instance.
  require(resolver.lookups() <= options.max_signatures + 2 * dkim::kMaxArcInstance,
          "DNS lookups bounded");
  consume(arc.sealer);
  consume(arc.reason);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  dns::RecordedResolver::Zone zone = fixed_zone();
  std::string_view message_text = input;
  if (const std::size_t nul = input.find('\0'); nul != std::string_view::npos) {
    const std::string_view record = input.substr(0, nul);
    check_key_record(record);
    zone["fz._domainkey.example.com"] = {txt(record)};
    message_text = input.substr(nul + 1);
  }
  const dns::RecordedResolver resolver(std::move(zone));

  const auto parsed =
      ParsedMessage::parse(std::make_shared<const std::string>(message_text), Limits{});
  const dkim::SignedMessage message(*parsed);
  check_canonical_forms(message);
  check_verify(message, resolver);
  return 0;
}
