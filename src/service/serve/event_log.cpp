// JSON lines of `vigie serve` (see event_log.h).
#include "service/serve/event_log.h"

#include <chrono>
#include <ctime>
#include <string>

namespace vigie::service {
namespace {

std::string utc_now() {
  const auto now = std::chrono::system_clock::now();
  const std::time_t seconds = std::chrono::system_clock::to_time_t(now);
  const auto millis =
      std::chrono::duration_cast<std::chrono::milliseconds>(now.time_since_epoch()).count() % 1000;
  std::tm parts{};
  gmtime_r(&seconds, &parts);
  char buffer[40];
  const std::size_t length = std::strftime(buffer, sizeof buffer, "%Y-%m-%dT%H:%M:%S", &parts);
  std::snprintf(buffer + length, sizeof buffer - length, ".%03dZ", static_cast<int>(millis));
  return buffer;
}

}  // namespace

void EventLog::write(std::string_view level, std::string_view event, nlohmann::json fields) {
  nlohmann::json line = nlohmann::json::object();
  line["time"] = utc_now();
  line["level"] = level;
  line["event"] = event;
  for (auto& [key, value] : fields.items()) line[key] = std::move(value);
  // Values copied from messages (addresses, queue ids) may be invalid UTF-8.
  const std::string text =
      line.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace) + "\n";
  const std::lock_guard lock(mutex_);
  std::fwrite(text.data(), 1, text.size(), out_);
  std::fflush(out_);
}

}  // namespace vigie::service
