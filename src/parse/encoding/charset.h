// Conversion of text in any charset to UTF-8 with ICU. Owns charset name resolution (aliases,
// common misspellings such as "utf8", "latin-1", "x-unknown", "ks_c_5601-1987") and detection of
// undeclared 8-bit text. ICU converters are cached per thread; functions are thread-safe.
#pragma once

#include <string>
#include <string_view>

namespace vigie::parse {

struct CharsetConversion {
  std::string charset_used;      // canonical name actually used ("UTF-8", "windows-1252"...)
  bool declared_unknown = false; // a charset was declared but ICU does not know it
  bool detected = false;         // charset_used came from detection (no usable declaration)
  bool invalid_bytes = false;    // some bytes were not valid in charset_used (replaced by U+FFFD)
  bool unchanged = false;        // the bytes already were their UTF-8 text
};

// Converts bytes to UTF-8, appending to out. With an empty or unknown declaration: pure ASCII is
// kept; valid UTF-8 is kept; otherwise ICU charset detection chooses (windows-1252 as fallback).
// "us-ascii" declared on 8-bit bytes is read as UTF-8 if valid, else windows-1252, as clients do.
CharsetConversion convert_to_utf8(std::string_view bytes, std::string_view declared_charset,
                                  std::string& out);

// The same conversion for a caller that keeps the text: when the bytes already are their UTF-8
// text (ASCII in an ASCII-compatible charset, valid UTF-8 declared as UTF-8...), text is bytes
// itself and nothing is copied; otherwise storage is replaced by the converted text.
struct Utf8Text {
  std::string_view text;
  CharsetConversion conversion;
};
Utf8Text to_utf8_text(std::string_view bytes, std::string_view declared_charset, std::string& storage);

// True when bytes is entirely valid UTF-8.
bool is_valid_utf8(std::string_view bytes);

// is_valid_utf8 and whether the bytes hold a NUL, in one pass over them (a text part needs both).
struct Utf8Check {
  bool valid = true;
  bool nul = false;
};
Utf8Check check_utf8(std::string_view bytes);

}  // namespace vigie::parse
