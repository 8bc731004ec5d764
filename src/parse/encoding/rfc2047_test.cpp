// Unit tests of RFC 2047 encoded-word decoding: the RFC's own examples (§8), charsets that need
// ICU, words split inside a character, and the malformed forms clients accept.
#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "parse/encoding/rfc2047.h"

namespace vigie::parse {
namespace {

struct Decoded {
  std::string text;
  EncodedWordStats stats;
};

Decoded dec(std::string_view value) {
  Decoded d;
  d.stats = decode_encoded_words(value, d.text);
  return d;
}

TEST(Rfc2047Test, PlainValuesPassThrough) {
  auto d = dec("Hello world");
  EXPECT_EQ(d.text, "Hello world");
  EXPECT_EQ(d.stats.words, 0u);
  EXPECT_EQ(d.stats.malformed, 0u);
  EXPECT_EQ(dec("").text, "");
  EXPECT_EQ(dec("Caf\xC3\xA9 \xF0\x9F\x98\x80").text, "Caf\xC3\xA9 \xF0\x9F\x98\x80");  // RFC 6532
  EXPECT_EQ(dec("Caf\xE9").text, "Caf\xC3\xA9");                 // raw 8-bit latin-1
  EXPECT_EQ(dec("\xF0\xD2\xC9\xD7\xC5\xD4 \xCD\xC9\xD2").text, "Привет мир");  // raw KOI8-R
}

TEST(Rfc2047Test, Rfc2047Section8Examples) {
  EXPECT_EQ(dec("=?US-ASCII?Q?Keith_Moore?= <moore@cs.utk.edu>").text,
            "Keith Moore <moore@cs.utk.edu>");
  EXPECT_EQ(dec("=?ISO-8859-1?Q?Keld_J=F8rn_Simonsen?= <keld@dkuug.dk>").text,
            "Keld Jørn Simonsen <keld@dkuug.dk>");
  EXPECT_EQ(dec("=?ISO-8859-1?Q?Andr=E9?= Pirard <PIRARD@vm1.ulg.ac.be>").text,
            "André Pirard <PIRARD@vm1.ulg.ac.be>");
  auto d = dec("=?ISO-8859-1?B?SWYgeW91IGNhbiByZWFkIHRoaXMgeW8=?=\r\n"
               "    =?ISO-8859-2?B?dSB1bmRlcnN0YW5kIHRoZSBleGFtcGxlLg==?=");
  EXPECT_EQ(d.text, "If you can read this you understand the example.");
  EXPECT_EQ(d.stats.words, 2u);
  EXPECT_EQ(d.stats.malformed, 0u);
  EXPECT_EQ(dec("(=?ISO-8859-1?Q?a?=)").text, "(a)");
  EXPECT_EQ(dec("(=?ISO-8859-1?Q?a?=)").stats.malformed, 0u);
  EXPECT_EQ(dec("(=?ISO-8859-1?Q?a?= b)").text, "(a b)");
  EXPECT_EQ(dec("(=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=)").text, "(ab)");
  EXPECT_EQ(dec("(=?ISO-8859-1?Q?a?=  =?ISO-8859-1?Q?b?=)").text, "(ab)");
  EXPECT_EQ(dec("(=?ISO-8859-1?Q?a?=\r\n    =?ISO-8859-1?Q?b?=)").text, "(ab)");
  EXPECT_EQ(dec("(=?ISO-8859-1?Q?a_b?=)").text, "(a b)");
  EXPECT_EQ(dec("(=?ISO-8859-1?Q?a?= =?ISO-8859-2?Q?_b?=)").text, "(a b)");
}

TEST(Rfc2047Test, BAndQCaseInsensitive) {
  EXPECT_EQ(dec("=?utf-8?b?Zm9v?=").text, "foo");
  EXPECT_EQ(dec("=?UTF-8?B?Zm9v?=").text, "foo");
  EXPECT_EQ(dec("=?Utf-8?q?caf=c3=a9?=").text, "caf\xC3\xA9");
  EXPECT_EQ(dec("=?utf-8?Q?caf=C3=A9?=").text, "caf\xC3\xA9");
  EXPECT_EQ(dec("=?utf-8?b?X19f?=").text, "___");  // '_' is a space only in Q
  EXPECT_EQ(dec("=?utf-8?B?QQ==?=").text, "A");
}

TEST(Rfc2047Test, LegacyCharsets) {
  EXPECT_EQ(dec("=?ISO-8859-1?Q?caf=E9_cr=E8me?=").text, "café crème");
  EXPECT_EQ(dec("=?iso-8859-1?q?=80_5?=").text, "€ 5");  // read as windows-1252
  EXPECT_EQ(dec("=?KOI8-R?Q?=F0=D2=C9=D7=C5=D4?=").text, "Привет");
  EXPECT_EQ(dec("=?koi8-r?B?8NLJ18XUIM3J0g==?=").text, "Привет мир");
  EXPECT_EQ(dec("=?shift_jis?B?k/qWe4zqgsyDZYNYg2c=?=").text, "日本語のテスト");
  EXPECT_EQ(dec("=?gb2312?B?1tDOxLLiytQ=?=").text, "中文测试");
  EXPECT_EQ(dec("=?GB2312?B?6UbW0A==?=").text, "镕中");  // GBK-only character under gb2312
  EXPECT_EQ(dec("=?ISO-2022-JP?B?GyRCRnxLXBsoQg==?=").text, "日本");
  EXPECT_EQ(dec("=?ks_c_5601-1987?B?vsiz58fPvLy/5A==?=").text, "안녕하세요");
  EXPECT_EQ(dec("=?windows-1251?Q?=CF=F0=E8=E2=E5=F2?=").text, "Привет");
}

TEST(Rfc2047Test, Emoji) {
  EXPECT_EQ(dec("=?UTF-8?B?SGkg8J+YgCE=?=").text, "Hi \xF0\x9F\x98\x80!");
  EXPECT_EQ(dec("=?utf-8?q?=F0=9F=98=80?=").text, "\xF0\x9F\x98\x80");
}

TEST(Rfc2047Test, CharacterSplitAcrossWordsIsJoinedBeforeConversion) {
  auto d = dec("=?UTF-8?Q?caf=C3?= =?UTF-8?Q?=A9?=");
  EXPECT_EQ(d.text, "caf\xC3\xA9");
  EXPECT_EQ(d.stats.words, 2u);
  EXPECT_EQ(dec("=?utf-8?b?ww==?= =?utf-8?b?qQ==?=").text, "\xC3\xA9");
  EXPECT_EQ(dec("=?utf-8?B?0J/RgNA=?=\r\n =?utf-8?B?uNCy0LXRgg==?=").text, "Привет");
  EXPECT_EQ(dec("=?utf-8?q?=F0=9F?=\t=?utf-8?q?=98=80?=").text, "\xF0\x9F\x98\x80");
  // Same charset spelled differently, with a language suffix, B then Q.
  EXPECT_EQ(dec("=?utf-8*en?B?8J+Y?= =?UTF8?Q?=80?=").text, "\xF0\x9F\x98\x80");
  // Multibyte legacy charset split in two words.
  EXPECT_EQ(dec("=?shift_jis?Q?=93?= =?shift_jis?Q?=FA?=").text, "日");
}

TEST(Rfc2047Test, DifferentCharsetsAdjacent) {
  auto d = dec("=?iso-8859-1?q?caf=E9?= =?koi8-r?q?=F0?=");
  EXPECT_EQ(d.text, "caf\xC3\xA9П");
  EXPECT_EQ(d.stats.words, 2u);
  // A split character cannot be rebuilt across different charsets: two U+FFFD.
  EXPECT_EQ(dec("=?utf-8?q?=C3?= =?iso-8859-1?q?=A9?=").text, "\xEF\xBF\xBD\xC2\xA9");
}

TEST(Rfc2047Test, Rfc2231LanguageSuffix) {
  auto d = dec("=?utf-8*en?Q?hello?=");
  EXPECT_EQ(d.text, "hello");
  EXPECT_EQ(d.stats.malformed, 0u);
  EXPECT_FALSE(d.stats.unknown_charset);
  EXPECT_EQ(dec("=?ISO-8859-1*fr-CA?Q?=E9t=E9?=").text, "été");
}

TEST(Rfc2047Test, WhitespaceBetweenWordsAndTextIsKept) {
  EXPECT_EQ(dec("Re: =?utf-8?q?caf=C3=A9?= again").text, "Re: caf\xC3\xA9 again");
  EXPECT_EQ(dec("  =?utf-8?q?x?=  ").text, "  x  ");
  EXPECT_EQ(dec("=?utf-8?q?a?= - =?utf-8?q?b?=").text, "a - b");
}

TEST(Rfc2047Test, GluedToTextIsDecodedAndCounted) {
  auto d = dec("abc=?utf-8?q?x?=def");
  EXPECT_EQ(d.text, "abcxdef");
  EXPECT_EQ(d.stats.words, 1u);
  EXPECT_EQ(d.stats.malformed, 1u);
  d = dec("=?utf-8?q?a?==?utf-8?q?b?=");
  EXPECT_EQ(d.text, "ab");
  EXPECT_EQ(d.stats.words, 2u);
  EXPECT_EQ(d.stats.malformed, 2u);
  d = dec("\"=?utf-8?q?Name?=\" <a@b.c>");
  EXPECT_EQ(d.text, "\"Name\" <a@b.c>");
  EXPECT_EQ(d.stats.malformed, 1u);
}

TEST(Rfc2047Test, SpacesInsideQWordTolerated) {
  auto d = dec("=?utf-8?q?hello world?=");
  EXPECT_EQ(d.text, "hello world");
  EXPECT_EQ(d.stats.words, 1u);
  EXPECT_EQ(d.stats.malformed, 1u);
  EXPECT_EQ(dec("=?iso-8859-1?Q?Caf=E9 au lait?= ok").text, "Café au lait ok");
}

TEST(Rfc2047Test, MissingTerminatorAtEnd) {
  auto d = dec("Subject: =?utf-8?q?caf=C3=A9");
  EXPECT_EQ(d.text, "Subject: caf\xC3\xA9");
  EXPECT_EQ(d.stats.words, 1u);
  EXPECT_EQ(d.stats.malformed, 1u);
  EXPECT_EQ(dec("=?utf-8?q?abc?").text, "abc");
  EXPECT_EQ(dec("=?utf-8?b?Y2Fm").text, "caf");
  EXPECT_EQ(dec("=?utf-8?b?Y2Fm?").text, "caf");
  d = dec("x =?utf-8?q?");
  EXPECT_EQ(d.text, "x ");
  EXPECT_EQ(d.stats.malformed, 1u);
}

TEST(Rfc2047Test, MissingTerminatorBeforeNextWord) {
  auto d = dec("=?utf-8?q?abc =?utf-8?q?def?= tail");
  EXPECT_EQ(d.text, "abcdef tail");
  EXPECT_EQ(d.stats.words, 2u);
  EXPECT_EQ(d.stats.malformed, 1u);
}

TEST(Rfc2047Test, EmptyWords) {
  auto d = dec("=?utf-8?q?\?=");
  EXPECT_EQ(d.text, "");
  EXPECT_EQ(d.stats.words, 1u);
  EXPECT_EQ(d.stats.malformed, 1u);
  EXPECT_EQ(dec("a =?utf-8?q?\?= b").text, "a  b");
  EXPECT_EQ(dec("=?utf-8?b?\?= =?utf-8?q?x?=").text, "x");
}

TEST(Rfc2047Test, UnknownCharsetDecodedLeniently) {
  auto d = dec("=?x-bogus?Q?caf=E9?=");
  EXPECT_EQ(d.text, "caf\xC3\xA9");  // windows-1252 fallback
  EXPECT_TRUE(d.stats.unknown_charset);
  EXPECT_EQ(d.stats.words, 1u);
  d = dec("=?x-bogus?B?Y2Fmw6k=?=");
  EXPECT_EQ(d.text, "caf\xC3\xA9");  // valid UTF-8 kept
  EXPECT_TRUE(d.stats.unknown_charset);
  d = dec("=?unknown-8bit?Q?caf=E9?=");
  EXPECT_EQ(d.text, "caf\xC3\xA9");
  EXPECT_FALSE(d.stats.unknown_charset);  // a placeholder, not an unknown name
}

TEST(Rfc2047Test, InvalidBase64InWordStillDecoded) {
  auto d = dec("=?utf-8?b?Zm9v!YmFy?=");
  EXPECT_EQ(d.text, "foobar");
  EXPECT_EQ(d.stats.malformed, 1u);
  EXPECT_EQ(dec("=?utf-8?b?Zm9vYg?=").text, "foob");  // missing padding: not malformed
  EXPECT_EQ(dec("=?utf-8?b?Zm9vYg?=").stats.malformed, 0u);
  EXPECT_EQ(dec("=?utf-8?b?Zm 9v?=").text, "foo");
}

TEST(Rfc2047Test, InvalidQEscapesKeptLiterally) {
  auto d = dec("=?utf-8?q?100=%_sure?=");
  EXPECT_EQ(d.text, "100=% sure");
  EXPECT_EQ(d.stats.malformed, 1u);
}

TEST(Rfc2047Test, InvalidUtf8InWordReplaced) {
  EXPECT_EQ(dec("=?utf-8?q?a=FFb?=").text, "a\xEF\xBF\xBD" "b");
}

TEST(Rfc2047Test, NotEncodedWordsLeftAlone) {
  for (const char* v : {"a=?b", "=?", "=?utf-8", "=?utf-8?", "=??q?abc?=", "what =? is this ?=",
                        "=?utf 8?q?x?=", "1+1=?2"}) {
    const auto d = dec(v);
    EXPECT_EQ(d.text, v) << v;
    EXPECT_EQ(d.stats.words, 0u) << v;
  }
  auto d = dec("=?utf-8?x?abc?=");
  EXPECT_EQ(d.text, "=?utf-8?x?abc?=");
  EXPECT_EQ(d.stats.words, 0u);
  EXPECT_EQ(d.stats.malformed, 1u);
  // "=?" that is not a word, followed by a real one.
  EXPECT_EQ(dec("=?=?utf-8?q?x?=").text, "=?x");
}

TEST(Rfc2047Test, RawEightBitAroundWords) {
  EXPECT_EQ(dec("Caf\xC3\xA9 =?utf-8?q?x?=").text, "Caf\xC3\xA9 x");
  EXPECT_EQ(dec("Caf\xE9 =?utf-8?q?x?= cr\xE8me").text, "Caf\xC3\xA9 x cr\xC3\xA8me");
}

TEST(Rfc2047Test, AppendsToOutput) {
  std::string out = "Subject: ";
  decode_encoded_words("=?utf-8?q?x?=", out);
  EXPECT_EQ(out, "Subject: x");
}

TEST(Rfc2047Test, HugeInputsStayBoundedAndLinear) {
  // Many valid words.
  std::string v;
  for (int i = 0; i < 20000; ++i) v += "=?utf-8?b?8J+YgA==?= ";
  auto d = dec(v);
  EXPECT_EQ(d.stats.words, 20000u);
  EXPECT_EQ(d.text.size(), 20000u * 4u + 1u);  // + the final space
  // Unterminated word starts: each ends at the next; must not go quadratic.
  std::string flood;
  for (int i = 0; i < 100000; ++i) flood += "=?a?q?x ";
  const auto start = std::chrono::steady_clock::now();
  d = dec(flood);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_LT(elapsed, std::chrono::seconds(5));
  EXPECT_EQ(d.stats.words, 100000u);
  EXPECT_EQ(d.text, std::string(100000, 'x') + " ");
  EXPECT_TRUE(d.stats.unknown_charset);
  // Worst expansion: every byte becomes U+FFFD; output stays within 4x the input.
  std::string bad;
  for (int i = 0; i < 10000; ++i) bad += "=?utf-8?b?////////?= ";
  d = dec(bad);
  EXPECT_LE(d.text.size(), bad.size() * 4 + 64);
  EXPECT_EQ(d.text.substr(0, 6), "\xEF\xBF\xBD\xEF\xBF\xBD");
  // Long raw junk.
  std::string junk;
  for (int i = 0; i < 100000; ++i) junk.push_back(static_cast<char>((i * 7919) & 0xFF));
  d = dec(junk);
  EXPECT_LE(d.text.size(), junk.size() * 4 + 64);
}

}  // namespace
}  // namespace vigie::parse
