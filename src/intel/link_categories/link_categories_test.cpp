// Link-category lists: the format's rules (each broken line names file:line), suffix, exact-host,
// path-prefix and wildcard matching, and that the shipped lists load.
#include "intel/link_categories/link_categories.h"

#include <gtest/gtest.h>

#include "vigie/config.h"

namespace vigie::intel {
namespace {

LinkCategories lists_of(std::string_view text) {
  LinkCategories lists;
  const Result<void> r = lists.add_text(text, "test.tsv");
  EXPECT_TRUE(r.has_value()) << (r ? "" : r.error().message);
  return lists;
}

std::string error_of(std::string_view text) {
  LinkCategories lists;
  const Result<void> r = lists.add_text(text, "bad.tsv");
  return r ? std::string() : r.error().message;
}

TEST(LinkCategoriesTest, SuffixMatchOnLabelBoundaries) {
  const LinkCategories lists = lists_of("# comment\n\nweb.app\tfree_hosting\thttps://firebase.google.com/docs/hosting\n");
  ASSERT_NE(lists.match("evil-login.web.app", "/"), nullptr);
  EXPECT_EQ(lists.match("a.b.web.app", "")->category, LinkCategory::kFreeHosting);
  EXPECT_EQ(lists.match("notweb.app", "/"), nullptr);
  EXPECT_EQ(lists.match("web.app.example.com", "/"), nullptr);
  EXPECT_EQ(lists.match("app", "/"), nullptr);
}

TEST(LinkCategoriesTest, PathPrefixAndMostSpecificEntry) {
  const LinkCategories lists = lists_of(
      "docs.google.com/forms\tform_builder\thttps://support.google.com/docs/\n"
      "docs.google.com/document\tfile_sharing\thttps://support.google.com/docs/\n"
      "google.com/url\topen_redirect\thttps://www.google.com/\n");
  EXPECT_EQ(lists.match("docs.google.com", "/forms/d/e/x/viewform")->category,
            LinkCategory::kFormBuilder);
  EXPECT_EQ(lists.match("docs.google.com", "/document/d/1")->category, LinkCategory::kFileSharing);
  EXPECT_EQ(lists.match("docs.google.com", "/"), nullptr);
  EXPECT_EQ(lists.match("www.google.com", "/url")->category, LinkCategory::kOpenRedirect);
  EXPECT_EQ(lists.match("www.google.com", "/search"), nullptr);
}

TEST(LinkCategoriesTest, ExactHostAndWildcardLabel) {
  const LinkCategories lists = lists_of(
      "=t.co\tshortener\thttps://help.twitter.com/\n"
      "s3.*.amazonaws.com\tcloud_storage\thttps://docs.aws.amazon.com/AmazonS3/\n");
  EXPECT_NE(lists.match("t.co", "/abc"), nullptr);
  EXPECT_EQ(lists.match("x.t.co", "/abc"), nullptr);
  EXPECT_EQ(lists.match("bucket.s3.eu-west-3.amazonaws.com", "/a.html")->category,
            LinkCategory::kCloudStorage);
  EXPECT_NE(lists.match("s3.us-east-1.amazonaws.com", "/bucket/a.html"), nullptr);
  EXPECT_EQ(lists.match("ec2.eu-west-3.amazonaws.com", "/"), nullptr);
}

TEST(LinkCategoriesTest, BrokenLinesNameFileAndLine) {
  EXPECT_EQ(error_of("ok.example\tshortener\thttps://ok.example/\nbad\tshortener\thttps://x.example/\n"),
            "bad.tsv:2: host needs at least two labels: 'bad'");
  EXPECT_NE(error_of("a.example\tnope\thttps://x.example/\n").find("bad.tsv:1: unknown category"),
            std::string::npos);
  EXPECT_NE(error_of("a.example\tshortener\n").find("bad.tsv:1: expected pattern"), std::string::npos);
  EXPECT_NE(error_of("A.example\tshortener\thttps://x.example/\n").find("lowercase"), std::string::npos);
  EXPECT_NE(error_of("a.b.*.example\tshortener\thttps://x.example/\n").find("second position"), std::string::npos);
  EXPECT_NE(error_of("*.a.example\tshortener\thttps://x.example/\n").find("second position"),
            std::string::npos);
  EXPECT_NE(error_of("a.example\tshortener\thttps://x.example/\na.example\tblog\thttps://y.example/\n")
                .find("bad.tsv:2: duplicate of bad.tsv:1"),
            std::string::npos);
  EXPECT_NE(error_of("a.example\tshortener\tx\n").find("source"), std::string::npos);
  EXPECT_NE(error_of("a.example\tshortener\t" + std::string(600, 'x') + "\n").find("512"),
            std::string::npos);
}

TEST(LinkCategoriesTest, ShippedListsLoad) {
  const Result<LinkCategories> lists = LinkCategories::load(data_dir(Config{}) + "/link_categories", {});
  ASSERT_TRUE(lists.has_value()) << lists.error().message;
  EXPECT_GT(lists->size(), 500u);
  EXPECT_EQ(lists->match("abc123.ngrok-free.app", "/")->category, LinkCategory::kTunnel);
  EXPECT_EQ(lists->match("webhook.site", "/0b8a")->category, LinkCategory::kWebhook);
  EXPECT_EQ(lists->match("run.mocky.io", "/v3/x")->category, LinkCategory::kMockApi);
  EXPECT_EQ(lists->match("x.duckdns.org", "/")->category, LinkCategory::kDynamicDns);
  EXPECT_EQ(lists->match("forms.gle", "/x")->category, LinkCategory::kFormBuilder);
  EXPECT_EQ(lists->match("eur01.safelinks.protection.outlook.com", "/")->category,
            LinkCategory::kUrlWrapper);
}

TEST(LinkCategoriesTest, MissingDirectoryIsAnError) {
  EXPECT_FALSE(LinkCategories::load("/nonexistent/vigie-data", {}).has_value());
}

}  // namespace
}  // namespace vigie::intel
