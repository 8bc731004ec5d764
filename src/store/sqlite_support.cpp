// Shared SQLite handles, errors and migrations of src/store (see sqlite_support.h).
#include "store/sqlite_support.h"

namespace vigie::store::sqlite {

std::string sqlite_message(sqlite3* db, int code) {
  return db != nullptr ? sqlite3_errmsg(db) : sqlite3_errstr(code);
}

std::string column_text(sqlite3_stmt* s, int column) {
  const auto* text = reinterpret_cast<const char*>(sqlite3_column_text(s, column));
  return text != nullptr ? std::string(text, static_cast<std::size_t>(sqlite3_column_bytes(s, column)))
                         : std::string();
}

Error file_error(const FileLabel& file, int code, const std::string& text) {
  if (code == SQLITE_NOTADB) return Error::config(file() + ": not a SQLite database (" + text + ")");
  return Error::io(file() + ": " + text);
}

Result<void> exec(sqlite3* db, const char* sql, const FileLabel& file) {
  char* message = nullptr;
  const int rc = sqlite3_exec(db, sql, nullptr, nullptr, &message);
  if (rc == SQLITE_OK) return {};
  std::string text = message != nullptr ? message : sqlite3_errstr(rc);
  sqlite3_free(message);
  return fail(file_error(file, rc, text));
}

Result<std::int64_t> single_integer(sqlite3* db, const char* sql, const FileLabel& file) {
  Statement s;
  int rc = sqlite3_prepare_v2(db, sql, -1, &s.handle, nullptr);
  if (rc == SQLITE_OK) rc = sqlite3_step(s.handle);
  if (rc == SQLITE_ROW) return sqlite3_column_int64(s.handle, 0);
  return fail(file_error(file, rc, sqlite_message(db, rc)));
}

Result<void> prepare(sqlite3* db, const char* sql, Statement& out, const FileLabel& file) {
  const int rc = sqlite3_prepare_v3(db, sql, -1, SQLITE_PREPARE_PERSISTENT, &out.handle, nullptr);
  if (rc != SQLITE_OK) return fail(file_error(file, rc, sqlite_message(db, rc)));
  return {};
}

Result<std::int64_t> checked_version(sqlite3* db, const Schema& schema, const FileLabel& file) {
  const Result<std::int64_t> application = single_integer(db, "PRAGMA application_id", file);
  if (!application) return application;
  const Result<std::int64_t> objects = single_integer(db, "SELECT count(*) FROM sqlite_schema", file);
  if (!objects) return objects;
  if (*application != schema.application_id && (*application != 0 || *objects != 0)) {
    return fail(Error::config(file() + ": a SQLite database that is not a " + std::string(schema.what)));
  }
  const Result<std::int64_t> version = single_integer(db, "PRAGMA user_version", file);
  if (!version) return version;
  if (*version > schema.version()) {
    return fail(Error::config(file() + ": schema version " + std::to_string(*version) +
                              " was written by a newer vigie (this one knows up to " +
                              std::to_string(schema.version()) + ")"));
  }
  return version;
}

Result<void> migrate(sqlite3* db, const Schema& schema, const FileLabel& file) {
  if (auto r = exec(db, "BEGIN IMMEDIATE", file); !r) return r;
  const auto rollback = [&](Error e) -> Result<void> {
    sqlite3_exec(db, "ROLLBACK", nullptr, nullptr, nullptr);
    return fail(std::move(e));
  };
  const Result<std::int64_t> version = checked_version(db, schema, file);
  if (!version) return rollback(version.error());
  if (*version == schema.version()) return exec(db, "COMMIT", file);
  for (std::int64_t step = *version; step < schema.version(); ++step) {
    if (auto r = exec(db, schema.steps[static_cast<std::size_t>(step)], file); !r) return rollback(r.error());
  }
  const std::string stamp = "PRAGMA application_id = " + std::to_string(schema.application_id) +
                            "; PRAGMA user_version = " + std::to_string(schema.version());
  if (auto r = exec(db, stamp.c_str(), file); !r) return rollback(r.error());
  return exec(db, "COMMIT", file);
}

}  // namespace vigie::store::sqlite
