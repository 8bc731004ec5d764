// The sender history: who has written to whom, under which display name, since when. Owns one
// SQLite database (the path in [history]) and everything about its schema, growth and locking.
// The first-contact detector reads it while scanning; the engine writes to it once a message has
// been decided (see record_scan()).
//
// Storage: one table `contacts` (recipient, sender, display_name (folded, see
// intel/identity/names.h), first_seen, last_seen, count), one row per triple, and a view
// `display_name_addresses` (display name → the addresses it came from, across recipients) for
// "same name, new address". Times are Unix seconds.
// Schema changes are numbered migrations applied at open under PRAGMA user_version; a database
// written by a newer vigie is refused rather than guessed at. The database runs in WAL mode so
// lookups never wait for the writer.
// Growth is bounded: rows not seen for retention_days are deleted, and each recipient keeps at
// most max_rows_per_recipient rows (the least recently seen go first); both run at open and again
// every maintenance_interval recorded contacts.
// Thread-safety: every method may be called from any thread. Lookups take a connection from a
// small pool (one per concurrent caller, up to max_readers, then they wait); writes share one
// writer connection under a mutex, since SQLite admits one writer at a time anyway.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "vigie/result.h"

struct sqlite3;

namespace vigie::intel::sender_history {

struct StoreOptions {
  unsigned retention_days = 400;
  std::size_t max_rows_per_recipient = 20000;
  std::size_t maintenance_interval = 10000;  // recorded contacts between two maintenance passes
  std::size_t max_readers = 8;
  std::chrono::milliseconds busy_timeout{5000};
  // Seconds since the epoch; tests inject a fake clock.
  std::function<std::int64_t()> clock;
};

// One message seen by one recipient.
struct Contact {
  std::string recipient;     // lowercase address
  std::string sender;        // lowercase address
  std::string display_name;  // intel::identity::name_key(), may be empty
};

// An address a display name has come from.
struct KnownAddress {
  std::string sender;
  std::int64_t first_seen = 0;
  std::int64_t last_seen = 0;
  std::uint64_t count = 0;
  std::uint64_t recipients = 0;  // how many recipients received mail from it under that name
};

class SenderHistory {
 public:
  static constexpr int kSchemaVersion = 2;

  // Opens (creating if needed) and migrates the database. Errors say what is wrong with which
  // file: not a SQLite database, not a vigie history, written by a newer version, unwritable.
  static Result<std::shared_ptr<SenderHistory>> open(const std::string& path, StoreOptions options = {});

  // The process-wide instance for `path`: the engine and the first-contact detector get the same
  // store (one writer, one maintenance schedule). Opened on first use, closed with its last user.
  static Result<std::shared_ptr<SenderHistory>> open_shared(const std::string& path,
                                                            StoreOptions options = {});

  ~SenderHistory();
  SenderHistory(const SenderHistory&) = delete;
  SenderHistory& operator=(const SenderHistory&) = delete;

  // Has `recipient` ever received mail from `sender` (any display name)?
  Result<bool> has_contact(std::string_view recipient, std::string_view sender) const;
  // The addresses `display_name` (folded) came from, most recently seen first, at most `limit`.
  Result<std::vector<KnownAddress>> addresses_for_name(std::string_view display_name,
                                                       std::size_t limit = 16) const;
  // Records contacts in one transaction, stamped with the clock's now.
  Result<void> record(std::span<const Contact> contacts);

  // Deletes expired rows and rows over the per-recipient cap; returns how many went.
  Result<std::size_t> run_maintenance();

  Result<std::size_t> row_count() const;
  // Failed record() calls since open: the engine does not fail a scan on them, so they are
  // counted here for whoever reports the service's health.
  std::uint64_t write_failures() const { return write_failures_.load(); }
  const std::string& path() const { return path_; }

 private:
  struct Connection;
  class ReaderLease;
  SenderHistory(std::string path, StoreOptions options);
  Result<std::unique_ptr<Connection>> connect() const;
  Result<ReaderLease> acquire_reader() const;
  Result<void> record_unchecked(std::span<const Contact> contacts);  // record() minus the count
  void release_reader(std::unique_ptr<Connection> connection) const;
  std::int64_t now() const;

  std::string path_;
  StoreOptions options_;
  std::mutex writer_mutex_;
  std::unique_ptr<Connection> writer_;
  std::size_t recorded_since_maintenance_ = 0;  // guarded by writer_mutex_
  std::atomic<std::uint64_t> write_failures_{0};

  mutable std::mutex readers_mutex_;
  mutable std::condition_variable reader_released_;
  mutable std::vector<std::unique_ptr<Connection>> idle_readers_;
  mutable std::size_t open_readers_ = 0;
};

}  // namespace vigie::intel::sender_history
