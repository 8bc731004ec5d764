// brand_list: the shipped list loads; broken entries fail with file:line; ownership follows
// parent domains; names index without ambiguity.
#include "intel/brands/brand_list.h"

#include <gtest/gtest.h>

#include "intel/brands/brand_names.h"

namespace vigie::intel {
namespace {

constexpr std::string_view kList =
    "# comment\n"
    "acme\tsupplier\tAcme Corp,~Acme\tacme.example,acme-mail.example\t-\thttps://acme.example/\n"
    "\n"
    "mailco\twebmail\tMailCo\tmailco.example\tmailco-users.example\thttps://mailco.example/\n";

TEST(BrandListTest, ShippedListLoadsAndIndexes) {
  Config config;
  Result<BrandList> list = BrandList::load(config);
  ASSERT_TRUE(list) << list.error().message;
  EXPECT_GT(list->brands().size(), 150u);
  Result<BrandNameIndex> names = BrandNameIndex::build(*list);
  ASSERT_TRUE(names) << names.error().message;
  for (const Brand& b : list->brands()) {
    EXPECT_FALSE(b.source.empty()) << b.id;
    EXPECT_FALSE(b.names.empty()) << b.id;
  }
}

TEST(BrandListTest, OwnershipFollowsParentDomains) {
  BrandList list;
  ASSERT_TRUE(list.add(kList, "test.tsv"));
  ASSERT_EQ(list.brands().size(), 2u);
  EXPECT_EQ(list.brand(0).names[1].text, "Acme");
  EXPECT_TRUE(list.brand(0).names[1].common_word);
  EXPECT_TRUE(list.owns(0, "acme.example"));
  EXPECT_TRUE(list.owns(0, "news.acme-mail.example"));
  EXPECT_FALSE(list.owns(0, "acme.example.evil.test"));
  EXPECT_FALSE(list.owns(0, "notacme.example"));
  EXPECT_EQ(list.owners("mx.mailco.example").size(), 1u);
  EXPECT_TRUE(list.is_user_domain("someone.mailco-users.example"));
  EXPECT_FALSE(list.is_user_domain("mailco.example"));
}

TEST(BrandListTest, ErrorsNameFileLineAndEntry) {
  BrandList list;
  auto r = list.add("# ok\nbad id\tx\tName\ta.example\t-\tsrc\n", "list.tsv");
  ASSERT_FALSE(r);
  EXPECT_NE(r.error().message.find("list.tsv:2"), std::string::npos) << r.error().message;
  EXPECT_NE(r.error().message.find("bad id"), std::string::npos);
  EXPECT_FALSE(BrandList().add("a\tb\tName\ta.example\t-\n", "x"));                  // 5 columns
  EXPECT_FALSE(BrandList().add("a\tb\tName\tA_B.example\t-\tsrc\n", "x"));           // bad domain
  EXPECT_FALSE(BrandList().add("a\tb\tName\ta.example\t-\t-\n", "x"));               // no source
  EXPECT_FALSE(BrandList().add("a\tb\tN\ta.example\t-\ts\na\tb\tM\tb.example\t-\ts\n", "x"));
  EXPECT_FALSE(BrandList().add("a\tb\tN\ta.example\t-\ts\n" + std::string(5000, 'x'), "x"));
}

TEST(BrandListTest, NameSharedByTwoBrandsIsAnError) {
  BrandList list;
  ASSERT_TRUE(list.add("a\tb\tAcme\ta.example\t-\ts\nc\tb\tACME!\tc.example\t-\ts\n", "x"));
  Result<BrandNameIndex> names = BrandNameIndex::build(list);
  ASSERT_FALSE(names);
  EXPECT_NE(names.error().message.find("x:2"), std::string::npos) << names.error().message;
}

TEST(BrandListTest, MissingExtraListFailsToLoad) {
  Config config;
  config.lists.brands.push_back("/nonexistent/suppliers.tsv");
  Result<BrandList> list = BrandList::load(config);
  ASSERT_FALSE(list);
  EXPECT_NE(list.error().message.find("/nonexistent/suppliers.tsv"), std::string::npos);
}

TEST(BrandNameIndexTest, FindsLongestNameAndDisguises) {
  BrandList list;
  ASSERT_TRUE(list.add(kList, "test.tsv"));
  Result<BrandNameIndex> names = BrandNameIndex::build(list);
  ASSERT_TRUE(names);
  FoldedText text;
  fold_text("Welcome to Acme Corp. Your \xD0\x90\xD1\x81me account at MailCo", text);
  std::vector<NameMatch> found;
  names->match(text, [&](const NameMatch& m) { found.push_back(m); });
  ASSERT_EQ(found.size(), 3u);
  EXPECT_EQ(names->name_text(found[0].name), "Acme Corp");
  EXPECT_FALSE(found[0].disguised);
  EXPECT_TRUE(found[1].disguised);  // Cyrillic А and с
  EXPECT_TRUE(found[1].common_word);
  EXPECT_EQ(found[2].brand, 1u);
}

TEST(BrandNameIndexTest, CapitalIForLOnlyInLongNames) {
  BrandList list;
  ASSERT_TRUE(list.add("pp\tpayment\tPayPal\tpaypal.example\t-\ts\n"
                       "lcl\tbank\tLCL\tlcl.example\t-\ts\n",
                       "test.tsv"));
  Result<BrandNameIndex> names = BrandNameIndex::build(list);
  ASSERT_TRUE(names);
  auto matches = [&](std::string_view s) {
    FoldedText text;
    fold_text(s, text);
    std::vector<NameMatch> found;
    names->match(text, [&](const NameMatch& m) { found.push_back(m); });
    return found;
  };
  const auto paypai = matches("Your PayPaI account");
  ASSERT_EQ(paypai.size(), 1u);
  EXPECT_TRUE(paypai[0].disguised);
  EXPECT_TRUE(matches("venez ici").empty());  // not LCL with l read as i
  EXPECT_EQ(matches("LCL").size(), 1u);
}

}  // namespace
}  // namespace vigie::intel
