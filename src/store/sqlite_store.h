// SqliteStore: the embedded KeyValueStore, one SQLite database file, for a vigie that runs alone
// (the default: nothing to install beside the binary). Owns the file's schema, migrations,
// growth and locking; knows nothing of what its keys mean.
//
// Schema: one table `counters(key, field, value, first_seen, last_seen)`, primary key
// (key, field), without rowid; an index on (key, last_seen) serves list() in recency order and
// count(), one on last_seen serves retention. Times are Unix seconds.
// Files: PRAGMA application_id "vig1" marks a vigie store; PRAGMA user_version numbers the schema.
// Numbered migrations run at open in one write transaction (so two processes opening a new file
// cannot both migrate it). Versions 1 and 2 were the sender history's own `contacts` table;
// version 3 converts its rows into the sender history's keys (intel/sender_history/
// sender_history.h documents them) in the same transaction. A file written by a newer vigie, an
// SQLite file that is not a vigie store, and a file that is not SQLite are refused with an error
// naming the file, before anything is written to it.
// Durability: WAL journal, synchronous = NORMAL: a power cut may lose the last increments, never
// corrupt the file. The state is advisory, and a sync per scanned message would cost more than
// the scan. A 5 s busy timeout covers other processes writing the same file.
// Growth: expired counters and fields over the per-key cap are deleted at open and every
// maintenance_interval increments (and by run_maintenance()).
// Thread-safety: lookups borrow a connection from a pool (one per concurrent caller, up to
// max_readers, then they wait); increments and maintenance share one writer connection under a
// mutex, since SQLite admits one writer at a time anyway. In WAL mode readers never wait for it.
// Several SqliteStore objects (or processes) may open one file; each has its own maintenance
// schedule, so the engine should open one and share it.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/key_value_store.h"

struct sqlite3;

namespace vigie::store {

struct SqliteStoreOptions {
  Retention retention;
  std::size_t maintenance_interval = 10000;  // increments between two maintenance passes
  std::size_t max_readers = 8;
  std::chrono::milliseconds busy_timeout{5000};
  std::shared_ptr<const Clock> clock;  // nullptr: Clock::system()
};

class SqliteStore final : public KeyValueStore {
 public:
  static constexpr int kSchemaVersion = 3;

  // Opens (creating it if needed), migrates and sweeps the database at `path`. Errors name the
  // file and say what is wrong: not a SQLite database, not a vigie store, written by a newer
  // version, unreadable or unwritable; or an unusable Retention.
  static Result<std::shared_ptr<SqliteStore>> open(const std::string& path, SqliteStoreOptions options = {});

  ~SqliteStore() override;

  Result<std::optional<Counter>> get(std::string_view key, std::string_view field) const override;
  Result<std::vector<Counter>> list(std::string_view key, std::size_t limit) const override;
  Result<std::size_t> count(std::string_view key) const override;
  // On top of the contract: when the batch brings the increments since the last maintenance to
  // maintenance_interval, a maintenance pass follows the commit. If that pass fails the
  // increments are kept and the error says so.
  Result<void> increment(std::span<const Increment> increments) override;
  Result<std::size_t> run_maintenance() override;

  const std::string& path() const { return path_; }

 private:
  struct Connection;
  class ReaderLease;
  SqliteStore(std::string path, SqliteStoreOptions options);
  Result<std::unique_ptr<Connection>> connect() const;
  Result<ReaderLease> acquire_reader() const;
  void release_reader(std::unique_ptr<Connection> connection) const;
  Result<std::size_t> run_maintenance_locked();  // writer_mutex_ held
  std::int64_t now() const { return unix_seconds(*options_.clock); }
  std::int64_t cutoff(std::int64_t at) const { return at - options_.retention.max_age.count(); }
  Error io_error(sqlite3* db, int code) const;

  std::string path_;
  SqliteStoreOptions options_;
  std::mutex writer_mutex_;
  std::unique_ptr<Connection> writer_;
  std::size_t increments_since_maintenance_ = 0;  // guarded by writer_mutex_

  mutable std::mutex readers_mutex_;
  mutable std::condition_variable reader_released_;
  mutable std::vector<std::unique_ptr<Connection>> idle_readers_;
  mutable std::size_t open_readers_ = 0;
};

}  // namespace vigie::store
