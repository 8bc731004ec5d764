#include "service/hunt/hunt.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cstdio>

#include "analyzers/analyzer.h"
#include "config/section.h"

namespace vigie::service::hunt {
namespace {

InputMessage message_of(std::string bytes, std::string separator = "") {
  InputMessage message{"box:1", std::make_shared<const std::string>(std::move(bytes)), 1};
  message.mbox_separator = std::move(separator);
  message.size = message.bytes->size();
  return message;
}

TEST(Hunt, DeliveryTimeIsTheDateHeaderThenTheMboxSeparator) {
  const auto dated = delivery_time(
      message_of("From: a@example.org\r\nDate: Tue, 1 Jul 2003 12:52:37 +0200\r\n\r\nbody\r\n",
                 "From a@example.org Mon Dec  7 17:42:36 2026"),
      100);
  ASSERT_TRUE(dated);
  EXPECT_EQ(dated->unix_seconds, 1057056757);
  EXPECT_EQ(dated->source, "date-header");

  const auto from_separator =
      delivery_time(message_of("From: a@example.org\n\nbody\n", "From a@example.org Mon Dec  7 17:42:36 2026"), 100);
  ASSERT_TRUE(from_separator);
  EXPECT_EQ(from_separator->unix_seconds, 1796665356);
  EXPECT_EQ(from_separator->source, "mbox-separator");

  // A Date that cannot be read falls back too; nothing at all is "now" for the engine.
  EXPECT_EQ(delivery_time(message_of("Date: someday\n\n", "From x Mon Dec  7 17:42:36 2026"), 100)->source,
            "mbox-separator");
  EXPECT_FALSE(delivery_time(message_of("Subject: x\n\nbody\n"), 100));
}

TEST(Hunt, IntelligenceOnlyDisablesEveryOtherMessageAnalyzerButKeepsExtractors) {
  Config config;
  config.analyzers.disabled = {"intelligence", "links"};
  configure(config, "/tmp/store.sqlite", Analyzers::kIntelligenceOnly);
  const auto& disabled = config.analyzers.disabled;
  for (const analyzers::AnalyzerDescriptor* analyzer : analyzers::registry()) {
    const bool off = std::find(disabled.begin(), disabled.end(), analyzer->name) != disabled.end();
    EXPECT_EQ(off, analyzer->name != "intelligence") << analyzer->name;
  }
  // The extractors (and the analyzers that find links in documents) stay; only those that judge go.
  const std::vector<std::string_view> judge_only = {"attachment_type", "webmail_xss", "yara", "clamav"};
  std::size_t judges_found = 0;
  for (const analyzers::ObjectAnalyzerDescriptor* analyzer : analyzers::object_registry()) {
    const bool judge = std::find(judge_only.begin(), judge_only.end(), analyzer->name) != judge_only.end();
    judges_found += judge;
    const bool off = std::find(disabled.begin(), disabled.end(), analyzer->name) != disabled.end();
    EXPECT_EQ(off, judge) << analyzer->name;
  }
  EXPECT_EQ(judges_found, judge_only.size());  // a renamed analyzer would silently stay on
  config::SectionReader reader(config.analyzers.sections.at("intelligence"));
  std::string store;
  reader.path("store", store);
  EXPECT_EQ(store, "/tmp/store.sqlite");

  Config all;
  all.analyzers.disabled = {"links"};
  configure(all, "/tmp/store.sqlite", Analyzers::kAll);
  EXPECT_EQ(all.analyzers.disabled, std::vector<std::string>{"links"});  // the site's choice stands
}

TEST(Hunt, SummaryCountsMessagesByIndicatorRecipientAndDay) {
  HuntSummary summary;
  const nlohmann::json sighting{{"indicator", "indicator--1"}, {"source", "feed.json"}, {"type", "domain"},
                                {"matched", "evil.example"}};
  summary.add({{"file", "box"}, {"mbox_index", 1}, {"date", "2026-03-01T10:00:00Z"},
               {"recipients", {"alice@ministere.gouv.fr", "bob@ministere.gouv.fr"}},
               {"sightings", {sighting, sighting}}});
  summary.add({{"file", "b.eml"}, {"date", "2026-03-02T08:00:00Z"}, {"recipients", {"alice@ministere.gouv.fr"}},
               {"sightings", {sighting}}});
  summary.add({{"file", "big.mbox"}, {"mbox_index", 7}, {"date", nullptr}, {"recipients", nlohmann::json::array()},
               {"sightings", nlohmann::json::array()}, {"cut", true}});
  EXPECT_EQ(summary.messages_matched(), 2u);
  EXPECT_EQ(summary.by_indicator().at("indicator--1 (feed.json) domain evil.example"), 2u);
  EXPECT_EQ(summary.by_recipient().at("alice@ministere.gouv.fr"), 2u);
  EXPECT_EQ(summary.by_recipient().at("bob@ministere.gouv.fr"), 1u);
  EXPECT_EQ(summary.by_day().at("2026-03-01"), 1u);
  EXPECT_EQ(summary.by_day().at("2026-03-02"), 1u);
  EXPECT_EQ(summary.cut_labels(), std::vector<std::string>{"big.mbox:7"});
  const std::string text = summary.text(1);
  EXPECT_NE(text.find("2 messages matched 1 indicator."), std::string::npos) << text;
  EXPECT_NE(text.find("      2  alice@ministere.gouv.fr\n      … 1 more"), std::string::npos) << text;
  EXPECT_NE(text.find("Messages by day of delivery (UTC):\n      1  2026-03-01\n      1  2026-03-02\n"), std::string::npos)
      << text;
  EXPECT_EQ(HuntSummary().text(5), "No message matched the indicators.\n");

  // Over a month of days, the timeline is by month.
  HuntSummary long_campaign;
  for (int day = 1; day <= 40; ++day) {
    char date[32];
    std::snprintf(date, sizeof date, "2026-%02d-%02dT10:00:00Z", day <= 28 ? 2 : 3, day <= 28 ? day : day - 28);
    long_campaign.add({{"file", "x"}, {"date", date}, {"recipients", {"a@b"}}, {"sightings", {sighting}}});
  }
  const std::string monthly = long_campaign.text(5);
  EXPECT_NE(monthly.find("Messages by month of delivery (UTC):\n     28  2026-02\n     12  2026-03\n"), std::string::npos)
      << monthly;
}

}  // namespace
}  // namespace vigie::service::hunt
