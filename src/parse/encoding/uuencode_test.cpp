// Unit tests of the uuencoded-block finder: block delimitation, both zero characters, lines damaged
// in transit, unterminated blocks, and the block/byte limits.
#include <gtest/gtest.h>

#include <string>

#include "parse/encoding/transfer_decoding.h"

namespace vigie::parse {
namespace {

constexpr std::uint32_t kBlocks = 64;
constexpr std::uint64_t kBytes = 1 << 20;

// bytes 0..44, as written by uuencode with spaces and with backquotes for zero.
const std::string kLine45Spaces = "M  $\" P0%!@<(\"0H+# T.#Q 1$A,4%187&!D:&QP='A\\@(2(C)\"4F)R@I*BLL";
const std::string kLine45Backquotes =
    "M``$\"`P0%!@<(\"0H+#`T.#Q`1$A,4%187&!D:&QP='A\\@(2(C)\"4F)R@I*BLL";

std::string bytes_0_to_44() {
  std::string s;
  for (int i = 0; i < 45; ++i) s.push_back(static_cast<char>(i));
  return s;
}

TEST(UuencodeTest, SimpleBlock) {
  const std::string text = "Here is the file:\n\nbegin 644 cat.txt\n#0V%T\n`\nend\n\nBye\n";
  const auto files = find_uuencoded(text, kBlocks, kBytes);
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].filename, "cat.txt");
  EXPECT_EQ(files[0].mode, 0644u);
  EXPECT_EQ(files[0].bytes, "Cat");
  EXPECT_TRUE(files[0].complete);
  EXPECT_FALSE(files[0].truncated);
  EXPECT_EQ(files[0].begin_offset, text.find("begin"));
  EXPECT_EQ(files[0].end_offset, text.find("end\n") + 3);
}

TEST(UuencodeTest, SpaceAndBackquoteBothMeanZero) {
  for (const std::string& line : {kLine45Spaces, kLine45Backquotes}) {
    const std::string text = "begin 600 bin\r\n" + line + "\r\n \r\nend\r\n";
    const auto files = find_uuencoded(text, kBlocks, kBytes);
    ASSERT_EQ(files.size(), 1u);
    EXPECT_EQ(files[0].bytes, bytes_0_to_44());
    EXPECT_TRUE(files[0].complete);
    EXPECT_EQ(files[0].mode, 0600u);
  }
  const auto zeros = find_uuencoded("begin 644 z\n#````\n`\nend\n", kBlocks, kBytes);
  ASSERT_EQ(zeros.size(), 1u);
  EXPECT_EQ(zeros[0].bytes, std::string(3, '\0'));
}

TEST(UuencodeTest, StrippedTrailingSpacesReadAsZeros) {
  // "$2&D     " lost its trailing spaces in transit; the zero line " " became empty.
  const auto files = find_uuencoded("begin 644 hi\n$2&D\n\nend\n", kBlocks, kBytes);
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].bytes, std::string("Hi\0\0", 4));
  EXPECT_TRUE(files[0].complete);
}

TEST(UuencodeTest, ExtraCharactersAfterLineDataIgnored) {
  // Some encoders append a checksum character; extra text after the announced length is ignored.
  const auto files = find_uuencoded("begin 644 cat\n#0V%TXYZ\n`\nend\n", kBlocks, kBytes);
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].bytes, "Cat");
}

TEST(UuencodeTest, NonDataLinesSkipped) {
  const auto files =
      find_uuencoded("begin 644 cat\n#0V%T\nsome text here\n#0V%T\n`\nend\n", kBlocks, kBytes);
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].bytes, "CatCat");
  EXPECT_TRUE(files[0].complete);
}

TEST(UuencodeTest, DataAfterZeroLengthLineIgnored) {
  const auto files = find_uuencoded("begin 644 cat\n#0V%T\n`\n#0V%T\nend\n", kBlocks, kBytes);
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].bytes, "Cat");
  EXPECT_TRUE(files[0].complete);
}

TEST(UuencodeTest, UnterminatedBlockRunsToEndOfInput) {
  const std::string text = "begin 644 cat\n#0V%T\n";
  const auto files = find_uuencoded(text, kBlocks, kBytes);
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].bytes, "Cat");
  EXPECT_FALSE(files[0].complete);
  EXPECT_EQ(files[0].end_offset, text.size());
}

