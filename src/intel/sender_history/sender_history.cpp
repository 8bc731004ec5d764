// The SQLite sender history (see sender_history.h).
#include "intel/sender_history/sender_history.h"

#include <map>

#include <sqlite3.h>

namespace vigie::intel::sender_history {
namespace {

constexpr int kApplicationId = 0x76696731;  // "vig1": tells our database from any other SQLite file
constexpr std::size_t kMaxAddressBytes = 320;
constexpr std::size_t kMaxDisplayNameBytes = 200;

// Migration n (1-based) brings a database from user_version n-1 to n. Never edit a shipped step:
// add one.
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
};
static_assert(std::size(kMigrations) == SenderHistory::kSchemaVersion);

std::string sqlite_message(sqlite3* db, int code) {
  return db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
}

struct Statement {
  sqlite3_stmt* handle = nullptr;
  ~Statement() { sqlite3_finalize(handle); }
};

// Resets the statement on every path out, so a pooled connection never keeps a read open.
class Binding {
 public:
  explicit Binding(sqlite3_stmt* s) : s_(s) {}
  ~Binding() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
  Binding(const Binding&) = delete;
  Binding& operator=(const Binding&) = delete;
  void text(int index, std::string_view value, std::size_t max_bytes) {
    if (value.size() > max_bytes) value = value.substr(0, max_bytes);
    sqlite3_bind_text(s_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  }
  void integer(int index, std::int64_t value) { sqlite3_bind_int64(s_, index, value); }

 private:
  sqlite3_stmt* s_;
};

struct Database {
  sqlite3* handle = nullptr;
  ~Database() { sqlite3_close_v2(handle); }
};

}  // namespace

// Members are destroyed in reverse order: the statements are finalised before the database closes.
struct SenderHistory::Connection {
  Database database;
  Statement has_contact, by_name, upsert, begin, commit, rollback;
  sqlite3* db() const { return database.handle; }
};

// A reader connection borrowed from the pool, returned when the lease ends.
class SenderHistory::ReaderLease {
 public:
  ReaderLease(const SenderHistory* owner, std::unique_ptr<Connection> c)
      : owner_(owner), connection_(std::move(c)) {}
  ReaderLease(ReaderLease&& other) noexcept = default;
  ReaderLease& operator=(ReaderLease&&) = delete;
  ReaderLease(const ReaderLease&) = delete;
  ~ReaderLease() {
    if (connection_) owner_->release_reader(std::move(connection_));
  }
  Connection& operator*() const { return *connection_; }
  Connection* operator->() const { return connection_.get(); }

