#include "parse/mime/header_block.h"

#include <gtest/gtest.h>

namespace vigie::parse {
namespace {

TEST(HeaderBlockTest, SplitsFieldsKeepsFoldingAndDuplicates) {
  const std::string_view msg = "A: 1\r\nB: two\r\n  folded\r\nA: 3\r\n\r\nbody";
  const HeaderSplit s = split_header(msg, 0, 100);
  ASSERT_EQ(s.fields.size(), 3u);
  EXPECT_EQ(s.fields[0].name, "A");
  EXPECT_EQ(s.fields[1].value, " two\r\n  folded");
  EXPECT_EQ(s.fields[2].value, " 3");
  EXPECT_EQ(s.fields[2].offset, 24u);
  EXPECT_TRUE(s.separator_found);
  EXPECT_EQ(s.body, "body");
}

TEST(HeaderBlockTest, ObsoleteWhitespaceBeforeColon) {
  const HeaderSplit s = split_header("Subject  : hi\n\n", 0, 100);
  ASSERT_EQ(s.fields.size(), 1u);
  EXPECT_EQ(s.fields[0].name, "Subject");
}

TEST(HeaderBlockTest, SkipsMboxFromLine) {
  const HeaderSplit s = split_header("From someone Tue Jul  1 10:52:37 2003\nX: y\n\nb", 0, 100);
  ASSERT_EQ(s.fields.size(), 1u);
  EXPECT_EQ(s.fields[0].name, "X");
}

TEST(HeaderBlockTest, NonFieldLineEndsHeader) {
  const HeaderSplit s = split_header("X: y\nnot a field\n\nrest", 0, 100);
  EXPECT_TRUE(s.syntax_error);
  EXPECT_FALSE(s.separator_found);
  EXPECT_EQ(s.body, "not a field\n\nrest");
  EXPECT_EQ(s.first_error_offset, 5u);
}

TEST(HeaderBlockTest, FieldLimitKeepsScanningForTheBody) {
  const HeaderSplit s = split_header("A: 1\nB: 2\n cont\nC: 3\n\nbody", 0, 1);
  EXPECT_EQ(s.fields.size(), 1u);
  EXPECT_TRUE(s.field_limit_hit);
  EXPECT_EQ(s.field_count_seen, 3u);
  EXPECT_EQ(s.body, "body");
}

TEST(HeaderBlockTest, HeaderOnlyMessageAndNul) {
  const HeaderSplit s = split_header(std::string_view("A: x\0y", 6), 0, 10);
  EXPECT_EQ(s.fields.size(), 1u);
  EXPECT_TRUE(s.nul_byte);
  EXPECT_TRUE(s.body.empty());
}

TEST(HeaderBlockTest, CaseInsensitiveEquality) {
  EXPECT_TRUE(iequals("Content-TYPE", "content-type"));
  EXPECT_FALSE(iequals("Content-Type", "Content-Typ"));
}

}  // namespace
}  // namespace vigie::parse
