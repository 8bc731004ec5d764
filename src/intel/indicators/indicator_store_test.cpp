#include "intel/indicators/indicator_store.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

namespace vigie::intel {
namespace {

class IndicatorStoreTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("vigie-intel-store-" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) + "-" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }
  std::string path(const std::string& name) const { return (dir_ / name).string(); }
  std::filesystem::path dir_;
};

ImportResult sample() {
  ImportResult r;
  Indicator a;
  a.id = "indicator--1";
  a.source = "CERT-FR";
  a.name = "APT28 phishing domain";
  a.pattern = "[domain-name:value = 'evil.example']";
  a.values = {{ObservableType::kDomain, "evil.example"}, {ObservableType::kUrl, "https://evil.example/kit/"}};
  a.valid_from = 100;
  a.valid_until = 200;
  a.confidence = 85;
  a.labels = {"malicious-activity"};
  a.tlp = Tlp::kAmber;
  a.links = {{"intrusion-set", "APT28", "intrusion-set--abc"}};
  Indicator b;
  b.id = "misp:e/a";
  b.values = {{ObservableType::kSha256, std::string(64, 'a')}};
  b.revoked = true;
  r.indicators = {a, b};
  r.problems = {{"bundle.json: indicator--9", "pattern: unexpected ']' at 12"}};
  return r;
}

TEST_F(IndicatorStoreTest, AFeedRoundTripsAndIsReplacedWhole) {
  {
    auto store = IndicatorStore::open(path("intel.db"));
    ASSERT_TRUE(store) << store.error().message;
    auto replaced = (*store)->replace_feed("cert", "stix", "/feeds/cert.json", sample(), 1234);
    ASSERT_TRUE(replaced) << replaced.error().message;
  }
  auto store = IndicatorStore::open(path("intel.db"));  // again, from the file
  ASSERT_TRUE(store);
  auto all = (*store)->load_all();
  ASSERT_TRUE(all);
  ASSERT_EQ(all->size(), 2u);
  const Indicator& a = (*all)[0];
  EXPECT_EQ(a.id, "indicator--1");
  EXPECT_EQ(a.source, "CERT-FR");
  EXPECT_EQ(a.pattern, "[domain-name:value = 'evil.example']");
  ASSERT_EQ(a.values.size(), 2u);
  EXPECT_EQ(a.values[1].type, ObservableType::kUrl);
  EXPECT_EQ(a.values[1].value, "https://evil.example/kit/");
  EXPECT_EQ(a.valid_from, 100);
  EXPECT_EQ(a.valid_until, 200);
  EXPECT_EQ(a.confidence, 85);
  EXPECT_EQ(a.labels, std::vector<std::string>{"malicious-activity"});
  EXPECT_EQ(a.tlp, Tlp::kAmber);
  ASSERT_EQ(a.links.size(), 1u);
  EXPECT_EQ(a.links[0].name, "APT28");
  EXPECT_TRUE((*all)[1].revoked);
  EXPECT_EQ((*all)[1].values[0].type, ObservableType::kSha256);

  auto feeds = (*store)->feeds();
  ASSERT_TRUE(feeds);
  ASSERT_EQ(feeds->size(), 1u);
  EXPECT_EQ((*feeds)[0].indicators, 2u);
  EXPECT_EQ((*feeds)[0].problems, 1u);
  EXPECT_EQ((*feeds)[0].imported_at, 1234);
  ASSERT_EQ((*feeds)[0].first_problems.size(), 1u);
  EXPECT_EQ((*feeds)[0].first_problems[0], "bundle.json: indicator--9: pattern: unexpected ']' at 12");

  // A second import of the same feed replaces it; another feed stays.
  ImportResult smaller;
  smaller.indicators = {sample().indicators[0]};
  ASSERT_TRUE((*store)->replace_feed("other", "list", "x.txt", smaller, 1));
  ASSERT_TRUE((*store)->replace_feed("cert", "stix", "/feeds/cert.json", smaller, 2));
  auto stats = (*store)->stats();
  ASSERT_TRUE(stats);
  EXPECT_EQ(stats->feeds, 2u);
  EXPECT_EQ(stats->indicators, 2u);
  EXPECT_EQ(stats->values, 4u);
  ASSERT_EQ(stats->values_by_type.size(), 2u);
  EXPECT_EQ(stats->values_by_type[0], (std::pair<std::string, std::size_t>{"domain", 2}));
  EXPECT_GT(stats->file_bytes, 0);

  auto removed = (*store)->remove_feed("cert");
  ASSERT_TRUE(removed);
  EXPECT_TRUE(*removed);
  EXPECT_FALSE(*(*store)->remove_feed("cert"));
  EXPECT_EQ((*store)->load_all()->size(), 1u);
  EXPECT_EQ((*store)->stats()->values, 2u);  // the values went with their indicators
}

TEST_F(IndicatorStoreTest, ReadingForMatchingGivesEachIndicatorItsOwnValuesWithoutTheRest) {
  auto store = IndicatorStore::open(path("intel.db"));
  ASSERT_TRUE(store);
  ImportResult feed = sample();
  Indicator pattern_only;  // no values, between two indicators with some
  pattern_only.id = "indicator--p";
  pattern_only.pattern = "[domain-name:value LIKE '%.evil.example']";
  pattern_only.links = feed.indicators[0].links;  // the same links text: parsed once, given to both
  feed.indicators.insert(feed.indicators.begin() + 1, pattern_only);
  ASSERT_TRUE((*store)->replace_feed("cert", "stix", "cert.json", feed, 1));
  ASSERT_TRUE((*store)->replace_feed("lists", "list", "l.txt", sample(), 2));
  std::vector<std::string> seen;
  auto read = (*store)->for_each(IndicatorStore::Fields::kMatching, [&](const Indicator& i) {
    std::string line = i.id + ":" + std::to_string(i.values.size()) + ":" + std::to_string(i.links.size());
    for (const IndicatorValue& v : i.values) line += " " + v.value;
    if (!i.description.empty() || !i.labels.empty()) line += " (description or labels read)";
    seen.push_back(line);
  });
  ASSERT_TRUE(read) << read.error().message;
  const std::string sha = std::string(64, 'a');
  EXPECT_EQ(seen, (std::vector<std::string>{"indicator--1:2:1 evil.example https://evil.example/kit/",
                                            "indicator--p:0:1", "misp:e/a:1:0 " + sha,
                                            "indicator--1:2:1 evil.example https://evil.example/kit/",
                                            "misp:e/a:1:0 " + sha}));
}

TEST_F(IndicatorStoreTest, AFileThatIsNotAnIndicatorStoreIsRefused) {
  std::ofstream(path("notes.txt")) << "not a database at all, just text long enough to be read as a header";
  auto store = IndicatorStore::open(path("notes.txt"));
  ASSERT_FALSE(store);
  EXPECT_NE(store.error().message.find("notes.txt"), std::string::npos) << store.error().message;
}

}  // namespace
}  // namespace vigie::intel
