// Fuzz target for the byte-level decoders: Content-Transfer-Encoding (base64, quoted-printable),
// uuencoded blocks in text (src/parse/encoding/transfer_decoding.h), RFC 2047 encoded-words
// (rfc2047.h) and charset conversion through ICU (charset.h). It owns only the harness and the
// input layout below, which the seeds in seeds/decoders/ follow:
//
//   byte 0    picks the declared charset handed to convert_to_utf8 (index into kCharsets);
//   byte 1    picks the output limits (so truncation paths are fuzzed, not only the happy path);
//   the rest  is the payload, given to every decoder.
//
// Besides crashes, it checks the bounds the headers promise (max_out, max_blocks, max_bytes) and
// that what is documented as UTF-8 output is well-formed UTF-8, since analyzers and the JSON
// output rely on both.

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "fuzz_support.h"
#include "parse/encoding/charset.h"
#include "parse/encoding/rfc2047.h"
#include "parse/encoding/transfer_decoding.h"

using vigie::fuzz::consume;
using vigie::fuzz::require;
using vigie::fuzz::well_formed_utf8;

namespace {

// Declarations seen in real mail, including the misspellings and aliases charset.h promises to
// resolve, stateful encodings (ISO-2022, UTF-7, HZ) whose converters keep state across bytes, wide
// encodings, and names ICU does not know (which take the detection path).
constexpr std::array<std::string_view, 32> kCharsets = {
    "",           "utf-8",      "us-ascii",    "iso-8859-1",     "windows-1252", "utf-16",
    "utf-16le",   "utf-16be",   "utf-32",      "utf-7",          "iso-2022-jp",  "shift_jis",
    "euc-jp",     "gb2312",     "gbk",         "gb18030",        "big5",         "euc-kr",
    "ks_c_5601-1987", "koi8-r", "windows-1251", "iso-8859-15",   "utf8",         "latin-1",
    "x-unknown",  "no-such-charset", "hz-gb-2312", "iso-2022-kr", "tis-620",     "macintosh",
    "cp1255",     "unicode-1-1-utf-7"};

// Small limits reach the truncation branches (the ones that cut inside a quantum, an escape or a
// uuencoded line); the large one lets the whole payload decode.
constexpr std::array<std::uint64_t, 8> kMaxOut = {0, 1, 2, 3, 7, 64, 1000, 1u << 20};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  if (size < 2) return 0;
  const std::string_view charset = kCharsets[data[0] % kCharsets.size()];
  const std::uint64_t max_out = kMaxOut[data[1] % kMaxOut.size()];
  const std::uint32_t max_blocks = 1 + (data[1] >> 3) % 8;
  const std::string_view payload(reinterpret_cast<const char*>(data) + 2, size - 2);

  {
    std::string out;
    const auto stats = vigie::parse::decode_base64(payload, out, max_out);
    require(out.size() <= max_out, "decode_base64 writes at most max_out bytes");
    require(out.size() <= payload.size() / 4 * 3 + 3, "base64 output at most 3/4 of the input");
    consume(out);
    consume(stats.invalid);
  }
  {
    std::string out;
    const auto stats = vigie::parse::decode_quoted_printable(payload, out, max_out);
    require(out.size() <= max_out, "decode_quoted_printable writes at most max_out bytes");
    require(out.size() <= payload.size(), "quoted-printable never expands");
    consume(out);
    consume(stats.invalid);
  }
  {
    const std::vector<vigie::parse::UuencodedFile> files =
        vigie::parse::find_uuencoded(payload, max_blocks, max_out);
    require(files.size() <= max_blocks, "find_uuencoded returns at most max_blocks blocks");
    std::uint64_t total = 0;
    for (const auto& file : files) {
      total += file.bytes.size();
      require(file.begin_offset <= file.end_offset && file.end_offset <= payload.size(),
              "uuencoded block offsets lie inside the text");
      consume(file.filename);
      consume(file.bytes);
    }
    require(total <= max_out, "find_uuencoded decodes at most max_bytes in total");
  }
  {
    std::string out;
    const auto stats = vigie::parse::decode_encoded_words(payload, out);
    require(well_formed_utf8(out), "decode_encoded_words produces UTF-8");
    consume(out);
    consume(stats.words + stats.malformed);
  }
  {
    std::string out;
    const auto conversion = vigie::parse::convert_to_utf8(payload, charset, out);
    require(well_formed_utf8(out), "convert_to_utf8 produces UTF-8");
    // is_valid_utf8 decides whether bytes are kept as they are; it must agree with a plain
    // decoder or 8-bit junk would pass through unconverted.
    require(vigie::parse::is_valid_utf8(payload) == well_formed_utf8(payload),
            "is_valid_utf8 agrees with a reference UTF-8 check");
    consume(out);
    consume(conversion.charset_used);
  }
  return 0;
}
