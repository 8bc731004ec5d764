// vigie::store: the state vigie keeps between messages (the sender history), behind one interface
// meant for two homes: SQLite for the embedded default (sqlite_store.h), and Redis for several
// nodes sharing state (redis_store.h, with the mapping below; fallback_store.h keeps scanning on
// the SQLite file while Redis is down).
// The engine is given one in Services::store (vigie/services.h) and hands it to its users (the
// sender history, analyzers); they see only this interface and choose their own key names: the
// store knows nothing of what a key means.
//
// Model. A store holds keys; a key holds a group of counters, one per field. A counter is a
// signed 64-bit value with the times it was first and last incremented, in Unix seconds read from
// the store's Clock (the engine's injected one), never from the caller: a time taken from a
// message could be forged to keep an entry alive. There are no other values and no deletion by
// callers; what keeps a store bounded is its Retention:
//  - an age limit, exact: a counter not incremented for longer than max_age is gone. get(),
//    list() and count() never return it, and the next increment starts it afresh (value = by,
//    first_seen = now), even before maintenance has reclaimed its space.
//  - a cap of fields per key, enforced by maintenance (run_maintenance(), and whenever the
//    implementation schedules it): it keeps a key's max_fields_per_key most recently seen fields.
//    Between two passes a key may briefly hold more.
// "Most recently seen first" means last_seen descending, then field in descending byte order:
// Redis orders equal scores of a sorted set that way, so both implementations list the same
// fields in the same order. Keys and fields are byte strings of 1 to kMaxKeyBytes /
// kMaxFieldBytes bytes without NUL (see is_storable_key()).
//
// Redis 7.0 mapping (Debian 12's redis-server), implemented by redis_store.cpp. For a caller's key
// K, with a deployment prefix P (e.g. "vigie:"), three Redis keys share the hash tag {K}, so a
// Redis Cluster keeps them on one slot:
//   P{K}:v  hash        field → value        (HINCRBY)
//   P{K}:f  hash        field → first_seen   (HSETNX)
//   P{K}:s  sorted set  field → last_seen    (ZADD GT; Redis 7.0 has no per-field TTL, so the
//                                             age limit and the recency order both come from here)
// With cutoff = now - max_age (visible means last_seen >= cutoff), now always from the store's
// Clock, passed as an argument (never Redis TIME, so fake clocks and drifting nodes agree):
//   get(K, F)      one read-only Lua script: ZSCORE P{K}:s F (nil or < cutoff: absent), then
//                  HGET P{K}:v F and HGET P{K}:f F. A script, not a pipeline as first written
//                  here: a pipeline is not atomic, and a batch landing between its commands would
//                  pair a value with another state's times.
//   list(K, n)     one read-only Lua script: ZRANGE P{K}:s +inf cutoff BYSCORE REV LIMIT 0 n
//                  WITHSCORES, then HGET :v and :f per field returned. A script, not two round
//                  trips as first written: a write between them could trim a field just listed.
//   count(K)       ZCOUNT P{K}:s cutoff +inf
//   increment(...) one Lua script (EVALSHA, every key in KEYS) so the batch is atomic. Per
//                  (K, F, by): if ZSCORE P{K}:s F < cutoff, HDEL F from :v and :f first (an
//                  expired counter starts afresh); HINCRBY P{K}:v F by; HSETNX P{K}:f F now;
//                  ZADD P{K}:s GT now F. Then per touched K: EXPIRE its three keys max_age
//                  (a key nobody touches for max_age disappears whole), drop expired fields
//                  (ZRANGE P{K}:s -inf (cutoff BYSCORE → HDEL :v/:f, ZREMRANGEBYSCORE) and, when
//                  ZCARD > cap, the oldest (ZRANGE P{K}:s 0 excess-1 → HDEL, ZREMRANGEBYRANK).
//                  A script may only touch one slot in Redis Cluster: there a batch is atomic
//                  per key only, which the sender history tolerates (see sender_history.h).
//   run_maintenance()  nothing left to do (trimming happens on write, whole keys by EXPIRE);
//                  returns 0.
//
// Thread-safety: every method of every implementation may be called from any thread at once.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vigie/result.h"
#include "vigie/services.h"

namespace vigie::store {

// The clock's time in whole seconds since the Unix epoch: the unit of first_seen and last_seen.
std::int64_t unix_seconds(const Clock& clock);

struct Retention {
  std::chrono::seconds max_age{std::chrono::hours(24 * 400)};  // must be positive
  std::size_t max_fields_per_key = 20000;                      // must be positive
};

// Why a Retention cannot be used ("the age limit must be positive"), or nothing when it can.
Result<void> check_retention(const Retention& retention);

struct Counter {
  std::string field;
  std::int64_t value = 0;
  std::int64_t first_seen = 0;
  std::int64_t last_seen = 0;
  bool operator==(const Counter&) const = default;
};

struct Increment {
  std::string key;
  std::string field;
  std::int64_t by = 1;
};

// Bounds on what a caller may store: beyond them an increment is refused, never cut (two keys
// cut to one prefix would silently merge). Callers that store untrusted text cut it themselves.
inline constexpr std::size_t kMaxKeyBytes = 1024;
inline constexpr std::size_t kMaxFieldBytes = 1024;

// Non-empty, within the bound, no NUL byte (SQLite compares text with NUL in it unpredictably).
bool is_storable_key(std::string_view key);
bool is_storable_field(std::string_view field);
// Why increment() refuses this increment, or nothing when it is storable.
Result<void> check_increment(const Increment& increment);

class KeyValueStore {
 public:
  virtual ~KeyValueStore() = default;
  KeyValueStore(const KeyValueStore&) = delete;
  KeyValueStore& operator=(const KeyValueStore&) = delete;

  // The counter of `field` in `key`, or nothing when it was never incremented or is past the
  // age limit. A key or field that could not be stored is simply absent.
  [[nodiscard]] virtual Result<std::optional<Counter>> get(std::string_view key,
                                                           std::string_view field) const = 0;
  // At most `limit` counters of `key`, most recently seen first.
  [[nodiscard]] virtual Result<std::vector<Counter>> list(std::string_view key,
                                                          std::size_t limit) const = 0;
  // How many fields of `key` are within the age limit.
  [[nodiscard]] virtual Result<std::size_t> count(std::string_view key) const = 0;
  // Adds each increment's `by` to its counter, creating it (first_seen = now) when absent or
  // expired; last_seen becomes now (never earlier than it was). All or nothing: one transaction,
  // and a batch holding an unstorable key or field (check_increment()) writes nothing. The same
  // (key, field) may appear several times; its increments add up.
  [[nodiscard]] virtual Result<void> increment(std::span<const Increment> increments) = 0;
  // Reclaims the space of expired counters and of fields over the per-key cap (the least
  // recently seen go); returns how many counters went.
  [[nodiscard]] virtual Result<std::size_t> run_maintenance() = 0;

 protected:
  KeyValueStore() = default;
};

}  // namespace vigie::store
