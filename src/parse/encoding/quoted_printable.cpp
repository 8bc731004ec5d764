// Quoted-printable Content-Transfer-Encoding decoder for bodies (RFC 2045 §6.7). Owns line handling
// (soft breaks, trailing-whitespace removal) and escape decoding; the "Q" encoding of RFC 2047
// headers has different rules ('_' is a space, no line breaks) and lives in rfc2047.cpp. The body
// goes through a single-pass decoder that copies plain text 8 bytes per step and stops only at '='
// and '\n' (a SWAR search, memchr-like without a call per run); only the tail where max_out may be
// reached is decoded line by line with bounds checks.
#include <array>
#include <bit>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "parse/encoding/transfer_decoding.h"

namespace vigie::parse {
namespace {

constexpr std::uint8_t kNotHex = 0xFF;

constexpr std::array<std::uint8_t, 256> kHexValue = [] {
  std::array<std::uint8_t, 256> t{};
  for (auto& v : t) v = kNotHex;
  for (unsigned c = '0'; c <= '9'; ++c) t[c] = static_cast<std::uint8_t>(c - '0');
  // Lowercase hex is not allowed by §6.7 rule 1 but every client decodes it (robustness).
  for (unsigned c = 'A'; c <= 'F'; ++c) t[c] = static_cast<std::uint8_t>(c - 'A' + 10);
  for (unsigned c = 'a'; c <= 'f'; ++c) t[c] = static_cast<std::uint8_t>(c - 'a' + 10);
  return t;
}();

constexpr std::uint64_t kOnes = 0x0101010101010101ull;
constexpr std::uint64_t kLow7 = 0x7F7F7F7F7F7F7F7Full;

// 0x80 in every byte of x that is zero, 0 elsewhere (exact, no false positives across bytes).
inline std::uint64_t zero_bytes(std::uint64_t x) { return ~(((x & kLow7) + kLow7) | x | kLow7); }

// Index of the first byte (in memory order) flagged in a non-zero zero_bytes() mask.
inline unsigned first_flagged(std::uint64_t mask) {
  if constexpr (std::endian::native == std::endian::little) {
    return static_cast<unsigned>(std::countr_zero(mask)) / 8;
  } else {
    return static_cast<unsigned>(std::countl_zero(mask)) / 8;
  }
}

bool is_blank(char c) { return c == ' ' || c == '\t'; }

// Fast single-pass decoder for [p, end), which must end at a line end or at the end of the body.
// dst must have room for (end - p) bytes: the output never outruns the input (an escape gives 1
// byte for 3, a line ending is copied), so 8-byte block stores cannot overflow. Plain text is
// copied 8 bytes per step until a SWAR test finds '=' or '\n', so the per-byte work is confined to
// escapes and line ends (no per-line call, unlike a memchr-per-line loop).
// Length of the literal group that starts at a bad '=': the '=' and up to two following bytes,
// stopping before a line ending.
std::size_t literal_group_length(const char* p, const char* end) {
  std::size_t n = 1;
  while (n < 3 && p + n < end && p[n] != '\r' && p[n] != '\n') ++n;
  return n;
}

char* decode_unchecked(const char* p, const char* const end, char* d, std::uint64_t& invalid) {
  // Output before `keep` is data that §6.7 rule 3 stripping must not touch (escapes, text before a
  // soft break, previous lines); literal blanks after it are stripped if a line end follows.
  char* keep = d;
  for (;;) {
    // Copy the plain run up to the next '=' or '\n'.
    for (;;) {
      if (end - p >= 8) {
        std::uint64_t w;
        std::memcpy(&w, p, 8);
        std::memcpy(d, &w, 8);
        const std::uint64_t m = zero_bytes(w ^ ('=' * kOnes)) | zero_bytes(w ^ ('\n' * kOnes));
        if (m == 0) {
          d += 8;
          p += 8;
          continue;
        }
        const unsigned i = first_flagged(m);
        d += i;
        p += i;
        break;
      }
      while (p < end && *p != '=' && *p != '\n') *d++ = *p++;
      break;
    }
    if (p == end) {
      while (d > keep && is_blank(d[-1])) --d;  // the last line ends here (boundary stripped)
      return d;
    }
    if (*p == '\n') {
      // A hard line break keeps the line ending as written (CRLF or bare LF). A '\r' before it
      // was copied literally (it cannot be an escape digit, and soft breaks never get here).
      const bool crlf = d > keep && d[-1] == '\r';
      if (crlf) --d;
      while (d > keep && is_blank(d[-1])) --d;  // §6.7 rule 3: transport padding
      if (crlf) *d++ = '\r';
      *d++ = '\n';
      keep = d;
      ++p;
      continue;
    }
    // '=': escape, soft line break, or a literal '='.
    const std::uint8_t hi = end - p > 1 ? kHexValue[static_cast<unsigned char>(p[1])] : kNotHex;
    const std::uint8_t lo = end - p > 2 ? kHexValue[static_cast<unsigned char>(p[2])] : kNotHex;
    if ((hi | lo) < 16) {  // both hex digits (kNotHex has high bits)
      *d++ = static_cast<char>((hi << 4) | lo);
      keep = d;
      p += 3;
      continue;
    }
    // §6.7 rule 5: '=' then optional transport padding then the line end is a soft break. A lone
    // '=' at the end of the body is dropped the same way (its line break went with the boundary).
    const char* q = p + 1;
    while (q < end && is_blank(*q)) ++q;
    if (q == end || *q == '\n' || (*q == '\r' && end - q > 1 && q[1] == '\n')) {
      keep = d;  // blanks before the '=' are data
      p = q == end ? end : q + (*q == '\r' ? 2 : 1);
      continue;
    }
    // §6.7 note (2): an '=' not followed by two hex digits is kept literally. Like Thunderbird
    // (mime_decode_qp_buffer) and GMime, the whole three-byte group is copied, so the bytes after
    // a bad '=' are never re-read as the start of another escape or of a soft line break.
    ++invalid;
    const std::size_t group = literal_group_length(p, end);
    for (std::size_t i = 0; i < group; ++i) *d++ = p[i];
    p += group;
  }
}

// Bounded decoder for the part of the body where max_out may be reached: one line at a time
// (content_end excludes the line ending and trailing blanks), byte by byte with a check per output
// byte. Returns false when the output filled up. Sets soft_break when the line ends in a '=' that
// starts no escape or literal group (§6.7 rule 5).
bool decode_line_checked(const char* p, const char* content_end, char*& dst, const char* dst_end,
                         std::uint64_t& invalid, bool& soft_break) {
  while (p < content_end) {
    if (*p == '=' && p + 1 == content_end) {
      soft_break = true;
      return true;
    }
    if (dst == dst_end) return false;
    if (*p != '=') {
      *dst++ = *p++;
      continue;
    }
    const std::uint8_t hi =
        p + 1 < content_end ? kHexValue[static_cast<unsigned char>(p[1])] : kNotHex;
    const std::uint8_t lo =
        p + 2 < content_end ? kHexValue[static_cast<unsigned char>(p[2])] : kNotHex;
    if ((hi | lo) < 16) {
      *dst++ = static_cast<char>((hi << 4) | lo);
      p += 3;
    } else {
      ++invalid;
      const std::size_t group = literal_group_length(p, content_end);
      for (std::size_t i = 0; i < group; ++i) {
        if (dst == dst_end) return false;
        *dst++ = p[i];
      }
      p += group;
    }
  }
  return true;
}

}  // namespace

DecodeStats decode_quoted_printable(std::string_view in, std::string& out, std::uint64_t max_out) {
  DecodeStats stats;
  // Decoding never grows the text, so the input size bounds the output.
  const std::size_t capacity =
      static_cast<std::size_t>(in.size() < max_out ? in.size() : max_out);
  const std::size_t base = out.size();
  out.resize(base + capacity);
  char* const dst_begin = out.data() + base;
  char* const dst_end = dst_begin + capacity;

  // The longest prefix of whole lines that fits in capacity whatever it holds goes through the
  // fast decoder (all of the body when max_out is not binding); the rest, where the limit may be
  // reached, through the bounded line decoder.
  std::size_t fast_len = in.size();
  if (capacity < in.size()) {
    const std::size_t nl = capacity == 0 ? std::string_view::npos : in.rfind('\n', capacity - 1);
    fast_len = nl == std::string_view::npos ? 0 : nl + 1;
  }
  char* dst = decode_unchecked(in.data(), in.data() + fast_len, dst_begin, stats.invalid);

  const char* p = in.data() + fast_len;
  const char* const end = in.data() + in.size();
  while (p < end) {
    const char* nl =
        static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
    const char* const line_end = nl ? nl : end;
    const bool crlf = nl && nl > p && nl[-1] == '\r';
    const char* content_end = crlf ? nl - 1 : line_end;
    // §6.7 rule 3: whitespace at the end of an encoded line is transport padding, not data.
    while (content_end > p && is_blank(content_end[-1])) --content_end;
    bool soft_break = false;
    bool fits = decode_line_checked(p, content_end, dst, dst_end, stats.invalid, soft_break);
    const std::size_t terminator = soft_break || !nl ? 0 : (crlf ? 2 : 1);
    for (const char c : std::string_view("\r\n").substr(2 - terminator)) {
      if (!fits || dst == dst_end) {
        fits = false;
        break;
      }
      *dst++ = c;
    }
    if (!fits) {
      stats.truncated = true;
      break;
    }
    if (!nl) break;
    p = nl + 1;
  }
  out.resize(base + static_cast<std::size_t>(dst - dst_begin));
  return stats;
}

}  // namespace vigie::parse
