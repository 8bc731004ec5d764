// The shared store with a local fallback (see fallback_store.h).
#include "store/fallback_store.h"

#include <iostream>
#include <nlohmann/json.hpp>
#include <stdexcept>

namespace vigie::store {
namespace {

// Batches replayed per call into the primary: bounded so that one replay call is one short
// script on the server, not one that blocks Redis for the whole queue.
constexpr std::size_t kReplayBatches = 64;

bool is_outage(const Error& error) { return error.code == ErrorCode::kIo; }

}  // namespace

FallbackStore::FallbackStore(std::shared_ptr<KeyValueStore> primary, std::shared_ptr<KeyValueStore> local,
                             FallbackOptions options)
    : primary_(std::move(primary)), local_(std::move(local)), options_(std::move(options)) {
  if (!primary_ || !local_) throw std::invalid_argument("fallback store: both stores are required");
  if (options_.max_pending == 0) throw std::invalid_argument("fallback store: max_pending must be positive");
  if (!options_.clock) options_.clock = Clock::system();
}

void FallbackStore::log(const std::string& line) const {
  if (options_.log) {
    options_.log(line);
  } else {
    std::cerr << line << '\n';
  }
}

bool FallbackStore::try_primary() const {
  {
    std::lock_guard lock(mutex_);
    if (primary_up_) return true;
    const auto now = options_.clock->steady_now();
    if (now < next_try_) return false;
    next_try_ = now + options_.retry_interval;
  }
  return replay_pending();
}

// Replays the queue in order; true when it is empty (then the caller tries its own call, which
// ends the outage when it succeeds). What failed to replay goes back to the front.
bool FallbackStore::replay_pending() const {
  std::lock_guard replaying(replay_mutex_);
  while (true) {
    std::vector<std::vector<Increment>> batches;
    {
      std::lock_guard lock(mutex_);
      while (!pending_.empty() && batches.size() < kReplayBatches) {
        batches.push_back(std::move(pending_.front()));
        pending_.pop_front();
      }
    }
    if (batches.empty()) return true;
    for (std::size_t i = 0; i < batches.size(); ++i) {
      Result<void> written = primary_->increment(batches[i]);
      if (!written && is_outage(written.error())) {
        std::lock_guard lock(mutex_);
        for (std::size_t j = batches.size(); j > i; --j) pending_.push_front(std::move(batches[j - 1]));
        primary_failed(written.error());
        return false;
      }
      // A batch the primary refuses for another reason would be refused forever: dropped, and
      // counted with the lost (it stays in the local store).
      std::lock_guard lock(mutex_);
      pending_increments_ -= batches[i].size();
      if (written) {
        replayed_ += batches[i].size();
        replayed_in_outage_ += batches[i].size();
      } else {
        lost_ += batches[i].size();
        lost_in_outage_ += batches[i].size();
      }
    }
  }
}

// mutex_ held (the log line is written under it: the log must not call the store).
void FallbackStore::primary_failed(const Error& error) const {
  ++primary_failures_;
  if (!primary_up_) return;
  primary_up_ = false;
  next_try_ = options_.clock->steady_now() + options_.retry_interval;
  lost_in_outage_ = replayed_in_outage_ = 0;
  ++outages_;
  log(nlohmann::json{{"event", "store_primary_down"},
                     {"store", options_.primary_name},
                     {"error", error.message},
                     {"retry_interval_ms", options_.retry_interval.count()},
                     {"fallback", "local store"}}
          .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

// The primary took a call: the outage, if any, ends once the queue is empty. Batches queued by
// calls that chose the local store just before are replayed here too, even when it is up.
void FallbackStore::primary_answered() const {
  {
    std::lock_guard lock(mutex_);
    if (primary_up_ && pending_.empty()) return;
  }
  if (!replay_pending()) return;
  std::lock_guard lock(mutex_);
  if (primary_up_ || !pending_.empty()) return;
  primary_up_ = true;
  log(nlohmann::json{{"event", "store_primary_back"},
                     {"store", options_.primary_name},
                     {"replayed", replayed_in_outage_},
                     {"lost", lost_in_outage_}}
          .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
}

void FallbackStore::enqueue(std::span<const Increment> increments) {
  if (increments.empty()) return;
  std::lock_guard lock(mutex_);
  if (pending_increments_ + increments.size() > options_.max_pending) {
    lost_ += increments.size();
    lost_in_outage_ += increments.size();
    return;
  }
  pending_.emplace_back(increments.begin(), increments.end());
  pending_increments_ += increments.size();
}

template <typename T, typename Read>
Result<T> FallbackStore::read(Read&& from) const {
  if (try_primary()) {
    Result<T> answer = from(*primary_);
    if (answer || !is_outage(answer.error())) {
      if (answer) primary_answered();
      return answer;
    }
    std::lock_guard lock(mutex_);
    primary_failed(answer.error());
  }
  return from(*local_);
}

Result<std::optional<Counter>> FallbackStore::get(std::string_view key, std::string_view field) const {
  return read<std::optional<Counter>>([&](const KeyValueStore& store) { return store.get(key, field); });
}

Result<std::vector<Counter>> FallbackStore::list(std::string_view key, std::size_t limit) const {
  return read<std::vector<Counter>>([&](const KeyValueStore& store) { return store.list(key, limit); });
}

Result<std::size_t> FallbackStore::count(std::string_view key) const {
  return read<std::size_t>([&](const KeyValueStore& store) { return store.count(key); });
}

Result<void> FallbackStore::increment(std::span<const Increment> increments) {
  for (const Increment& increment : increments) {
    if (auto storable = check_increment(increment); !storable) {
      return fail(Error::invalid_argument("store: " + storable.error().message));
    }
  }
  if (increments.empty()) return {};
  Result<void> local = local_->increment(increments);
  if (try_primary()) {
    Result<void> shared = primary_->increment(increments);
    if (shared || !is_outage(shared.error())) {
      if (shared) primary_answered();
      if (shared && !local) ++local_failures_;
      return shared;
    }
    std::lock_guard lock(mutex_);
    primary_failed(shared.error());
  }
  enqueue(increments);
  return local;
}

Result<std::size_t> FallbackStore::run_maintenance() {
  std::size_t removed = 0;
  if (try_primary()) {
    Result<std::size_t> shared = primary_->run_maintenance();
    if (shared) {
      removed += *shared;
      primary_answered();
    } else {
      std::lock_guard lock(mutex_);
      primary_failed(shared.error());
    }
  }
  Result<std::size_t> local = local_->run_maintenance();
  if (!local) return fail(local.error());
  return removed + *local;
}

FallbackStats FallbackStore::stats() const {
  std::lock_guard lock(mutex_);
  FallbackStats s;
  s.primary_failures = primary_failures_;
  s.outages = outages_;
  s.replayed = replayed_;
  s.lost = lost_;
  s.local_failures = local_failures_;
  s.pending = pending_increments_;
  s.primary_up = primary_up_;
  return s;
}

}  // namespace vigie::store
