// Scanning a byte range for the next of a few byte values, 16 bytes at a time with SSE2 (part of
// every x86-64 CPU; other targets take the byte loop). For the hot scans of the parsers (HTML text
// and attribute values, header lines, "begin " lines, ASCII runs in charset conversion), where
// memchr would be called once per hit of any one value or memmem pays for a general substring
// search.
#pragma once

#include <cstddef>
#include <string_view>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace vigie::scan {

// First of a, b, c in [p, end), or end. Pass a value twice to look for two.
inline const char* find_any(const char* p, const char* end, char a, char b, char c) {
#if defined(__SSE2__)
  const __m128i va = _mm_set1_epi8(a);
  const __m128i vb = _mm_set1_epi8(b);
  const __m128i vc = _mm_set1_epi8(c);
  while (end - p >= 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(x, va), _mm_cmpeq_epi8(x, vb)),
                                     _mm_cmpeq_epi8(x, vc));
    const int mask = _mm_movemask_epi8(hit);
    if (mask != 0) return p + __builtin_ctz(static_cast<unsigned>(mask));
    p += 16;
  }
#endif
  for (; p < end; ++p) {
    if (*p == a || *p == b || *p == c) return p;
  }
  return end;
}

// First byte of [p, end) at or above 0x80 (the end of an ASCII run), or end.
inline const char* skip_ascii(const char* p, const char* end) {
#if defined(__SSE2__)
  while (end - p >= 16) {
    const int mask = _mm_movemask_epi8(_mm_loadu_si128(reinterpret_cast<const __m128i*>(p)));
    if (mask != 0) return p + __builtin_ctz(static_cast<unsigned>(mask));
    p += 16;
  }
#endif
  while (p < end && static_cast<unsigned char>(*p) < 0x80) ++p;
  return p;
}

// First byte of [p, end) at or above 0x80 or equal to 0, or end.
inline const char* skip_ascii_except_nul(const char* p, const char* end) {
#if defined(__SSE2__)
  const __m128i zero = _mm_setzero_si128();
  while (end - p >= 16) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const int mask = _mm_movemask_epi8(_mm_or_si128(x, _mm_cmpeq_epi8(x, zero)));
    if (mask != 0) return p + __builtin_ctz(static_cast<unsigned>(mask));
    p += 16;
  }
#endif
  while (p < end && static_cast<unsigned char>(*p) < 0x80 && *p != '\0') ++p;
  return p;
}

// First position in [p, end) where `first` is followed by `second` (both in range), or end.
inline const char* find_pair(const char* p, const char* end, char first, char second) {
#if defined(__SSE2__)
  const __m128i vf = _mm_set1_epi8(first);
  const __m128i vs = _mm_set1_epi8(second);
  while (end - p >= 17) {
    const __m128i x = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p));
    const __m128i y = _mm_loadu_si128(reinterpret_cast<const __m128i*>(p + 1));
    const int mask = _mm_movemask_epi8(_mm_and_si128(_mm_cmpeq_epi8(x, vf), _mm_cmpeq_epi8(y, vs)));
    if (mask != 0) return p + __builtin_ctz(static_cast<unsigned>(mask));
    p += 16;
  }
#endif
  for (; end - p >= 2; ++p) {
    if (p[0] == first && p[1] == second) return p;
  }
  return end;
}

// Start of the first occurrence of `word` (not empty) right after a '\n' in [p, end), that is at
// the start of a line after the one p is on, or end. The candidates are the '\n' + first-letter
// pairs, so the search does not stop at every occurrence of the first letter in running text.
inline const char* find_at_line_start(const char* p, const char* end, std::string_view word) {
  for (const char* nl = find_pair(p, end, '\n', word.front()); nl != end;
       nl = find_pair(nl + 1, end, '\n', word.front())) {
    if (std::string_view(nl + 1, static_cast<std::size_t>(end - nl - 1)).starts_with(word)) return nl + 1;
  }
  return end;
}

}  // namespace vigie::scan
