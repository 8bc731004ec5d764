// EventStore: one SQLite file ([events] path) holding a row per message `vigie serve` scanned
// (metadata, verdict, findings, an objects summary; never bodies) and the quarantine's rows (the
// bodies themselves are files in the quarantine Maildir, src/service/quarantine). It is what the
// analyst console and the awareness reports of a later issue read, so its schema is shaped for
// their questions: messages to a recipient, from an envelope or header sender, with a finding,
// in a date range. Each is served by an index (the schema in event_store.cpp says which serves
// which; event_store_test.cpp checks with EXPLAIN QUERY PLAN). `events.quarantined` is a view
// column, not a stored one: a message's event is recorded when its scan ends, before the
// listener decides to hold it, so the quarantine table is the one truth.
//
// Writes of events never slow a scan: record() copies the event into a bounded queue and returns;
// one writer thread drains it, one transaction per batch. When the queue is full the event is
// dropped, counted (Stats::dropped, vigie_events_dropped_total) and logged by the caller (the first
// drop, then every thousandth): a scan never waits for the disk, because the mail flow matters more
// than its record. Everything accepted is written before close() returns (or counted in
// write_failures when its transaction failed). Quarantine rows are the opposite: insert_held()
// commits synchronously (synchronous = FULL on its
// own connection), because the MTA is told to hold or discard a message only once its stored copy
// is durable.
//
// Files: PRAGMA application_id "vige", PRAGMA user_version numbered migrations (sqlite_support.h);
// WAL; a newer or foreign file is refused at open. Retention: events older than retention_days
// are deleted at open and every retention_interval by the writer thread, in batches of
// retention_batch rows, one short transaction each, so that no writer waits long.
//
// Thread-safety: every method may be called from any thread. record() takes the queue's mutex
// only; reads and quarantine writes share one connection under a mutex (they are rare: the admin
// API and held messages); WAL lets them read while the writer thread writes.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <span>
#include <string>
#include <thread>
#include <vector>

#include "vigie/result.h"

namespace vigie::store {

struct EventFinding {
  std::string id;           // catalog id (DKIM_FAIL...)
  std::string group;        // its group, empty for an ungrouped finding
  double score = 0;         // its contribution to the verdict
  std::string object_path;  // where it was seen: "part 2 (invoice.zip) > invoice.pdf.lnk"
};

// One scanned message, as the store keeps it.
struct Event {
  std::string id;                 // our message id, 16 lowercase hex digits
  std::int64_t received_at = 0;   // unix seconds
  std::string queue_id;
  std::string client_ip;
  std::string helo;
  std::string mail_from;          // envelope sender, "" for the null sender
  std::vector<std::string> recipients;
  std::string header_from;        // the From: header's first address
  std::string subject;
  std::string message_id;         // Message-ID: header
  std::uint64_t size = 0;
  std::string action;             // "accept", "tag", "warn", "quarantine", "reject"
  double score = 0;
  bool complete = true;
  std::uint64_t engine_generation = 0;
  std::string listener;           // "http", "milter"
  std::vector<EventFinding> findings;
  std::string objects_json;       // the objects summary, a JSON array
  // The detection record the exports read (intel/export/detection.h), for an event worth sharing
  // (warn or stronger, or a partner's indicator matched); empty for the others.
  std::string export_record;
};

// An event's detection record, as `vigie intel export` reads them.
struct ExportRecord {
  std::string id;
  std::int64_t received_at = 0;
  std::string record;
};

// A quarantined message's row (the file is the Maildir's).
enum class HeldState { kHeld, kReleased, kDeleted };
std::string_view held_state_name(HeldState state);  // "held", "released", "deleted"

struct HeldMessage {
  std::string id;
  std::string path;               // the Maildir file
  std::string sha256;             // of the stored bytes, hex
  std::uint64_t size = 0;
  std::string mail_from;
  std::vector<std::string> recipients;
  std::int64_t stored_at = 0;     // unix seconds
  std::vector<std::string> reason;  // the deciding finding ids, highest contribution first
  std::string findings_json;      // every finding (id, group, score, object path), a JSON array
  std::string action;
  double score = 0;
  HeldState state = HeldState::kHeld;
  std::int64_t changed_at = 0;    // when released or deleted, 0 while held
  std::string changed_by;         // who released or deleted it
  std::string last_error;         // why the last release failed, "" when none did
};

struct HeldFilter {
  std::string recipient;          // "" for any
  std::string sender;             // envelope sender, "" for any
  std::int64_t since = 0;         // stored_at >= since (0: no bound)
  std::int64_t until = 0;         // stored_at < until (0: no bound)
  std::optional<HeldState> state;
  std::size_t limit = 100;        // capped at kMaxListLimit
  std::size_t offset = 0;
};

struct EventStoreOptions {
  std::string path;
  unsigned retention_days = 90;   // 0: events are kept forever
  std::size_t queue_size = 10000; // events waiting for the writer; beyond, dropped and counted
  std::size_t batch_size = 500;   // events written in one transaction at most
  std::size_t retention_batch = 1000;  // rows deleted in one transaction at most
  std::chrono::seconds retention_interval{3600};
  std::chrono::milliseconds busy_timeout{5000};
  // Told why a batch of events could not be written (they are lost and counted) or a retention
  // pass failed; called on the writer thread. Null: counted only.
  std::function<void(const std::string& error, std::size_t events_lost)> on_write_error;
};

class EventStore {
 public:
  static constexpr std::size_t kMaxListLimit = 1000;

