// Cutting UTF-8 text to a byte budget without splitting a code point: evidence excerpts (a macro's
// source, a field instruction) are bounded, and a bounded excerpt must stay valid UTF-8.
#pragma once

#include <cstddef>
#include <string_view>

namespace vigie::utf8 {

// The longest prefix of `text` of at most `max_bytes` bytes that ends on a code point boundary.
constexpr std::string_view clip(std::string_view text, std::size_t max_bytes) {
  if (text.size() <= max_bytes) return text;
  std::size_t end = max_bytes;
  while (end > 0 && (static_cast<unsigned char>(text[end]) & 0xC0) == 0x80) --end;
  return text.substr(0, end);
}

}  // namespace vigie::utf8
