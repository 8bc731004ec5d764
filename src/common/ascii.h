// ASCII-only helpers for protocol tokens: case (header and tag names, DNS names, URL schemes) and
// hexadecimal digits (digests, percent-escapes, reverse DNS names). Locale-independent, and they
// never touch bytes above 0x7F, so UTF-8 text passes unchanged.
#pragma once

#include <string>
#include <string_view>

namespace vigie::ascii {

constexpr bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
constexpr bool is_digit(char c) { return c >= '0' && c <= '9'; }
constexpr bool is_alnum(char c) { return is_alpha(c) || is_digit(c); }

// Space, tab, CR, LF, form feed, vertical tab (the C locale's isspace).
constexpr bool is_space(char c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

constexpr char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

constexpr bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

constexpr bool istarts_with(std::string_view s, std::string_view prefix) {
  return s.size() >= prefix.size() && iequals(s.substr(0, prefix.size()), prefix);
}

// Without the spaces, tabs and carriage returns around it (a CRLF line read up to its LF).
constexpr std::string_view trim_blanks(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

constexpr bool is_hex_digit(char c) { return is_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f'); }

// The value of a hexadecimal digit, either case (is_hex_digit(c) must hold).
constexpr int hex_value(char c) { return is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10; }

// The hexadecimal digit of a value 0-15, lowercase unless asked.
constexpr char hex_digit(unsigned nibble, bool upper = false) {
  return (upper ? "0123456789ABCDEF" : "0123456789abcdef")[nibble & 0xF];
}

// Bytes as lowercase hexadecimal, two digits each (digests, cache keys).
inline std::string hex_string(const unsigned char* bytes, std::size_t size) {
  std::string out(2 * size, '0');
  for (std::size_t i = 0; i < size; ++i) {
    out[2 * i] = hex_digit(bytes[i] >> 4);
    out[2 * i + 1] = hex_digit(bytes[i]);
  }
  return out;
}

inline std::string lowercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) c = lower(c);
  return out;
}

inline void lowercase_in_place(std::string& text) {
  for (char& c : text) c = lower(c);
}

inline std::string uppercase(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - ('a' - 'A'));
  }
  return out;
}

}  // namespace vigie::ascii