TEST(UuencodeTest, NewBeginEndsUnterminatedBlock) {
  const std::string text = "begin 644 a\n#0V%T\nbegin 755 b.exe\n#0V%T\n`\nend";
  const auto files = find_uuencoded(text, kBlocks, kBytes);
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].filename, "a");
  EXPECT_FALSE(files[0].complete);
  EXPECT_EQ(files[0].end_offset, text.find("begin 755"));
  EXPECT_EQ(files[1].filename, "b.exe");
  EXPECT_EQ(files[1].mode, 0755u);
  EXPECT_TRUE(files[1].complete);
  EXPECT_EQ(files[1].end_offset, text.size());
  EXPECT_EQ(files[1].bytes, "Cat");
}

TEST(UuencodeTest, NotABeginLine) {
  EXPECT_TRUE(find_uuencoded("", kBlocks, kBytes).empty());
  EXPECT_TRUE(find_uuencoded("begin", kBlocks, kBytes).empty());
  EXPECT_TRUE(find_uuencoded("begin 644\n#0V%T\nend\n", kBlocks, kBytes).empty());  // no name
  EXPECT_TRUE(find_uuencoded("begin 999 x\n#0V%T\nend\n", kBlocks, kBytes).empty());  // not octal
  EXPECT_TRUE(find_uuencoded("begin here we go\nend\n", kBlocks, kBytes).empty());
  EXPECT_TRUE(find_uuencoded("We begin 644 x\n#0V%T\nend\n", kBlocks, kBytes).empty());
  // Not at the start of a line, then a real one.
  const auto files = find_uuencoded("x begin 644 a\nbegin 644 b\n#0V%T\nend\n", kBlocks, kBytes);
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].filename, "b");
}

TEST(UuencodeTest, FilenameWithSpacesAndCrlf) {
  const auto files = find_uuencoded("begin 644 my file.doc  \r\n#0V%T\r\n`\r\nend  \r\n", kBlocks, kBytes);
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].filename, "my file.doc");
  EXPECT_TRUE(files[0].complete);
}

TEST(UuencodeTest, MaxBlocks) {
  std::string text;
  for (int i = 0; i < 10; ++i) text += "begin 644 f" + std::to_string(i) + "\n#0V%T\n`\nend\n";
  EXPECT_EQ(find_uuencoded(text, 10, kBytes).size(), 10u);
  const auto files = find_uuencoded(text, 3, kBytes);
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(files[2].filename, "f2");
  EXPECT_TRUE(find_uuencoded(text, 0, kBytes).empty());
}

TEST(UuencodeTest, MaxBytesAcrossBlocks) {
  std::string text;
  for (int i = 0; i < 3; ++i) text += "begin 644 f" + std::to_string(i) + "\n#0V%T\n`\nend\n";
  auto files = find_uuencoded(text, kBlocks, 5);
  ASSERT_EQ(files.size(), 2u);
  EXPECT_EQ(files[0].bytes, "Cat");
  EXPECT_FALSE(files[0].truncated);
  EXPECT_EQ(files[1].bytes, "Ca");
  EXPECT_TRUE(files[1].truncated);
  EXPECT_TRUE(files[1].complete);  // "end" still located
  files = find_uuencoded(text, kBlocks, 6);
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(files[2].bytes, "");
  EXPECT_TRUE(files[2].truncated);
}

TEST(UuencodeTest, HugeBlockStopsAtLimit) {
  std::string text = "begin 644 big.bin\n";
  for (int i = 0; i < 100000; ++i) text += kLine45Backquotes + "\n";
  text += "`\nend\n";
  const auto files = find_uuencoded(text, kBlocks, 1000);
  ASSERT_EQ(files.size(), 1u);
  EXPECT_EQ(files[0].bytes.size(), 1000u);
  EXPECT_EQ(files[0].bytes.substr(0, 45), bytes_0_to_44());
  EXPECT_TRUE(files[0].truncated);
  EXPECT_TRUE(files[0].complete);
}

TEST(UuencodeTest, GarbageNeverCrashes) {
  std::string text = "begin 644 x\n";
  for (int i = 0; i < 5000; ++i) text.push_back(static_cast<char>((i * 131 + 7) & 0xFF));
  const auto files = find_uuencoded(text, kBlocks, kBytes);
  ASSERT_EQ(files.size(), 1u);
  EXPECT_FALSE(files[0].complete);
  EXPECT_LE(files[0].bytes.size(), text.size());
}

}  // namespace
}  // namespace vigie::parse
