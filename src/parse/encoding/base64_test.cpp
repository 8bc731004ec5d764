// Unit tests of the lenient base64 decoder (RFC 2045 §6.8): clean input through the fast path,
// line-wrapped input, junk, padding in odd places, and the max_out limit.
#include <gtest/gtest.h>

#include <string>

#include "parse/encoding/transfer_decoding.h"

namespace vigie::parse {
namespace {

constexpr std::uint64_t kNoLimit = ~0ull;

std::string b64(std::string_view in, DecodeStats* stats = nullptr, std::uint64_t max_out = kNoLimit) {
  std::string out;
  const DecodeStats s = decode_base64(in, out, max_out);
  if (stats) *stats = s;
  return out;
}

// Reference encoder for round-trip tests.
std::string encode(std::string_view in, std::size_t wrap = 76) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out, line;
  std::size_t i = 0;
  auto put = [&](char c) {
    line.push_back(c);
    if (wrap != 0 && line.size() == wrap) {
      out += line + "\r\n";
      line.clear();
    }
  };
  for (; i + 3 <= in.size(); i += 3) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) |
                       (static_cast<unsigned char>(in[i + 1]) << 8) |
                       static_cast<unsigned char>(in[i + 2]);
    put(kAlphabet[v >> 18]);
    put(kAlphabet[(v >> 12) & 63]);
    put(kAlphabet[(v >> 6) & 63]);
    put(kAlphabet[v & 63]);
  }
  if (in.size() - i == 1) {
    const unsigned v = static_cast<unsigned char>(in[i]) << 16;
    put(kAlphabet[v >> 18]);
    put(kAlphabet[(v >> 12) & 63]);
    put('=');
    put('=');
  } else if (in.size() - i == 2) {
    const unsigned v = (static_cast<unsigned char>(in[i]) << 16) |
                       (static_cast<unsigned char>(in[i + 1]) << 8);
    put(kAlphabet[v >> 18]);
    put(kAlphabet[(v >> 12) & 63]);
    put(kAlphabet[(v >> 6) & 63]);
    put('=');
  }
  return out + line;
}

TEST(Base64Test, Rfc4648Vectors) {
  DecodeStats s;
  EXPECT_EQ(b64("", &s), "");
  EXPECT_EQ(s.invalid, 0u);
  EXPECT_EQ(b64("Zg==", &s), "f");
  EXPECT_EQ(s.invalid, 0u);
  EXPECT_EQ(b64("Zm8=", &s), "fo");
  EXPECT_EQ(s.invalid, 0u);
  EXPECT_EQ(b64("Zm9v"), "foo");
  EXPECT_EQ(b64("Zm9vYg=="), "foob");
  EXPECT_EQ(b64("Zm9vYmE="), "fooba");
  EXPECT_EQ(b64("Zm9vYmFy", &s), "foobar");
  EXPECT_EQ(s.invalid, 0u);
  EXPECT_FALSE(s.truncated);
}

TEST(Base64Test, AllByteValuesRoundTripThroughWrappedLines) {
  std::string data;
  for (int rep = 0; rep < 7; ++rep)
    for (int i = 0; i < 256; ++i) data.push_back(static_cast<char>(i));
  for (std::size_t len : {0u, 1u, 2u, 3u, 4u, 5u, 57u, 58u, 59u, 1000u, 1792u}) {
    DecodeStats s;
    const std::string part = data.substr(0, len);
    EXPECT_EQ(b64(encode(part), &s), part) << len;
    EXPECT_EQ(s.invalid, 0u) << len;
    EXPECT_EQ(b64(encode(part, 0)), part) << len;  // one long line
  }
}

TEST(Base64Test, WhitespaceAnywhereIsIgnoredWithoutCounting) {
  DecodeStats s;
  EXPECT_EQ(b64(" Zm9v\r\nY\tmFy \n", &s), "foobar");
  EXPECT_EQ(s.invalid, 0u);
  // A quantum split by a line break, then the fast path again.
  EXPECT_EQ(b64("SGVsbG8s\nIHdv\r\ncmxkIQ==", &s), "Hello, world!");
  EXPECT_EQ(s.invalid, 0u);
}

