#include "verdict/scoring.h"

#include <gtest/gtest.h>

namespace vigie::verdict {
namespace {

Finding finding(std::string id, double score) {
  Finding f;
  f.id = std::move(id);
  f.score = score;
  return f;
}

TEST(ScoringTest, NoFindingsAccepts) {
  const Verdict v = decide({}, PolicyConfig{});
  EXPECT_EQ(v.action, Action::kAccept);
  EXPECT_EQ(v.score, 0);
  EXPECT_TRUE(v.reasons.empty());
}

TEST(ScoringTest, ThresholdsMapToActions) {
  PolicyConfig p;
  p.tag_at = 1;
  p.warn_at = 2;
  p.quarantine_at = 3;
  p.reject_at = 4;
  EXPECT_EQ(decide(std::vector{finding("A", 0.5)}, p).action, Action::kAccept);
  EXPECT_EQ(decide(std::vector{finding("A", 1)}, p).action, Action::kTag);
  EXPECT_EQ(decide(std::vector{finding("A", 2.5)}, p).action, Action::kWarn);
  EXPECT_EQ(decide(std::vector{finding("A", 3)}, p).action, Action::kQuarantine);
  EXPECT_EQ(decide(std::vector{finding("A", 2), finding("B", 2)}, p).action, Action::kReject);
}

TEST(ScoringTest, ReasonsAreRankedDedupedAndCapped) {
  std::vector<Finding> f{finding("LOW", 1), finding("HIGH", 9), finding("MID", 5), finding("HIGH", 9),
                         finding("ZERO", 0), finding("A", 2), finding("B", 2), finding("C", 2)};
  const Verdict v = decide(f, PolicyConfig{});
  EXPECT_EQ(v.score, 30);
  EXPECT_EQ(v.reasons, (std::vector<std::string>{"HIGH", "MID", "A", "B", "C"}));
  EXPECT_EQ(action_name(v.action), "reject");
}

TEST(ScoringTest, FindingActionsRaiseAndMaxActionCaps) {
  PolicyConfig p;
  p.finding_actions.emplace("SPOOF", Action::kQuarantine);
  const Verdict raised = decide(std::vector{finding("OTHER", 5), finding("SPOOF", 0.5)}, p);
  EXPECT_EQ(raised.action, Action::kQuarantine);
  EXPECT_EQ(raised.reasons.front(), "SPOOF");
  EXPECT_EQ(decide(std::vector{finding("OTHER", 5)}, p).action, Action::kTag);

  p.max_action = Action::kWarn;
  EXPECT_EQ(decide(std::vector{finding("SPOOF", 0.5)}, p).action, Action::kWarn);
  EXPECT_EQ(decide(std::vector{finding("OTHER", 50)}, p).action, Action::kWarn);
}

TEST(ScoringTest, BannerLeadsWithTheActionAndNamesTheFirstReason) {
  Finding spoof = finding("SPOOF", 9);
  spoof.explanation = {"Someone writes as us.", "Quelqu'un écrit en notre nom."};
  const Verdict v = decide(std::vector{finding("MINOR", 1), spoof}, PolicyConfig{});
  EXPECT_EQ(v.action, Action::kWarn);
  EXPECT_EQ(v.banner.en.rfind("Warning: ", 0), 0u) << v.banner.en;
  EXPECT_NE(v.banner.en.find("Someone writes as us."), std::string::npos);
  EXPECT_EQ(v.banner.fr.rfind("Attention : ", 0), 0u) << v.banner.fr;
  EXPECT_NE(v.banner.fr.find("Quelqu'un écrit en notre nom."), std::string::npos);
  EXPECT_TRUE(decide(std::vector{finding("MINOR", 1)}, PolicyConfig{}).banner.en.empty());
}

}  // namespace
}  // namespace vigie::verdict
