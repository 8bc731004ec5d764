// Component sections: typed keys, relative paths, and every mistake located in one pass.
#include "config/section.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace vigie::config {
namespace {

TEST(SectionReaderTest, ReadsTypedKeysAndResolvesPaths) {
  const std::string dir = std::filesystem::path(::testing::TempDir() + "/vigie_section_test").lexically_normal().string();
  std::filesystem::create_directories(dir + "/lists");
  std::ofstream(dir + "/lists/a.tsv") << "x\n";
  std::ofstream(dir + "/b.tsv") << "y\n";
  const ConfigSection section = section_from_toml(
      "model = \"state/model.txt\"\nlists = [\"lists/a.tsv\", \"" + dir + "/b.tsv\"]\nthreshold = 0.9\n",
      "analyzers.x", dir + "/vigie.toml");
  SectionReader reader(section);
  std::string model;
  std::vector<std::string> lists;
  double threshold = 0;
  reader.path("model", model);  // need not exist yet
  reader.files("lists", lists);
  reader.number("threshold", threshold, 0.5, 1, true);
  ASSERT_TRUE(reader.finish());
  EXPECT_EQ(model, dir + "/state/model.txt");
  EXPECT_EQ(lists, (std::vector<std::string>{dir + "/lists/a.tsv", dir + "/b.tsv"}));
  EXPECT_EQ(threshold, 0.9);
  std::filesystem::remove_all(dir);
}

TEST(SectionReaderTest, ListFilesThatCannotBeReadAreLocatedAllAtOnce) {
  const std::string dir = std::filesystem::path(::testing::TempDir() + "/vigie_section_files").lexically_normal().string();
  std::filesystem::create_directories(dir + "/lists");
  const ConfigSection section =
      section_from_toml("lists = [\"lists\", \"missing.tsv\"]\n", "analyzers.x", dir + "/v.toml");
  SectionReader reader(section);
  std::vector<std::string> lists;
  reader.files("lists", lists);
  const Result<void> result = reader.finish();
  ASSERT_FALSE(result);
  const std::string& m = result.error().message;
  EXPECT_NE(m.find("v.toml:1:10: analyzers.x.lists: '" + dir + "/lists' is a directory, not a file"),
            std::string::npos) << m;
  EXPECT_NE(m.find("v.toml:1:19: analyzers.x.lists: '" + dir + "/missing.tsv' does not exist"), std::string::npos)
      << m;
  EXPECT_TRUE(lists.empty());
  std::filesystem::remove_all(dir);
}

TEST(SectionReaderTest, DirectoriesMustExistAndBooleansAreBooleans) {
  const std::string dir = std::filesystem::path(::testing::TempDir() + "/vigie_section_dirs").lexically_normal().string();
  std::filesystem::create_directories(dir + "/rules");
  std::ofstream(dir + "/file.yar") << "x\n";
  const ConfigSection section = section_from_toml(
      "rules = [\"rules\", \"file.yar\", \"gone\"]\nenabled = true\nstrict = \"yes\"\n", "analyzers.x", dir + "/v.toml");
  SectionReader reader(section);
  std::vector<std::string> rules;
  bool enabled = false;
  bool strict = false;
  reader.directories("rules", rules);
  reader.boolean("enabled", enabled);
  reader.boolean("strict", strict);
  const Result<void> result = reader.finish();
  ASSERT_FALSE(result);
  const std::string& m = result.error().message;
  EXPECT_NE(m.find("v.toml:1:19: analyzers.x.rules: '" + dir + "/file.yar' "), std::string::npos) << m;
  EXPECT_NE(m.find("v.toml:1:31: analyzers.x.rules: '" + dir + "/gone' does not exist"), std::string::npos) << m;
  EXPECT_NE(m.find("v.toml:3:10: analyzers.x.strict: expected true or false"), std::string::npos) << m;
  EXPECT_EQ(rules, std::vector<std::string>{dir + "/rules"});
  EXPECT_TRUE(enabled);
  EXPECT_FALSE(strict);
  std::filesystem::remove_all(dir);
}

TEST(SectionReaderTest, EveryMistakeAndUnknownKeyIsLocated) {
  const ConfigSection section =
      section_from_toml("model = 3\nthreshold = 0.5\nlists = [1]\nmodle = \"x\"\n", "analyzers.x", "v.toml");
  SectionReader reader(section);
  std::string model = "kept";
  std::vector<std::string> lists;
  double threshold = 0.6;
  reader.string("model", model);
  reader.number("threshold", threshold, 0.5, 1, true);
  reader.files("lists", lists);
  const Result<void> result = reader.finish();
  ASSERT_FALSE(result);
  const std::string& m = result.error().message;
  EXPECT_NE(m.find("v.toml:1:9: analyzers.x.model: expected a string"), std::string::npos) << m;
  EXPECT_NE(m.find("v.toml:2:13: analyzers.x.threshold: must be above 0.5 and at most 1"), std::string::npos) << m;
  EXPECT_NE(m.find("v.toml:3:10: analyzers.x.lists: expected a string"), std::string::npos) << m;
  EXPECT_NE(m.find("v.toml:4:9: analyzers.x.modle: unknown key"), std::string::npos) << m;
  EXPECT_EQ(model, "kept");
  EXPECT_EQ(threshold, 0.6);
}

TEST(SectionReaderTest, AnEmptySectionHasNoKeys) {
  SectionReader reader{ConfigSection{}};
  std::string value = "default";
  reader.string("anything", value);
  EXPECT_TRUE(reader.finish());
  EXPECT_EQ(value, "default");
}

}  // namespace
}  // namespace vigie::config
