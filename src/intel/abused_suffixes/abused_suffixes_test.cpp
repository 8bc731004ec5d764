// AbusedSuffixes: label-boundary matching, the shipped list loads, and bad entries name file:line.
#include "intel/abused_suffixes/abused_suffixes.h"

#include <gtest/gtest.h>

#include "vigie/config.h"

namespace vigie::intel {
namespace {

AbusedSuffixes parse(std::string_view text) {
  AbusedSuffixes list;
  const Result<void> added = list.add_text(text, "test.tsv");
  EXPECT_TRUE(added) << (added ? "" : added.error().message);
  return list;
}

TEST(AbusedSuffixesTest, MatchesOnLabelBoundariesOnly) {
  const AbusedSuffixes list = parse("# comment\ntop\tsrc\nsa.com\tsrc\n");
  ASSERT_NE(list.match("login-secure.top"), nullptr);
  EXPECT_EQ(list.match("login-secure.top")->suffix, "top");
  ASSERT_NE(list.match("mail.offers.sa.com"), nullptr);
  EXPECT_EQ(list.match("mail.offers.sa.com")->suffix, "sa.com");
  EXPECT_EQ(list.match("visa.com"), nullptr);     // "sa.com" only after a dot
  EXPECT_EQ(list.match("desktop"), nullptr);      // not a domain under .top
  EXPECT_EQ(list.match("top"), nullptr);          // the suffix itself is not a registration
  EXPECT_EQ(list.match("example.org"), nullptr);
}

TEST(AbusedSuffixesTest, EntryKeepsSourceAndOrigin) {
  const AbusedSuffixes list = parse("\nxyz\tspamhaus-tld\n");
  const AbusedSuffixes::Entry* entry = list.match("a.xyz");
  ASSERT_NE(entry, nullptr);
  EXPECT_EQ(entry->source, "spamhaus-tld");
  EXPECT_EQ(entry->origin, "test.tsv:2");
}

TEST(AbusedSuffixesTest, BadEntriesNameFileAndLine) {
  const struct {
    const char* text;
    const char* message;
  } kCases[] = {
      {"top\n", "test.tsv:1: expected suffix<TAB>source"},
      {"ok\tsrc\n.top\tsrc\n", "test.tsv:2: '.top' is not a domain suffix"},
      {"TOP\tsrc\n", "test.tsv:1: 'TOP' is not a domain suffix"},
      {"a..b\tsrc\n", "is not a domain suffix"},
      {"top\t\n", "test.tsv:1: expected suffix<TAB>source"},
      {"top\tsrc\textra\n", "test.tsv:1: every entry needs one source"},
  };
  for (const auto& c : kCases) {
    AbusedSuffixes list;
    const Result<void> added = list.add_text(c.text, "test.tsv");
    ASSERT_FALSE(added) << c.text;
    EXPECT_NE(added.error().message.find(c.message), std::string::npos) << added.error().message;
  }
}

TEST(AbusedSuffixesTest, EntryCountIsCapped) {
  std::string text;
  for (std::size_t i = 0; i <= AbusedSuffixes::kMaxEntries; ++i) text += "s" + std::to_string(i) + "\tsrc\n";
  AbusedSuffixes list;
  const Result<void> added = list.add_text(text, "big.tsv");
  ASSERT_FALSE(added);
  EXPECT_NE(added.error().message.find("more than"), std::string::npos);
}

TEST(AbusedSuffixesTest, ShippedListLoadsAndMissingFileIsAnError) {
  const Result<AbusedSuffixes> shipped =
      AbusedSuffixes::load(data_dir(Config{}) + "/abused_suffixes.tsv", {});
  ASSERT_TRUE(shipped) << shipped.error().message;
  EXPECT_GT(shipped->size(), 30u);
  const Result<AbusedSuffixes> missing =
      AbusedSuffixes::load(data_dir(Config{}) + "/abused_suffixes.tsv", {"/nonexistent/extra.tsv"});
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("/nonexistent/extra.tsv"), std::string::npos);
}

}  // namespace
}  // namespace vigie::intel
