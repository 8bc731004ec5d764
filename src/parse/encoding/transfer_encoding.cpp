// Base64 and quoted-printable encoders (RFC 2045 §6.7, §6.8). Written for correctness on any
// bytes rather than speed: they run on the few body parts that get a banner, not on every scan.
#include "parse/encoding/transfer_encoding.h"

namespace vigie::parse {
namespace {

constexpr char kBase64Alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
constexpr char kHex[] = "0123456789ABCDEF";

void append_escape(std::string& out, unsigned char c) {
  out += '=';
  out += kHex[c >> 4];
  out += kHex[c & 0x0f];
}

}  // namespace

std::string encode_base64(std::string_view data, std::size_t line_length) {
  line_length = line_length < 4 ? 4 : line_length - line_length % 4;
  std::string out;
  const std::size_t encoded = (data.size() + 2) / 3 * 4;
  out.reserve(encoded + encoded / line_length * 2 + 2);
  std::size_t column = 0;
  const auto put = [&](char c) {
    if (column == line_length) {
      out += "\r\n";
      column = 0;
    }
    out += c;
    ++column;
  };
  std::size_t i = 0;
  for (; i + 3 <= data.size(); i += 3) {
    const auto a = static_cast<unsigned char>(data[i]);
    const auto b = static_cast<unsigned char>(data[i + 1]);
    const auto c = static_cast<unsigned char>(data[i + 2]);
    put(kBase64Alphabet[a >> 2]);
    put(kBase64Alphabet[((a & 0x03) << 4) | (b >> 4)]);
    put(kBase64Alphabet[((b & 0x0f) << 2) | (c >> 6)]);
    put(kBase64Alphabet[c & 0x3f]);
  }
  if (const std::size_t rest = data.size() - i; rest > 0) {
    const auto a = static_cast<unsigned char>(data[i]);
    const auto b = rest == 2 ? static_cast<unsigned char>(data[i + 1]) : 0;
    put(kBase64Alphabet[a >> 2]);
    put(kBase64Alphabet[((a & 0x03) << 4) | (b >> 4)]);
    put(rest == 2 ? kBase64Alphabet[(b & 0x0f) << 2] : '=');
    put('=');
  }
  return out;
}

std::string encode_quoted_printable(std::string_view text) {
  constexpr std::size_t kMaxLine = 76;  // RFC 2045 §6.7 rule 5, the soft break's '=' included
  std::string out;
  out.reserve(text.size() + text.size() / 8 + 8);
  std::size_t line_start = 0;
  while (line_start <= text.size()) {
    std::size_t line_end = text.find('\n', line_start);
    const bool last = line_end == std::string_view::npos;
    if (last) line_end = text.size();
    std::string_view line = text.substr(line_start, line_end - line_start);
    if (!last && !line.empty() && line.back() == '\r') line.remove_suffix(1);
    std::size_t column = 0;
    for (std::size_t i = 0; i < line.size(); ++i) {
      const auto c = static_cast<unsigned char>(line[i]);
      const bool at_line_start = column == 0 && i == 0;
      const bool line_end_blank = (c == ' ' || c == '\t') && i + 1 == line.size();
      const bool escape = c == '=' || (c < 0x20 && c != '\t') || c > 0x7e || line_end_blank ||
                          (at_line_start && (c == '.' || (c == 'F' && line.substr(i).starts_with("From "))));
      const std::size_t width = escape ? 3 : 1;
      // Keep room for the soft break's '=' unless this is the line's last character.
      const bool last_char = i + 1 == line.size();
      if (column + width > (last_char ? kMaxLine : kMaxLine - 1)) {
        out += "=\r\n";
        column = 0;
      }
      // After a soft break a '.' or "From " starts a physical line again.
      const bool starts_physical_line = column == 0;
      if (escape || (starts_physical_line && (c == '.' || (c == 'F' && line.substr(i).starts_with("From "))))) {
        append_escape(out, c);
        column += 3;
      } else {
        out += static_cast<char>(c);
        ++column;
      }
    }
    if (last) break;
    out += "\r\n";
    line_start = line_end + 1;
  }
  return out;
}

}  // namespace vigie::parse
