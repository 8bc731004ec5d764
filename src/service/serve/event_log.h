// The structured log of `vigie serve`: one JSON object per line on stderr (or any stream), for
// journald and log shippers. Every line has `time` (UTC, ISO 8601 with milliseconds), `level`
// (info, warning, error) and `event`; the fields of each event are in docs/serve.md. Lines from
// several threads never interleave.
#pragma once

#include <nlohmann/json.hpp>

#include <cstdio>
#include <mutex>
#include <string_view>

namespace vigie::service {

class EventLog {
 public:
  explicit EventLog(std::FILE* out) : out_(out) {}
  void info(std::string_view event, nlohmann::json fields = nlohmann::json::object()) {
    write("info", event, std::move(fields));
  }
  void warning(std::string_view event, nlohmann::json fields = nlohmann::json::object()) {
    write("warning", event, std::move(fields));
  }
  void error(std::string_view event, nlohmann::json fields = nlohmann::json::object()) {
    write("error", event, std::move(fields));
  }

 private:
  void write(std::string_view level, std::string_view event, nlohmann::json fields);

  std::FILE* out_;
  std::mutex mutex_;
};

}  // namespace vigie::service
