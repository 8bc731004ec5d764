// The SQLite KeyValueStore (see sqlite_store.h).
#include "store/sqlite_store.h"

#include <algorithm>
#include <limits>

#include <sqlite3.h>

#include "store/sqlite_support.h"

namespace vigie::store {
namespace {

constexpr int kApplicationId = 0x76696731;  // "vig1": tells our database from any other SQLite file

// Migration n (1-based) brings a database from user_version n-1 to n. Never edit a shipped step:
// add one. Steps 1 and 2 are the sender history's schema before it moved onto this store; a new
// file still runs them, so every file reaches version 3 by the one path that is tested.
constexpr const char* kMigrations[] = {
    // 1: one row per (recipient, sender, display name).
    "CREATE TABLE contacts("
    "  id INTEGER PRIMARY KEY,"
    "  recipient TEXT NOT NULL,"
    "  sender TEXT NOT NULL,"
    "  display_name TEXT NOT NULL DEFAULT '',"
    "  first_seen INTEGER NOT NULL,"
    "  last_seen INTEGER NOT NULL,"
    "  count INTEGER NOT NULL DEFAULT 1,"
    "  UNIQUE(recipient, sender, display_name));",
    // 2: "same name, new address" lookups and retention without full scans.
    // Covering: the view's aggregate reads only the index, never the table rows.
    "CREATE INDEX contacts_by_display_name"
    "  ON contacts(display_name, sender, recipient, first_seen, last_seen, count)"
    "  WHERE display_name <> '';"
    "CREATE INDEX contacts_by_last_seen ON contacts(last_seen);"
    "CREATE VIEW display_name_addresses AS"
    "  SELECT display_name, sender, min(first_seen) AS first_seen, max(last_seen) AS last_seen,"
    // One row per recipient for a given (name, sender), so count(*) counts recipients.
    "         sum(count) AS count, count(*) AS recipients"
    "  FROM contacts WHERE display_name <> '' GROUP BY display_name, sender;",
    // 3: generic keyed counters. The contacts become the sender history's keys, which must stay
    // what intel/sender_history/sender_history.cpp builds (its migration test reads them back):
    //   contact:<recipient>                      field sender     (all display names together)
    //   name:<display name>                      field sender     (summed over recipients)
    //   name-recipients:<display name>\x1f<sender>  field recipient
    "CREATE TABLE counters("
    "  key TEXT NOT NULL,"
    "  field TEXT NOT NULL,"
    "  value INTEGER NOT NULL,"
    "  first_seen INTEGER NOT NULL,"
    "  last_seen INTEGER NOT NULL,"
    "  PRIMARY KEY(key, field)) WITHOUT ROWID;"
    "INSERT INTO counters(key, field, value, first_seen, last_seen)"
    "  SELECT 'contact:' || recipient, sender, sum(count), min(first_seen), max(last_seen)"
    "  FROM contacts GROUP BY recipient, sender;"
    "INSERT INTO counters(key, field, value, first_seen, last_seen)"
    "  SELECT 'name:' || display_name, sender, sum(count), min(first_seen), max(last_seen)"
    "  FROM contacts WHERE display_name <> '' GROUP BY display_name, sender;"
    // (recipient, sender, display_name) is unique in contacts, so these keys and fields are too.
    "INSERT INTO counters(key, field, value, first_seen, last_seen)"
    "  SELECT 'name-recipients:' || display_name || char(31) || sender, recipient, count,"
    "         first_seen, last_seen"
    "  FROM contacts WHERE display_name <> '';"
    "DROP VIEW display_name_addresses;"
    "DROP TABLE contacts;"
    // Indexes after the bulk copy: built once instead of updated row by row. With a WITHOUT ROWID
    // table an index entry ends with the primary key, so this one is (key, last_seen, field):
    // list() reads it backwards in exactly the contract's order, with no sort.
    "CREATE INDEX counters_by_key_recency ON counters(key, last_seen);"
    "CREATE INDEX counters_by_last_seen ON counters(last_seen);",
};
static_assert(std::size(kMigrations) == SqliteStore::kSchemaVersion);

using sqlite::Binding;
using sqlite::column_text;
using sqlite::Database;
using sqlite::FileLabel;
using sqlite::Statement;
using sqlite::sqlite_message;

constexpr sqlite::Schema kSchema{kApplicationId, kMigrations, "vigie store"};

Error file_error(const std::string& path, int code, const std::string& text) {
  return sqlite::file_error(FileLabel{"store", path}, code, text);
}
Result<void> exec(sqlite3* db, const char* sql, const std::string& path) {
  return sqlite::exec(db, sql, FileLabel{"store", path});
}
Result<void> prepare(sqlite3* db, const char* sql, Statement& out, const std::string& path) {
  return sqlite::prepare(db, sql, out, FileLabel{"store", path});
}
Result<std::int64_t> checked_version(sqlite3* db, const std::string& path) {
  return sqlite::checked_version(db, kSchema, FileLabel{"store", path});
}
Result<void> migrate(sqlite3* db, const std::string& path) {
  return sqlite::migrate(db, kSchema, FileLabel{"store", path});
}

}  // namespace

// Members are destroyed in reverse order: the statements are finalised before the database closes.
// A reader prepares get/list/count, the writer upsert/begin/commit/rollback.
struct SqliteStore::Connection {
  Database database;
  Statement get, list, count, upsert, begin, commit, rollback;
  sqlite3* db() const { return database.handle; }
};

// A reader connection borrowed from the pool, returned when the lease ends.
class SqliteStore::ReaderLease {
 public:
  ReaderLease(const SqliteStore* owner, std::unique_ptr<Connection> c) : owner_(owner), connection_(std::move(c)) {}
  ReaderLease(ReaderLease&& other) noexcept = default;
  ReaderLease& operator=(ReaderLease&&) = delete;
  ReaderLease(const ReaderLease&) = delete;
  ~ReaderLease() {
    if (connection_) owner_->release_reader(std::move(connection_));
  }
  Connection& operator*() const { return *connection_; }
  Connection* operator->() const { return connection_.get(); }