  // The migration steps, step n (1-based) bringing a file from user_version n-1 to n. Exposed so
  // that a test can write a file as an older vigie did.
  static std::span<const char* const> migrations();

  // Opens (creating it), migrates, applies retention once, and starts the writer thread. Errors
  // name the file: not SQLite, not an event store, written by a newer vigie, not writable.
  static Result<std::unique_ptr<EventStore>> open(EventStoreOptions options);
  ~EventStore();  // close()
  EventStore(const EventStore&) = delete;
  EventStore& operator=(const EventStore&) = delete;

  // Queues the event for the writer and returns at once. False when the queue was full or the
  // store is closed: the event is dropped and counted.
  bool record(Event event);
  // Waits until every event queued before the call is written (or failed). For tests and stop.
  void flush();
  // Stops accepting events, writes every queued one, stops the writer thread. Idempotent.
  void close();

  // Deletes events received before `cutoff` (unix seconds) in bounded batches; the count deleted.
  Result<std::uint64_t> delete_events_before(std::int64_t cutoff);

  // The quarantine's rows, committed synchronously (durable when it returns).
  Result<void> insert_held(const HeldMessage& message);
  Result<std::optional<HeldMessage>> held(const std::string& id) const;
  Result<std::vector<HeldMessage>> list_held(const HeldFilter& filter) const;
  // State changes: only from kHeld; an error when the row is not held (any more).
  Result<void> set_held_state(const std::string& id, HeldState state, std::int64_t when, const std::string& by);
  Result<void> set_release_error(const std::string& id, const std::string& error);
  // The detection records of the events received in [since, until) (until 0: no bound), oldest
  // first.
  Result<std::vector<ExportRecord>> export_records(std::int64_t since, std::int64_t until) const;
  // Rows whose message is still stored (held or released) and older than `cutoff`.
  Result<std::vector<HeldMessage>> held_before(std::int64_t cutoff, std::size_t limit) const;
  Result<std::uint64_t> count_held() const;
  // Removes a row whose file could not be kept (hold() undoing itself).
  Result<void> erase_held(const std::string& id);

  struct Stats {
    std::uint64_t written = 0;        // events committed
    std::uint64_t dropped = 0;        // events refused: queue full or store closed
    std::uint64_t write_failures = 0; // events lost to a failed transaction
    std::uint64_t retention_deleted = 0;
    std::uint64_t file_bytes = 0;     // the database file and its WAL
  };
  Stats stats() const;  // stats the file: not for every message
  std::uint64_t dropped() const { return dropped_.load(); }
  const std::string& path() const { return options_.path; }

 private:
  struct Connection;
  explicit EventStore(EventStoreOptions options);
  void writer_loop();
  Result<void> write_batch(std::vector<Event>& batch);
  Result<std::uint64_t> delete_batch(Connection& c, std::int64_t cutoff);
  void apply_retention(Connection& c);

  EventStoreOptions options_;
  std::unique_ptr<Connection> writer_;      // the writer thread's
  std::unique_ptr<Connection> direct_;      // reads and quarantine writes, under direct_mutex_
  mutable std::mutex direct_mutex_;

  std::mutex queue_mutex_;
  std::condition_variable queue_changed_;
  std::condition_variable queue_drained_;
  std::deque<Event> queue_;
  std::uint64_t queued_total_ = 0;   // events ever accepted
  std::uint64_t done_total_ = 0;     // events written or failed
  bool closing_ = false;
  bool writer_stopped_ = false;
  std::thread writer_thread_;

  std::atomic<std::uint64_t> written_{0};
  std::atomic<std::uint64_t> dropped_{0};
  std::atomic<std::uint64_t> write_failures_{0};
  std::atomic<std::uint64_t> retention_deleted_{0};
};

}  // namespace vigie::store
