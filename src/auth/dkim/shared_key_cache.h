// SharedKeyCache: the DKIM and ARC public keys of an engine, shared by every message and worker
// thread, so that a key record is fetched, parsed and decoded (DER to an OpenSSL key object, the
// dominant cost of checking a signature once the DNS answer is at hand) once per TTL instead of
// once per message.
//
// What it keeps. The outcome of reading one key record, selector._domainkey.domain: the parsed
// record with its decoded key, or why the record is unusable (malformed, revoked, several TXT
// records). Only outcomes that come from an answer with records are kept, for as long as the
// answer's TTL allows (RFC 1035 §3.2.1; capped by max_ttl): NXDOMAIN, empty answers and temporary
// errors are not, since an absent key is cheap to ask again and a temporary error must be retried.
// The per-message KeyCache (dkim.h) consults it before asking DNS and fills it after.
//
// Bounds. At most max_entries entries, the least recently used evicted first. An entry holds the
// record's flags and one decoded key (an RSA key is at most kMaxRsaBits), not the record's text.
// Expired entries are dropped when they are met or evicted.
//
// Thread safety: every member function may be called concurrently. One mutex guards the entries;
// it is held only for the map operations, never while DNS or crypto runs. Two messages missing the
// same name at once both fetch it and the second insert wins, which is harmless.
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>

#include <tl/expected.hpp>

#include "auth/dkim/crypto.h"
#include "auth/dkim/key_record.h"
#include "vigie/auth.h"

namespace vigie::auth::dkim {

// Why there is no key for a signature.
struct KeyProblem {
  AuthResultCode result = AuthResultCode::kPermError;  // kPermError or kTempError
  DkimFailure failure = DkimFailure::kNoKey;
  LocalizedText reason;
};

// One key record as read from DNS: the record and its decoded key, or why there is none.
struct ResolvedKey {
  // The record, or why it is unusable (a revoked key, empty p=, is a problem: kKeyRevoked).
  // record->public_key is emptied once decoded: `key` is what verification uses.
  tl::expected<KeyRecord, KeyProblem> record;
  // The decoded p= when `record` holds a record, or why it does not decode.
  tl::expected<PublicKey, LocalizedText> key =
      tl::unexpected<LocalizedText>(LocalizedText{"no key record", "pas d'enregistrement de clé"});
};

struct SharedKeyCacheOptions {
  // A busy gateway sees a few thousand signing (selector, domain) pairs a day; an entry is a few
  // kilobytes, so the default bounds the cache at about 10 MB.
  std::size_t max_entries = 4096;
  // Kept no longer than this whatever the TTL says (unbound's cache-max-ttl default).
  std::chrono::seconds max_ttl{86400};
};

class SharedKeyCache {
 public:
  using Clock = std::function<std::chrono::steady_clock::time_point()>;

  // `clock` is for tests; the steady clock otherwise.
  explicit SharedKeyCache(SharedKeyCacheOptions options = {}, Clock clock = {});

  // The key of `name` (selector._domainkey.domain, lowercase) if kept and not expired.
  std::shared_ptr<const ResolvedKey> find(const std::string& name);

  // Keeps `key` for `ttl_seconds` (capped by max_ttl); a TTL of 0 keeps nothing.
  void insert(const std::string& name, std::shared_ptr<const ResolvedKey> key,
              std::uint32_t ttl_seconds);

  struct Stats {
    std::size_t entries = 0;
    std::uint64_t hits = 0;
    std::uint64_t misses = 0;     // absent or expired
    std::uint64_t evictions = 0;  // removed to stay within max_entries
  };
  Stats stats() const;

 private:
  struct Slot {
    std::string name;
    std::shared_ptr<const ResolvedKey> key;
    std::chrono::steady_clock::time_point expires;
  };
  std::chrono::steady_clock::time_point now() const;

  SharedKeyCacheOptions options_;
  Clock clock_;
  mutable std::mutex mutex_;
  std::list<Slot> recency_;  // most recently used first; guarded by mutex_
  std::unordered_map<std::string, std::list<Slot>::iterator> index_;  // guarded by mutex_
  Stats stats_;                                                       // guarded by mutex_
};

}  // namespace vigie::auth::dkim
