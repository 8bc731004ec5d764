// The streaming JSON writer of json_writer.h and its two encoders (strings and doubles), whose
// output json_writer_test.cpp checks against nlohmann::json's dump.
#include "outputs/json_writer.h"

#include <nlohmann/json.hpp>

#include <array>
#include <cassert>
#include <charconv>
#include <cmath>

namespace vigie::outputs {
namespace {

constexpr std::string_view kReplacement = "\xEF\xBF\xBD";  // U+FFFD

// Bytes that cannot be copied as they are: control characters, '"', '\\' and every non-ASCII
// byte (checked as UTF-8).
constexpr std::array<bool, 256> kNeedsCare = [] {
  std::array<bool, 256> table{};
  for (int c = 0; c < 0x20; ++c) table[c] = true;
  for (int c = 0x80; c < 0x100; ++c) table[c] = true;
  table['"'] = true;
  table['\\'] = true;
  return table;
}();

// Length of the valid UTF-8 sequence at text[i], or 0 with `valid_prefix` set to how many of its
// bytes were acceptable before it went wrong (the maximal subpart, which one U+FFFD replaces).
std::size_t utf8_sequence(std::string_view text, std::size_t i, std::size_t& valid_prefix) {
  const auto byte = [&](std::size_t at) { return static_cast<unsigned char>(text[at]); };
  const unsigned char lead = byte(i);
  std::size_t length = 0;
  unsigned char second_low = 0x80, second_high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) second_low = 0xA0;   // no overlong forms
    if (lead == 0xED) second_high = 0x9F;  // no surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) second_low = 0x90;   // no overlong forms
    if (lead == 0xF4) second_high = 0x8F;  // nothing above U+10FFFF
  } else {
    valid_prefix = 0;
    return 0;
  }
  for (std::size_t k = 1; k < length; ++k) {
    const bool in_range = i + k < text.size() &&
                          (k == 1 ? byte(i + k) >= second_low && byte(i + k) <= second_high
                                  : byte(i + k) >= 0x80 && byte(i + k) <= 0xBF);
    if (!in_range) {
      valid_prefix = k;
      return 0;
    }
  }
  return length;
}

void append_control_escape(std::string& out, unsigned char c) {
  switch (c) {
    case '\b': out += "\\b"; return;
    case '\t': out += "\\t"; return;
    case '\n': out += "\\n"; return;
    case '\f': out += "\\f"; return;
    case '\r': out += "\\r"; return;
    case '"': out += "\\\""; return;
    case '\\': out += "\\\\"; return;
    default: break;
  }
  static constexpr char kHex[] = "0123456789abcdef";
  const char escape[] = {'\\', 'u', '0', '0', kHex[c >> 4], kHex[c & 0xF]};
  out.append(escape, sizeof escape);
}

void append_integer(std::string& out, auto value) {
  char buffer[24];
  const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
  out.append(buffer, end);
}

}  // namespace

void append_json_string(std::string& out, std::string_view text) {
  out.reserve(out.size() + text.size() + 2);
  out += '"';
  std::size_t i = 0;
  while (i < text.size()) {
    // Copy the longest run that needs nothing done to it in one append.
    std::size_t run = i;
    while (run < text.size() && !kNeedsCare[static_cast<unsigned char>(text[run])]) ++run;
    out.append(text.data() + i, run - i);
    i = run;
    if (i == text.size()) break;
    const auto c = static_cast<unsigned char>(text[i]);
    if (c < 0x80) {
      append_control_escape(out, c);
      ++i;
      continue;
    }
    std::size_t valid_prefix = 0;
    const std::size_t length = utf8_sequence(text, i, valid_prefix);
    if (length != 0) {
      out.append(text.data() + i, length);
      i += length;
    } else {
      out += kReplacement;
      // A bad lead byte is consumed; a sequence cut short is replaced up to the byte that broke
      // it, which is then read again on its own (it may start a valid character).
      i += valid_prefix == 0 ? 1 : valid_prefix;
    }
  }
  out += '"';
}

void append_json_double(std::string& out, double value) {
  if (!std::isfinite(value)) {
    out += "null";
    return;
  }
  // nlohmann's own Grisu2 printer: its digits are not always the shortest (a few values get one or
  // two more), and a record must not change its bytes when read back and written again.
  char buffer[64];
  out.append(buffer, nlohmann::detail::to_chars(buffer, buffer + sizeof buffer, value));
}

void JsonWriter::separate() {
  if (levels_.empty()) return;
  Level& level = levels_.back();
  if (level.after_key) {
    level.after_key = false;
    return;
  }
  if (level.has_value) out_ += ',';
  level.has_value = true;
}

JsonWriter& JsonWriter::key(std::string_view name) {
  assert(!levels_.empty());
  Level& level = levels_.back();
  if (level.has_value) out_ += ',';
  level.has_value = true;
  level.after_key = true;
  append_json_string(out_, name);
  out_ += ':';
  return *this;
}

void JsonWriter::begin_object() {
  separate();
  out_ += '{';
  levels_.emplace_back();
}

void JsonWriter::end_object() {
  assert(!levels_.empty());
  levels_.pop_back();
  out_ += '}';
}

void JsonWriter::begin_array() {
  separate();
  out_ += '[';
  levels_.emplace_back();
}

void JsonWriter::end_array() {
  assert(!levels_.empty());
  levels_.pop_back();
  out_ += ']';
}

void JsonWriter::string(std::string_view text) {
  separate();
  append_json_string(out_, text);
}

void JsonWriter::number(std::int64_t value) {
  separate();
  append_integer(out_, value);
}

void JsonWriter::number(std::uint64_t value) {
  separate();
  append_integer(out_, value);
}

void JsonWriter::number(double value) {
  separate();
  append_json_double(out_, value);
}

void JsonWriter::boolean(bool value) {
  separate();
  out_ += value ? "true" : "false";
}

void JsonWriter::null() {
  separate();
  out_ += "null";
}

}  // namespace vigie::outputs
