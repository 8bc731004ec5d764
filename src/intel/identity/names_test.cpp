// Name folding and matching: accents, case, order, initials, confusable letters.
#include "intel/identity/names.h"

#include <gtest/gtest.h>

namespace vigie::intel::identity {
namespace {

NameMatch match(std::string_view display, std::string_view name) {
  return match_person_name(fold_name_tokens(display), fold_name_tokens(name));
}

TEST(NamesTest, FoldsCaseAccentsAndPunctuation) {
  EXPECT_EQ(name_key("  Hélène  DUPONT-Lefèvre "), "dupont helene lefevre");
  EXPECT_EQ(name_key("Œuvre Ærø"), name_key("oeuvre aero"));
  EXPECT_EQ(name_key("Jeanne Dupont"), name_key("DUPONT   jeanne"));
  EXPECT_TRUE(name_key("").empty());
}

TEST(NamesTest, CyrillicLookAlikeLettersFoldLikeLatin) {
  // "Jеanne" with U+0435 CYRILLIC SMALL LETTER IE.
  EXPECT_EQ(name_key("J\xD0\xB5" "anne Dupont"), name_key("Jeanne Dupont"));
}

TEST(NamesTest, InvalidUtf8DoesNotThrow) {
  EXPECT_NO_THROW(name_key(std::string("\xff\xfe\xc3", 3)));
}

TEST(NamesTest, MatchesOrderInitialsAndContainment) {
  EXPECT_EQ(match("Dupont Jeanne", "Jeanne Dupont"), NameMatch::kExact);
  EXPECT_EQ(match("jeanne.dupont", "Jeanne Dupont"), NameMatch::kExact);
  EXPECT_EQ(match("J. Dupont", "Jeanne Dupont"), NameMatch::kInitials);
  EXPECT_EQ(match("Dupont J.", "Jeanne Dupont"), NameMatch::kInitials);
  EXPECT_EQ(match("Mme Jeanne Dupont (Direction)", "Jeanne Dupont"), NameMatch::kContained);
}

TEST(NamesTest, DoesNotMatchOtherPeopleOrRelays) {
  EXPECT_EQ(match("Jean Dupont", "Jeanne Dupont"), NameMatch::kNone);
  EXPECT_EQ(match("P. Dupont", "Jeanne Dupont"), NameMatch::kNone);
  EXPECT_EQ(match("J. D.", "Jeanne Dupont"), NameMatch::kNone);
  EXPECT_EQ(match("Dupont", "Jeanne Dupont"), NameMatch::kNone);
  EXPECT_EQ(match("Jeanne Dupont (via Google Docs)", "Jeanne Dupont"), NameMatch::kNone);
  EXPECT_EQ(match("Jeanne Dupont and four other very different people here", "Jeanne Dupont"),
            NameMatch::kNone);
}

TEST(NamesTest, PersonLikeNames) {
  EXPECT_TRUE(looks_like_person_name("Jeanne Dupont"));
  EXPECT_TRUE(looks_like_person_name("Dupont, Jeanne"));
  EXPECT_FALSE(looks_like_person_name("Support"));
  EXPECT_FALSE(looks_like_person_name("Amazon.com"));
  EXPECT_FALSE(looks_like_person_name("jeanne@example.org"));
  EXPECT_FALSE(looks_like_person_name("Order 12345"));
  EXPECT_FALSE(looks_like_person_name("J. D."));
}

}  // namespace
}  // namespace vigie::intel::identity
