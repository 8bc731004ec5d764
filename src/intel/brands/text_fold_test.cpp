// text_fold: look-alike spellings of a word fold to the same tokens; the plain form keeps them apart.
#include "intel/brands/text_fold.h"

#include <gtest/gtest.h>

namespace vigie::intel {
namespace {

TEST(TextFoldTest, SameKeyForLookAlikeSpellings) {
  const std::string paypal = fold_key("PayPal");
  EXPECT_EQ(fold_key("paypal"), paypal);
  EXPECT_EQ(fold_key("PAYPAL"), paypal);
  EXPECT_EQ(fold_key("paypa1"), paypal);                         // digit 1 for l
  EXPECT_EQ(fold_key("P\xD0\xB0yP\xD0\xB0l"), paypal);           // Cyrillic а
  EXPECT_EQ(fold_key("\xEF\xBC\xB0\xEF\xBD\x81yPal"), paypal);   // fullwidth Ｐａ
  EXPECT_EQ(fold_key("Pay\xE2\x80\x8BPal"), paypal);             // zero-width space inside
  EXPECT_EQ(fold_key("Micr0soft"), fold_key("Microsoft"));
  EXPECT_EQ(fold_key("Arnazon"), fold_key("Amazon"));            // rn for m
  EXPECT_EQ(fold_key("Crédit Agricole"), fold_key("credit agricole"));
  EXPECT_EQ(fold_key("\xF0\x9D\x98\xBE\xF0\x9D\x99\x8A"), fold_key("CO"));  // mathematical bold
}

TEST(TextFoldTest, CaseNeverMatters) {
  // Capital I is i, not the skeleton's l: "ANTAI" is not "antal" (the I-for-l trick is left to
  // the name index, see brand_names_test).
  EXPECT_EQ(fold_key("ANTAI"), fold_key("antai"));
  EXPECT_NE(fold_key("ANTAI"), fold_key("antal"));
  EXPECT_EQ(fold_key("IRS"), fold_key("irs"));
}

TEST(TextFoldTest, PlainFormKeepsDisguisesApart) {
  EXPECT_EQ(plain_key("PayPal"), "paypal");
  EXPECT_NE(plain_key("PayPaI"), "paypal");
  EXPECT_NE(plain_key("P\xD0\xB0yPal"), "paypal");
  EXPECT_NE(plain_key("Pay\xE2\x80\x8BPal"), "paypal");
  EXPECT_EQ(plain_key("Société Générale"), "societe generale");
}

TEST(TextFoldTest, PunctuationSeparatesTokens) {
  EXPECT_EQ(fold_key("Pay-Pal!"), fold_key("pay pal"));
  EXPECT_EQ(fold_key("impots.gouv.fr"), fold_key("impots gouv fr"));
  FoldedText text;
  fold_text("Hello, \xE4\xB8\x96\xE7\x95\x8C and emoji \xF0\x9F\x98\x80 here", text);
  EXPECT_EQ(text.tokens.size(), 5u);
}

TEST(TextFoldTest, ByteBudgetAndInvalidUtf8) {
  FoldedText text;
  fold_text("alpha beta gamma", text, 10);
  EXPECT_EQ(text.tokens.size(), 2u);
  text.clear();
  fold_text("ab\xFF\xFE" "cd", text);
  EXPECT_EQ(text.tokens.size(), 2u);
}

}  // namespace
}  // namespace vigie::intel
