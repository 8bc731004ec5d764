// Unit tests of charset resolution and conversion to UTF-8: fast paths, the alias table for names
// mail software gets wrong, detection of undeclared 8-bit text, and invalid input.
#include <gtest/gtest.h>

#include <string>
#include <thread>
#include <vector>

#include "parse/encoding/charset.h"

namespace vigie::parse {
namespace {

struct Converted {
  std::string text;
  CharsetConversion info;
};

Converted conv(std::string_view bytes, std::string_view charset) {
  Converted c;
  c.info = convert_to_utf8(bytes, charset, c.text);
  return c;
}

TEST(CharsetTest, ToUtf8TextKeepsTextThatNeedsNoConversion) {
  std::string storage = "left over";
  const std::string_view ascii = "plain ascii under a latin-1 label";
  const Utf8Text kept = to_utf8_text(ascii, "iso-8859-1", storage);
  EXPECT_EQ(kept.text.data(), ascii.data());  // a view of the input, not a copy
  EXPECT_TRUE(kept.conversion.unchanged);
  EXPECT_EQ(kept.conversion.charset_used, "windows-1252");

  const Utf8Text converted = to_utf8_text("caf\xE9", "iso-8859-1", storage);
  EXPECT_EQ(converted.text, "caf\xC3\xA9");
  EXPECT_EQ(converted.text.data(), storage.data());
  EXPECT_FALSE(converted.conversion.unchanged);

  // Same result as convert_to_utf8 either way.
  EXPECT_EQ(conv("caf\xE9", "iso-8859-1").text, converted.text);
  EXPECT_TRUE(conv(ascii, "iso-8859-1").info.unchanged);
}

TEST(CharsetTest, IsValidUtf8) {
  EXPECT_TRUE(is_valid_utf8(""));
  EXPECT_TRUE(is_valid_utf8("plain ascii text, long enough for the 8-byte loop"));
  EXPECT_TRUE(is_valid_utf8("caf\xC3\xA9 \xE2\x82\xAC \xF0\x9F\x98\x80"));
  EXPECT_TRUE(is_valid_utf8("\xF4\x8F\xBF\xBF"));      // U+10FFFF
  EXPECT_FALSE(is_valid_utf8("caf\xE9"));              // latin-1
  EXPECT_FALSE(is_valid_utf8("\xC0\xAF"));             // overlong '/'
  EXPECT_FALSE(is_valid_utf8("\xE0\x80\xAF"));         // overlong
  EXPECT_FALSE(is_valid_utf8("\xED\xA0\x80"));         // surrogate U+D800
  EXPECT_FALSE(is_valid_utf8("\xF4\x90\x80\x80"));     // above U+10FFFF
  EXPECT_FALSE(is_valid_utf8("\xF5\x80\x80\x80"));
  EXPECT_FALSE(is_valid_utf8("abcdefgh\xC3"));         // truncated at end
  EXPECT_FALSE(is_valid_utf8("\xE2\x82"));
  EXPECT_FALSE(is_valid_utf8("\x80"));                 // lone continuation
}

TEST(CharsetTest, CheckUtf8FindsANulAnywhere) {
  // A NUL at every position around the 16-byte blocks, in valid text and after an invalid byte
  // (where validation stops but the NUL must still be found), and none.
  for (std::size_t size = 1; size <= 40; ++size) {
    for (std::size_t at = 0; at < size; ++at) {
      std::string text(size, 'a');
      text[at] = '\0';
      const Utf8Check valid = check_utf8(text);
      EXPECT_TRUE(valid.valid) << size << " " << at;
      EXPECT_TRUE(valid.nul) << size << " " << at;
      const Utf8Check invalid = check_utf8("\xE9" + text);
      EXPECT_FALSE(invalid.valid);
      EXPECT_TRUE(invalid.nul) << size << " " << at;
      const Utf8Check utf8 = check_utf8(text + "\xC3\xA9");
      EXPECT_TRUE(utf8.valid && utf8.nul) << size << " " << at;
    }
    EXPECT_FALSE(check_utf8(std::string(size, 'a')).nul);
    EXPECT_FALSE(check_utf8(std::string(size, 'a') + "\xE9").nul);
  }
}

// ASCII runs are skipped 16 bytes at a time: a non-ASCII byte at every position around a block
// edge must still be seen, by validation and by the windows-1252 conversion.
TEST(CharsetTest, NonAsciiBytesAroundBlockEdges) {
  for (std::size_t at = 0; at < 40; ++at) {
    const std::string before(at, 'a');
    const std::string after(37 - at % 37, 'z');
    EXPECT_TRUE(is_valid_utf8(before + "\xC3\xA9" + after)) << at;
    EXPECT_FALSE(is_valid_utf8(before + "\xE9" + after)) << at;
    EXPECT_FALSE(is_valid_utf8(before + "\xC3" + after)) << at;  // a lead byte then ASCII
    const auto c = conv(before + "\xE9" + after + "\x80", "windows-1252");
    EXPECT_EQ(c.text, before + "\xC3\xA9" + after + "\xE2\x82\xAC") << at;
  }
}

TEST(CharsetTest, AsciiAndUtf8FastPaths) {
  auto c = conv("hello", "utf-8");
  EXPECT_EQ(c.text, "hello");
  EXPECT_EQ(c.info.charset_used, "UTF-8");
  c = conv("caf\xC3\xA9 \xF0\x9F\x98\x80", "UTF-8");
  EXPECT_EQ(c.text, "caf\xC3\xA9 \xF0\x9F\x98\x80");
  EXPECT_FALSE(c.info.invalid_bytes);
  c = conv("hello", "koi8-r");
  EXPECT_EQ(c.text, "hello");
  EXPECT_EQ(c.info.charset_used, "KOI8-R");
  c = conv("", "");
  EXPECT_EQ(c.text, "");
}

TEST(CharsetTest, AppendsToOutput) {
  std::string out = "x:";
  convert_to_utf8("\xE9", "iso-8859-1", out);
  EXPECT_EQ(out, "x:\xC3\xA9");
}

TEST(CharsetTest, Utf8Spellings) {
  for (const char* name : {"utf8", "UTF8", "Utf-8", "utf_8", "\"utf-8\"", " utf-8 ", "x-utf8",
                           "unicode-1-1-utf-8", "utf-8*en", "utf-8; format=flowed"}) {
    const auto c = conv("caf\xC3\xA9", name);
    EXPECT_EQ(c.text, "caf\xC3\xA9") << name;
    EXPECT_EQ(c.info.charset_used, "UTF-8") << name;
    EXPECT_FALSE(c.info.declared_unknown) << name;
  }
}

TEST(CharsetTest, InvalidUtf8DeclaredAsUtf8GetsReplacementCharacters) {
  auto c = conv("a\xFF" "b", "utf-8");
  EXPECT_EQ(c.text, "a\xEF\xBF\xBD" "b");
  EXPECT_TRUE(c.info.invalid_bytes);
  c = conv("caf\xE9", "utf-8");
  EXPECT_EQ(c.text, "caf\xEF\xBF\xBD");
  c = conv("\xE2\x82", "utf-8");  // truncated sequence: one U+FFFD (maximal subpart)
  EXPECT_EQ(c.text, "\xEF\xBF\xBD");
}

TEST(CharsetTest, Latin1IsReadAsWindows1252) {
  for (const char* name : {"iso-8859-1", "ISO-8859-1", "latin-1", "latin1", "l1", "iso8859-1",
                           "iso_8859-1", "ISO_8859-1:1987", "cp819", "windows-1252", "cp1252",
                           "win-1252", "x-cp1252"}) {
    const auto c = conv("\x93" "caf\xE9\x94 \x80" "5", name);
    EXPECT_EQ(c.text, "\xE2\x80\x9C" "caf\xC3\xA9\xE2\x80\x9D \xE2\x82\xAC" "5") << name;
    EXPECT_EQ(c.info.charset_used, "windows-1252") << name;
    EXPECT_FALSE(c.info.invalid_bytes) << name;
  }
  // The five holes of windows-1252 map to C1 controls (WHATWG), never to U+FFFD.
  EXPECT_EQ(conv("\x81\x8D\x8F\x90\x9D", "windows-1252").text,
            "\xC2\x81\xC2\x8D\xC2\x8F\xC2\x90\xC2\x9D");
  // All 256 bytes produce valid UTF-8.
  std::string all;
  for (int i = 0; i < 256; ++i) all.push_back(static_cast<char>(i));
  EXPECT_TRUE(is_valid_utf8(conv(all, "iso-8859-1").text));
}

TEST(CharsetTest, UsAsciiWithEightBitBytes) {
  auto c = conv("plain", "us-ascii");
  EXPECT_EQ(c.text, "plain");
  EXPECT_EQ(c.info.charset_used, "US-ASCII");
  c = conv("caf\xC3\xA9", "us-ascii");
  EXPECT_EQ(c.text, "caf\xC3\xA9");
  EXPECT_EQ(c.info.charset_used, "UTF-8");
  c = conv("caf\xE9", "US-ASCII");
  EXPECT_EQ(c.text, "caf\xC3\xA9");
  EXPECT_EQ(c.info.charset_used, "windows-1252");
  c = conv("caf\xE9", "ascii");
  EXPECT_EQ(c.text, "caf\xC3\xA9");
}

TEST(CharsetTest, WindowsCodepageSpellings) {
  for (const char* name : {"windows-1251", "cp1251", "win-1251", "x-cp1251", "Windows1251"}) {
    const auto c = conv("\xCF\xF0\xE8\xE2\xE5\xF2", name);
    EXPECT_EQ(c.text, "Привет") << name;
    EXPECT_EQ(c.info.charset_used, "windows-1251") << name;
  }
  EXPECT_EQ(conv("\xE9", "windows-1250").text, "é");
  EXPECT_EQ(conv("\xFD", "iso-8859-9").text, "ı");  // read as windows-1254
  EXPECT_EQ(conv("\x80", "iso-8859-9").text, "€");
}

TEST(CharsetTest, Koi8R) {
  const auto c = conv("\xF0\xD2\xC9\xD7\xC5\xD4 \xCD\xC9\xD2", "KOI8-R");
  EXPECT_EQ(c.text, "Привет мир");
  EXPECT_EQ(c.info.charset_used, "KOI8-R");
  EXPECT_EQ(conv("\xF0\xD2\xC9\xD7\xC5\xD4", "koi8r").text, "Привет");
}

TEST(CharsetTest, KoreanLabelsUseWindows949) {
  for (const char* name : {"ks_c_5601-1987", "KS_C_5601-1987", "euc-kr", "ksc5601", "cp949"}) {
    // 0x8C63 exists only in the UHC extension of EUC-KR.
    const auto c = conv("\xBE\xC8\xB3\xE7 \x8C\x63", name);
    EXPECT_EQ(c.text, "안녕 똠") << name;
    EXPECT_EQ(c.info.charset_used, "windows-949") << name;
    EXPECT_FALSE(c.info.invalid_bytes) << name;
  }
}

TEST(CharsetTest, Gb2312IsReadAsGb18030) {
  auto c = conv("\xD6\xD0\xCE\xC4\xB2\xE2\xCA\xD4", "gb2312");
  EXPECT_EQ(c.text, "中文测试");
  EXPECT_EQ(c.info.charset_used, "GB18030");
  c = conv("\xE9\x46", "GB2312");  // a GBK-only character
  EXPECT_EQ(c.text, "镕");
  EXPECT_FALSE(c.info.invalid_bytes);
  EXPECT_EQ(conv("\xA2\xE3", "gbk").text, "€");
  EXPECT_EQ(conv("\x81\x30\x81\x30", "gb18030").text, "\xC2\x80");  // four-byte form
}

TEST(CharsetTest, JapaneseAndChinese) {
  EXPECT_EQ(conv("\x93\xFA\x96\x7B\x8C\xEA", "Shift_JIS").text, "日本語");
  EXPECT_EQ(conv("\x93\xFA\x96\x7B\x8C\xEA", "sjis").text, "日本語");
  EXPECT_EQ(conv("\x93\xFA\x96\x7B\x8C\xEA", "x-sjis").text, "日本語");
  EXPECT_EQ(conv("\x1B$BF|K\\\x1B(B", "ISO-2022-JP").text, "日本");
  EXPECT_EQ(conv("\xC1\x63\xC5\xE9", "big5").text, "繁體");
}

TEST(CharsetTest, SevenBitStatefulCharsetsAreNotShortCircuited) {
  // Pure ASCII bytes, but they encode non-ASCII text: the ASCII fast path must not apply.
  auto c = conv("Hi Mom -+Jjo--!", "unicode-1-1-utf-7");
  EXPECT_EQ(c.text, "Hi Mom -☺-!");
  EXPECT_EQ(c.info.charset_used, "UTF-7");
  EXPECT_EQ(conv("+ZeVnLIqe-", "utf-7").text, "日本語");
  EXPECT_EQ(conv("+ZeVnLIqe-", "UTF7").text, "日本語");
  EXPECT_EQ(conv("\x1B$BF|K\\\x1B(B", "iso-2022-jp").text, "日本");
}

TEST(CharsetTest, HebrewLogicalAndVisual) {
  for (const char* name : {"iso-8859-8-i", "ISO-8859-8-I", "iso-8859-8-e", "iso-8859-8"}) {
    const auto c = conv("\xF9\xEC\xE5\xED", name);
    EXPECT_EQ(c.text, "שלום") << name;
    EXPECT_EQ(c.info.charset_used, "ISO-8859-8") << name;
  }
}

TEST(CharsetTest, MacAndThaiLabels) {
  EXPECT_EQ(conv("caf\x8E", "x-mac-roman").text, "café");
  EXPECT_EQ(conv("caf\x8E", "macintosh").text, "café");
  EXPECT_EQ(conv("\x84\xE0", "x-mac-cyrillic").text, "Да");
  EXPECT_EQ(conv("\x84\xE0", "x-mac-ukrainian").text, "Да");
  for (const char* name : {"windows-874", "tis-620", "iso-8859-11", "x-windows-874"}) {
    const auto c = conv("\xCA\xC7\xD1\xCA\xB4\xD5", name);
    EXPECT_EQ(c.text, "สวัสดี") << name;
    EXPECT_EQ(c.info.charset_used, "windows-874") << name;
  }
}

TEST(CharsetTest, Rfc2231LanguageSuffixIgnored) {
  const auto c = conv("\xD6\xD0", "GB2312*zh-CN");
  EXPECT_EQ(c.text, "中");
  EXPECT_FALSE(c.info.declared_unknown);
}

TEST(CharsetTest, UnknownCharsetIsHandledLeniently) {
  auto c = conv("plain", "x-foo-bar");
  EXPECT_EQ(c.text, "plain");
  EXPECT_TRUE(c.info.declared_unknown);
  c = conv("caf\xC3\xA9", "bogus");
  EXPECT_EQ(c.text, "caf\xC3\xA9");
  EXPECT_EQ(c.info.charset_used, "UTF-8");
  EXPECT_TRUE(c.info.declared_unknown);
  EXPECT_TRUE(c.info.detected);
  c = conv("caf\xE9", "bogus");
  EXPECT_EQ(c.text, "caf\xC3\xA9");
  EXPECT_EQ(c.info.charset_used, "windows-1252");
  EXPECT_TRUE(c.info.declared_unknown);
  EXPECT_TRUE(c.info.detected);
}

TEST(CharsetTest, GarbageNamesNeverReachIcuAsPaths) {
  for (const char* name : {"../../../etc/passwd", "/tmp/x", "utf-8,swaps", "x,y", "%s%n", "\xFF\xFE",
                           "a name with spaces", "=?", "?"}) {
    const auto c = conv("caf\xE9", name);
    EXPECT_TRUE(is_valid_utf8(c.text)) << name;
    EXPECT_NE(c.text.find("caf"), std::string::npos) << name;
  }
  const std::string long_name(500, 'a');
  auto c = conv("x\xE9", long_name);
  EXPECT_TRUE(c.info.declared_unknown);
  EXPECT_EQ(c.text, "x\xC3\xA9");
}

TEST(CharsetTest, PlaceholderNamesMeanUndeclared) {
  for (const char* name : {"", "x-unknown", "unknown-8bit", "x-user-defined", "UNKNOWN"}) {
    const auto c = conv("caf\xE9", name);
    EXPECT_EQ(c.text, "caf\xC3\xA9") << name;
    EXPECT_FALSE(c.info.declared_unknown) << name;
    EXPECT_TRUE(c.info.detected) << name;
  }
  const auto c = conv("ascii only", "");
  EXPECT_EQ(c.info.charset_used, "US-ASCII");
  EXPECT_FALSE(c.info.detected);
}

TEST(CharsetTest, DetectionOfUndeclaredText) {
  // Valid UTF-8 is kept.
  auto c = conv("na\xC3\xAFve \xF0\x9F\x98\x80", "");
  EXPECT_EQ(c.text, "na\xC3\xAFve \xF0\x9F\x98\x80");
  EXPECT_EQ(c.info.charset_used, "UTF-8");
  // Cyrillic in KOI8-R and windows-1251.
  c = conv("\xF0\xD2\xC9\xD7\xC5\xD4 \xCD\xC9\xD2", "");
  EXPECT_EQ(c.text, "Привет мир");
  EXPECT_EQ(c.info.charset_used, "KOI8-R");
  c = conv("\xCF\xF0\xE8\xE2\xE5\xF2, \xEA\xE0\xEA \xE4\xE5\xEB\xE0? \xCF\xF0\xE8\xE2\xE5\xF2 "
           "\xEC\xE8\xF0", "");
  EXPECT_EQ(c.text, "Привет, как дела? Привет мир");
  EXPECT_EQ(c.info.charset_used, "windows-1251");
  // Enough Shift_JIS text for the detector to be sure.
  c = conv("\x93\xFA\x96\x7B\x8C\xEA\x82\xCC\x83\x65\x83\x58\x83\x67\x82\xC5\x82\xB7\x81\x42\x82"
           "\xE6\x82\xEB\x82\xB5\x82\xAD\x82\xA8\x8A\xE8\x82\xA2\x82\xB5\x82\xDC\x82\xB7", "");
  EXPECT_EQ(c.text, "日本語のテストです。よろしくお願いします");
  EXPECT_EQ(c.info.charset_used, "Shift_JIS");
  // Western text (ISO-8859-1 answers become windows-1252).
  c = conv("Caf\xE9 cr\xE8me br\xFBl\xE9" "e \x80 10", "");
  EXPECT_EQ(c.text, "Café crème brûlée € 10");
  EXPECT_EQ(c.info.charset_used, "windows-1252");
  EXPECT_TRUE(c.info.detected);
  // Too little to detect anything: windows-1252.
  c = conv("Caf\xE9", "");
  EXPECT_EQ(c.text, "Café");
  EXPECT_EQ(c.info.charset_used, "windows-1252");
}

// The detector reads the lines that hold 8-bit bytes: text after a long ASCII prefix (markup, a
// quoted header block) is still detected, and the ASCII lines do not drown it.
TEST(CharsetTest, DetectionReadsTheLinesWithEightBitBytes) {
  std::string markup;
  while (markup.size() < 20 * 1024) markup += "<tr><td class=\"cell\"><a href=\"https://example.org/\">link</a></td></tr>\n";
  const std::string cyrillic =
      "\xCF\xF0\xE8\xE2\xE5\xF2, \xEA\xE0\xEA \xE4\xE5\xEB\xE0? \xCF\xF0\xE8\xE2\xE5\xF2 \xEC\xE8\xF0\n";
  auto c = conv(markup + cyrillic + markup, "");
  EXPECT_EQ(c.info.charset_used, "windows-1251");
  EXPECT_NE(c.text.find("Привет, как дела? Привет мир"), std::string::npos);
  // Past the scanned prefix nothing is read: windows-1252, as for too little evidence.
  std::string far;
  while (far.size() < 80 * 1024) far += markup;
  c = conv(far + cyrillic, "");
  EXPECT_EQ(c.info.charset_used, "windows-1252");
  EXPECT_TRUE(c.info.detected);
}

TEST(CharsetTest, InvalidBytesInDeclaredCharsetAreReplaced) {
  // 0x80 is not a lead byte in Shift_JIS; 0x82 without trail byte is truncated.
  const auto c = conv("a\xA0" "b", "Shift_JIS");
  EXPECT_TRUE(is_valid_utf8(c.text));
  EXPECT_EQ(c.text.substr(0, 1), "a");
  EXPECT_EQ(c.text.substr(c.text.size() - 1), "b");
  const auto t = conv("\x93", "Shift_JIS");
  EXPECT_EQ(t.text, "\xEF\xBF\xBD");
  EXPECT_TRUE(t.info.invalid_bytes);
  // Stateless converters are reset between calls: a truncated sequence does not leak.
  EXPECT_EQ(conv("\x93\xFA", "Shift_JIS").text, "日");
}

TEST(CharsetTest, OtherIcuCharsets) {
  auto c = conv("\xA4", "ISO-8859-15");
  EXPECT_EQ(c.text, "€");
  EXPECT_EQ(c.info.charset_used, "ISO-8859-15");
  EXPECT_EQ(conv("\xE9", "iso-8859-2").text, "é");
  EXPECT_EQ(conv("\xB9", "iso-8859-2").text, "š");
  // EBCDIC is not ASCII-compatible: even 7-bit bytes go through ICU.
  EXPECT_EQ(conv("\xC1\xC2", "ibm037").text, "AB");
}

TEST(CharsetTest, LargeInputIsConvertedWhole) {
  std::string big;
  for (int i = 0; i < 200000; ++i) big += "\xF0\xD2\xC9\xD7\xC5\xD4 ";
  const auto c = conv(big, "koi8-r");
  EXPECT_EQ(c.text.size(), 200000u * 13u);
  EXPECT_EQ(c.text.substr(0, 13), "Привет ");
  const auto w = conv(std::string(100000, '\x80'), "windows-1252");
  EXPECT_EQ(w.text.size(), 300000u);
}

TEST(CharsetTest, ThreadsUseTheirOwnConverters) {
  std::vector<std::thread> threads;
  std::vector<int> ok(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([t, &ok] {
      int good = 0;
      for (int i = 0; i < 200; ++i) {
        std::string out;
        convert_to_utf8("\xF0\xD2\xC9\xD7\xC5\xD4", t % 2 ? "koi8-r" : "KOI8-R", out);
        convert_to_utf8("\xD6\xD0", "gb2312", out);
        if (out == "Привет中") ++good;
      }
      ok[static_cast<std::size_t>(t)] = good;
    });
  }
  for (auto& th : threads) th.join();
  for (int v : ok) EXPECT_EQ(v, 200);
}

}  // namespace
}  // namespace vigie::parse