 private:
  const SenderHistory* owner_;
  std::unique_ptr<Connection> connection_;
};

namespace {

Result<void> exec(sqlite3* db, const char* sql, const std::string& path) {
  char* message = nullptr;
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return {};
  std::string text = message != nullptr ? message : sqlite3_errstr(rc);
  sqlite3_free(message);
  if (rc == SQLITE_NOTADB) {
    return fail(Error::config("history " + path + ": not a SQLite database (" + text + ")"));
  }
  return fail(Error::io("history " + path + ": " + text));
}

Result<std::int64_t> pragma_value(sqlite3* db, const char* sql, const std::string& path) {
  Statement s;
  int rc = sqlite3_prepare_v2(db, sql, -1, &s.handle, nullptr);
  if (rc == SQLITE_OK) rc = sqlite3_step(s.handle);
  if (rc == SQLITE_ROW) return sqlite3_column_int64(s.handle, 0);
  if (rc == SQLITE_NOTADB) {
    return fail(Error::config("history " + path + ": not a SQLite database (" + sqlite_message(db, rc) + ")"));
  }
  return fail(Error::io("history " + path + ": " + sqlite_message(db, rc)));
}

Result<void> prepare(sqlite3* db, const char* sql, Statement& out, const std::string& path) {
  const int rc = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &out.handle, nullptr);
  if (rc != SQLITE_OK) return fail(Error::io("history " + path + ": " + sqlite_message(db, rc)));
  return {};
}

// Brings the schema to kSchemaVersion inside one write transaction, so two processes opening the
// same new file cannot both migrate it.
Result<void> migrate(sqlite3* db, const std::string& path) {
  if (auto r = exec(db, "BEGIN IMMEDIATE", path); !r) return r;
  const auto rollback = [&](Error e) -> Result<void> {
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    return fail(std::move(e));
  };
  const Result<std::int64_t> version = pragma_value(db, "PRAGMA user_version", path);
  if (!version) return rollback(version.error());
  const Result<std::int64_t> application = pragma_value(db, "PRAGMA application_id", path);
  if (!application) return rollback(application.error());
  const Result<std::int64_t> tables =
      pragma_value(db, "SELECT count(*) FROM sqlite_schema", path);
  if (!tables) return rollback(tables.error());
  if (*application != kApplicationId && (*application != 0 || *tables != 0)) {
    return rollback(Error::config("history " + path +
                                  ": a SQLite database that is not a vigie sender history"));
  }
  if (*version > SenderHistory::kSchemaVersion) {
    return rollback(Error::config("history " + path + ": schema version " + std::to_string(*version) +
                                  " was written by a newer vigie (this one knows up to " +
                                  std::to_string(SenderHistory::kSchemaVersion) + ")"));
  }
  for (std::int64_t step = *version; step < SenderHistory::kSchemaVersion; ++step) {
    if (auto r = exec(db, kMigrations[step], path); !r) return rollback(r.error());
  }
  const std::string stamp = "PRAGMA application_id = " + std::to_string(kApplicationId) +
                            "; PRAGMA user_version = " + std::to_string(SenderHistory::kSchemaVersion);
  if (auto r = exec(db, stamp.c_str(), path); !r) return rollback(r.error());
  return exec(db, "COMMIT", path);
}

}  // namespace

SenderHistory::SenderHistory(std::string path, StoreOptions options)
    : path_(std::move(path)), options_(std::move(options)) {
  if (!options_.clock) {
    options_.clock = [] {
      return std::chrono::duration_cast<std::chrono::seconds>(
                 std::chrono::system_clock::now().time_since_epoch())
          .count();
    };
  }
  if (options_.max_readers == 0) options_.max_readers = 1;
}

SenderHistory::~SenderHistory() = default;

std::int64_t SenderHistory::now() const { return options_.clock(); }

Result<std::unique_ptr<SenderHistory::Connection>> SenderHistory::connect() const {
  auto connection = std::make_unique<Connection>();
  // NOMUTEX: a connection is only ever used by the one thread holding it (writer mutex or lease).
  const int rc = sqlite3_open_v2(path_.c_str(), &connection->database.handle,
                                 SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    return fail(Error::io("history " + path_ + ": cannot open (" +
                          sqlite_message(connection->db(), rc) + ")"));
  }
  sqlite3* db = connection->db();
  sqlite3_busy_timeout(db, static_cast<int>(options_.busy_timeout.count()));
  // The name lookup sorts a few rows; with the default file temp store every query created and
  // deleted a temporary file (measured: 3.7 ms a lookup instead of 0.07 ms).
  if (auto r = exec(db, "PRAGMA temp_store = MEMORY", path_); !r) return fail(r.error());
  sqlite3_extended_result_codes(db, 0);
  return connection;
}

