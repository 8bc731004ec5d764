// The encoders against the project's own decoders: every output decodes back to its input, and
// the output obeys RFC 2045's line rules.
#include <gtest/gtest.h>

#include <string>

#include "parse/encoding/transfer_decoding.h"
#include "parse/encoding/transfer_encoding.h"

namespace vigie::parse {
namespace {

std::string lf(std::string_view crlf) {
  std::string out;
  for (std::size_t i = 0; i < crlf.size(); ++i) {
    if (crlf[i] == '\r' && i + 1 < crlf.size() && crlf[i + 1] == '\n') continue;
    out += crlf[i];
  }
  return out;
}

void expect_short_lines(const std::string& encoded, std::size_t max) {
  std::size_t start = 0;
  while (start < encoded.size()) {
    std::size_t end = encoded.find("\r\n", start);
    if (end == std::string::npos) end = encoded.size();
    EXPECT_LE(end - start, max) << encoded.substr(start, end - start);
    EXPECT_EQ(encoded.substr(start, end - start).find('\n'), std::string::npos) << "bare LF";
    start = end + 2;
  }
}

TEST(TransferEncodingTest, Base64RoundTripsAnyBytesIn76ColumnLines) {
  EXPECT_EQ(encode_base64(""), "");
  EXPECT_EQ(encode_base64("f"), "Zg==");
  EXPECT_EQ(encode_base64("fo"), "Zm8=");
  EXPECT_EQ(encode_base64("foo"), "Zm9v");
  std::string bytes;
  for (int i = 0; i < 1000; ++i) bytes += static_cast<char>(i * 37 % 256);
  const std::string encoded = encode_base64(bytes);
  expect_short_lines(encoded, 76);
  EXPECT_EQ(encoded.find("\r\n"), 76u);
  std::string decoded;
  const DecodeStats stats = decode_base64(encoded, decoded, 1 << 20);
  EXPECT_EQ(stats.invalid, 0u);
  EXPECT_EQ(decoded, bytes);
}

TEST(TransferEncodingTest, QuotedPrintableRoundTripsTextWithHardLineBreaks) {
  const std::string text =
      "Caf\xc3\xa9 = 1\r\n"
      ".a line starting with a dot\r\n"
      "From the start of a line\r\n"
      "trailing space \r\n"
      "tab\there\r\n" +
      std::string(200, 'x') + "\r\n" + std::string(100, '=') + "\r\nno final break";
  const std::string encoded = encode_quoted_printable(text);
  expect_short_lines(encoded, 76);
  EXPECT_NE(encoded.find("Caf=C3=A9 =3D 1\r\n"), std::string::npos) << encoded;
  EXPECT_NE(encoded.find("\r\n=2Ea line"), std::string::npos) << encoded;
  EXPECT_NE(encoded.find("\r\n=46rom the"), std::string::npos) << encoded;
  EXPECT_NE(encoded.find("space=20\r\n"), std::string::npos) << encoded;
  std::string decoded;
  const DecodeStats stats = decode_quoted_printable(encoded, decoded, 1 << 20);
  EXPECT_EQ(stats.invalid, 0u);
  EXPECT_EQ(lf(decoded), lf(text));
  // Bare LF input is written with CRLF; a final line break stays one.
  EXPECT_EQ(encode_quoted_printable("a\nb\n"), "a\r\nb\r\n");
}

}  // namespace
}  // namespace vigie::parse
