// The sender history: who has written to whom, under which display name, since when. Owns the
// questions the first-contact detector asks and the keys that answer them; the state itself lives
// in a store::KeyValueStore (SQLite embedded, Redis when several nodes share it), which owns the
// file, its growth, its times and its locking. The first-contact detector reads the history while
// scanning; the engine records decided messages (scan_contacts.h, record_scan()).
//
// Keys. The SQLite store's migration 3 builds the same keys from the former `contacts` table, so
// changing one needs a store migration too (its test reads migrated contacts back through here):
//   contact:<recipient>                         field <sender>     messages the recipient got
//                                                                  from the sender, any name
//   name:<folded name>                          field <sender>     messages from the address under
//                                                                  the name, summed over recipients
//   name-recipients:<folded name>\x1f<sender>   field <recipient>  one field per recipient of the
//                                                                  address under the name
// Addresses are lowercase and cut at 320 bytes, names are intel::identity::name_key() cut at 200
// bytes (a folded name holds letters, digits and spaces only, so the \x1f ends it unambiguously).
// A message without a display name writes only its contact keys. The store's retention applies
// to every field: a correspondent not seen for retention_days is a stranger again, and a key keeps
// its most recently seen fields under the store's cap (20,000 by default).
// record() writes every key of its contacts in one store batch: all or nothing in SQLite; in a
// Redis Cluster atomic per key only, where a lookup may briefly see a name before its recipients,
// which a heuristic tolerates.
// Thread-safety: every method may be called from any thread (the store is thread-safe, and the
// history keeps no other state than a failure counter).
#pragma once

#include <atomic>
#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "store/key_value_store.h"
#include "vigie/config.h"
#include "vigie/result.h"

namespace vigie::intel::sender_history {

// One message seen by one recipient.
struct Contact {
  std::string recipient;     // lowercase address
  std::string sender;        // lowercase address
  std::string display_name;  // intel::identity::name_key(), may be empty
};

// An address a display name has come from.
struct KnownAddress {
  std::string sender;
  std::int64_t first_seen = 0;
  std::int64_t last_seen = 0;
  std::uint64_t count = 0;
  std::uint64_t recipients = 0;  // how many recipients received mail from it under that name
};

class SenderHistory {
 public:
  // Throws std::invalid_argument on a null store (a bug in the caller).
  explicit SenderHistory(std::shared_ptr<store::KeyValueStore> store);

  // Has `recipient` ever received mail from `sender` (any display name)?
  Result<bool> has_contact(std::string_view recipient, std::string_view sender) const;
  // The addresses `display_name` (folded) came from, most recently seen first, at most `limit`.
  Result<std::vector<KnownAddress>> addresses_for_name(std::string_view display_name,
                                                       std::size_t limit = 16) const;
  // Records contacts in one store batch, stamped with the store's clock.
  Result<void> record(std::span<const Contact> contacts);

  // Failed record() calls since construction: the engine does not fail a scan on them, so they
  // are counted here for whoever reports the service's health.
  std::uint64_t write_failures() const { return write_failures_.load(); }
  const std::shared_ptr<store::KeyValueStore>& store() const { return store_; }

 private:
  std::shared_ptr<store::KeyValueStore> store_;
  std::atomic<std::uint64_t> write_failures_{0};
};

// The store named by [history]: an SqliteStore at config.path whose age limit is
// config.retention_days; with backend = "redis", a FallbackStore holding a RedisStore (shared by
// the nodes, same age limit) in front of that file (this node's copy and fallback). Each call opens
// a store of its own (with its own maintenance schedule): open it once and share it. Errors name
// the file (see SqliteStore::open) or the setting at fault; Redis being down is not one.
// `clock` (nullptr: Clock::system()) stamps and ages the contacts.
Result<std::shared_ptr<store::KeyValueStore>> open_history_store(const HistoryConfig& config,
                                                                 std::shared_ptr<const Clock> clock = nullptr);

}  // namespace vigie::intel::sender_history
