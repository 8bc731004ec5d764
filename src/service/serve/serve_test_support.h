// What the tests of `vigie serve`'s listeners share: an engine holder on the example ministry
// profile (the goldens'), and an event log written to a temporary file the test reads back.
#pragma once

#include <cstdio>
#include <memory>
#include <string>

#include "service/engine_holder/engine_holder.h"
#include "service/serve/event_log.h"
#include "vigie/config.h"

namespace vigie::service::test {

inline Result<std::unique_ptr<EngineHolder>> example_engines() {
  return EngineHolder::start([]() -> Result<std::shared_ptr<const Engine>> {
    Result<Config> config = load_config(std::string(VIGIE_SOURCE_DIR) + "/config/ministere.example.toml");
    if (!config) return fail(config.error());
    return std::shared_ptr<const Engine>(std::make_shared<const Engine>(std::move(*config)));
  });
}

class CapturedLog {
 public:
  CapturedLog() : file_(std::tmpfile()), log_(file_) {}
  ~CapturedLog() { std::fclose(file_); }
  CapturedLog(const CapturedLog&) = delete;
  CapturedLog& operator=(const CapturedLog&) = delete;
  EventLog& log() { return log_; }
  // Every line written so far.
  std::string text() {
    std::fflush(file_);
    std::rewind(file_);
    std::string text;
    char buffer[4096];
    std::size_t n = 0;
    while ((n = std::fread(buffer, 1, sizeof buffer, file_)) > 0) text.append(buffer, n);
    return text;
  }

 private:
  std::FILE* file_;
  EventLog log_;
};

}  // namespace vigie::service::test