TEST(Base64Test, JunkCharactersSkippedAndCounted) {
  DecodeStats s;
  EXPECT_EQ(b64("Zm9v!YmFy", &s), "foobar");
  EXPECT_EQ(s.invalid, 1u);
  EXPECT_EQ(b64("Z*m-9.v", &s), "foo");
  EXPECT_EQ(s.invalid, 3u);
  EXPECT_EQ(b64("\x80\xff" "Zm9v", &s), "foo");
  EXPECT_EQ(s.invalid, 2u);
}

TEST(Base64Test, MissingPaddingDecodesWholeBytes) {
  DecodeStats s;
  EXPECT_EQ(b64("Zg", &s), "f");
  EXPECT_EQ(s.invalid, 0u);
  EXPECT_EQ(b64("Zm8", &s), "fo");
  EXPECT_EQ(s.invalid, 0u);
  EXPECT_EQ(b64("Zm9vY", &s), "foo");  // a lone sextet makes no byte
  EXPECT_EQ(s.invalid, 1u);
}

TEST(Base64Test, ExcessPaddingIsHarmless) {
  DecodeStats s;
  EXPECT_EQ(b64("Zg====", &s), "f");
  EXPECT_EQ(s.invalid, 0u);
  EXPECT_EQ(b64("Zm9v=", &s), "foo");
  EXPECT_EQ(s.invalid, 0u);
  EXPECT_EQ(b64("Zm8=\r\n=\r\n", &s), "fo");
  EXPECT_EQ(s.invalid, 0u);
}

TEST(Base64Test, PrematurePaddingContinuesAndCounts) {
  DecodeStats s;
  // Two encodings glued together (common when a tool concatenates chunks).
  EXPECT_EQ(b64("Zg==Zg==", &s), "ff");
  EXPECT_EQ(s.invalid, 2u);
  EXPECT_EQ(b64("Zm8=YmFy", &s), "fobar");
  EXPECT_EQ(s.invalid, 1u);
  // '=' at the first position of a quantum.
  EXPECT_EQ(b64("Zm9v=YmFy", &s), "foobar");
  EXPECT_EQ(s.invalid, 1u);
  // '=' after a single sextet: that sextet is lost.
  EXPECT_EQ(b64("Z=Zm9v", &s), "foo");
  EXPECT_EQ(s.invalid, 2u);
}

TEST(Base64Test, AppendsToExistingOutput) {
  std::string out = "prefix:";
  decode_base64("Zm9v", out, kNoLimit);
  EXPECT_EQ(out, "prefix:foo");
}

TEST(Base64Test, MaxOutTruncates) {
  DecodeStats s;
  EXPECT_EQ(b64("Zm9vYmFy", &s, 4), "foob");
  EXPECT_TRUE(s.truncated);
  EXPECT_EQ(b64("Zm9vYmFy", &s, 6), "foobar");
  EXPECT_FALSE(s.truncated);
  EXPECT_EQ(b64("Zm9vYmFy", &s, 0), "");
  EXPECT_TRUE(s.truncated);
  EXPECT_EQ(b64("Zm9vYg==", &s, 3), "foo");
  EXPECT_TRUE(s.truncated);
  EXPECT_EQ(b64("Zm9vYg", &s, 3), "foo");
  EXPECT_TRUE(s.truncated);
  // Exactly full, only padding and whitespace left: not truncated.
  EXPECT_EQ(b64("Zm9v\r\n==\r\n", &s, 3), "foo");
  EXPECT_FALSE(s.truncated);
}

TEST(Base64Test, HugeInputAgainstLimit) {
  const std::string data(3 * 1000 * 1000, 'A');
  const std::string enc = encode(data);
  DecodeStats s;
  const std::string out = b64(enc, &s, 1 << 20);
  EXPECT_EQ(out.size(), 1u << 20);
  EXPECT_EQ(out, data.substr(0, 1 << 20));
  EXPECT_TRUE(s.truncated);
  EXPECT_EQ(b64(enc, &s), data);
  EXPECT_FALSE(s.truncated);
}

TEST(Base64Test, GarbageOnlyNeverCrashes) {
  std::string junk;
  for (int i = 0; i < 4096; ++i) junk.push_back(static_cast<char>((i * 37) & 0xFF));
  DecodeStats s;
  const std::string out = b64(junk, &s);
  EXPECT_LE(out.size(), junk.size());
  EXPECT_GT(s.invalid, 0u);
  EXPECT_EQ(b64("====", &s), "");
  EXPECT_EQ(s.invalid, 0u);
}

}  // namespace
}  // namespace vigie::parse