 private:
  const SqliteStore* owner_;
  std::unique_ptr<Connection> connection_;
};

SqliteStore::SqliteStore(std::string path, SqliteStoreOptions options)
    : path_(std::move(path)), options_(std::move(options)) {
  if (!options_.clock) options_.clock = Clock::system();
  if (options_.max_readers == 0) options_.max_readers = 1;
}

SqliteStore::~SqliteStore() = default;

Error SqliteStore::io_error(sqlite3* db, int code) const { return file_error(path_, code, sqlite_message(db, code)); }

Result<std::unique_ptr<SqliteStore::Connection>> SqliteStore::connect() const {
  auto connection = std::make_unique<Connection>();
  // NOMUTEX: a connection is only ever used by the one thread holding it (writer mutex or lease).
  const int rc = sqlite3_open_v2(path_.c_str(), &connection->database.handle,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    return fail(Error::io("store " + path_ + ": cannot open (" + sqlite_message(connection->db(), rc) + ")"));
  }
  sqlite3* db = connection->db();
  sqlite3_busy_timeout(db, static_cast<int>(options_.busy_timeout.count()));
  // With the default file temp store every sorting query created and deleted a temporary file
  // (measured on the sender history's name lookup: 3.7 ms a lookup instead of 0.07 ms).
  if (auto r = exec(db, "PRAGMA temp_store = MEMORY", path_); !r) return fail(r.error());
  sqlite3_extended_result_codes(db, 0);
  return connection;
}

Result<std::shared_ptr<SqliteStore>> SqliteStore::open(const std::string& path, SqliteStoreOptions options) {
  if (path.empty()) return fail(Error::invalid_argument("store: empty database path"));
  if (auto usable = check_retention(options.retention); !usable) {
    return fail(Error::invalid_argument("store " + path + ": " + usable.error().message));
  }
  std::shared_ptr<SqliteStore> store(new SqliteStore(path, std::move(options)));
  Result<std::unique_ptr<Connection>> writer = store->connect();
  if (!writer) return fail(writer.error());
  sqlite3* db = (*writer)->db();
  // The first reads of the file: one that is not SQLite fails here with SQLITE_NOTADB, and a
  // foreign database is refused before the journal mode (which persists in the file) is changed.
  if (auto version = checked_version(db, path); !version) return fail(version.error());
  if (auto r = exec(db, "PRAGMA journal_mode = WAL", path); !r) return fail(r.error());
  if (auto r = migrate(db, path); !r) return fail(r.error());
  if (auto r = exec(db, "PRAGMA synchronous = NORMAL", path); !r) return fail(r.error());
  Connection& w = **writer;
  for (auto [sql, statement] : {
           // ?4 is the cutoff: a counter last seen before it has expired and starts afresh. Every
           // right-hand side reads the row as it was before this update.
           std::pair{"INSERT INTO counters(key, field, value, first_seen, last_seen)"
                     " VALUES(?1, ?2, ?3, ?5, ?5)"
                     " ON CONFLICT(key, field) DO UPDATE SET"
                     "  value = CASE WHEN last_seen < ?4 THEN excluded.value ELSE value + excluded.value END,"
                     "  first_seen = CASE WHEN last_seen < ?4 THEN excluded.first_seen ELSE first_seen END,"
                     "  last_seen = CASE WHEN last_seen < ?4 THEN excluded.last_seen"
                     "                   ELSE max(last_seen, excluded.last_seen) END",
                     &w.upsert},
           std::pair{"BEGIN IMMEDIATE", &w.begin},
           std::pair{"COMMIT", &w.commit},
           std::pair{"ROLLBACK", &w.rollback},
       }) {
    if (auto r = prepare(db, sql, *statement, path); !r) return fail(r.error());
  }
  store->writer_ = std::move(*writer);
  if (auto swept = store->run_maintenance(); !swept) return fail(swept.error());
  return store;
}

Result<SqliteStore::ReaderLease> SqliteStore::acquire_reader() const {
  {
    std::unique_lock lock(readers_mutex_);
    reader_released_.wait(lock, [&] { return !idle_readers_.empty() || open_readers_ < options_.max_readers; });
    if (!idle_readers_.empty()) {
      std::unique_ptr<Connection> c = std::move(idle_readers_.back());
      idle_readers_.pop_back();
      return ReaderLease(this, std::move(c));
    }
    ++open_readers_;  // reserve the slot; connect outside the lock
  }
  const auto give_back_slot = [&] {
    std::lock_guard lock(readers_mutex_);
    --open_readers_;
    reader_released_.notify_one();
  };
  Result<std::unique_ptr<Connection>> connection = connect();
  if (!connection) {
    give_back_slot();
    return fail(connection.error());
  }
  Connection& c = **connection;
  for (auto [sql, statement] : {
           std::pair{"SELECT value, first_seen, last_seen FROM counters"
                     " WHERE key = ?1 AND field = ?2 AND last_seen >= ?3",
                     &c.get},
           std::pair{"SELECT field, value, first_seen, last_seen FROM counters"
                     " WHERE key = ?1 AND last_seen >= ?2 ORDER BY last_seen DESC, field DESC LIMIT ?3",
                     &c.list},
           std::pair{"SELECT count(*) FROM counters WHERE key = ?1 AND last_seen >= ?2", &c.count},
       }) {
    if (auto r = prepare(c.db(), sql, *statement, path_); !r) {
      give_back_slot();
      return fail(r.error());
    }
  }
  return ReaderLease(this, std::move(*connection));
}

void SqliteStore::release_reader(std::unique_ptr<Connection> connection) const {
  std::lock_guard lock(readers_mutex_);
  idle_readers_.push_back(std::move(connection));
  reader_released_.notify_one();
}

Result<std::optional<Counter>> SqliteStore::get(std::string_view key, std::string_view field) const {
  if (!is_storable_key(key) || !is_storable_field(field)) return std::nullopt;
  const std::int64_t oldest = cutoff(now());
  Result<ReaderLease> lease = acquire_reader();
  if (!lease) return fail(lease.error());
  Connection& c = **lease;
  sqlite3_stmt* s = c.get.handle;
  Binding bind(s);
  bind.text(1, key);
  bind.text(2, field);
  bind.integer(3, oldest);
  const int rc = sqlite3_step(s);
  if (rc == SQLITE_DONE) return std::nullopt;
  if (rc != SQLITE_ROW) return fail(io_error(c.db(), rc));
  return Counter{std::string(field), sqlite3_column_int64(s, 0), sqlite3_column_int64(s, 1),
                 sqlite3_column_int64(s, 2)};
}

Result<std::vector<Counter>> SqliteStore::list(std::string_view key, std::size_t limit) const {
  std::vector<Counter> found;
  if (!is_storable_key(key) || limit == 0) return found;
  const std::int64_t oldest = cutoff(now());
  Result<ReaderLease> lease = acquire_reader();
  if (!lease) return fail(lease.error());
  Connection& c = **lease;
  sqlite3_stmt* s = c.list.handle;
  Binding bind(s);
  bind.text(1, key);
  bind.integer(2, oldest);
  constexpr auto kNoLimit = static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max());
  bind.integer(3, static_cast<std::int64_t>(std::min(limit, kNoLimit)));
  int rc;
  while ((rc = sqlite3_step(s)) == SQLITE_ROW) {
    found.push_back({column_text(s, 0), sqlite3_column_int64(s, 1), sqlite3_column_int64(s, 2),
                     sqlite3_column_int64(s, 3)});
  }
  if (rc != SQLITE_DONE) return fail(io_error(c.db(), rc));
  return found;
}

