// FallbackStore: a shared store (Redis) kept in front of a local one (SQLite), so that scanning
// goes on when the shared store is unreachable. Owns the outage: when it starts, what is counted
// and logged, what is replayed when it ends. Knows nothing of what keys mean.
//
// Reads go to the primary; when it fails with an I/O error (down, timed out, refused) they go to
// the local store until the outage ends. Writes go to the local store always (it is this node's
// own copy of the history, so a read during an outage still knows the senders this node saw) and
// to the primary while it is up. Errors that are not I/O errors (an unstorable key) are returned
// as they are: they are the caller's, not an outage.
//
// An outage starts at the first failure of the primary: one JSON line on the log (stderr by
// default), {"event":"store_primary_down",...}. While it lasts the primary is tried again at most
// once per retry_interval (steady time from the Clock), so a scan never waits on a dead server
// more than once per interval. The batches written meanwhile are queued, up to max_pending
// increments: a batch that does not fit is counted as lost to the shared view (it stays in the
// local store). When a try succeeds, the queue is replayed into the primary in order, then one
// {"event":"store_primary_back",...} line says how many increments were replayed and lost.
// Replayed counters get the replay's time as last_seen (the store's clock is the only time a
// store accepts), and first_seen too when they are new to the primary.
//
// Thread-safety: every method may be called from any thread at once; one mutex guards the outage
// state and queue, another serialises replays; neither is held while a store is called, except
// the replay one during a replay.
#pragma once

#include <atomic>
#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "store/key_value_store.h"

namespace vigie::store {

struct FallbackOptions {
  std::size_t max_pending = 100000;  // increments queued for replay during one outage
  std::chrono::milliseconds retry_interval{5000};
  std::string primary_name = "primary";  // how the log names the primary ("redis 127.0.0.1:6379 db 0")
  std::shared_ptr<const Clock> clock;  // nullptr: Clock::system()
  // Where the outage lines go, one JSON object each without newline; empty: stderr.
  std::function<void(const std::string&)> log;
};

// Counters for /metrics. All monotonic except pending and primary_up.
struct FallbackStats {
  std::uint64_t primary_failures = 0;  // calls the primary failed (each one then served locally)
  std::uint64_t outages = 0;           // outages started
  std::uint64_t replayed = 0;          // increments written to the primary after an outage
  std::uint64_t lost = 0;              // increments that overflowed the queue: local only
  std::uint64_t local_failures = 0;    // local writes that failed while the primary took them
  std::uint64_t pending = 0;           // increments waiting for the primary now
  bool primary_up = true;
};

class FallbackStore final : public KeyValueStore {
 public:
  // Throws std::invalid_argument when a store is missing or max_pending is 0 (caller's bugs).
  FallbackStore(std::shared_ptr<KeyValueStore> primary, std::shared_ptr<KeyValueStore> local,
                FallbackOptions options = {});

  Result<std::optional<Counter>> get(std::string_view key, std::string_view field) const override;
  Result<std::vector<Counter>> list(std::string_view key, std::size_t limit) const override;
  Result<std::size_t> count(std::string_view key) const override;
  Result<void> increment(std::span<const Increment> increments) override;
  // Both stores' maintenance; the count is the sum. A primary failure is counted, not returned.
  Result<std::size_t> run_maintenance() override;

  FallbackStats stats() const;

 private:
  // Whether this call should try the primary: yes while it is up, and once per retry_interval
  // during an outage (after the queue is replayed into it).
  bool try_primary() const;
  bool replay_pending() const;
  void primary_failed(const Error& error) const;
  void primary_answered() const;
  void enqueue(std::span<const Increment> increments);
  void log(const std::string& line) const;
  template <typename T, typename Read>
  Result<T> read(Read&& from) const;

  std::shared_ptr<KeyValueStore> primary_;
  std::shared_ptr<KeyValueStore> local_;
  FallbackOptions options_;

  mutable std::mutex mutex_;
  mutable bool primary_up_ = true;                         // guarded by mutex_
  mutable std::chrono::steady_clock::time_point next_try_;  // guarded by mutex_
  mutable std::deque<std::vector<Increment>> pending_;      // guarded by mutex_
  mutable std::size_t pending_increments_ = 0;              // guarded by mutex_
  mutable std::uint64_t lost_in_outage_ = 0;                // guarded by mutex_
  mutable std::uint64_t replayed_in_outage_ = 0;            // guarded by mutex_
  mutable std::mutex replay_mutex_;

  mutable std::atomic<std::uint64_t> primary_failures_{0}, outages_{0}, replayed_{0}, lost_{0}, local_failures_{0};
};

}  // namespace vigie::store
