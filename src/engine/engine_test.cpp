#include "vigie/engine.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>

#include "parse/url/url.h"

namespace vigie {
namespace {

TEST(EngineTest, ScanFillsMessageVerdictAndTiming) {
  const Engine engine{Config{}};
  const ScanResult r = engine.scan(
      std::make_shared<const std::string>("From: a@example.org\nFrom: b@example.org\n"
                                          "Subject: s\nSubject: t\n\nx\n"),
      Envelope{});
  ASSERT_NE(r.message, nullptr);
  EXPECT_EQ(r.message->subject(), "s");
  EXPECT_EQ(r.verdict.score, 8.0);  // MULTIPLE_FROM 6 + DUPLICATE_IDENTITY_HEADER 2
  EXPECT_EQ(r.verdict.action, Action::kWarn);
  EXPECT_EQ(r.verdict.reasons.front(), "MULTIPLE_FROM");
}

TEST(EngineTest, DisabledAnalyzerDoesNotRun) {
  Config config;
  config.analyzers.disabled = {"parse_anomalies"};
  const Engine engine{config};
  const ScanResult r = engine.scan(
      std::make_shared<const std::string>("From: a@example.org\nFrom: b@example.org\n\nx\n"), Envelope{});
  EXPECT_TRUE(r.findings.empty());
  EXPECT_EQ(r.verdict.action, Action::kAccept);
}

TEST(EngineTest, NullBufferIsAnEmptyMessage) {
  const Engine engine{Config{}};
  const ScanResult r = engine.scan(nullptr, Envelope{});
  EXPECT_EQ(r.message->parts().size(), 1u);
}

// A clock whose steady time moves one second each time it is read: every check of the scan's
// deadline finds a second gone.
class SlowClock final : public Clock {
 public:
  std::chrono::system_clock::time_point now() const override { return std::chrono::system_clock::now(); }
  std::chrono::steady_clock::time_point steady_now() const override {
    return std::chrono::steady_clock::time_point(std::chrono::seconds(++seconds_));
  }

 private:
  mutable std::atomic<std::int64_t> seconds_{0};
};

TEST(EngineLimitsTest, AnalysisOutOfTimeSkipsTheRestAndSaysWhat) {
  Config config;
  config.limits.max_analysis_ms = 2500;  // the deadline is read at second 2: it passes at second 5
  Services services;
  services.clock = std::make_shared<const SlowClock>();
  const Engine engine{config, services};
  const ScanResult r = engine.scan(
      std::make_shared<const std::string>("From: a@sender.example\nSubject: hi\n\nhello\n"), Envelope{});
  EXPECT_FALSE(r.verdict.complete);
  ASSERT_FALSE(r.limits_reached.empty());
  const LimitCrossing& crossing = r.limits_reached.back();
  EXPECT_EQ(crossing.limit, "max_analysis_ms");
  EXPECT_EQ(crossing.stage, "engine");
  EXPECT_EQ(crossing.allowed, 2500u);
  // The object queue and the first analyzers ran; the ones after the deadline are named.
  EXPECT_NE(crossing.not_examined.find("links"), std::string::npos) << crossing.not_examined;
  EXPECT_EQ(crossing.not_examined.find("parse_anomalies"), std::string::npos) << crossing.not_examined;

  // With the system clock the same message is examined in full.
  const ScanResult whole =
      Engine{config}.scan(std::make_shared<const std::string>("From: a@sender.example\nSubject: hi\n\nhello\n"),
                          Envelope{});
  EXPECT_TRUE(whole.verdict.complete);
}

}  // namespace
}  // namespace vigie

