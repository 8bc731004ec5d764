// MemoryStore: a KeyValueStore held in the process's memory, for tests of callers (the sender
// history, analyzers) that need a store without a file, and as the reference the contract tests
// hold the other implementations to. Nothing survives the object. Obeys the whole contract of
// key_value_store.h; the per-key cap is enforced only by run_maintenance() (nothing runs it on
// its own). Thread-safe: one mutex guards everything. Not a shared_mutex: glibc's read-write lock
// prefers readers, and a few threads looking up without pause starved the writer for good.
#pragma once

#include <map>
#include <memory>
#include <mutex>

#include "store/key_value_store.h"

namespace vigie::store {

struct MemoryStoreOptions {
  Retention retention;
  std::shared_ptr<const Clock> clock;  // nullptr: Clock::system()
};

class MemoryStore final : public KeyValueStore {
 public:
  // Throws std::invalid_argument on an unusable Retention (a bug in the caller, not data).
  explicit MemoryStore(MemoryStoreOptions options = {});

  Result<std::optional<Counter>> get(std::string_view key, std::string_view field) const override;
  Result<std::vector<Counter>> list(std::string_view key, std::size_t limit) const override;
  Result<std::size_t> count(std::string_view key) const override;
  Result<void> increment(std::span<const Increment> increments) override;
  Result<std::size_t> run_maintenance() override;

 private:
  struct Entry {
    std::int64_t value = 0;
    std::int64_t first_seen = 0;
    std::int64_t last_seen = 0;
  };
  using Fields = std::map<std::string, Entry, std::less<>>;
  std::int64_t now() const { return unix_seconds(*options_.clock); }
  std::int64_t cutoff() const;  // counters last seen before it are expired

  MemoryStoreOptions options_;
  mutable std::mutex mutex_;
  std::map<std::string, Fields, std::less<>> keys_;  // guarded by mutex_
};

}  // namespace vigie::store
