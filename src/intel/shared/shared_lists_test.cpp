// Shared lists load once and report a broken list with its place.
#include "intel/shared/shared_lists.h"

#include <gtest/gtest.h>

#include <fstream>

namespace vigie::intel {
namespace {

TEST(SharedListsTest, EachListLoadsOnceAndIsShared) {
  const Config config;
  SharedLists lists(config);
  auto first = lists.brands();
  auto second = lists.brands();
  ASSERT_TRUE(first && second);
  EXPECT_EQ(first->get(), second->get());
  auto categories = lists.link_categories();
  ASSERT_TRUE(categories);
  EXPECT_EQ(categories->get(), lists.link_categories()->get());
  auto webmail = lists.free_webmail();
  ASSERT_TRUE(webmail);
  EXPECT_GT((*webmail)->size(), 0u);
}

TEST(SharedListsTest, ABrokenListIsAnErrorEveryTimeItIsAsked) {
  const std::string path = ::testing::TempDir() + "/vigie_shared_broken_categories.tsv";
  std::ofstream(path) << "not a valid line\n";
  Config config;
  config.lists.link_categories = {path};
  SharedLists lists(config);
  const auto categories = lists.link_categories();
  ASSERT_FALSE(categories);
  EXPECT_NE(categories.error().message.find(path), std::string::npos) << categories.error().message;
  EXPECT_FALSE(lists.link_categories());
}

}  // namespace
}  // namespace vigie::intel
