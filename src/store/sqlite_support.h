// What every SQLite file of vigie shares (the key-value store, the event store): RAII handles for
// libsqlite3's connections and statements, errors that name the file, and the one way a schema is
// checked and migrated. A file is marked with PRAGMA application_id (which vigie file it is) and
// numbered with PRAGMA user_version; migrations are an array of SQL steps, step n bringing the
// file from version n-1 to n, run at open inside one write transaction. A file written by a newer
// vigie, another application's SQLite file and a file that is not SQLite are refused before
// anything is written to them. Shared by the SQLite files of src/store and the indicator store
// (src/intel/indicators); not thread-safe by itself (a connection
// belongs to one thread at a time).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <string_view>

#include <sqlite3.h>

#include "vigie/result.h"

namespace vigie::store::sqlite {

struct Statement {
  sqlite3_stmt* handle = nullptr;
  Statement() = default;
  Statement(const Statement&) = delete;
  Statement& operator=(const Statement&) = delete;
  ~Statement() { sqlite3_finalize(handle); }
};

struct Database {
  sqlite3* handle = nullptr;
  Database() = default;
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  ~Database() { sqlite3_close_v2(handle); }
};

// Resets the statement and clears its parameters on every path out, so that a connection never
// keeps a read open and no value leaks into the next use.
class Binding {
 public:
  explicit Binding(sqlite3_stmt* s) : s_(s) {}
  ~Binding() {
    sqlite3_reset(s_);
    sqlite3_clear_bindings(s_);
  }
  Binding(const Binding&) = delete;
  Binding& operator=(const Binding&) = delete;
  void text(int index, std::string_view value) {
    sqlite3_bind_text(s_, index, value.data(), static_cast<int>(value.size()), SQLITE_TRANSIENT);
  }
  void integer(int index, std::int64_t value) { sqlite3_bind_int64(s_, index, value); }
  void real(int index, double value) { sqlite3_bind_double(s_, index, value); }
  void null(int index) { sqlite3_bind_null(s_, index); }

 private:
  sqlite3_stmt* s_;
};

// Which file an error is about: "store /var/lib/vigie/history.db", "event store /x/events.db".
struct FileLabel {
  std::string_view kind;  // "store", "event store"
  const std::string& path;
  std::string operator()() const { return std::string(kind) + " " + path; }
};

std::string sqlite_message(sqlite3* db, int code);
std::string column_text(sqlite3_stmt* s, int column);
// SQLITE_NOTADB is a configuration error (the path names a file that is not a database); every
// other failure is an I/O error.
Error file_error(const FileLabel& file, int code, const std::string& text);
Result<void> exec(sqlite3* db, const char* sql, const FileLabel& file);
Result<std::int64_t> single_integer(sqlite3* db, const char* sql, const FileLabel& file);
Result<void> prepare(sqlite3* db, const char* sql, Statement& out, const FileLabel& file);

struct Schema {
  std::int32_t application_id;           // marks the file as this kind of vigie file
  std::span<const char* const> steps;    // steps[n-1] brings version n-1 to n
  std::string_view what;                 // "vigie store", "vigie event store": for errors
  std::int64_t version() const { return static_cast<std::int64_t>(steps.size()); }
};

// The file's schema version once it is known to be `schema`'s kind (or empty) and not from a
// newer vigie. Only reads.
Result<std::int64_t> checked_version(sqlite3* db, const Schema& schema, const FileLabel& file);
// Brings the file to schema.version() in one BEGIN IMMEDIATE transaction, checking it again under
// the lock (another process may have migrated it, or been a newer vigie, since the first look).
Result<void> migrate(sqlite3* db, const Schema& schema, const FileLabel& file);

}  // namespace vigie::store::sqlite
