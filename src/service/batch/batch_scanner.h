// Batch scanning of archives: owns the parallel scan of many inputs (files, directories already
// expanded by intake/, mbox, stdin) and hands each result back in input order. One reader thread
// splits the inputs into messages, N worker threads scan and render them, and the calling thread
// receives them in the order they were read, so the output of a run does not depend on the number
// of threads. Parallelism is per message, so one large mbox uses every thread.
//
// Memory stays bounded: the reader waits while too many messages (or too many bytes) are read but
// not yet delivered, so one slow message holds back at most that window.
//
// It does not print, parse arguments or choose an output format: the caller renders each result
// (on the worker that scanned it, so rendering runs in parallel too) and receives the rendered
// text, the verdict's action, per-input read errors and counts for progress and a summary.
//
// Thread-safety: run() keeps its state on its own stack, and calls every callback on the thread
// that called it, except `render`, which runs on the workers and must therefore be safe to call
// concurrently (a pure function of its arguments). The engine is shared by the workers
// (Engine::scan is const and thread-safe).
#pragma once

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "service/intake/message_source.h"
#include "vigie/engine.h"
#include "vigie/result.h"
#include "vigie/verdict.h"

namespace vigie::service {

inline constexpr std::size_t kActionCount = static_cast<std::size_t>(Action::kReject) + 1;

struct BatchOptions {
  unsigned threads = 0;  // scanning threads; 0: one per core
  // Messages read larger than this are cut here (plus one byte, so the parser records them as too
  // large): the engine's limits.max_message_bytes.
  std::uint64_t max_message_bytes = 64ull << 20;
  // The read-ahead window: messages (and read errors) read but not yet delivered, and their bytes.
  // One message is always let in, however large.
  std::size_t max_pending_messages = 1024;
  std::uint64_t max_pending_bytes = 256ull << 20;
  // How often on_progress is called, whether or not results arrived in between; the first call
  // comes before any delivery.
  std::chrono::milliseconds progress_interval{200};
  // Engine::after_scan after each message (the sender history learns who writes to whom). Off for
  // a retro-hunt, which must teach the history nothing.
  bool record_history = true;
  // Optional, runs on the workers: completes the batch's envelope for one message before it is
  // scanned (a retro-hunt takes the time of delivery from the message: hunt/).
  std::function<void(const InputMessage& message, Envelope& envelope)> envelope_of;
};

// One scanned message, delivered in input order.
struct ScannedMessage {
  std::size_t input = 0;  // index into the inputs given to run()
  std::string label;      // path, or path:N for the N-th message of an mbox (intake/)
  Action action = Action::kAccept;
  std::string rendered;   // what the caller's render function made of the result
};

// An input that could not be read (entirely, or after some of its messages were delivered).
struct InputFailure {
  std::size_t input = 0;
  Error error;
};

// Counts so far; the last one run() returns is the run's summary.
struct BatchProgress {
  std::size_t inputs = 0;         // inputs given
  std::size_t inputs_done = 0;    // inputs whose every message (or read error) was delivered
  std::size_t messages = 0;       // messages delivered
  std::array<std::size_t, kActionCount> per_action{};  // indexed by Action
  std::size_t failed_inputs = 0;  // InputFailure deliveries
  // Sizes of the inputs, for the time left; unknown when an input's size is (stdin).
  std::optional<std::uint64_t> bytes_total;
  std::uint64_t bytes_done = 0;   // of the inputs delivered so far, and of their messages
  std::chrono::steady_clock::duration elapsed{};

  std::size_t count(Action action) const { return per_action[static_cast<std::size_t>(action)]; }
  // Messages per second since the start; 0 before any time has passed.
  double messages_per_second() const;
  // Estimated from the bytes still to read at the rate seen so far; nullopt when the total is
  // unknown or nothing has been read yet.
  std::optional<std::chrono::seconds> time_left() const;
};

// Turns one scan result into what the caller wants delivered (a JSON line, a text block). Runs on
// the worker threads.
using RenderScan = std::function<std::string(const ScanResult& result, std::string_view label)>;
// The same, given where the message was read (label, position and offset in an mbox, size before
// a cut); its bytes are the scanned message's.
using RenderScanOf = std::function<std::string(const ScanResult& result, const InputMessage& origin)>;

struct BatchCallbacks {
  // on_message and on_failure are required.
  std::function<void(ScannedMessage&&, const BatchProgress&)> on_message;
  std::function<void(const InputFailure&, const BatchProgress&)> on_failure;
  std::function<void(const BatchProgress&)> on_progress;  // optional
};

class BatchScanner {
 public:
  // `engine` must outlive the scanner; `envelope` is the same for every message (an archive has
  // no envelope of its own: it comes from the command line).
  BatchScanner(const Engine& engine, Envelope envelope, BatchOptions options);

  // Scans every message of every input and delivers them, and the inputs' read errors, in input
  // order (messages of an mbox in file order). Returns once everything has been delivered and
  // every thread has stopped; returns the final counts. An exception thrown by a callback stops
  // the threads and is passed on.
  BatchProgress run(const std::vector<InputFile>& inputs, const RenderScan& render,
                    const BatchCallbacks& callbacks) const;
  BatchProgress run(const std::vector<InputFile>& inputs, const RenderScanOf& render,
                    const BatchCallbacks& callbacks) const;

 private:
  const Engine& engine_;
  Envelope envelope_;
  BatchOptions options_;
};

}  // namespace vigie::service
