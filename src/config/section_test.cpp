// Component sections: typed keys, relative paths, and every mistake located in one pass.
#include "config/section.h"

#include <gtest/gtest.h>

namespace vigie::config {
namespace {

TEST(SectionReaderTest, ReadsTypedKeysAndResolvesPaths) {
  const ConfigSection section = section_from_toml(
      "model = \"state/model.txt\"\nlists = [\"a.tsv\", \"/abs/b.tsv\"]\nthreshold = 0.9\n",
      "analyzers.x", "/etc/vigie/vigie.toml");
  SectionReader reader(section);
  std::string model;
  std::vector<std::string> lists;
  double threshold = 0;
  reader.path("model", model);
  reader.paths("lists", lists);
  reader.number("threshold", threshold, 0.5, 1, true);
  ASSERT_TRUE(reader.finish());
  EXPECT_EQ(model, "/etc/vigie/state/model.txt");
  EXPECT_EQ(lists, (std::vector<std::string>{"/etc/vigie/a.tsv", "/abs/b.tsv"}));
  EXPECT_EQ(threshold, 0.9);
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
  reader.paths("lists", lists);
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
