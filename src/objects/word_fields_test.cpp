// Word field nesting: inner fields first, QUOTE's character codes folded into the outer field,
// depth and length bounded.
#include "objects/word_fields.h"

#include <gtest/gtest.h>

namespace vigie::objects {
namespace {

TEST(WordFieldsTest, KeywordAndQuote) {
  EXPECT_EQ(field_keyword("  DDEAUTO c:\\\\cmd.exe"), "ddeauto");
  EXPECT_EQ(field_keyword("INCLUDEPICTURE\"x\""), "includepicture");
  EXPECT_EQ(quote_result(" 68 68 69 65 85 84 79 "), "DDEAUTO");
  EXPECT_EQ(quote_result("\"Madame\" 33"), "Madame!");
  EXPECT_EQ(quote_result("0 256 1000 abc"), "0256" "1000abc");  // not character codes: kept as written
}

TEST(WordFieldsTest, NestedQuoteBuildsTheOuterInstruction) {
  WordFieldNesting nesting;
  std::vector<WordField> done;
  nesting.begin();
  nesting.begin();
  nesting.text("QUOTE 68 68 69 ");
  nesting.text("65 85 84 79");
  nesting.end(done);
  nesting.text(" cmd.exe \"/c calc\"");
  nesting.end(done);
  ASSERT_EQ(done.size(), 2u);
  EXPECT_EQ(done[0].instruction, "QUOTE 68 68 69 65 85 84 79");
  EXPECT_FALSE(done[0].assembled);
  EXPECT_EQ(done[1].instruction, "DDEAUTO cmd.exe \"/c calc\"");
  EXPECT_TRUE(done[1].assembled);
  EXPECT_FALSE(nesting.open());
}

TEST(WordFieldsTest, OtherNestedFieldsAddNothing) {
  WordFieldNesting nesting;
  std::vector<WordField> done;
  nesting.begin();
  nesting.text("IF ");
  nesting.begin();
  nesting.text("PAGE");
  nesting.end(done);
  nesting.text(" = 1");
  nesting.end(done);
  ASSERT_EQ(done.size(), 2u);
  EXPECT_EQ(done[1].instruction, "IF  = 1");
  EXPECT_FALSE(done[1].assembled);
}

TEST(WordFieldsTest, DepthAndLengthAreBounded) {
  WordFieldNesting nesting;
  std::vector<WordField> done;
  for (std::size_t i = 0; i < 1000; ++i) nesting.begin();
  nesting.text("deep");
  for (std::size_t i = 0; i < 1000; ++i) nesting.end(done);
  EXPECT_EQ(done.size(), WordFieldNesting::kMaxDepth);
  EXPECT_FALSE(nesting.open());
  nesting.end(done);  // an end without a begin is ignored
  EXPECT_EQ(done.size(), WordFieldNesting::kMaxDepth);

  nesting.begin();
  for (int i = 0; i < 100; ++i) nesting.text(std::string(1000, 'x'));
  done.clear();
  nesting.end(done);
  ASSERT_EQ(done.size(), 1u);
  EXPECT_EQ(done[0].instruction.size(), WordFieldNesting::kMaxInstructionBytes);
}

}  // namespace
}  // namespace vigie::objects
