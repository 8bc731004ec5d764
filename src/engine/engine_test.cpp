#include "vigie/engine.h"

#include <gtest/gtest.h>

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

}  // namespace
}  // namespace vigie
