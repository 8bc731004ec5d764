#include "parse/url/public_suffix_list.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "parse/url/url.h"

namespace vigie::parse {
namespace {

std::string write_list(std::string_view name, std::string_view content) {
  const std::filesystem::path path = std::filesystem::path(::testing::TempDir()) / ("vigie_psl_test_" + std::string(name));
  std::ofstream(path) << content;
  return path.string();
}

// A site's list: the ICANN suffixes it needs, then its own private ones, a pseudo-TLD for internal
// hosts and a sub-suffix under which each name is a separate organisation.
constexpr std::string_view kSiteList =
    "// ===BEGIN ICANN DOMAINS===\n"
    "com\n"
    "uk\n"
    "co.uk\n"
    "fr\n"
    "// ===END ICANN DOMAINS===\n"
    "// ===BEGIN PRIVATE DOMAINS===\n"
    "internal\n"
    "example.fr\n"
    "// ===END PRIVATE DOMAINS===\n";

TEST(PublicSuffixListTest, PrivateSuffixesChangeTheRegistrableDomain) {
  const auto site = PublicSuffixList::load(write_list("site.dat", kSiteList));
  ASSERT_TRUE(site) << site.error().message;
  const PublicSuffixList& built_in = *PublicSuffixList::built_in();

  // example.fr is a suffix of the site's list: each name under it is an organisation of its own.
  EXPECT_EQ(built_in.registrable_domain("mail.shop.example.fr"), "example.fr");
  EXPECT_EQ((*site)->registrable_domain("mail.shop.example.fr"), "shop.example.fr");
  EXPECT_EQ((*site)->registrable_domain("example.fr"), "");  // a public suffix has none
  EXPECT_EQ((*site)->registrable_domain("www.bbc.co.uk"), "bbc.co.uk");

  // internal is a known suffix of the site's list (the implicit "*" rule aside), not of the
  // built-in one.
  EXPECT_FALSE(built_in.is_public_suffix("internal"));
  EXPECT_TRUE((*site)->is_public_suffix("internal"));
  EXPECT_FALSE((*site)->is_public_suffix("internal", PublicSuffixList::Section::kIcann));
  EXPECT_TRUE((*site)->is_public_suffix("co.uk", PublicSuffixList::Section::kIcann));
  EXPECT_EQ((*site)->registrable_domain("intranet.rh.internal"), "rh.internal");
  EXPECT_EQ((*site)->source(), write_list("site.dat", kSiteList));
}

// What docs/configuration.md tells a site to start from: Debian's copy of the full list, in either
// of its forms.
TEST(PublicSuffixListTest, DebiansFullListLoads) {
  for (const char* path : {"/usr/share/publicsuffix/public_suffix_list.dat",
                           "/usr/share/publicsuffix/public_suffix_list.dafsa"}) {
    if (!std::filesystem::exists(path)) GTEST_SKIP() << path << " is absent (Debian package publicsuffix)";
    const auto list = PublicSuffixList::load(path);
    ASSERT_TRUE(list) << list.error().message;
    EXPECT_EQ((*list)->registrable_domain("www.interieur.gouv.fr"), "interieur.gouv.fr") << path;
    EXPECT_EQ((*list)->registrable_domain("x.y.github.io"), "y.github.io") << path;
  }
}

TEST(PublicSuffixListTest, AMissingOrIncompleteFileIsAnError) {
  const auto missing = PublicSuffixList::load("/nonexistent/public_suffix_list.dat");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("/nonexistent/public_suffix_list.dat: does not exist"),
            std::string::npos)
      << missing.error().message;

  const auto directory = PublicSuffixList::load(::testing::TempDir());
  ASSERT_FALSE(directory);
  EXPECT_NE(directory.error().message.find("is a directory, not a file"), std::string::npos) << directory.error().message;

  // Only the site's own suffixes: every other domain would lose its registrable domain.
  const std::string partial = write_list("partial.dat", "internal\nexample.fr\n");
  const auto incomplete = PublicSuffixList::load(partial);
  ASSERT_FALSE(incomplete);
  EXPECT_NE(incomplete.error().message.find(partial + ": not a complete public suffix list"), std::string::npos)
      << incomplete.error().message;
}

// The list of the process is fixed by its first lookup; choosing another afterwards fails and
// leaves it as it was, choosing the same one again is not an error.
TEST(PublicSuffixListTest, TheProcessListCannotChangeOnceUsed) {
  EXPECT_EQ(registrable_domain("mail.shop.example.fr"), "example.fr");  // a lookup: the list is fixed
  const std::string path = write_list("late.dat", kSiteList);
  const auto site = PublicSuffixList::load(path);
  ASSERT_TRUE(site) << site.error().message;
  const Result<void> changed = use_public_suffix_list(*site);
  ASSERT_FALSE(changed);
  EXPECT_NE(changed.error().message.find("already uses the built-in list"), std::string::npos)
      << changed.error().message;
  EXPECT_FALSE(use_public_suffix_list_file(path));
  EXPECT_EQ(registrable_domain("mail.shop.example.fr"), "example.fr");
  EXPECT_EQ(public_suffixes().source(), "built-in");
  EXPECT_TRUE(use_public_suffix_list_file(""));
  EXPECT_TRUE(use_public_suffix_list(PublicSuffixList::built_in()));
}

}  // namespace
}  // namespace vigie::parse
