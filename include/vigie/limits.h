// Hard limits on untrusted input. Every limit that bounds time or memory for a hostile message lives
// here, with one line on what it guards; each is overridable in the [limits] section of the
// configuration and documented in docs/limits.md. Crossing a limit is never a crash: the parser
// records an Anomaly{kind, observed, limit} and stops descending at that point.
#pragma once

#include <cstddef>
#include <cstdint>

namespace vigie {

struct Limits {
  // Largest message accepted at all; larger input is refused before parsing (memory bound).
  std::uint64_t max_message_bytes = 64ull << 20;
  // Deepest MIME nesting followed (multipart inside message/rfc822 inside ...); guards recursion.
  std::uint32_t max_mime_depth = 24;
  // Most MIME parts (all levels) built for one message; guards quadratic boundary tricks.
  std::uint32_t max_parts = 2000;
  // Most header fields parsed per header block; guards header floods.
  std::uint32_t max_header_fields = 2000;
  // Largest decoded body of one part; the rest is not decoded (decompression-like blowups, memory).
  std::uint64_t max_part_decoded_bytes = 32ull << 20;
  // Largest sum of decoded bytes over the whole message, nested messages included.
  std::uint64_t max_total_decoded_bytes = 128ull << 20;
  // Largest HTML input handed to the HTML tokenizer per part (tree-building cost).
  std::uint64_t max_html_bytes = 8ull << 20;
  // Deepest HTML element nesting considered for style inheritance.
  std::uint32_t max_html_depth = 512;
  // Most URLs extracted per message.
  std::uint32_t max_urls = 5000;
  // Most uuencoded blocks looked for in one text part.
  std::uint32_t max_uuencode_blocks = 64;
};

}  // namespace vigie
