// The free-mailbox list: the shipped file loads, wildcards match under public suffixes only, and
// broken lines are refused with file:line.
#include "intel/identity/free_webmail.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

namespace vigie::intel::identity {
namespace {

TEST(FreeWebmailTest, ShippedListLoadsAndMatches) {
  const Result<FreeWebmailList> list = FreeWebmailList::load(VIGIE_SOURCE_DIR "/data/free_webmail.tsv");
  ASSERT_TRUE(list) << list.error().message;
  EXPECT_GT(list->size(), 80u);
  ASSERT_NE(list->find("gmail.com"), nullptr);
  EXPECT_EQ(*list->find("gmail.com"), MailboxCategory::kWebmail);
  EXPECT_NE(list->find("yahoo.fr"), nullptr);
  EXPECT_NE(list->find("yahoo.co.uk"), nullptr);
  EXPECT_NE(list->find("hotmail.de"), nullptr);
  EXPECT_EQ(*list->find("proton.me"), MailboxCategory::kPrivacy);
  EXPECT_EQ(*list->find("orange.fr"), MailboxCategory::kIsp);
  EXPECT_EQ(list->find("yahoo.example-corp.com"), nullptr);
  EXPECT_EQ(list->find("mail.yahoo.com"), nullptr);
  EXPECT_EQ(list->find("interieur.gouv.fr"), nullptr);
  EXPECT_EQ(list->find(""), nullptr);
}

TEST(FreeWebmailTest, BrokenLineNamesFileAndLine) {
  const std::string path =
      (std::filesystem::temp_directory_path() / "vigie_free_webmail_test.tsv").string();
  {
    std::ofstream out(path);
    out << "# comment\ngmail.com\twebmail\thttps://example.org\nbad.example\tfree\tsrc\n";
  }
  const Result<FreeWebmailList> list = FreeWebmailList::load(path);
  std::remove(path.c_str());
  ASSERT_FALSE(list);
  EXPECT_NE(list.error().message.find(":3: category"), std::string::npos) << list.error().message;
  EXPECT_FALSE(FreeWebmailList::load("/nonexistent/free.tsv"));
}

}  // namespace
}  // namespace vigie::intel::identity
