// The event store (see event_store.h).
#include "store/event_store.h"

#include <nlohmann/json.hpp>

#include <filesystem>
#include <functional>
#include <limits>
#include <system_error>

#include "store/sqlite_support.h"

namespace vigie::store {
namespace {

using sqlite::Binding;
using sqlite::column_text;
using sqlite::Database;
using sqlite::FileLabel;
using sqlite::Statement;

constexpr std::int32_t kApplicationId = 0x76696765;  // "vige": a vigie event store

// Never edit a shipped step: add one. Addresses are compared without case (COLLATE NOCASE on the
// column, so its indexes serve `=` as typed by an analyst). Each index says which query it serves;
// event_store_test.cpp checks the plan of each query.
constexpr const char* kMigrations[] = {
    // 1: the events.
    "CREATE TABLE events("
    // The children's key: an integer is smaller in their indexes than the 16-digit id.
    "  seq INTEGER PRIMARY KEY,"
    "  id TEXT NOT NULL UNIQUE,"  // our id, as in logs and headers: "show me this message"
    "  received_at INTEGER NOT NULL,"
    "  queue_id TEXT NOT NULL,"
    "  client_ip TEXT NOT NULL,"
    "  helo TEXT NOT NULL,"
    "  mail_from TEXT NOT NULL COLLATE NOCASE,"
    "  header_from TEXT NOT NULL COLLATE NOCASE,"
    "  subject TEXT NOT NULL,"
    "  message_id TEXT NOT NULL,"
    "  size INTEGER NOT NULL,"
    "  action TEXT NOT NULL,"
    "  score REAL NOT NULL,"
    "  complete INTEGER NOT NULL,"
    "  engine_generation INTEGER NOT NULL,"
    "  listener TEXT NOT NULL,"
    "  objects TEXT NOT NULL);"  // JSON array: path, origin, types, size, sha256 of files
    // Date range ("what came in yesterday") and retention's oldest-first deletes.
    "CREATE INDEX events_by_time ON events(received_at);"
    // Envelope sender, newest first within one sender.
    "CREATE INDEX events_by_mail_from ON events(mail_from, received_at);"
    // Header From (what the reader saw), newest first within one address.
    "CREATE INDEX events_by_header_from ON events(header_from, received_at);"
    // One row per recipient; received_at copied so that "mail to X this week" reads this table's
    // primary key alone, in date order.
    "CREATE TABLE event_recipients("
    "  recipient TEXT NOT NULL COLLATE NOCASE,"
    "  received_at INTEGER NOT NULL,"
    "  event INTEGER NOT NULL REFERENCES events(seq) ON DELETE CASCADE,"
    "  PRIMARY KEY(recipient, received_at, event)) WITHOUT ROWID;"
    // An event's recipients (show), and the cascade when retention deletes the event.
    "CREATE INDEX event_recipients_by_event ON event_recipients(event);"
    // One row per finding of the message, with the object it was seen in.
    "CREATE TABLE event_findings("
    "  event INTEGER NOT NULL REFERENCES events(seq) ON DELETE CASCADE,"
    "  finding TEXT NOT NULL,"
    "  finding_group TEXT NOT NULL,"
    "  score REAL NOT NULL,"
    "  object_path TEXT NOT NULL,"
    "  received_at INTEGER NOT NULL);"
    // "Messages with VBA_AUTO_EXEC since Monday": by finding id, then date.
    "CREATE INDEX event_findings_by_finding ON event_findings(finding, received_at);"
    // An event's findings (show), and the cascade.
    "CREATE INDEX event_findings_by_event ON event_findings(event);",

    // 2: the quarantine's rows (the bytes are in the Maildir).
    "CREATE TABLE quarantine("
    "  id TEXT PRIMARY KEY,"  // = events.id; also the Maildir file's name
    "  path TEXT NOT NULL,"
    "  sha256 TEXT NOT NULL,"
    "  size INTEGER NOT NULL,"
    "  mail_from TEXT NOT NULL COLLATE NOCASE,"
    "  recipients TEXT NOT NULL,"  // JSON array, in envelope order (release sends to these)
    "  stored_at INTEGER NOT NULL,"
    "  reason TEXT NOT NULL,"      // JSON array of the deciding finding ids
    "  findings TEXT NOT NULL,"    // JSON array: id, group, score, object path
    "  action TEXT NOT NULL,"
    "  score REAL NOT NULL,"
    "  state TEXT NOT NULL CHECK(state IN ('held', 'released', 'deleted')),"
    "  changed_at INTEGER NOT NULL DEFAULT 0,"
    "  changed_by TEXT NOT NULL DEFAULT '',"
    "  last_error TEXT NOT NULL DEFAULT '') WITHOUT ROWID;"
    // The list by state (what is held now), newest first; the held count; retention.
    "CREATE INDEX quarantine_by_state ON quarantine(state, stored_at);"
    // The list by envelope sender.
    "CREATE INDEX quarantine_by_sender ON quarantine(mail_from, stored_at);"
    // The list by recipient.
    "CREATE TABLE quarantine_recipients("
    "  recipient TEXT NOT NULL COLLATE NOCASE,"
    "  id TEXT NOT NULL REFERENCES quarantine(id) ON DELETE CASCADE,"
    "  PRIMARY KEY(recipient, id)) WITHOUT ROWID;"
    "CREATE INDEX quarantine_recipients_by_id ON quarantine_recipients(id);"
    // What the console reads: the events with whether each was quarantined (a primary-key lookup
    // per event).
    "CREATE VIEW events_view AS"
    "  SELECT e.*, EXISTS(SELECT 1 FROM quarantine q WHERE q.id = e.id) AS quarantined FROM events e;",

    // 3: what the exports share (intel/export/detection.h): the detection record of each event
    // worth sharing (warn or stronger, or a partner's indicator matched), NULL for the others.
    // (Parenthesised: one migration of two statements, not two migrations missing a comma.)
    ("ALTER TABLE events ADD COLUMN export_record TEXT;"
     // `vigie intel export --since --until`: the exportable events of a date range, in date
     // order, without reading the others.
     "CREATE INDEX events_exportable ON events(received_at) WHERE export_record IS NOT NULL;"),
};

constexpr sqlite::Schema kSchema{kApplicationId, kMigrations, "vigie event store"};

constexpr const char* kInsertEvent =
    "INSERT OR IGNORE INTO events(id, received_at, queue_id, client_ip, helo, mail_from, header_from,"
    " subject, message_id, size, action, score, complete, engine_generation, listener, objects, export_record)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)";
constexpr const char* kInsertRecipient =
    "INSERT OR IGNORE INTO event_recipients(recipient, received_at, event) VALUES(?1, ?2, ?3)";
constexpr const char* kInsertFinding =
    "INSERT INTO event_findings(event, finding, finding_group, score, object_path, received_at)"
    " VALUES(?1, ?2, ?3, ?4, ?5, ?6)";
// Oldest first, a bounded batch: one short transaction each (the cascade removes the children).
constexpr const char* kDeleteBatch =
    "DELETE FROM events WHERE seq IN"
    " (SELECT seq FROM events WHERE received_at < ?1 ORDER BY received_at LIMIT ?2)";
constexpr const char* kHeldColumns =
    "id, path, sha256, size, mail_from, recipients, stored_at, reason, findings, action, score, state,"
    " changed_at, changed_by, last_error";

std::int64_t now_seconds() {
  return std::chrono::duration_cast<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch())
      .count();
}

std::optional<HeldState> parse_state(std::string_view name) {
  if (name == "held") return HeldState::kHeld;
  if (name == "released") return HeldState::kReleased;
  if (name == "deleted") return HeldState::kDeleted;
  return std::nullopt;
}

std::vector<std::string> string_array(const std::string& json_text) {
  std::vector<std::string> out;
  const nlohmann::json parsed = nlohmann::json::parse(json_text, nullptr, false);
  if (!parsed.is_array()) return out;
  for (const auto& item : parsed) {
    if (item.is_string()) out.push_back(item.get<std::string>());
  }
  return out;
}

std::string json_text(const nlohmann::json& value) {
  return value.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

HeldMessage held_from_row(sqlite3_stmt* s) {
  HeldMessage m;
  m.id = column_text(s, 0);
  m.path = column_text(s, 1);
  m.sha256 = column_text(s, 2);
  m.size = static_cast<std::uint64_t>(sqlite3_column_int64(s, 3));
  m.mail_from = column_text(s, 4);
  m.recipients = string_array(column_text(s, 5));
  m.stored_at = sqlite3_column_int64(s, 6);
  m.reason = string_array(column_text(s, 7));
  m.findings_json = column_text(s, 8);
  m.action = column_text(s, 9);
  m.score = sqlite3_column_double(s, 10);
  m.state = parse_state(column_text(s, 11)).value_or(HeldState::kHeld);
  m.changed_at = sqlite3_column_int64(s, 12);
  m.changed_by = column_text(s, 13);
  m.last_error = column_text(s, 14);
  return m;
}

}  // namespace

std::string_view held_state_name(HeldState state) {
  switch (state) {
    case HeldState::kHeld: return "held";
    case HeldState::kReleased: return "released";
    case HeldState::kDeleted: return "deleted";
  }
  return "held";
}

// Statements are destroyed before the database (members in reverse order).
struct EventStore::Connection {
  Database database;
  Statement insert_event, insert_recipient, insert_finding, delete_batch, begin, commit, rollback;
  sqlite3* db() const { return database.handle; }
};

std::span<const char* const> EventStore::migrations() { return kMigrations; }

EventStore::EventStore(EventStoreOptions options) : options_(std::move(options)) {}

EventStore::~EventStore() { close(); }

Result<std::unique_ptr<EventStore>> EventStore::open(EventStoreOptions options) {
  if (options.path.empty()) return fail(Error::invalid_argument("event store: empty database path"));
  if (options.queue_size == 0 || options.batch_size == 0 || options.retention_batch == 0) {
    return fail(Error::invalid_argument("event store " + options.path + ": queue, batch and retention batch sizes must be positive"));
  }
  std::unique_ptr<EventStore> store(new EventStore(std::move(options)));
  const FileLabel file{"event store", store->options_.path};
  const auto connect = [&](const char* synchronous) -> Result<std::unique_ptr<Connection>> {
    auto c = std::make_unique<Connection>();
    const int rc = sqlite3_open_v2(file.path.c_str(), &c->database.handle,
                                   SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, nullptr);
    if (rc != SQLITE_OK) {
      return fail(Error::io(file() + ": cannot open (" + sqlite::sqlite_message(c->db(), rc) + ")"));
    }
    sqlite3_busy_timeout(c->db(), static_cast<int>(store->options_.busy_timeout.count()));
    sqlite3_extended_result_codes(c->db(), 0);
    // Read first: a file that is not SQLite, or a foreign database, is refused before the journal
    // mode (which persists in the file) is changed.
    if (auto version = sqlite::checked_version(c->db(), kSchema, file); !version) return fail(version.error());
    if (auto r = sqlite::exec(c->db(), "PRAGMA journal_mode = WAL; PRAGMA foreign_keys = ON;"
                                       " PRAGMA temp_store = MEMORY", file); !r) {
      return fail(r.error());
    }
    if (auto r = sqlite::migrate(c->db(), kSchema, file); !r) return fail(r.error());
    const std::string sync = std::string("PRAGMA synchronous = ") + synchronous;
    if (auto r = sqlite::exec(c->db(), sync.c_str(), file); !r) return fail(r.error());
    return c;
  };
  // Events may lose their last batch on a power cut (never the file); quarantine rows may not.
  Result<std::unique_ptr<Connection>> writer = connect("NORMAL");
  if (!writer) return fail(writer.error());
  Result<std::unique_ptr<Connection>> direct = connect("FULL");
  if (!direct) return fail(direct.error());
  Connection& w = **writer;
  for (auto [sql, statement] : {std::pair{kInsertEvent, &w.insert_event}, std::pair{kInsertRecipient, &w.insert_recipient},
                                std::pair{kInsertFinding, &w.insert_finding}, std::pair{kDeleteBatch, &w.delete_batch},
                                std::pair{"BEGIN IMMEDIATE", &w.begin}, std::pair{"COMMIT", &w.commit},
                                std::pair{"ROLLBACK", &w.rollback}}) {
    if (auto r = sqlite::prepare(w.db(), sql, *statement, file); !r) return fail(r.error());
  }
  Connection& d = **direct;
  for (auto [sql, statement] : {std::pair{kDeleteBatch, &d.delete_batch}}) {
    if (auto r = sqlite::prepare(d.db(), sql, *statement, file); !r) return fail(r.error());
  }
  store->writer_ = std::move(*writer);
  store->direct_ = std::move(*direct);
  if (store->options_.retention_days > 0) {
    const std::int64_t cutoff = now_seconds() - std::int64_t{86400} * store->options_.retention_days;
    if (auto deleted = store->delete_events_before(cutoff); !deleted) return fail(deleted.error());
  }
  store->writer_thread_ = std::thread([s = store.get()] { s->writer_loop(); });
  return store;
}

bool EventStore::record(Event event) {
  {
    std::lock_guard lock(queue_mutex_);
    if (closing_ || queue_.size() >= options_.queue_size) {
      dropped_.fetch_add(1);
      return false;
    }
    queue_.push_back(std::move(event));
    ++queued_total_;
  }
  queue_changed_.notify_one();
  return true;
}

void EventStore::flush() {
  std::unique_lock lock(queue_mutex_);
  const std::uint64_t target = queued_total_;
  queue_changed_.notify_one();
  queue_drained_.wait(lock, [&] { return done_total_ >= target || writer_stopped_; });
}

void EventStore::close() {
  {
    std::lock_guard lock(queue_mutex_);
    closing_ = true;
  }
  queue_changed_.notify_all();
  if (writer_thread_.joinable()) writer_thread_.join();
  queue_drained_.notify_all();
}

void EventStore::writer_loop() {
  using Clock = std::chrono::steady_clock;
  Clock::time_point next_retention = Clock::now() + options_.retention_interval;
  std::vector<Event> batch;
  for (;;) {
    {
      std::unique_lock lock(queue_mutex_);
      queue_changed_.wait_until(lock, next_retention, [&] { return closing_ || !queue_.empty(); });
      if (queue_.empty() && closing_) {
        writer_stopped_ = true;
        queue_drained_.notify_all();
        return;
      }
      while (!queue_.empty() && batch.size() < options_.batch_size) {
        batch.push_back(std::move(queue_.front()));
        queue_.pop_front();
      }
    }
    if (!batch.empty()) {
      const std::size_t count = batch.size();
      if (const Result<void> written = write_batch(batch); written) {
        written_.fetch_add(count);
      } else {
        write_failures_.fetch_add(count);
        if (options_.on_write_error) options_.on_write_error(written.error().message, count);
      }
      batch.clear();
      {
        std::lock_guard lock(queue_mutex_);
        done_total_ += count;
      }
      queue_drained_.notify_all();
    }
    if (options_.retention_days > 0 && Clock::now() >= next_retention) {
      apply_retention(*writer_);
      next_retention = Clock::now() + options_.retention_interval;
    }
  }
}

Result<void> EventStore::write_batch(std::vector<Event>& batch) {
  Connection& w = *writer_;
  const FileLabel file{"event store", options_.path};
  const auto step = [&](sqlite3_stmt* s) -> Result<void> {
    const int rc = sqlite3_step(s);
    if (rc == SQLITE_DONE || rc == SQLITE_ROW) return {};
    return fail(sqlite::file_error(file, rc, sqlite::sqlite_message(w.db(), rc)));
  };
  {
    Binding reset(w.begin.handle);
    if (auto r = step(w.begin.handle); !r) return r;
  }
  const auto rollback = [&](Error e) -> Result<void> {
    Binding reset(w.rollback.handle);
    sqlite3_step(w.rollback.handle);
    return fail(std::move(e));
  };
  for (const Event& e : batch) {
    std::int64_t seq = 0;
    {
      Binding b(w.insert_event.handle);
      b.text(1, e.id);
      b.integer(2, e.received_at);
      b.text(3, e.queue_id);
      b.text(4, e.client_ip);
      b.text(5, e.helo);
      b.text(6, e.mail_from);
      b.text(7, e.header_from);
      b.text(8, e.subject);
      b.text(9, e.message_id);
      b.integer(10, static_cast<std::int64_t>(e.size));
      b.text(11, e.action);
      b.real(12, e.score);
      b.integer(13, e.complete ? 1 : 0);
      b.integer(14, static_cast<std::int64_t>(e.engine_generation));
      b.text(15, e.listener);
      b.text(16, e.objects_json.empty() ? std::string_view("[]") : std::string_view(e.objects_json));
      if (e.export_record.empty()) {
        b.null(17);
      } else {
        b.text(17, e.export_record);
      }
      if (auto r = step(w.insert_event.handle); !r) return rollback(r.error());
      // An id already stored (a listener recording a message twice) keeps its first row.
      if (sqlite3_changes(w.db()) == 0) continue;
      seq = sqlite3_last_insert_rowid(w.db());
    }
    for (const std::string& recipient : e.recipients) {
      Binding b(w.insert_recipient.handle);
      b.text(1, recipient);
      b.integer(2, e.received_at);
      b.integer(3, seq);
      if (auto r = step(w.insert_recipient.handle); !r) return rollback(r.error());
    }
    for (const EventFinding& f : e.findings) {
      Binding b(w.insert_finding.handle);
      b.integer(1, seq);
      b.text(2, f.id);
      b.text(3, f.group);
      b.real(4, f.score);
      b.text(5, f.object_path);
      b.integer(6, e.received_at);
      if (auto r = step(w.insert_finding.handle); !r) return rollback(r.error());
    }
  }
  Binding reset(w.commit.handle);
  if (auto r = step(w.commit.handle); !r) return rollback(r.error());
  return {};
}

Result<std::uint64_t> EventStore::delete_batch(Connection& c, std::int64_t cutoff) {
  Binding b(c.delete_batch.handle);
  b.integer(1, cutoff);
  b.integer(2, static_cast<std::int64_t>(options_.retention_batch));
  const int rc = sqlite3_step(c.delete_batch.handle);
  if (rc != SQLITE_DONE) {
    return fail(sqlite::file_error(FileLabel{"event store", options_.path}, rc, sqlite::sqlite_message(c.db(), rc)));
  }
  return static_cast<std::uint64_t>(sqlite3_changes(c.db()));
}

void EventStore::apply_retention(Connection& c) {
  const std::int64_t cutoff = now_seconds() - std::int64_t{86400} * options_.retention_days;
  for (;;) {
    // Each batch is its own (autocommit) transaction: other writers get the lock in between.
    const Result<std::uint64_t> deleted = delete_batch(c, cutoff);
    if (!deleted) {  // the next pass tries again
      if (options_.on_write_error) options_.on_write_error("retention: " + deleted.error().message, 0);
      return;
    }
    retention_deleted_.fetch_add(*deleted);
    if (*deleted < options_.retention_batch) return;
  }
}

Result<std::uint64_t> EventStore::delete_events_before(std::int64_t cutoff) {
  std::lock_guard lock(direct_mutex_);
  std::uint64_t total = 0;
  for (;;) {
    const Result<std::uint64_t> deleted = delete_batch(*direct_, cutoff);
    if (!deleted) return deleted;
    total += *deleted;
    if (*deleted < options_.retention_batch) break;
  }
  retention_deleted_.fetch_add(total);
  return total;
}

Result<void> EventStore::insert_held(const HeldMessage& m) {
  std::lock_guard lock(direct_mutex_);
  const FileLabel file{"event store", options_.path};
  sqlite3* db = direct_->db();
  if (auto r = sqlite::exec(db, "BEGIN IMMEDIATE", file); !r) return r;
  const auto rollback = [&](Error e) -> Result<void> {
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    return fail(std::move(e));
  };
  const auto run = [&](Statement& s) -> Result<void> {
    const int rc = sqlite3_step(s.handle);
    if (rc == SQLITE_DONE) return {};
    return fail(sqlite::file_error(file, rc, sqlite::sqlite_message(db, rc)));
  };
  {
    Statement s;
    const std::string sql = std::string("INSERT INTO quarantine(") + kHeldColumns +
                            ") VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)";
    if (auto r = sqlite::prepare(db, sql.c_str(), s, file); !r) return rollback(r.error());
    Binding b(s.handle);
    b.text(1, m.id);
    b.text(2, m.path);
    b.text(3, m.sha256);
    b.integer(4, static_cast<std::int64_t>(m.size));
    b.text(5, m.mail_from);
    b.text(6, json_text(m.recipients));
    b.integer(7, m.stored_at);
    b.text(8, json_text(m.reason));
    b.text(9, m.findings_json.empty() ? std::string("[]") : m.findings_json);
    b.text(10, m.action);
    b.real(11, m.score);
    b.text(12, held_state_name(m.state));
    b.integer(13, m.changed_at);
    b.text(14, m.changed_by);
    b.text(15, m.last_error);
    if (auto r = run(s); !r) return rollback(r.error());
  }
  for (const std::string& recipient : m.recipients) {
    Statement s;
    if (auto r = sqlite::prepare(db, "INSERT OR IGNORE INTO quarantine_recipients(recipient, id) VALUES(?1, ?2)", s, file);
        !r) {
      return rollback(r.error());
    }
    Binding b(s.handle);
    b.text(1, recipient);
    b.text(2, m.id);
    if (auto r = run(s); !r) return rollback(r.error());
  }
  if (auto r = sqlite::exec(db, "COMMIT", file); !r) return rollback(r.error());
  return {};
}

Result<std::optional<HeldMessage>> EventStore::held(const std::string& id) const {
  std::lock_guard lock(direct_mutex_);
  const FileLabel file{"event store", options_.path};
  Statement s;
  const std::string sql = std::string("SELECT ") + kHeldColumns + " FROM quarantine WHERE id = ?1";
  if (auto r = sqlite::prepare(direct_->db(), sql.c_str(), s, file); !r) return fail(r.error());
  Binding b(s.handle);
  b.text(1, id);
  const int rc = sqlite3_step(s.handle);
  if (rc == SQLITE_ROW) return std::optional<HeldMessage>(held_from_row(s.handle));
  if (rc == SQLITE_DONE) return std::optional<HeldMessage>();
  return fail(sqlite::file_error(file, rc, sqlite::sqlite_message(direct_->db(), rc)));
}

namespace {

Result<std::vector<HeldMessage>> select_held(sqlite3* db, const std::string& sql, const FileLabel& file,
                                             const std::function<void(Binding&)>& bind) {
  Statement s;
  if (auto r = sqlite::prepare(db, sql.c_str(), s, file); !r) return fail(r.error());
  Binding b(s.handle);
  bind(b);
  std::vector<HeldMessage> out;
  for (;;) {
    const int rc = sqlite3_step(s.handle);
    if (rc == SQLITE_DONE) return out;
    if (rc != SQLITE_ROW) return fail(sqlite::file_error(file, rc, sqlite::sqlite_message(db, rc)));
    out.push_back(held_from_row(s.handle));
  }
}

}  // namespace

Result<std::vector<HeldMessage>> EventStore::list_held(const HeldFilter& filter) const {
  std::string sql = std::string("SELECT ") + kHeldColumns + " FROM quarantine WHERE 1";
  if (!filter.recipient.empty()) sql += " AND id IN (SELECT id FROM quarantine_recipients WHERE recipient = ?1)";
  if (!filter.sender.empty()) sql += " AND mail_from = ?2";
  if (filter.since != 0) sql += " AND stored_at >= ?3";
  if (filter.until != 0) sql += " AND stored_at < ?4";
  if (filter.state) sql += " AND state = ?5";
  sql += " ORDER BY stored_at DESC, id LIMIT ?6 OFFSET ?7";
  std::lock_guard lock(direct_mutex_);
  return select_held(direct_->db(), sql, FileLabel{"event store", options_.path}, [&](Binding& b) {
    b.text(1, filter.recipient);
    b.text(2, filter.sender);
    b.integer(3, filter.since);
    b.integer(4, filter.until);
    b.text(5, filter.state ? held_state_name(*filter.state) : "");
    b.integer(6, static_cast<std::int64_t>(std::min(filter.limit, kMaxListLimit)));
    b.integer(7, static_cast<std::int64_t>(std::min<std::size_t>(filter.offset, 1u << 30)));
  });
}

Result<std::vector<ExportRecord>> EventStore::export_records(std::int64_t since, std::int64_t until) const {
  const char* sql =
      "SELECT id, received_at, export_record FROM events"
      " WHERE export_record IS NOT NULL AND received_at >= ?1 AND received_at < ?2 ORDER BY received_at, seq";
  std::lock_guard lock(direct_mutex_);
  const FileLabel file{"event store", options_.path};
  Statement s;
  if (auto r = sqlite::prepare(direct_->db(), sql, s, file); !r) return fail(r.error());
  Binding b(s.handle);
  b.integer(1, since);
  b.integer(2, until != 0 ? until : std::numeric_limits<std::int64_t>::max());
  std::vector<ExportRecord> out;
  for (;;) {
    const int rc = sqlite3_step(s.handle);
    if (rc == SQLITE_DONE) return out;
    if (rc != SQLITE_ROW) return fail(sqlite::file_error(file, rc, sqlite::sqlite_message(direct_->db(), rc)));
    out.push_back({column_text(s.handle, 0), sqlite3_column_int64(s.handle, 1), column_text(s.handle, 2)});
  }
}

Result<std::vector<HeldMessage>> EventStore::held_before(std::int64_t cutoff, std::size_t limit) const {
  const std::string sql = std::string("SELECT ") + kHeldColumns +
                          " FROM quarantine WHERE state IN ('held', 'released') AND stored_at < ?1"
                          " ORDER BY stored_at LIMIT ?2";
  std::lock_guard lock(direct_mutex_);
  return select_held(direct_->db(), sql, FileLabel{"event store", options_.path}, [&](Binding& b) {
    b.integer(1, cutoff);
    b.integer(2, static_cast<std::int64_t>(limit));
  });
}

Result<void> EventStore::set_held_state(const std::string& id, HeldState state, std::int64_t when,
                                        const std::string& by) {
  std::lock_guard lock(direct_mutex_);
  const FileLabel file{"event store", options_.path};
  Statement s;
  // Released messages may still be deleted (their file goes); nothing leaves `deleted`.
  const char* sql =
      "UPDATE quarantine SET state = ?2, changed_at = ?3, changed_by = ?4, last_error = ''"
      " WHERE id = ?1 AND (state = 'held' OR (state = 'released' AND ?2 = 'deleted'))";
  if (auto r = sqlite::prepare(direct_->db(), sql, s, file); !r) return r;
  Binding b(s.handle);
  b.text(1, id);
  b.text(2, held_state_name(state));
  b.integer(3, when);
  b.text(4, by);
  const int rc = sqlite3_step(s.handle);
  if (rc != SQLITE_DONE) return fail(sqlite::file_error(file, rc, sqlite::sqlite_message(direct_->db(), rc)));
  if (sqlite3_changes(direct_->db()) == 0) {
    return fail(Error::invalid_argument("quarantined message " + id + " is not held (any more)"));
  }
  return {};
}

Result<void> EventStore::set_release_error(const std::string& id, const std::string& error) {
  std::lock_guard lock(direct_mutex_);
  const FileLabel file{"event store", options_.path};
  Statement s;
  if (auto r = sqlite::prepare(direct_->db(), "UPDATE quarantine SET last_error = ?2 WHERE id = ?1", s, file); !r) {
    return r;
  }
  Binding b(s.handle);
  b.text(1, id);
  b.text(2, error);
  const int rc = sqlite3_step(s.handle);
  if (rc != SQLITE_DONE) return fail(sqlite::file_error(file, rc, sqlite::sqlite_message(direct_->db(), rc)));
  return {};
}

Result<void> EventStore::erase_held(const std::string& id) {
  std::lock_guard lock(direct_mutex_);
  const FileLabel file{"event store", options_.path};
  Statement s;
  if (auto r = sqlite::prepare(direct_->db(), "DELETE FROM quarantine WHERE id = ?1", s, file); !r) return r;
  Binding b(s.handle);
  b.text(1, id);
  const int rc = sqlite3_step(s.handle);
  if (rc != SQLITE_DONE) return fail(sqlite::file_error(file, rc, sqlite::sqlite_message(direct_->db(), rc)));
  return {};
}

Result<std::uint64_t> EventStore::count_held() const {
  std::lock_guard lock(direct_mutex_);
  const Result<std::int64_t> n = sqlite::single_integer(
      direct_->db(), "SELECT count(*) FROM quarantine WHERE state = 'held'", FileLabel{"event store", options_.path});
  if (!n) return fail(n.error());
  return static_cast<std::uint64_t>(*n);
}

EventStore::Stats EventStore::stats() const {
  Stats s;
  s.written = written_.load();
  s.dropped = dropped_.load();
  s.write_failures = write_failures_.load();
  s.retention_deleted = retention_deleted_.load();
  for (const std::string& file : {options_.path, options_.path + "-wal"}) {
    std::error_code ec;
    const std::uintmax_t size = std::filesystem::file_size(file, ec);
    if (!ec) s.file_bytes += size;
  }
  return s;
}

}  // namespace vigie::store
