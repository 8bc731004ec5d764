// The reader → workers → ordered delivery pipeline of batch_scanner.h.
//
// Everything the threads share sits in one Shared struct under one mutex: the window (every
// message and input end read but not yet delivered, in reading order), the queue of messages
// waiting for a worker, and the flags that end the run. Scanning and rendering, the costly parts,
// run outside the lock; so do the caller's callbacks.
#include "service/batch/batch_scanner.h"

#include <algorithm>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <thread>
#include <utility>

namespace vigie::service {
namespace {

// One entry of the window: a message (ready once scanned and rendered) or the end of an input.
struct Pending {
  enum class Kind { kMessage, kInputEnd };
  Kind kind = Kind::kMessage;
  std::size_t input = 0;
  std::uint64_t bytes = 0;   // the message's size, for the window and the progress
  bool ready = false;
  ScannedMessage message;    // kMessage, once ready
  std::optional<Error> error;  // kInputEnd: why the input could not be read to its end
};

struct Job {
  std::uint64_t sequence = 0;  // position in reading order
  std::size_t input = 0;
  InputMessage message;
};

struct Shared {
  std::mutex mutex;
  std::condition_variable job_queued;     // workers wait here
  std::condition_variable result_ready;   // the delivering thread waits here
  std::condition_variable room_made;      // the reader waits here
  std::deque<Pending> window;             // window.front() has sequence `delivered`
  std::uint64_t delivered = 0;
  std::uint64_t window_bytes = 0;
  std::size_t ready_messages = 0;         // scanned messages in the window, not yet delivered
  std::deque<Job> jobs;
  bool reading_done = false;
  bool stopping = false;  // a callback threw: every thread ends as soon as it can
};

// Joins the threads however run() ends; on an early end (a callback threw) it first tells them
// to stop, so that no thread waits forever for room or for work.
class ThreadGroup {
 public:
  explicit ThreadGroup(Shared& shared) : shared_(shared) {}
  ThreadGroup(const ThreadGroup&) = delete;
  ThreadGroup& operator=(const ThreadGroup&) = delete;
  ~ThreadGroup() {
    {
      std::lock_guard lock(shared_.mutex);
      shared_.stopping = true;
    }
    shared_.job_queued.notify_all();
    shared_.room_made.notify_all();
    for (std::thread& thread : threads_) thread.join();
  }
  template <typename F>
  void start(F&& body) {
    threads_.emplace_back(std::forward<F>(body));
  }

