// file_problem / read_config_file: a configured path that is missing, a directory or too large is
// refused with a reason; a readable file is read whole.
#include "common/list_file.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace vigie {
namespace {

TEST(ListFileTest, SaysWhyAPathIsNotAFile) {
  const std::string dir = ::testing::TempDir() + "/vigie_list_file_dir";
  std::filesystem::create_directories(dir);
  const std::string file = dir + "/list.tsv";
  std::ofstream(file) << "one\ntwo\n";

  EXPECT_EQ(file_problem(file), "");
  EXPECT_EQ(file_problem(dir), "is a directory, not a file");
  EXPECT_EQ(file_problem(dir + "/missing.tsv"), "does not exist");
  EXPECT_EQ(file_problem("/dev/null"), "is not a regular file");
  EXPECT_EQ(directory_problem(dir), "");
  EXPECT_EQ(directory_problem(file), "is a file, not a directory");
  EXPECT_EQ(directory_problem(dir + "/missing"), "does not exist");

  const auto read = read_config_file(file, 100);
  ASSERT_TRUE(read.has_value());
  EXPECT_EQ(*read, "one\ntwo\n");
  const auto too_large = read_config_file(file, 4);
  ASSERT_FALSE(too_large.has_value());
  EXPECT_NE(too_large.error().message.find("larger than 4 bytes"), std::string::npos);
  const auto directory = read_config_file(dir, 100);
  ASSERT_FALSE(directory.has_value());
  EXPECT_EQ(directory.error().message, dir + ": is a directory, not a file");
  std::filesystem::remove_all(dir);
}

}  // namespace
}  // namespace vigie
