// A streaming JSON writer for the per-message scan record, the one output written for every
// message scanned. Building an nlohmann::json tree and then dumping it cost as much as a third of
// the analyzers (a node and a map entry per field, then a second pass over every string); this
// writes each value once, straight into one string.
//
// Its output is byte for byte what nlohmann::json::dump(-1, ' ', false, error_handler_t::replace)
// gives for the same values, so a consumer cannot tell them apart:
//   - strings: '"', '\\' and control characters escaped (\b \f \n \r \t, else \u00xx), everything
//     else as UTF-8; each invalid UTF-8 sequence (its maximal valid prefix) replaced by U+FFFD;
//   - doubles: by nlohmann's own printer (Grisu2; a ".0" on whole numbers); non-finite ones as null;
//   - keys in the order they are written. nlohmann keeps them sorted, and so must the caller
//     (json_output_test.cpp reads records back with nlohmann and checks that they dump the same).
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace vigie::outputs {

class JsonWriter {
 public:
  JsonWriter() = default;

  void begin_object();
  void end_object();
  void begin_array();
  void end_array();
  // The key of the next value, inside an object.
  JsonWriter& key(std::string_view name);

  void string(std::string_view text);
  void number(std::int64_t value);
  void number(std::uint64_t value);
  void number(double value);
  void boolean(bool value);
  void null();

  // Shorthands for a key and its value.
  void field(std::string_view name, std::string_view text) { key(name).string(text); }
  void field(std::string_view name, const char* text) { key(name).string(text); }
  void field(std::string_view name, const std::string& text) { key(name).string(text); }
  void field(std::string_view name, bool value) { key(name).boolean(value); }
  void field(std::string_view name, double value) { key(name).number(value); }
  template <typename Integer>
    requires std::is_integral_v<Integer>
  void field(std::string_view name, Integer value) {
    key(name);
    if constexpr (std::is_signed_v<Integer>) {
      number(static_cast<std::int64_t>(value));
    } else {
      number(static_cast<std::uint64_t>(value));
    }
  }

  const std::string& text() const { return out_; }
  std::string take() { return std::move(out_); }

 private:
  // Writes the comma before a value that is not the first of its object or array.
  void separate();

  std::string out_;
  // One entry per open object or array: whether a value was written in it yet, and whether a key
  // waits for its value.
  struct Level {
    bool has_value = false;
    bool after_key = false;
  };
  std::vector<Level> levels_;
};

// Appends `text` as a JSON string (quotes included) under the rules above.
void append_json_string(std::string& out, std::string_view text);
// Appends `value` as nlohmann::json dumps a double.
void append_json_double(std::string& out, double value);

}  // namespace vigie::outputs
