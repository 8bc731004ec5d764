// The quarantine of `vigie serve`: held messages, stored so that nothing the MTA is told to hold
// or discard is lost, and given back to an analyst (list, show, raw bytes), re-injected (release)
// or removed (delete).
//
// Storage: the raw bytes in a Maildir ([quarantine] maildir: tmp/, new/, cur/), one file per
// message named by our message id (exactly 16 lowercase hex digits, checked on every call, so no
// id can name a path outside the Maildir); the metadata in the event store's `quarantine` table
// (store/event_store.h), committed synchronously. hold() writes tmp/<id>, fsyncs it, renames it
// to new/<id> (refusing to replace a file of that name), fsyncs new/, then commits the row: when
// it returns, both survive a crash; when it fails, neither is left behind, and the caller must
// not let the message go (the milter temp-fails it). A crash in the middle leaves at most a file in
// tmp/, removed by the next open().
//
// Release re-injects the stored bytes unchanged with the original envelope (smtp_relay.h) to
// [quarantine] release_smtp, an MTA listener that does not run the milter again, then marks the
// row released; a failed release leaves it held with the reason in its row and the answer.
// Delete removes the file and marks the row deleted (the row stays: the console keeps what was
// decided, by whom, when). Retention ([quarantine] retention_days) deletes held and released
// copies older than that, the same way.
//
// Failures: an I/O failure while holding (a write, fsync, rename or commit; not a bad or repeated
// id) is sticky, as STYLE.md asks of what threatens "nothing is lost": every later hold() fails at
// once with the first error, so that the milter temp-fails quarantined mail until an operator has
// fixed the disk and restarted vigie, rather than storing some messages and losing track of which.
// failure() says so (in /metrics as vigie_quarantine_failed). Release, delete and reads go on.
//
// Thread-safety: hold() may run on any number of threads at once; release, delete and expiry
// take one mutex (a message released twice at once would be delivered twice). It does not own
// the event store, which must outlive it.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "service/quarantine/smtp_relay.h"
#include "store/event_store.h"
#include "vigie/engine.h"
#include "vigie/result.h"

namespace vigie::service {

// True for exactly 16 characters of [0-9a-f]: the only ids the quarantine accepts.
bool valid_message_id(std::string_view id);

struct QuarantineOptions {
  std::string maildir;          // created (with tmp/, new/, cur/; mode 0700) when missing
  SmtpRelay release;            // where release re-injects
  unsigned retention_days = 30; // 0: copies are kept until deleted
};

class Quarantine {
 public:
  // Creates the Maildir's folders when missing; an error when they cannot be made or written.
  static Result<std::unique_ptr<Quarantine>> open(QuarantineOptions options, store::EventStore& rows);

  // Stores `raw` under `id` with the scan's verdict and findings and the envelope, durably (see
  // above). Errors: an invalid id, an id already held, any write, fsync, rename or commit failure
  // (sticky: see above).
  Result<void> hold(const std::string& id, const std::string& raw, const ScanResult& result,
                    const Envelope& envelope);

  // Newest first, at most store::EventStore::kMaxListLimit rows.
  Result<std::vector<store::HeldMessage>> list(const store::HeldFilter& filter) const;
  // nullopt when no message was ever held under `id`.
  Result<std::optional<store::HeldMessage>> show(const std::string& id) const;
  // The stored bytes, exactly; an error when the message was deleted or its file is missing or no
  // longer matches its SHA-256.
  Result<std::string> raw(const std::string& id) const;
  // Re-injects a held message and marks it released by `by`. An error (the message stays held)
  // when it is not held, its file is unreadable or changed, or the relay refused it.
  Result<void> release(const std::string& id, const std::string& by);
  // Removes the file of a held or released message and marks it deleted by `by`.
  Result<void> remove(const std::string& id, const std::string& by);
  // Retention: deletes copies older than retention_days; how many were deleted.
  Result<std::size_t> expire();

  // The sticky hold failure, empty while holds work.
  std::string failure() const;

  struct Stats {
    std::uint64_t held_now = 0;        // rows in state held (read from the store)
    std::uint64_t holds = 0;           // hold() successes since start
    std::uint64_t hold_failures = 0;
    std::uint64_t releases = 0;
    std::uint64_t release_failures = 0;
    std::uint64_t deletes = 0;         // by an analyst or retention
  };
  Stats stats() const;

 private:
  Quarantine(QuarantineOptions options, store::EventStore& rows);
  Result<void> delete_locked(const store::HeldMessage& message, const std::string& by);
  Result<void> hold_unchecked(const std::string& id, const std::string& raw, const ScanResult& result,
                              const Envelope& envelope, bool& sticky);

  QuarantineOptions options_;
  store::EventStore& rows_;
  std::mutex admin_mutex_;  // release, delete and expiry, one at a time
  mutable std::mutex failure_mutex_;
  std::string failure_;     // the first sticky hold failure
  std::atomic<bool> failed_{false};
  std::atomic<std::uint64_t> holds_{0};
  std::atomic<std::uint64_t> hold_failures_{0};
  std::atomic<std::uint64_t> releases_{0};
  std::atomic<std::uint64_t> release_failures_{0};
  std::atomic<std::uint64_t> deletes_{0};
};

}  // namespace vigie::service
