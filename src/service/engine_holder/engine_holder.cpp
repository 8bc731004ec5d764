// The engine holder of `vigie serve`: first build, reloads, swap (see engine_holder.h).
#include "service/engine_holder/engine_holder.h"

#include <utility>

#include "vigie/config.h"

namespace vigie::service {

EngineBuilder engine_from_file(std::string config_path, Services services) {
  return [path = std::move(config_path), services = std::move(services)]()
             -> Result<std::shared_ptr<const Engine>> {
    Result<Config> config = load_config(path);
    if (!config) return fail(config.error());
    try {
      return std::shared_ptr<const Engine>(std::make_shared<const Engine>(std::move(*config), services));
    } catch (const EngineConfigError& e) {
      return fail(Error::config(e.what()));
    }
  };
}

Result<std::unique_ptr<EngineHolder>> EngineHolder::start(EngineBuilder build) {
  Result<std::shared_ptr<const Engine>> first = build();
  if (!first) return fail(first.error());
  return std::unique_ptr<EngineHolder>(new EngineHolder(std::move(build), std::move(*first)));
}

EngineHolder::EngineHolder(EngineBuilder build, std::shared_ptr<const Engine> first)
    : build_(std::move(build)), current_(std::move(first)) {}

EngineHolder::Held EngineHolder::hold() const {
  const std::lock_guard lock(current_mutex_);
  return Held{current_, current_generation_};
}

ReloadOutcome EngineHolder::reload() {
  const std::lock_guard serialised(reload_mutex_);
  // Built outside current_mutex_: scans keep taking the old engine while the new one loads.
  Result<std::shared_ptr<const Engine>> next = build_();
  if (!next) {
    reload_failures_.fetch_add(1);
    return ReloadOutcome{false, generation_.load(), next.error().message};
  }
  std::shared_ptr<const Engine> previous;
  {
    const std::lock_guard lock(current_mutex_);
    previous = std::exchange(current_, std::move(*next));
    current_generation_ = generation_.fetch_add(1) + 1;
  }
  reloads_.fetch_add(1);
  // `previous` is released here, outside the lock; scans still holding it keep it alive.
  return ReloadOutcome{true, generation_.load(), {}};
}

}  // namespace vigie::service
