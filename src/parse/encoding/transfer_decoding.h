// Content-Transfer-Encoding decoders (RFC 2045 §6) and uuencoded blocks found in text.
// All decoders are lenient the way mail clients are: they never fail, they skip what they cannot
// decode and count it, and they stop at max_out bytes (reporting truncation) so that a hostile
// body cannot exhaust memory. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vigie::parse {

struct DecodeStats {
  std::uint64_t invalid = 0;  // bytes skipped or escapes that were not valid
  bool truncated = false;     // output reached max_out; the rest was not decoded
};

// Base64 (RFC 2045 §6.8), lenient: ignores characters outside the alphabet and whitespace, accepts
// missing or excess padding, and continues after a premature '=' (as Thunderbird and GMime do).
DecodeStats decode_base64(std::string_view in, std::string& out, std::uint64_t max_out);

// Quoted-printable body decoding (RFC 2045 §6.7): soft line breaks, =XX (either case), invalid
// escapes kept literally, trailing whitespace before a line break removed.
DecodeStats decode_quoted_printable(std::string_view in, std::string& out, std::uint64_t max_out);

struct UuencodedFile {
  std::string filename;          // from the "begin MODE NAME" line
  std::uint32_t mode = 0;        // octal permission bits as written
  std::string bytes;             // decoded content
  std::size_t begin_offset = 0;  // offset of "begin" in the input text
  std::size_t end_offset = 0;    // offset just past "end" (when unterminated: end of input, or
                                 // the start of the next "begin" line, which starts a new block)
  bool complete = false;         // "end" line found
  bool truncated = false;        // max_bytes reached inside this block; bytes holds a prefix
};

// Finds "begin NNN name" ... "end" blocks (uuencode) in a text body, decodes them. At most
// max_blocks blocks and max_bytes decoded bytes in total.
std::vector<UuencodedFile> find_uuencoded(std::string_view text, std::uint32_t max_blocks,
                                          std::uint64_t max_bytes);

}  // namespace vigie::parse
