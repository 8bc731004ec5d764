// The in-memory KeyValueStore (see memory_store.h).
#include "store/memory_store.h"

#include <algorithm>
#include <iterator>
#include <mutex>
#include <stdexcept>

namespace vigie::store {
namespace {

// Most recently seen first, then field in descending byte order (the contract's order).
bool more_recent(const Counter& a, const Counter& b) {
  return a.last_seen != b.last_seen ? a.last_seen > b.last_seen : a.field > b.field;
}

}  // namespace

MemoryStore::MemoryStore(MemoryStoreOptions options) : options_(std::move(options)) {
  if (auto usable = check_retention(options_.retention); !usable) {
    throw std::invalid_argument("memory store: " + usable.error().message);
  }
  if (!options_.clock) options_.clock = Clock::system();
}

std::int64_t MemoryStore::cutoff() const { return now() - options_.retention.max_age.count(); }

Result<std::optional<Counter>> MemoryStore::get(std::string_view key, std::string_view field) const {
  const std::int64_t oldest = cutoff();
  std::lock_guard lock(mutex_);
  const auto k = keys_.find(key);
  if (k == keys_.end()) return std::nullopt;
  const auto f = k->second.find(field);
  if (f == k->second.end() || f->second.last_seen < oldest) return std::nullopt;
  return Counter{f->first, f->second.value, f->second.first_seen, f->second.last_seen};
}

Result<std::vector<Counter>> MemoryStore::list(std::string_view key, std::size_t limit) const {
  const std::int64_t oldest = cutoff();
  std::vector<Counter> found;
  std::lock_guard lock(mutex_);
  const auto k = keys_.find(key);
  if (k == keys_.end()) return found;
  for (const auto& [field, entry] : k->second) {
    if (entry.last_seen >= oldest) found.push_back({field, entry.value, entry.first_seen, entry.last_seen});
  }
  std::sort(found.begin(), found.end(), more_recent);
  if (found.size() > limit) found.resize(limit);
  return found;
}

Result<std::size_t> MemoryStore::count(std::string_view key) const {
  const std::int64_t oldest = cutoff();
  std::lock_guard lock(mutex_);
  const auto k = keys_.find(key);
  if (k == keys_.end()) return 0;
  return static_cast<std::size_t>(std::count_if(k->second.begin(), k->second.end(),
                                                [&](const auto& f) { return f.second.last_seen >= oldest; }));
}

Result<void> MemoryStore::increment(std::span<const Increment> increments) {
  // Checked before anything is written: all or nothing.
  for (const Increment& increment : increments) {
    if (auto storable = check_increment(increment); !storable) {
      return fail(Error::invalid_argument("memory store: " + storable.error().message));
    }
  }
  const std::int64_t seen = now();
  const std::int64_t oldest = seen - options_.retention.max_age.count();
  std::lock_guard lock(mutex_);
  for (const Increment& increment : increments) {
    const auto [field, created] = keys_[increment.key].try_emplace(increment.field);
    Entry& entry = field->second;
    if (created || entry.last_seen < oldest) {  // an expired counter starts afresh
      entry = {increment.by, seen, seen};
    } else {
      entry.value += increment.by;
      entry.last_seen = std::max(entry.last_seen, seen);
    }
  }
  return {};
}

Result<std::size_t> MemoryStore::run_maintenance() {
  const std::int64_t oldest = cutoff();
  std::size_t removed = 0;
  std::lock_guard lock(mutex_);
  for (auto k = keys_.begin(); k != keys_.end();) {
    Fields& fields = k->second;
    removed += std::erase_if(fields, [&](const auto& f) { return f.second.last_seen < oldest; });
    if (fields.size() > options_.retention.max_fields_per_key) {
      std::vector<Counter> by_recency;
      by_recency.reserve(fields.size());
      for (const auto& [field, entry] : fields) by_recency.push_back({field, 0, 0, entry.last_seen});
      std::sort(by_recency.begin(), by_recency.end(), more_recent);
      for (std::size_t i = options_.retention.max_fields_per_key; i < by_recency.size(); ++i) {
        fields.erase(by_recency[i].field);
        ++removed;
      }
    }
    k = fields.empty() ? keys_.erase(k) : std::next(k);
  }
  return removed;
}

}  // namespace vigie::store
