// Base64 for tests that build messages carrying binary attachments (the production code only
// decodes base64). Only tests include it.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace vigie::test_support {

// RFC 2045 base64 of `bytes`; with `wrap_lines`, a line break after every 76 characters.
inline std::string base64(std::string_view bytes, bool wrap_lines) {
  static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (std::size_t i = 0; i < bytes.size(); i += 3) {
    const auto byte = [&](std::size_t k) { return k < bytes.size() ? static_cast<unsigned char>(bytes[k]) : 0u; };
    const unsigned n = (byte(i) << 16) | (byte(i + 1) << 8) | byte(i + 2);
    out += kAlphabet[(n >> 18) & 63];
    out += kAlphabet[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? kAlphabet[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? kAlphabet[n & 63] : '=';
    if (wrap_lines && (i / 3 + 1) % 19 == 0) out += '\n';
  }
  return out;
}

}  // namespace vigie::test_support