Result<std::size_t> SqliteStore::count(std::string_view key) const {
  if (!is_storable_key(key)) return 0;
  const std::int64_t oldest = cutoff(now());
  Result<ReaderLease> lease = acquire_reader();
  if (!lease) return fail(lease.error());
  Connection& c = **lease;
  sqlite3_stmt* s = c.count.handle;
  Binding bind(s);
  bind.text(1, key);
  bind.integer(2, oldest);
  const int rc = sqlite3_step(s);
  if (rc != SQLITE_ROW) return fail(io_error(c.db(), rc));
  return static_cast<std::size_t>(sqlite3_column_int64(s, 0));
}

Result<void> SqliteStore::increment(std::span<const Increment> increments) {
  // Checked before the transaction opens: all or nothing.
  for (const Increment& increment : increments) {
    if (auto storable = check_increment(increment); !storable) {
      return fail(Error::invalid_argument("store " + path_ + ": " + storable.error().message));
    }
  }
  if (increments.empty()) return {};
  std::lock_guard lock(writer_mutex_);
  Connection& w = *writer_;
  const auto step = [&](sqlite3_stmt* s) {
    const int rc = sqlite3_step(s);
    sqlite3_reset(s);
    return rc;
  };
  const auto rolled_back = [&](int rc) {
    Error error = io_error(w.db(), rc);
    step(w.rollback.handle);
    return fail(std::move(error));
  };
  if (const int rc = step(w.begin.handle); rc != SQLITE_DONE) return fail(io_error(w.db(), rc));
  const std::int64_t seen = now();
  for (const Increment& increment : increments) {
    int rc;
    {
      Binding bind(w.upsert.handle);  // reset before a rollback, which a running statement blocks
      bind.text(1, increment.key);
      bind.text(2, increment.field);
      bind.integer(3, increment.by);
      bind.integer(4, cutoff(seen));
      bind.integer(5, seen);
      rc = sqlite3_step(w.upsert.handle);
    }
    if (rc != SQLITE_DONE) return rolled_back(rc);
  }
  if (const int rc = step(w.commit.handle); rc != SQLITE_DONE) return rolled_back(rc);
  increments_since_maintenance_ += increments.size();
  if (increments_since_maintenance_ >= options_.maintenance_interval) {
    if (auto swept = run_maintenance_locked(); !swept) {
      return fail(Error{swept.error().code, swept.error().message +
                                                " (in the maintenance after an increment, which was kept)"});
    }
  }
  return {};
}

