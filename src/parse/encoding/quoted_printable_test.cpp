// Unit tests of the quoted-printable body decoder (RFC 2045 §6.7): escapes, soft breaks,
// transport padding, invalid escapes kept literally, and the max_out limit.
#include <gtest/gtest.h>

#include <random>
#include <string>

#include "parse/encoding/transfer_decoding.h"

namespace vigie::parse {
namespace {

constexpr std::uint64_t kNoLimit = ~0ull;

std::string qp(std::string_view in, DecodeStats* stats = nullptr, std::uint64_t max_out = kNoLimit) {
  std::string out;
  const DecodeStats s = decode_quoted_printable(in, out, max_out);
  if (stats) *stats = s;
  return out;
}

// Straightforward line-by-line reading of RFC 2045 §6.7, used as the oracle for the optimized
// decoder on random input.
std::string reference_qp(std::string_view in, std::uint64_t* invalid) {
  std::string out;
  std::size_t pos = 0;
  while (pos <= in.size()) {
    const std::size_t nl = in.find('\n', pos);
    std::string_view line = in.substr(pos, nl == std::string_view::npos ? std::string_view::npos : nl - pos);
    const bool crlf = nl != std::string_view::npos && !line.empty() && line.back() == '\r';
    if (crlf) line.remove_suffix(1);
    while (!line.empty() && (line.back() == ' ' || line.back() == '\t')) line.remove_suffix(1);
    auto hex = [](char c) {
      if (c >= '0' && c <= '9') return c - '0';
      if (c >= 'A' && c <= 'F') return c - 'A' + 10;
      if (c >= 'a' && c <= 'f') return c - 'a' + 10;
      return -1;
    };
    bool soft = false;
    for (std::size_t i = 0; i < line.size();) {
      if (line[i] != '=') {
        out.push_back(line[i++]);
      } else if (i + 2 < line.size() && hex(line[i + 1]) >= 0 && hex(line[i + 2]) >= 0) {
        out.push_back(static_cast<char>(hex(line[i + 1]) * 16 + hex(line[i + 2])));
        i += 3;
      } else if (i + 1 == line.size()) {
        soft = true;  // '=' then only (stripped) blanks: soft line break
        break;
      } else {
        // A bad '=' and up to two following bytes (not a CR) are copied as one literal group.
        ++*invalid;
        std::size_t n = 1;
        while (n < 3 && i + n < line.size() && line[i + n] != '\r') ++n;
        out.append(line.substr(i, n));
        i += n;
      }
    }
    if (nl == std::string_view::npos) break;
    if (!soft) out += crlf ? "\r\n" : "\n";
    pos = nl + 1;
  }
  return out;
}

TEST(QuotedPrintableTest, RandomInputMatchesReferenceOnAllPaths) {
  static const char* const kPieces[] = {"=", "A", "3", "d", " ", "\t", "\r", "\n", "x", "=\r\n",
                                        "=4", "=41", "=c3=A9", "\r\n", "plain text ", "=\n", "  "};
  std::mt19937 rng(7);
  for (int iter = 0; iter < 3000; ++iter) {
    std::string in;
    const int n = static_cast<int>(rng() % 60);
    for (int i = 0; i < n; ++i) in += kPieces[rng() % (sizeof kPieces / sizeof *kPieces)];
    std::uint64_t ref_invalid = 0;
    const std::string ref = reference_qp(in, &ref_invalid);
    DecodeStats s;
    EXPECT_EQ(qp(in, &s), ref) << in;
    EXPECT_EQ(s.invalid, ref_invalid) << in;
    EXPECT_FALSE(s.truncated);
    // A binding limit sends the tail through the bounded decoder: same bytes, cut at the limit.
    for (std::uint64_t limit : {std::uint64_t{0}, std::uint64_t{ref.size() / 2}, std::uint64_t{ref.size()},
                                std::uint64_t{in.size() > 0 ? in.size() - 1 : 0}}) {
      const std::string cut = qp(in, &s, limit);
      EXPECT_EQ(cut, ref.substr(0, limit)) << in << " limit " << limit;
      EXPECT_EQ(s.truncated, ref.size() > limit) << in << " limit " << limit;
    }
  }
}

TEST(QuotedPrintableTest, PlainTextUnchanged) {
  DecodeStats s;
  EXPECT_EQ(qp("Hello, world!\r\nSecond line\r\n", &s), "Hello, world!\r\nSecond line\r\n");
  EXPECT_EQ(s.invalid, 0u);
  EXPECT_EQ(qp(""), "");
}

TEST(QuotedPrintableTest, EscapesEitherCase) {
  DecodeStats s;
  EXPECT_EQ(qp("caf=C3=A9 =3D equal", &s), "caf\xC3\xA9 = equal");
  EXPECT_EQ(s.invalid, 0u);
  EXPECT_EQ(qp("caf=c3=a9", &s), "caf\xC3\xA9");
  EXPECT_EQ(s.invalid, 0u);
  EXPECT_EQ(qp("=00=FF=7f"), std::string("\x00\xFF\x7F", 3));
}

TEST(QuotedPrintableTest, SoftLineBreaks) {
  DecodeStats s;
  EXPECT_EQ(qp("long li=\r\nne\r\n", &s), "long line\r\n");
  EXPECT_EQ(qp("long li=\nne\n", &s), "long line\n");
  // Whitespace after the soft-break '=' is transport padding (§6.7 rule 3).
  EXPECT_EQ(qp("abc= \t\r\ndef", &s), "abcdef");
  EXPECT_EQ(qp("=3D=\r\nx", &s), "=x");
  EXPECT_EQ(s.invalid, 0u);
}

TEST(QuotedPrintableTest, TrailingWhitespaceStripped) {
  DecodeStats s;
  EXPECT_EQ(qp("text   \r\nmore\t \nend  ", &s), "text\r\nmore\nend");
  EXPECT_EQ(s.invalid, 0u);
  // Encoded whitespace is data and stays.
  EXPECT_EQ(qp("text=20\r\n"), "text \r\n");
  EXPECT_EQ(qp("text=09 \r\n"), "text\t\r\n");
}

TEST(QuotedPrintableTest, InvalidEscapesKeptLiterallyAndCounted) {
  DecodeStats s;
  EXPECT_EQ(qp("a=XYb", &s), "a=XYb");
  EXPECT_EQ(s.invalid, 1u);
  EXPECT_EQ(qp("100=% sure", &s), "100=% sure");
  EXPECT_EQ(s.invalid, 1u);
  EXPECT_EQ(qp("=4", &s), "=4");
  EXPECT_EQ(s.invalid, 1u);
  EXPECT_EQ(qp("=4\r\nx", &s), "=4\r\nx");
  EXPECT_EQ(s.invalid, 1u);
  EXPECT_EQ(qp("x=G1=41", &s), "x=G1A");
  EXPECT_EQ(s.invalid, 1u);
  // "==41": the bad group "==4" is copied whole, as Thunderbird and GMime do; the second '=' is
  // not re-read as an escape.
  EXPECT_EQ(qp("==41", &s), "==41");
  EXPECT_EQ(s.invalid, 1u);
  // A run of '=' at the end of a line is literal text, not a soft break (hard-ham-1/00005).
  EXPECT_EQ(qp("======\nx", &s), "======\nx");
  EXPECT_EQ(s.invalid, 2u);
}

TEST(QuotedPrintableTest, LoneEqualsAtEndDropped) {
  DecodeStats s;
  EXPECT_EQ(qp("abc=", &s), "abc");
  EXPECT_EQ(s.invalid, 0u);
  EXPECT_EQ(qp("=", &s), "");
  EXPECT_EQ(qp("abc=  ", &s), "abc");
}

TEST(QuotedPrintableTest, BareCrKeptAndEightBitPassesThrough) {
  EXPECT_EQ(qp("a\rb\r\n"), "a\rb\r\n");
  EXPECT_EQ(qp("caf\xE9\r\n"), "caf\xE9\r\n");
}

TEST(QuotedPrintableTest, EmptyLinesPreserved) {
  EXPECT_EQ(qp("\r\n\r\n=\r\n\n"), "\r\n\r\n\n");
}

TEST(QuotedPrintableTest, MaxOutTruncates) {
  DecodeStats s;
  EXPECT_EQ(qp("hello world", &s, 5), "hello");
  EXPECT_TRUE(s.truncated);
  EXPECT_EQ(qp("=41=42=43", &s, 2), "AB");
  EXPECT_TRUE(s.truncated);
  EXPECT_EQ(qp("ab\r\ncd", &s, 3), "ab\r");
  EXPECT_TRUE(s.truncated);
  EXPECT_EQ(qp("abc\r\n", &s, 5), "abc\r\n");
  EXPECT_FALSE(s.truncated);
  EXPECT_EQ(qp("abc=\r\n", &s, 3), "abc");
  EXPECT_FALSE(s.truncated);
}

TEST(QuotedPrintableTest, HugeInputAgainstLimit) {
  std::string in;
  for (int i = 0; i < 100000; ++i) in += "caf=C3=A9 au lait, tr=C3=A8s bon ! =\r\n";
  DecodeStats s;
  std::string out = qp(in, &s);
  EXPECT_FALSE(s.truncated);
  EXPECT_EQ(out.size(), 100000u * 27u);
  EXPECT_EQ(out.substr(0, 27), "caf\xC3\xA9 au lait, tr\xC3\xA8s bon ! ");
  out = qp(in, &s, 1000);
  EXPECT_EQ(out.size(), 1000u);
  EXPECT_TRUE(s.truncated);
}

TEST(QuotedPrintableTest, AppendsToExistingOutput) {
  std::string out = "x";
  decode_quoted_printable("=41", out, kNoLimit);
  EXPECT_EQ(out, "xA");
}

}  // namespace
}  // namespace vigie::parse
