#include "vigie/config.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace vigie {
namespace {

std::string write_temp(std::string_view name, std::string_view content) {
  const auto path = std::filesystem::temp_directory_path() / ("vigie_config_test_" + std::string(name));
  std::ofstream(path) << content;
  return path.string();
}

TEST(ConfigTest, DefaultsApplyWithoutFile) {
  const Config c;
  EXPECT_EQ(c.limits.max_mime_depth, 24u);
  EXPECT_LT(c.policy.tag_at, c.policy.reject_at);
}

TEST(ConfigTest, ReadsKnownKeys) {
  const auto path = write_temp("ok.toml",
                               "[limits]\nmax_parts = 50\nmax_message_bytes = 1048576\n"
                               "[policy]\ntag_at = 2\nwarn_at = 3.5\nquarantine_at = 9\nreject_at = 10\n"
                               "[analyzers]\ndisabled = [\"parse_anomalies\"]\n");
  const Result<Config> c = load_config(path);
  ASSERT_TRUE(c) << c.error().message;
  EXPECT_EQ(c->limits.max_parts, 50u);
  EXPECT_EQ(c->limits.max_message_bytes, 1048576u);
  EXPECT_EQ(c->policy.warn_at, 3.5);
  EXPECT_EQ(c->analyzers.disabled, std::vector<std::string>{"parse_anomalies"});
}

TEST(ConfigTest, ErrorsNameFileLineAndKey) {
  const auto path = write_temp("bad.toml",
                               "[limits]\nmax_parts = \"many\"\nmax_depth = 3\n"
                               "[nope]\nx = 1\n[analyzers]\ndisabled = [\"ghost\"]\n");
  const Result<Config> c = load_config(path);
  ASSERT_FALSE(c);
  const std::string& m = c.error().message;
  EXPECT_NE(m.find(path + ":2:"), std::string::npos) << m;
  EXPECT_NE(m.find("limits.max_parts: expected an integer"), std::string::npos) << m;
  EXPECT_NE(m.find(path + ":3:"), std::string::npos) << m;
  EXPECT_NE(m.find("limits.max_depth: unknown key"), std::string::npos) << m;
  EXPECT_NE(m.find("nope: unknown section"), std::string::npos) << m;
  EXPECT_NE(m.find("unknown analyzer 'ghost'"), std::string::npos) << m;
}

TEST(ConfigTest, RejectsNonPositiveLimitsAndUnorderedThresholds) {
  const auto path = write_temp("range.toml", "[limits]\nmax_parts = 0\n[policy]\ntag_at = 30\n");
  const Result<Config> c = load_config(path);
  ASSERT_FALSE(c);
  EXPECT_NE(c.error().message.find("must be greater than zero"), std::string::npos);
  EXPECT_NE(c.error().message.find("tag_at <= warn_at"), std::string::npos);
}

TEST(ConfigTest, SyntaxErrorAndMissingFile) {
  const auto path = write_temp("syntax.toml", "[limits\n");
  const Result<Config> c = load_config(path);
  ASSERT_FALSE(c);
  EXPECT_EQ(c.error().message.rfind(path + ":1:", 0), 0u) << c.error().message;
  EXPECT_FALSE(load_config("/nonexistent/vigie.toml"));
}

}  // namespace
}  // namespace vigie
