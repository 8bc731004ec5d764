// The running engine of `vigie serve` and its reload. Each request takes the engine current when
// it starts (a shared_ptr it keeps to the end), so a reload builds the next engine beside the old
// one and swaps the pointer: scans in flight finish on the engine they started with, and the old
// engine is freed when the last of them lets go. A build that fails (invalid configuration, a
// list or YARA rule that does not load) leaves the current engine in place and says why.
#pragma once

#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>

#include "vigie/engine.h"
#include "vigie/result.h"

namespace vigie::service {

// Builds an engine, or says why it cannot. Called once at start and once per reload, never twice
// at once.
using EngineBuilder = std::function<Result<std::shared_ptr<const Engine>>()>;

// The builder of the service: the configuration file read again (load_config), then the engine
// built on it with `services` (the resolver is the process's; the store is each engine's own,
// opened from [history] path as `vigie scan` does).
EngineBuilder engine_from_file(std::string config_path, Services services);

struct ReloadOutcome {
  bool ok = false;
  std::uint64_t generation = 0;  // of the engine serving after the attempt
  std::string error;             // why the new engine was not built
};

class EngineHolder {
 public:
  // Builds the first engine; a failure is returned, since the service cannot start without one.
  static Result<std::unique_ptr<EngineHolder>> start(EngineBuilder build);

  // The engine to scan one message with; keep it until the message is answered.
  std::shared_ptr<const Engine> current() const { return hold().engine; }
  // The same with its generation, read together (a reload between two reads would mismatch them).
  struct Held {
    std::shared_ptr<const Engine> engine;
    std::uint64_t generation = 0;
  };
  Held hold() const;
  // Builds a new engine and swaps it in; on failure keeps the current one. Reloads asked for at
  // once (SIGHUP and POST /reload) run one after the other.
  ReloadOutcome reload();

  std::uint64_t generation() const { return generation_.load(); }  // 1 for the first engine
  std::uint64_t reloads() const { return reloads_.load(); }        // successful reloads
  std::uint64_t reload_failures() const { return reload_failures_.load(); }

 private:
  EngineHolder(EngineBuilder build, std::shared_ptr<const Engine> first);

  EngineBuilder build_;
  std::mutex reload_mutex_;          // one build at a time
  mutable std::mutex current_mutex_;  // guards current_ and current_generation_
  std::shared_ptr<const Engine> current_;
  std::uint64_t current_generation_ = 1;
  std::atomic<std::uint64_t> generation_{1};
  std::atomic<std::uint64_t> reloads_{0};
  std::atomic<std::uint64_t> reload_failures_{0};
};

}  // namespace vigie::service