Result<std::size_t> SqliteStore::run_maintenance() {
  std::lock_guard lock(writer_mutex_);
  return run_maintenance_locked();
}

Result<std::size_t> SqliteStore::run_maintenance_locked() {
  sqlite3* db = writer_->db();
  increments_since_maintenance_ = 0;
  std::size_t removed = 0;
  const auto run = [&](const char* sql, std::int64_t parameter) -> Result<void> {
    Statement s;
    int rc = sqlite3_prepare_v2(db, sql, -1, &s.handle, nullptr);
    if (rc == SQLITE_OK) {
      sqlite3_bind_int64(s.handle, 1, parameter);
      rc = sqlite3_step(s.handle);
    }
    if (rc != SQLITE_DONE) return fail(io_error(db, rc));
    removed += static_cast<std::size_t>(sqlite3_changes(db));
    return {};
  };
  const auto rollback = [&](Error e) -> Result<std::size_t> {
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    return fail(std::move(e));
  };
  // One transaction: one commit (one WAL sync point) for both sweeps.
  if (auto r = exec(db, "BEGIN IMMEDIATE", path_); !r) return fail(r.error());
  if (auto r = run("DELETE FROM counters WHERE last_seen < ?1", cutoff(now())); !r) {
    return rollback(r.error());
  }
  // Per-key cap: only keys over it are touched, their least recently seen fields first (the
  // contract's order, so the fields kept are those list() shows first).
  const auto cap = static_cast<std::int64_t>(
      std::min(options_.retention.max_fields_per_key,
               static_cast<std::size_t>(std::numeric_limits<std::int64_t>::max())));
  if (auto r = run("DELETE FROM counters WHERE (key, field) IN ("
                   " SELECT key, field FROM ("
                   "  SELECT key, field, row_number() OVER (PARTITION BY key"
                   "                                       ORDER BY last_seen DESC, field DESC) AS rank"
                   "  FROM counters WHERE key IN ("
                   "   SELECT key FROM counters GROUP BY key HAVING count(*) > ?1))"
                   " WHERE rank > ?1)",
                   cap);
      !r) {
    return rollback(r.error());
  }
  if (auto r = exec(db, "COMMIT", path_); !r) return rollback(r.error());
  return removed;
}

}  // namespace vigie::store
