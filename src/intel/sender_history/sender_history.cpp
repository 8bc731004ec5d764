// The sender history's questions over a key-value store (see sender_history.h).
#include "intel/sender_history/sender_history.h"

#include <stdexcept>

#include "store/fallback_store.h"
#include "store/redis_store.h"
#include "store/sqlite_store.h"

namespace vigie::intel::sender_history {
namespace {

// Cuts keep keys bounded whatever a hostile header holds; longer addresses and names are not real
// ones, and two that share their first 320 (200) bytes are the same correspondent to us.
constexpr std::size_t kMaxAddressBytes = 320;
constexpr std::size_t kMaxDisplayNameBytes = 200;

std::string_view cut(std::string_view text, std::size_t max_bytes) { return text.substr(0, max_bytes); }

std::string contact_key(std::string_view recipient) {
  return "contact:" + std::string(cut(recipient, kMaxAddressBytes));
}

std::string name_addresses_key(std::string_view display_name) {
  return "name:" + std::string(cut(display_name, kMaxDisplayNameBytes));
}

std::string name_recipients_key(std::string_view display_name, std::string_view sender) {
  std::string key = "name-recipients:";
  key += cut(display_name, kMaxDisplayNameBytes);
  key += '\x1f';
  key += cut(sender, kMaxAddressBytes);
  return key;
}

}  // namespace

SenderHistory::SenderHistory(std::shared_ptr<store::KeyValueStore> store) : store_(std::move(store)) {
  if (store_ == nullptr) throw std::invalid_argument("SenderHistory: no store");
}

Result<bool> SenderHistory::has_contact(std::string_view recipient, std::string_view sender) const {
  Result<std::optional<store::Counter>> found = store_->get(contact_key(recipient), cut(sender, kMaxAddressBytes));
  if (!found) return fail(found.error());
  return found->has_value();
}

Result<std::vector<KnownAddress>> SenderHistory::addresses_for_name(std::string_view display_name,
                                                                   std::size_t limit) const {
  std::vector<KnownAddress> known;
  if (display_name.empty()) return known;
  Result<std::vector<store::Counter>> senders = store_->list(name_addresses_key(display_name), limit);
  if (!senders) return fail(senders.error());
  known.reserve(senders->size());
  for (store::Counter& sender : *senders) {
    // Read after the list: a recipient recorded in between may be counted, never one missing.
    const Result<std::size_t> recipients = store_->count(name_recipients_key(display_name, sender.field));
    if (!recipients) return fail(recipients.error());
    known.push_back({std::move(sender.field), sender.first_seen, sender.last_seen,
                     static_cast<std::uint64_t>(sender.value), static_cast<std::uint64_t>(*recipients)});
  }
  return known;
}

Result<void> SenderHistory::record(std::span<const Contact> contacts) {
  std::vector<store::Increment> increments;
  increments.reserve(contacts.size() * 3);
  for (const Contact& contact : contacts) {
    const std::string sender(cut(contact.sender, kMaxAddressBytes));
    increments.push_back({contact_key(contact.recipient), sender});
    if (contact.display_name.empty()) continue;
    increments.push_back({name_addresses_key(contact.display_name), sender});
    increments.push_back({name_recipients_key(contact.display_name, sender),
                          std::string(cut(contact.recipient, kMaxAddressBytes))});
  }
  Result<void> done = store_->increment(increments);
  if (!done) ++write_failures_;
  return done;
}

Result<std::shared_ptr<store::KeyValueStore>> open_history_store(const HistoryConfig& config,
                                                                 std::shared_ptr<const Clock> clock) {
  if (config.path.empty()) return fail(Error::invalid_argument("[history] path is empty"));
  if (config.retention_days == 0) return fail(Error::config("[history] retention_days must be at least 1"));
  if (config.backend != "sqlite" && config.backend != "redis") {
    return fail(Error::config("[history] backend '" + config.backend + "' is unknown (sqlite, redis)"));
  }
  store::Retention retention;
  retention.max_age = std::chrono::hours(24) * config.retention_days;
  store::SqliteStoreOptions options;
  options.retention = retention;
  options.clock = clock;
  Result<std::shared_ptr<store::SqliteStore>> opened = store::SqliteStore::open(config.path, std::move(options));
  if (!opened) return fail(opened.error());
  if (config.backend == "sqlite") return std::shared_ptr<store::KeyValueStore>(std::move(*opened));

  // Redis may be down when vigie starts: the store is created without connecting, and the first
  // call that fails starts an outage (logged) rather than refusing to scan.
  const RedisHistoryConfig& r = config.redis;
  store::RedisStoreOptions redis;
  redis.redis.host = r.host;
  redis.redis.port = static_cast<int>(r.port);
  redis.redis.unix_socket = r.socket;
  redis.redis.username = r.username;
  redis.redis.password = r.password;
  redis.redis.db = static_cast<int>(r.db);
  redis.redis.key_prefix = r.key_prefix;
  redis.redis.connect_timeout = std::chrono::milliseconds(r.connect_timeout_ms);
  redis.redis.command_timeout = std::chrono::milliseconds(r.command_timeout_ms);
  redis.retention = retention;
  redis.clock = clock;
  auto shared = store::RedisStore::create(std::move(redis));
  if (!shared) return fail(Error::config("[history.redis] " + shared.error().message));
  store::FallbackOptions fallback;
  fallback.max_pending = r.max_pending;
  fallback.retry_interval = std::chrono::milliseconds(r.retry_interval_ms);
  fallback.primary_name = (*shared)->name();
  fallback.clock = std::move(clock);
  return std::shared_ptr<store::KeyValueStore>(
      std::make_shared<store::FallbackStore>(std::move(*shared), std::move(*opened), std::move(fallback)));
}


}  // namespace vigie::intel::sender_history
