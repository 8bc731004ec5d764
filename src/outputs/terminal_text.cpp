// Visible rendering of terminal controls; see terminal_text.h for what is escaped and why.
#include "outputs/terminal_text.h"

#include <cstdint>

#include "common/ascii.h"

namespace vigie::outputs {
namespace {

// Length of the well-formed UTF-8 sequence at text[i] (RFC 3629 §4: no overlong forms, no
// surrogates, nothing above U+10FFFF) and its code point; 0 when the bytes are not one.
std::size_t decode_utf8(std::string_view text, std::size_t i, char32_t& code_point) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[i + k]); };
  const unsigned char lead = byte(0);
  std::size_t length = 0;
  unsigned char low = 0x80, high = 0xBF;  // range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    code_point = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    code_point = lead & 0x0F;
    if (lead == 0xE0) low = 0xA0;   // overlong
    if (lead == 0xED) high = 0x9F;  // surrogates
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    code_point = lead & 0x07;
    if (lead == 0xF0) low = 0x90;   // overlong
    if (lead == 0xF4) high = 0x8F;  // above U+10FFFF
  } else {
    return 0;
  }
  if (i + length > text.size()) return 0;
  if (byte(1) < low || byte(1) > high) return 0;
  code_point = (code_point << 6) | (byte(1) & 0x3F);
  for (std::size_t k = 2; k < length; ++k) {
    if ((byte(k) & 0xC0) != 0x80) return 0;
    code_point = (code_point << 6) | (byte(k) & 0x3F);
  }
  return length;
}

// Characters that are valid UTF-8 yet act on the terminal or on the order of the line.
bool is_invisible_control(char32_t c) {
  return (c >= 0x80 && c <= 0x9F)                          // C1 controls (CSI, OSC, ST, NEL...)
         || c == 0x061C || c == 0x200E || c == 0x200F     // ALM, LRM, RLM
         || (c >= 0x202A && c <= 0x202E)                  // LRE, RLE, PDF, LRO, RLO
         || (c >= 0x2066 && c <= 0x2069)                  // LRI, RLI, FSI, PDI
         || c == 0x2028 || c == 0x2029;                   // line and paragraph separators
}

void append_byte_escape(std::string& out, unsigned char byte) {
  out += "\\x";
  out += ascii::hex_digit(byte >> 4);
  out += ascii::hex_digit(byte);
}

void append_code_point_escape(std::string& out, char32_t c) {
  out += "\\u";
  for (int shift = 12; shift >= 0; shift -= 4) out += ascii::hex_digit(static_cast<unsigned>(c >> shift));
}

}  // namespace

std::string terminal_safe(std::string_view text, LineBreaks line_breaks) {
  std::string out;
  out.reserve(text.size());
  std::size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    if (byte >= 0x20 && byte < 0x7F) {
      out += static_cast<char>(byte);
      ++i;
    } else if (byte < 0x80) {  // C0 control or DEL
      if (byte == '\n' && line_breaks == LineBreaks::kKeep) {
        out += '\n';
      } else {
        append_byte_escape(out, byte);
      }
      ++i;
    } else {
      char32_t code_point = 0;
      const std::size_t length = decode_utf8(text, i, code_point);
      if (length == 0) {
        append_byte_escape(out, byte);
        ++i;
      } else {
        if (is_invisible_control(code_point)) {
          append_code_point_escape(out, code_point);
        } else {
          out.append(text.substr(i, length));
        }
        i += length;
      }
    }
  }
  return out;
}

}  // namespace vigie::outputs