 private:
  Shared& shared_;
  std::vector<std::thread> threads_;
};

std::optional<std::uint64_t> total_size(const std::vector<InputFile>& inputs) {
  std::uint64_t total = 0;
  for (const InputFile& input : inputs) {
    if (!input.size) return std::nullopt;
    total += *input.size;
  }
  return total;
}

}  // namespace

double BatchProgress::messages_per_second() const {
  const double seconds = std::chrono::duration<double>(elapsed).count();
  return seconds > 0 ? static_cast<double>(messages) / seconds : 0;
}

std::optional<std::chrono::seconds> BatchProgress::time_left() const {
  if (!bytes_total || bytes_done == 0) return std::nullopt;
  const std::uint64_t remaining = *bytes_total > bytes_done ? *bytes_total - bytes_done : 0;
  const double seconds = std::chrono::duration<double>(elapsed).count() *
                         static_cast<double>(remaining) / static_cast<double>(bytes_done);
  return std::chrono::seconds(static_cast<std::int64_t>(seconds + 0.5));
}

BatchScanner::BatchScanner(const Engine& engine, Envelope envelope, BatchOptions options)
    : engine_(engine), envelope_(std::move(envelope)), options_(options) {}

BatchProgress BatchScanner::run(const std::vector<InputFile>& inputs, const RenderScan& render,
                                const BatchCallbacks& callbacks) const {
  return run(inputs, RenderScanOf([&render](const ScanResult& result, const InputMessage& origin) {
               return render(result, origin.label);
             }),
             callbacks);
}

BatchProgress BatchScanner::run(const std::vector<InputFile>& inputs, const RenderScanOf& render,
                                const BatchCallbacks& callbacks) const {
  const auto start = std::chrono::steady_clock::now();
  BatchProgress progress;
  progress.inputs = inputs.size();
  progress.bytes_total = total_size(inputs);

  Shared shared;
  const std::size_t max_pending = std::max<std::size_t>(1, options_.max_pending_messages);
  // True when an entry of `bytes` may join the window now. Called with the lock held.
  const auto has_room = [&](std::uint64_t bytes) {
    return shared.window.empty() ||
           (shared.window.size() < max_pending && shared.window_bytes + bytes <= options_.max_pending_bytes);
  };
  const std::size_t delivery_batch = std::clamp<std::size_t>(max_pending / 8, 1, 16);
  const auto is_half_empty = [&] {
    return shared.window.size() <= max_pending / 2 && shared.window_bytes <= options_.max_pending_bytes / 2;
  };
  // Waits for room, then appends to the window; false when the run is stopping. Once the window
  // is full the reader sleeps until it is half empty (the delivery only wakes it then).
  const auto enter_window = [&](std::unique_lock<std::mutex>& lock, std::uint64_t bytes) {
    if (!has_room(bytes))
      shared.room_made.wait(lock, [&] { return shared.stopping || shared.window.empty() || is_half_empty(); });
    shared.room_made.wait(lock, [&] { return shared.stopping || has_room(bytes); });
    if (shared.stopping) return false;
    shared.window_bytes += bytes;
    return true;
  };

  ThreadGroup threads(shared);
  threads.start([&] {  // the reader
    for (std::size_t index = 0; index < inputs.size(); ++index) {
      const Result<std::size_t> read = read_messages(
          inputs[index], options_.max_message_bytes, [&](InputMessage&& message) {
            const std::uint64_t bytes = message.bytes->size();
            std::unique_lock lock(shared.mutex);
            if (!enter_window(lock, bytes)) return;
            const std::uint64_t sequence = shared.delivered + shared.window.size();
            shared.window.push_back(Pending{Pending::Kind::kMessage, index, bytes, false, {}, std::nullopt});
            shared.jobs.push_back(Job{sequence, index, std::move(message)});
            shared.job_queued.notify_one();
          });
      std::unique_lock lock(shared.mutex);
      if (!enter_window(lock, 0)) return;
      Pending end{Pending::Kind::kInputEnd, index, 0, true, {}, std::nullopt};
      if (!read) end.error = read.error();
      shared.window.push_back(std::move(end));
      // Behind undelivered messages it is delivered with them; alone, it may be awaited.
      if (shared.window.size() == 1) shared.result_ready.notify_one();
    }
    std::lock_guard lock(shared.mutex);
    shared.reading_done = true;
    shared.job_queued.notify_all();
    shared.result_ready.notify_one();
  });

  unsigned workers = options_.threads ? options_.threads : std::thread::hardware_concurrency();
  workers = std::max(1u, workers);
  for (unsigned i = 0; i < workers; ++i) {
    threads.start([&] {
      while (true) {
        Job job;
        {
          std::unique_lock lock(shared.mutex);
          shared.job_queued.wait(lock, [&] { return shared.stopping || !shared.jobs.empty() || shared.reading_done; });
          if (shared.stopping || shared.jobs.empty()) return;
          job = std::move(shared.jobs.front());
          shared.jobs.pop_front();
        }
        // The one call into the engine for the whole batch: the scan, then what follows a verdict
        // (the sender history).
        Envelope envelope = envelope_;
        if (options_.envelope_of) options_.envelope_of(job.message, envelope);
        const ScanResult result = engine_.scan(job.message.bytes, envelope);
        if (options_.record_history) engine_.after_scan(result, envelope);
        ScannedMessage scanned{job.input, {}, result.verdict.action, render(result, job.message)};
        scanned.label = std::move(job.message.label);
        std::lock_guard lock(shared.mutex);
        Pending& slot = shared.window[job.sequence - shared.delivered];
        slot.message = std::move(scanned);
        slot.ready = true;
        ++shared.ready_messages;
        // The delivering thread is woken for a batch of results, not for each: one wake-up per
        // message cost more than the delivery itself. It is woken at once when no job is waiting
        // (the end of the input, or a slow one: stdin), and the batch is small beside the
        // window, so the reader never waits on it long.
        if (shared.window.front().ready && (shared.ready_messages >= delivery_batch || shared.jobs.empty())) {
          shared.result_ready.notify_one();
        }
      }
    });
  }

  // Delivery, on the calling thread, in reading order.
  std::uint64_t bytes_of_current_input = 0;  // delivered from the input being delivered
  // The first progress before anything can be delivered: the run has started.
  if (callbacks.on_progress) callbacks.on_progress(progress);
  auto next_progress = start + options_.progress_interval;
  while (true) {
    std::optional<Pending> next;
    {
      std::unique_lock lock(shared.mutex);
      const auto front_ready = [&] { return !shared.window.empty() && shared.window.front().ready; };
      const auto finished = [&] { return shared.reading_done && shared.window.empty(); };
      shared.result_ready.wait_until(lock, next_progress, [&] { return front_ready() || finished(); });
      if (front_ready()) {
        next = std::move(shared.window.front());
        shared.window.pop_front();
        if (next->kind == Pending::Kind::kMessage) --shared.ready_messages;
        ++shared.delivered;
        shared.window_bytes -= next->bytes;
        // The reader waits for the window to drain to half before it reads again, so that it
        // refills the window in one go instead of waking for every message delivered.
        if (is_half_empty()) shared.room_made.notify_one();
      } else if (finished()) {
        break;
      }
    }
    const auto now = std::chrono::steady_clock::now();
    progress.elapsed = now - start;
    if (next && next->kind == Pending::Kind::kMessage) {
      ++progress.messages;
      ++progress.per_action[static_cast<std::size_t>(next->message.action)];
      progress.bytes_done += next->bytes;
      bytes_of_current_input += next->bytes;
      callbacks.on_message(std::move(next->message), progress);
    } else if (next) {
      // The input's own size counts, not its messages' (mbox separators, cut messages).
      const std::optional<std::uint64_t> size = inputs[next->input].size;
      if (size && *size > bytes_of_current_input) progress.bytes_done += *size - bytes_of_current_input;
      bytes_of_current_input = 0;
      ++progress.inputs_done;
      if (next->error) {
        ++progress.failed_inputs;
        callbacks.on_failure(InputFailure{next->input, std::move(*next->error)}, progress);
      }
    }
    if (now >= next_progress) {
      if (callbacks.on_progress) callbacks.on_progress(progress);
      next_progress = now + options_.progress_interval;
    }
  }
  progress.elapsed = std::chrono::steady_clock::now() - start;
  return progress;
}

}  // namespace vigie::service
