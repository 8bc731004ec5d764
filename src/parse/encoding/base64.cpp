// Base64 Content-Transfer-Encoding decoder (RFC 2045 §6.8). Owns the lenient decoding loop used for
// bodies and, through rfc2047.cpp, for "B" encoded-words. The clean case (four alphabet characters
// in a row, which is almost all of a wrapped body) goes through four precomputed 32-bit tables so
// that one group costs four loads, three ORs and one compare; everything else (line breaks, junk,
// padding, a quantum split by a line break) falls back to a per-character state machine that hands
// control back to the fast loop as soon as the quantum is aligned again.
#include <array>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>

#include "parse/encoding/transfer_decoding.h"

namespace vigie::parse {
namespace {

// Classes of a byte in the single-character table.
constexpr std::uint8_t kPad = 64;        // '='
constexpr std::uint8_t kSpace = 65;      // whitespace: ignored silently (line wrapping, RFC 2045 §6.8)
constexpr std::uint8_t kJunk = 66;       // outside the alphabet: ignored but counted (§6.8 says ignore)

// Any value with a bit at or above bit 24 marks a group that is not four alphabet characters.
constexpr std::uint32_t kBadGroup = 0x01000000u;

constexpr std::uint8_t sextet_of(unsigned char c) {
  if (c >= 'A' && c <= 'Z') return static_cast<std::uint8_t>(c - 'A');
  if (c >= 'a' && c <= 'z') return static_cast<std::uint8_t>(c - 'a' + 26);
  if (c >= '0' && c <= '9') return static_cast<std::uint8_t>(c - '0' + 52);
  if (c == '+') return 62;
  if (c == '/') return 63;
  if (c == '=') return kPad;
  if (c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == '\f' || c == '\v') return kSpace;
  return kJunk;
}

constexpr std::array<std::uint8_t, 256> kSextet = [] {
  std::array<std::uint8_t, 256> t{};
  for (unsigned i = 0; i < 256; ++i) t[i] = sextet_of(static_cast<unsigned char>(i));
  return t;
}();

// kGroupN[c] is the sextet of c already shifted to its place in a 24-bit group, or kBadGroup.
constexpr std::array<std::uint32_t, 256> make_group_table(unsigned shift) {
  std::array<std::uint32_t, 256> t{};
  for (unsigned i = 0; i < 256; ++i) {
    const std::uint8_t s = sextet_of(static_cast<unsigned char>(i));
    t[i] = s < 64 ? static_cast<std::uint32_t>(s) << shift : kBadGroup;
  }
  return t;
}
constexpr auto kGroup0 = make_group_table(18);
constexpr auto kGroup1 = make_group_table(12);
constexpr auto kGroup2 = make_group_table(6);
constexpr auto kGroup3 = make_group_table(0);

}  // namespace

DecodeStats decode_base64(std::string_view in, std::string& out, std::uint64_t max_out) {
  DecodeStats stats;
  // Every 4 input characters give at most 3 bytes; reserve that once (bounded by max_out) and
  // write through a raw pointer, then shrink: no per-byte capacity checks in the fast loop.
  const std::uint64_t estimate = (static_cast<std::uint64_t>(in.size()) / 4 + 1) * 3;
  const std::size_t capacity = static_cast<std::size_t>(estimate < max_out ? estimate : max_out);
  const std::size_t base = out.size();
  out.resize(base + capacity);
  char* const dst = out.data() + base;
  std::size_t written = 0;

  const auto* p = reinterpret_cast<const unsigned char*>(in.data());
  const unsigned char* const end = p + in.size();
  std::uint32_t acc = 0;      // pending sextets of the current quantum
  unsigned pending = 0;       // number of sextets in acc (0..3)
  std::uint64_t pad_run = 0;  // '=' seen since the last data character

  // Emits the whole bytes held by a partial quantum (2 sextets -> 1 byte, 3 -> 2); a single sextet
  // carries only 6 bits and cannot make a byte, so it is dropped and counted.
  auto flush_partial = [&]() -> bool {
    if (pending == 1) {
      ++stats.invalid;
    } else if (pending >= 2) {
      const unsigned nbytes = pending - 1;
      const std::uint32_t bits = acc << (6 * (4 - pending));
      for (unsigned k = 0; k < nbytes; ++k) {
        if (written >= capacity) {
          stats.truncated = true;
          return false;
        }
        dst[written++] = static_cast<char>((bits >> (16 - 8 * k)) & 0xFF);
      }
    }
    acc = 0;
    pending = 0;
    return true;
  };

  bool stop = false;
  while (p < end && !stop) {
    // Fast path: aligned quantum, no pending padding, room for a full group.
    if (pending == 0 && pad_run == 0) {
      while (end - p >= 4 && capacity - written >= 3) {
        const std::uint32_t v = kGroup0[p[0]] | kGroup1[p[1]] | kGroup2[p[2]] | kGroup3[p[3]];
        if (v >= kBadGroup) break;
        dst[written] = static_cast<char>(v >> 16);
        dst[written + 1] = static_cast<char>(v >> 8);
        dst[written + 2] = static_cast<char>(v);
        written += 3;
        p += 4;
      }
      if (p >= end) break;
    }
    // Slow path: one character.
    const std::uint8_t s = kSextet[*p++];
    if (s < 64) {
      if (pad_run != 0) {
        // Data after padding: a premature '=' (or concatenated encodings). Like Thunderbird and
        // GMime we keep decoding, but the stream is not clean.
        stats.invalid += pad_run;
        pad_run = 0;
      }
      acc = (acc << 6) | s;
      if (++pending == 4) {
        if (capacity - written < 3) {
          // Not enough room for the whole group: emit what fits, then report truncation.
          for (int k = 2; k >= 0 && written < capacity; --k)
            dst[written++] = static_cast<char>((acc >> (8 * k)) & 0xFF);
          stats.truncated = true;
          stop = true;
          break;
        }
        dst[written] = static_cast<char>(acc >> 16);
        dst[written + 1] = static_cast<char>(acc >> 8);
        dst[written + 2] = static_cast<char>(acc);
        written += 3;
        acc = 0;
        pending = 0;
      }
    } else if (s == kPad) {
      // '=' ends the quantum (RFC 2045 §6.8): decode the whole bytes it holds. Excess padding is
      // harmless; only padding followed by more data is counted (above).
      if (!flush_partial()) {
        stop = true;
        break;
      }
      ++pad_run;
    } else if (s == kJunk) {
      ++stats.invalid;
    }
    // kSpace: ignored.
  }
  // Missing padding at the end: decode the whole bytes of the trailing partial quantum.
  if (!stop && pending != 0) flush_partial();
  out.resize(base + written);
  return stats;
}

}  // namespace vigie::parse