Result<std::shared_ptr<SenderHistory>> SenderHistory::open(const std::string& path, StoreOptions options) {
  if (path.empty()) return fail(Error::invalid_argument("history: empty database path"));
  std::shared_ptr<SenderHistory> store(new SenderHistory(path, std::move(options)));
  Result<std::unique_ptr<Connection>> writer = store->connect();
  if (!writer) return fail(writer.error());
  sqlite3* db = (*writer)->db();
  // The first read of the file: a file that is not SQLite fails here with SQLITE_NOTADB.
  if (auto r = exec(db, "PRAGMA journal_mode = WAL", path); !r) return fail(r.error());
  if (auto r = migrate(db, path); !r) return fail(r.error());
  // WAL + NORMAL: a power cut may lose the last contacts recorded, never corrupt the file; the
  // history is advisory, and a sync per scanned message would cost more than the scan.
  if (auto r = exec(db, "PRAGMA synchronous = NORMAL", path); !r) return fail(r.error());
  Connection& w = **writer;
  for (auto [sql, statement] : {
           std::pair{"INSERT INTO contacts(recipient, sender, display_name, first_seen, last_seen, count)"
                     " VALUES(?1, ?2, ?3, ?4, ?4, 1)"
                     " ON CONFLICT(recipient, sender, display_name) DO UPDATE SET"
                     " last_seen = max(last_seen, excluded.last_seen), count = count + 1",
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

Result<std::shared_ptr<SenderHistory>> SenderHistory::open_shared(const std::string& path,
                                                                  StoreOptions options) {
  static std::mutex mutex;
  static std::map<std::string, std::weak_ptr<SenderHistory>, std::less<>> open_stores;
  std::lock_guard lock(mutex);
  if (const auto it = open_stores.find(path); it != open_stores.end()) {
    if (std::shared_ptr<SenderHistory> existing = it->second.lock()) return existing;
  }
  Result<std::shared_ptr<SenderHistory>> opened = open(path, std::move(options));
  if (opened) open_stores[path] = *opened;
  return opened;
}

Result<SenderHistory::ReaderLease> SenderHistory::acquire_reader() const {
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
           std::pair{"SELECT 1 FROM contacts WHERE recipient = ?1 AND sender = ?2 LIMIT 1", &c.has_contact},
           std::pair{"SELECT sender, first_seen, last_seen, count, recipients FROM display_name_addresses"
                     " WHERE display_name = ?1 ORDER BY last_seen DESC LIMIT ?2",
                     &c.by_name},
       }) {
    if (auto r = prepare(c.db(), sql, *statement, path_); !r) {
      give_back_slot();
      return fail(r.error());
    }
  }
  return ReaderLease(this, std::move(*connection));
}

void SenderHistory::release_reader(std::unique_ptr<Connection> connection) const {
  std::lock_guard lock(readers_mutex_);
  idle_readers_.push_back(std::move(connection));
  reader_released_.notify_one();
}

Result<bool> SenderHistory::has_contact(std::string_view recipient, std::string_view sender) const {
  Result<ReaderLease> lease = acquire_reader();
  if (!lease) return fail(lease.error());
  Connection& c = **lease;
  Binding bind(c.has_contact.handle);
  bind.text(1, recipient, kMaxAddressBytes);
  bind.text(2, sender, kMaxAddressBytes);
  const int rc = sqlite3_step(c.has_contact.handle);
  if (rc == SQLITE_ROW) return true;
  if (rc == SQLITE_DONE) return false;
  return fail(Error::io("history " + path_ + ": " + sqlite_message(c.db(), rc)));
}

Result<std::vector<KnownAddress>> SenderHistory::addresses_for_name(std::string_view display_name,
                                                                   std::size_t limit) const {
  std::vector<KnownAddress> found;
  if (display_name.empty()) return found;
  Result<ReaderLease> lease = acquire_reader();
  if (!lease) return fail(lease.error());
  Connection& c = **lease;
  Binding bind(c.by_name.handle);
  bind.text(1, display_name, kMaxDisplayNameBytes);
  bind.integer(2, static_cast<std::int64_t>(limit));
  int rc;
  while ((rc = sqlite3_step(c.by_name.handle)) == SQLITE_ROW) {
    sqlite3_stmt* s = c.by_name.handle;
    KnownAddress known;
    known.sender = reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
    known.first_seen = sqlite3_column_int64(s, 1);
    known.last_seen = sqlite3_column_int64(s, 2);
    known.count = static_cast<std::uint64_t>(sqlite3_column_int64(s, 3));
    known.recipients = static_cast<std::uint64_t>(sqlite3_column_int64(s, 4));
    found.push_back(std::move(known));
  }
  if (rc != SQLITE_DONE) return fail(Error::io("history " + path_ + ": " + sqlite_message(c.db(), rc)));
  return found;
}

Result<void> SenderHistory::record(std::span<const Contact> contacts) {
  Result<void> done = record_unchecked(contacts);
  if (!done) ++write_failures_;
  return done;
}

Result<void> SenderHistory::record_unchecked(std::span<const Contact> contacts) {
  if (contacts.empty()) return {};
  bool maintenance_due = false;
  {
    std::lock_guard lock(writer_mutex_);
    Connection& w = *writer_;
    const auto step = [&](sqlite3_stmt* s) {
      const int rc = sqlite3_step(s);
      sqlite3_reset(s);
      return rc;
    };
    if (const int rc = step(w.begin.handle); rc != SQLITE_DONE) {
      return fail(Error::io("history " + path_ + ": " + sqlite_message(w.db(), rc)));
    }
    const std::int64_t seen = now();
    for (const Contact& contact : contacts) {
      Binding bind(w.upsert.handle);
      bind.text(1, contact.recipient, kMaxAddressBytes);
      bind.text(2, contact.sender, kMaxAddressBytes);
      bind.text(3, contact.display_name, kMaxDisplayNameBytes);
      bind.integer(4, seen);
      if (const int rc = sqlite3_step(w.upsert.handle); rc != SQLITE_DONE) {
        std::string message = sqlite_message(w.db(), rc);
        step(w.rollback.handle);
        return fail(Error::io("history " + path_ + ": " + message));
      }
    }
    if (const int rc = step(w.commit.handle); rc != SQLITE_DONE) {
      std::string message = sqlite_message(w.db(), rc);
      step(w.rollback.handle);
      return fail(Error::io("history " + path_ + ": " + message));
    }
    recorded_since_maintenance_ += contacts.size();
    maintenance_due = recorded_since_maintenance_ >= options_.maintenance_interval;
  }
  if (maintenance_due) {
    if (auto swept = run_maintenance(); !swept) return fail(swept.error());
  }
  return {};
}

Result<std::size_t> SenderHistory::run_maintenance() {
  std::lock_guard lock(writer_mutex_);
  sqlite3* db = writer_->db();
  recorded_since_maintenance_ = 0;
  std::size_t removed = 0;
  const auto run = [&](const char* sql, auto&& bind_values) -> Result<void> {
    Statement s;
    int rc = sqlite3_prepare_v2(db, sql, -1, &s.handle, nullptr);
    if (rc == SQLITE_OK) {
      bind_values(s.handle);
      rc = sqlite3_step(s.handle);
    }
    if (rc != SQLITE_DONE) return fail(Error::io("history " + path_ + ": " + sqlite_message(db, rc)));
    removed += static_cast<std::size_t>(sqlite3_changes(db));
    return {};
  };
  const std::int64_t cutoff = now() - static_cast<std::int64_t>(options_.retention_days) * 86400;
  if (auto r = run("DELETE FROM contacts WHERE last_seen < ?1",
                   [&](sqlite3_stmt* s) { sqlite3_bind_int64(s, 1, cutoff); });
      !r) {
    return fail(r.error());
  }
  // Per-recipient cap: only recipients over it are touched, their least recently seen rows first.
  const auto cap = static_cast<std::int64_t>(options_.max_rows_per_recipient);
  if (auto r = run("DELETE FROM contacts WHERE id IN ("
                   " SELECT id FROM ("
                   "  SELECT id, row_number() OVER (PARTITION BY recipient"
                   "                                ORDER BY last_seen DESC, id DESC) AS rank"
                   "  FROM contacts WHERE recipient IN ("
                   "   SELECT recipient FROM contacts GROUP BY recipient HAVING count(*) > ?1))"
                   " WHERE rank > ?1)",
                   [&](sqlite3_stmt* s) { sqlite3_bind_int64(s, 1, cap); });
      !r) {
    return fail(r.error());
  }
  return removed;
}

Result<std::size_t> SenderHistory::row_count() const {
  Result<ReaderLease> lease = acquire_reader();
  if (!lease) return fail(lease.error());
  const Result<std::int64_t> rows = pragma_value((*lease)->db(), "SELECT count(*) FROM contacts", path_);
  if (!rows) return fail(rows.error());
  return static_cast<std::size_t>(*rows);
}

}  // namespace vigie::intel::sender_history