namespace vigie {
namespace {

Config configured(const std::string& toml) {
  const std::string path = ::testing::TempDir() + "/vigie_engine_config.toml";
  std::ofstream(path) << toml;
  Result<Config> config = load_config(path);
  EXPECT_TRUE(config) << config.error().message;
  return config ? *config : Config{};
}

// The configuration reader does not know the analyzers; the engine points at every unknown name
// and every unknown key of an analyzer's section, all at once, with its line and column.
TEST(EngineConfigTest, UnknownAnalyzersAndSectionKeysAreLocated) {
  const Config config = configured(
      "[analyzers]\n"
      "disabled = [\"linkz\"]\n"
      "weights = { ghost = 2 }\n"
      "[analyzers.lure_language]\n"
      "list = [\"x.tsv\"]\n"
      "[analyzers.spelling]\n"
      "x = 1\n");
  try {
    const Engine engine{config};
    FAIL() << "unknown names must stop the engine";
  } catch (const EngineConfigError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find(":2:13: analyzers.disabled: unknown analyzer 'linkz'"), std::string::npos) << what;
    EXPECT_NE(what.find(":3:21: analyzers.weights.ghost: unknown analyzer 'ghost'"), std::string::npos) << what;
    EXPECT_NE(what.find(":5:8: analyzers.lure_language.list: unknown key"), std::string::npos) << what;
    EXPECT_NE(what.find("analyzers.spelling: unknown analyzer 'spelling'"), std::string::npos) << what;
  }
}

// Object analyzers are named in [analyzers] like the others (regression: their sections and names
// in disabled and weights were refused as unknown analyzers).
TEST(EngineConfigTest, ObjectAnalyzersAreKnownNames) {
  const Config config = configured(
      "[analyzers]\n"
      "disabled = [\"attachment_type\"]\n"
      "weights = { html_attachment = 2 }\n"
      "[analyzers.yara]\n"
      "shipped = true\n"
      "[analyzers.clamav]\n"
      "enabled = false\n");
  EXPECT_NO_THROW(const Engine engine{config});
}

TEST(EngineConfigTest, AnAnalyzerWithoutSettingsRefusesKeys) {
  const Config config = configured("[analyzers.parse_anomalies]\nstrict = true\n");
  try {
    const Engine engine{config};
    FAIL() << "a key nobody reads must stop the engine";
  } catch (const EngineConfigError& e) {
    EXPECT_NE(std::string(e.what()).find(":2:10: analyzers.parse_anomalies.strict: unknown key"),
              std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace vigie

namespace vigie {
namespace {

// A limit crossed anywhere makes the verdict incomplete and adds ANALYSIS_INCOMPLETE, so an
// "accept" never reads as "clean" when part of the message was not looked at.
TEST(EngineLimitsTest, ALimitReachedMakesTheVerdictIncomplete) {
  Config config;
  config.limits.max_hosts_checked = 2;
  const Engine engine{config};
  const ScanResult r = engine.scan(
      std::make_shared<const std::string>("From: a@sender.example\nContent-Type: text/html\n\n"
                                          "<a href=\"https://one.example/\">1</a><a href=\"https://two.example/\">2</a>"
                                          "<a href=\"https://three.example/\">3</a>\n"),
      Envelope{});
  EXPECT_FALSE(r.verdict.complete);
  ASSERT_EQ(r.limits_reached.size(), 1u);
  const Finding* incomplete = nullptr;
  for (const Finding& f : r.findings) {
    if (f.id == "ANALYSIS_INCOMPLETE") incomplete = &f;
  }
  ASSERT_NE(incomplete, nullptr);
  EXPECT_EQ(incomplete->analyzer, "engine");
  EXPECT_EQ(incomplete->evidence.at(0).field, "limit:max_hosts_checked");
  EXPECT_EQ(incomplete->evidence.at(0).value, "lookalike_domains: 2 hosts not checked for look-alikes (4 > 2)");

  const ScanResult small = engine.scan(std::make_shared<const std::string>("From: a@sender.example\n\nhi\n"), Envelope{});
  EXPECT_TRUE(small.verdict.complete);
  EXPECT_TRUE(small.limits_reached.empty());
}

TEST(EngineLimitsTest, AParserLimitMakesTheVerdictIncompleteToo) {
  Config config;
  config.limits.max_parts = 2;
  const Engine engine{config};
  const ScanResult r = engine.scan(
      std::make_shared<const std::string>("From: a@example.org\nContent-Type: multipart/mixed; boundary=b\n\n"
                                          "--b\n\none\n--b\n\ntwo\n--b\n\nthree\n--b--\n"),
      Envelope{});
  EXPECT_FALSE(r.verdict.complete);
}

}  // namespace
}  // namespace vigie

namespace vigie {
namespace {

// [lists] public_suffix_list is what every registrable domain of the process is computed with once
// the engine has started: the URL fields of the scanned message and parse::registrable_domain
// (facts, DMARC alignment, look-alikes and the links analyzer all call it). The list is the
// process's and fixed by its first use, so this runs in a fresh process of its own (a death test
// in the "threadsafe" style re-executes the test binary for this test alone).
TEST(EnginePublicSuffixListTest, TheConfiguredListIsTheOneEveryRegistrableDomainUses) {
  GTEST_FLAG_SET(death_test_style, "threadsafe");
  const std::string list_path = ::testing::TempDir() + "/vigie_engine_psl.dat";
  const std::string config_path = ::testing::TempDir() + "/vigie_engine_psl.toml";
  std::ofstream(list_path) << "// ===BEGIN ICANN DOMAINS===\ncom\nuk\nco.uk\nfr\n// ===END ICANN DOMAINS===\n"
                              "// ===BEGIN PRIVATE DOMAINS===\ninternal\nexample.fr\n// ===END PRIVATE DOMAINS===\n";
  std::ofstream(config_path) << "[lists]\npublic_suffix_list = \"vigie_engine_psl.dat\"\n";
  EXPECT_EXIT(
      {
        int failures = 0;
        const auto check = [&](bool ok, const char* what) {
          if (!ok) {
            std::fprintf(stderr, "failed: %s\n", what);
            ++failures;
          }
        };
        const Result<Config> config = load_config(config_path);
        check(static_cast<bool>(config), "load_config");
        if (!config) std::exit(2);
        const Engine engine{*config};
        const ScanResult r = engine.scan(
            std::make_shared<const std::string>("From: a@example.org\nContent-Type: text/plain\n\n"
                                                "See https://www.shop.example.fr/offer\n"),
            Envelope{});
        check(r.message->urls().size() == 1, "one URL");
        if (r.message->urls().size() == 1) {
          check(r.message->urls()[0].registrable_domain() == "shop.example.fr", "the URL's registrable domain");
        }
        check(parse::registrable_domain("mail.shop.example.fr") == "shop.example.fr", "registrable_domain");
        // Another engine of this process cannot use another list...
        bool refused = false;
        try {
          const Engine built_in{Config{}};
        } catch (const EngineConfigError& e) {
          refused = std::string(e.what()).find("cannot change once in use") != std::string::npos;
        }
        check(refused, "an engine with the built-in list is refused");
        // ...but may use the same one.
        const Engine same{*config};
        std::exit(failures == 0 ? 0 : 1);
      },
      ::testing::ExitedWithCode(0), "");
}

}  // namespace
}  // namespace vigie
