// Checks shared by every KeyValueStore implementation (see key_value_store.h), so that SQLite,
// memory and Redis refuse exactly the same keys.
#include "store/key_value_store.h"

namespace vigie::store {
namespace {

bool storable(std::string_view text, std::size_t max_bytes) {
  return !text.empty() && text.size() <= max_bytes && text.find('\0') == std::string_view::npos;
}

}  // namespace

std::int64_t unix_seconds(const Clock& clock) {
  return std::chrono::duration_cast<std::chrono::seconds>(clock.now().time_since_epoch()).count();
}

Result<void> check_retention(const Retention& retention) {
  if (retention.max_age.count() <= 0) return fail(Error::invalid_argument("the age limit must be positive"));
  if (retention.max_fields_per_key == 0) {
    return fail(Error::invalid_argument("the cap of fields per key must be positive"));
  }
  return {};
}

bool is_storable_key(std::string_view key) { return storable(key, kMaxKeyBytes); }
bool is_storable_field(std::string_view field) { return storable(field, kMaxFieldBytes); }

Result<void> check_increment(const Increment& increment) {
  const auto describe = [](std::string_view what, std::string_view text, std::size_t max_bytes) {
    if (text.empty()) return std::string(what) + " is empty";
    if (text.size() > max_bytes) {
      return std::string(what) + " of " + std::to_string(text.size()) + " bytes exceeds " +
             std::to_string(max_bytes);
    }
    return std::string(what) + " holds a NUL byte";
  };
  if (!is_storable_key(increment.key)) {
    return fail(Error::invalid_argument(describe("key", increment.key, kMaxKeyBytes)));
  }
  if (!is_storable_field(increment.field)) {
    return fail(Error::invalid_argument(describe("field", increment.field, kMaxFieldBytes) +
                                        " (key of " + std::to_string(increment.key.size()) + " bytes)"));
  }
  return {};
}

}  // namespace vigie::store
