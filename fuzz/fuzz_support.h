// Small helpers shared by the fuzz harnesses: a sink that reads every byte of a result (so that
// ASan checks that views and strings handed out by a parser point at live memory, and so that the
// optimiser cannot drop the calls), and a check that turns a broken documented guarantee into a
// crash libFuzzer records. Header-only because each harness is also compiled into its replay
// executable, and the replays must not depend on anything libFuzzer-specific.
#pragma once

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

namespace vigie::fuzz {

// Reads every byte of s. A dangling string_view into a freed buffer only shows up under ASan when
// it is actually dereferenced; touching sizes alone would let such bugs through.
inline void consume(std::string_view s) {
  static volatile std::uint64_t sink = 0;
  std::uint64_t h = s.size();
  for (unsigned char c : s) h = h * 131 + c;
  sink = sink + h;
}

inline void consume(std::uint64_t v) {
  static volatile std::uint64_t sink = 0;
  sink = sink + v;
}

// Aborts with a message when a guarantee written in a parser's header does not hold. abort() and
// not assert() because the fuzz build is RelWithDebInfo (NDEBUG) and must still catch these.
inline void require(bool condition, const char* what) {
  if (!condition) {
    std::fprintf(stderr, "vigie fuzz: documented guarantee violated: %s\n", what);
    std::abort();
  }
}

// True when s is well-formed UTF-8 (no overlongs, no surrogates, nothing above U+10FFFF).
// Kept independent of vigie::parse::is_valid_utf8 so that a bug there cannot hide a bug in a
// converter it would be checking.
inline bool well_formed_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    const auto b0 = static_cast<unsigned char>(s[i]);
    if (b0 < 0x80) { ++i; continue; }
    std::size_t len = 0;
    std::uint32_t lo = 0x80, hi = 0xBF;  // allowed range of the second byte
    if (b0 >= 0xC2 && b0 <= 0xDF) { len = 2; }
    else if (b0 == 0xE0) { len = 3; lo = 0xA0; }
    else if (b0 >= 0xE1 && b0 <= 0xEC) { len = 3; }
    else if (b0 == 0xED) { len = 3; hi = 0x9F; }
    else if (b0 >= 0xEE && b0 <= 0xEF) { len = 3; }
    else if (b0 == 0xF0) { len = 4; lo = 0x90; }
    else if (b0 >= 0xF1 && b0 <= 0xF3) { len = 4; }
    else if (b0 == 0xF4) { len = 4; hi = 0x8F; }
    else { return false; }
    if (i + len > s.size()) return false;
    const auto b1 = static_cast<unsigned char>(s[i + 1]);
    if (b1 < lo || b1 > hi) return false;
    for (std::size_t k = 2; k < len; ++k) {
      const auto b = static_cast<unsigned char>(s[i + k]);
      if (b < 0x80 || b > 0xBF) return false;
    }
    i += len;
  }
  return true;
}

}  // namespace vigie::fuzz
