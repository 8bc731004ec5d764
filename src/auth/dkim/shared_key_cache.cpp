// The engine-wide key cache (see shared_key_cache.h): an LRU list with an index by name, every
// entry stamped with the time its TTL runs out.
#include "auth/dkim/shared_key_cache.h"

#include <algorithm>

namespace vigie::auth::dkim {

SharedKeyCache::SharedKeyCache(SharedKeyCacheOptions options, Clock clock)
    : options_(options), clock_(std::move(clock)) {}

std::chrono::steady_clock::time_point SharedKeyCache::now() const {
  return clock_ ? clock_() : std::chrono::steady_clock::now();
}

std::shared_ptr<const ResolvedKey> SharedKeyCache::find(const std::string& name) {
  const auto at = now();
  std::lock_guard lock(mutex_);
  const auto found = index_.find(name);
  if (found == index_.end()) {
    ++stats_.misses;
    return nullptr;
  }
  if (found->second->expires <= at) {
    recency_.erase(found->second);
    index_.erase(found);
    ++stats_.misses;
    return nullptr;
  }
  recency_.splice(recency_.begin(), recency_, found->second);
  ++stats_.hits;
  return found->second->key;
}

void SharedKeyCache::insert(const std::string& name, std::shared_ptr<const ResolvedKey> key,
                            std::uint32_t ttl_seconds) {
  if (ttl_seconds == 0 || options_.max_entries == 0 || !key) return;
  const auto ttl =
      std::min<std::chrono::seconds>(std::chrono::seconds(ttl_seconds), options_.max_ttl);
  const auto expires = now() + ttl;
  std::lock_guard lock(mutex_);
  if (const auto found = index_.find(name); found != index_.end()) {
    found->second->key = std::move(key);
    found->second->expires = expires;
    recency_.splice(recency_.begin(), recency_, found->second);
    return;
  }
  recency_.push_front(Slot{name, std::move(key), expires});
  index_.emplace(name, recency_.begin());
  while (recency_.size() > options_.max_entries) {
    index_.erase(recency_.back().name);
    recency_.pop_back();
    ++stats_.evictions;
  }
}

SharedKeyCache::Stats SharedKeyCache::stats() const {
  std::lock_guard lock(mutex_);
  Stats out = stats_;
  out.entries = recency_.size();
  return out;
}

}  // namespace vigie::auth::dkim
