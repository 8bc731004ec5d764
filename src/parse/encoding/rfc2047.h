// RFC 2047 encoded-words ("=?charset?B|Q?text?=") in unstructured text and phrases, with the
// malformed forms real clients accept: encoded-words glued to text, spaces inside Q words, missing
// "?=" at end of input, lowercase b/q, RFC 2231 language suffix ("=?utf-8*en?Q?...?="), whitespace
// between adjacent encoded-words dropped (§6.2), words split in the middle of a multibyte sequence
// concatenated before conversion. Thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace vigie::parse {

struct EncodedWordStats {
  std::uint32_t words = 0;      // encoded-words decoded
  std::uint32_t malformed = 0;  // encoded-words decoded leniently or left as-is
  bool unknown_charset = false;
};

// Decodes all encoded-words in an (already unfolded) header value; text outside encoded-words is
// converted from raw bytes (UTF-8 if valid per RFC 6532, else detected 8-bit). Appends to out.
EncodedWordStats decode_encoded_words(std::string_view value, std::string& out);

}  // namespace vigie::parse
