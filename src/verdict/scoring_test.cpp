#include "verdict/scoring.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

#include "verdict/catalog.h"

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

Finding cataloged(FindingId id, double score) {
  Finding f = make_finding(id, {});
  f.score = score;
  return f;
}

const GroupScore* group_of(const Verdict& v, std::string_view name) {
  for (const GroupScore& g : v.groups) {
    if (g.group == name) return &g;
  }
  return nullptr;
}

TEST(ScoringTest, FindingsOfOneGroupCountAtMostItsMaxScore) {
  // Three ways of seeing one malformed message: 9 points uncapped, the structure group's 6 counted.
  const std::vector<Finding> f{make_finding(FindingId::BOUNDARY_TRICK, {}),
                               make_finding(FindingId::CONFLICTING_CONTENT_HEADERS, {}),
                               make_finding(FindingId::MALFORMED_STRUCTURE, {}),
                               make_finding(FindingId::LINK_SHORTENER, {})};
  const Verdict v = decide(f, PolicyConfig{});
  const GroupScore* structure = group_of(v, "structure");
  ASSERT_NE(structure, nullptr);
  EXPECT_EQ(structure->uncapped, 9);
  EXPECT_EQ(structure->max_score, 6);
  EXPECT_EQ(structure->score, 6);
  ASSERT_NE(group_of(v, "link_services"), nullptr);
  EXPECT_EQ(group_of(v, "link_services")->score, 1.5);
  EXPECT_EQ(v.score, 7.5);
  EXPECT_EQ(v.groups.front().group, "structure");  // highest score first
  // Reasons still rank findings by their own score.
  EXPECT_EQ(v.reasons.front(), "BOUNDARY_TRICK");
}

TEST(ScoringTest, ConfiguredCapsReplaceTheDefaultAndInfinityRemovesIt) {
  const std::vector<Finding> f{make_finding(FindingId::BOUNDARY_TRICK, {}),
                               make_finding(FindingId::CONFLICTING_CONTENT_HEADERS, {})};
  PolicyConfig p;
  p.group_max_scores["structure"] = 2;
  EXPECT_EQ(decide(f, p).score, 2);
  p.group_max_scores["structure"] = std::numeric_limits<double>::infinity();
  EXPECT_EQ(decide(f, p).score, 8);
  EXPECT_EQ(group_max_score("structure", PolicyConfig{}), 6);
  EXPECT_TRUE(std::isinf(group_max_score("no-such-group", PolicyConfig{})));
}

TEST(ScoringTest, NegativeScoresCountInFullBesideTheCap) {
  // A site's ham signal (a negative score through [analyzers] scores) clears what it clears: the
  // cap bounds accusations, not exonerations.
  const std::vector<Finding> f{cataloged(FindingId::LURE_PAYMENT, 8), cataloged(FindingId::LURE_PRESSURE, 6),
                               cataloged(FindingId::LURE_PRIZE, -3)};
  const Verdict v = decide(f, PolicyConfig{});
  ASSERT_EQ(v.groups.size(), 1u);
  EXPECT_EQ(v.groups[0].uncapped, 11);
  EXPECT_EQ(v.groups[0].score, 7);  // min(14, 10) - 3
  EXPECT_EQ(v.score, 7);
}

// The report of issue 12: only malformation findings, and the banner said "identified as a
// targeted attack". The banner names what was found and claims no target it has no evidence of.
TEST(ScoringTest, BannerNamesTheKindsFoundAndClaimsNoTargetWithoutEvidence) {
  PolicyConfig p;
  p.tag_at = 1;
  p.warn_at = 2;
  p.quarantine_at = 3;
  const std::vector<Finding> malformed{make_finding(FindingId::BOUNDARY_TRICK, {}),
                                       make_finding(FindingId::MALFORMED_STRUCTURE, {})};
  const Verdict v = decide(malformed, p);
  ASSERT_EQ(v.action, Action::kQuarantine);
  EXPECT_EQ(v.banner.en.find("targeted"), std::string::npos) << v.banner.en;
  EXPECT_EQ(v.banner.fr.find("ciblant"), std::string::npos) << v.banner.fr;
  EXPECT_NE(v.banner.en.find("This message has a malformed or ambiguous structure."), std::string::npos)
      << v.banner.en;
  EXPECT_NE(v.banner.fr.find("Ce message a une structure mal formée ou ambiguë."), std::string::npos)
      << v.banner.fr;
  EXPECT_EQ(v.banner.en.rfind("Danger: ", 0), 0u) << v.banner.en;

  // Someone writing in the organisation's name is what a targeted attack is.
  std::vector<Finding> spoofed = malformed;
  spoofed.push_back(make_finding(FindingId::SPOOFED_PROTECTED_DOMAIN, {}));
  const Verdict t = decide(spoofed, p);
  EXPECT_NE(t.banner.en.find("targeted attack on your organisation"), std::string::npos) << t.banner.en;
  EXPECT_NE(t.banner.en.find("This message impersonates your organisation, its people or its domains."),
            std::string::npos)
      << t.banner.en;
  EXPECT_NE(t.banner.fr.find("une attaque ciblant votre organisation"), std::string::npos) << t.banner.fr;
}

TEST(ScoringTest, BannerNamesTheGroupsThatDecidedNotEveryGroup) {
  // Quarantined by brand impersonation and lure wording (9 + 4 >= 12): a small look-alike of the
  // organisation's domain and a malformed header did not decide, so they are not named.
  const std::vector<Finding> f{cataloged(FindingId::BRAND_DISPLAY_NAME_IMPERSONATION, 5),
                               cataloged(FindingId::BRAND_SUBJECT_IMPERSONATION, 4),
                               cataloged(FindingId::LURE_ACCOUNT_CREDENTIALS, 4),
                               cataloged(FindingId::MALFORMED_STRUCTURE, 1),
                               cataloged(FindingId::LOOKALIKE_ORGANISATION_DOMAIN, 0.5)};
  const Verdict v = decide(f, PolicyConfig{});
  ASSERT_EQ(v.action, Action::kQuarantine);
  EXPECT_NE(v.banner.en.find("This message passes itself off as a well-known brand or public service and "
                             "uses the wording of phishing or fraud."),
            std::string::npos)
      << v.banner.en;
  EXPECT_NE(v.banner.fr.find("Ce message se fait passer pour une marque ou un service public connu et "
                             "reprend les formules de l'hameçonnage ou de la fraude."),
            std::string::npos)
      << v.banner.fr;
  EXPECT_EQ(v.banner.en.find("malformed"), std::string::npos) << v.banner.en;
  EXPECT_EQ(v.banner.en.find("targeted"), std::string::npos) << v.banner.en;
}

TEST(ScoringTest, BannerPutsTheGroupOfAForcedActionFirst) {
  PolicyConfig p;
  p.finding_actions.emplace("SPOOFED_PROTECTED_DOMAIN", Action::kQuarantine);
  const Verdict v = decide(std::vector{cataloged(FindingId::LURE_PAYMENT, 4),
                                       cataloged(FindingId::SPOOFED_PROTECTED_DOMAIN, 0.5)},
                           p);
  ASSERT_EQ(v.action, Action::kQuarantine);
  EXPECT_NE(v.banner.en.find("targeted attack"), std::string::npos) << v.banner.en;
  EXPECT_NE(v.banner.en.find("This message impersonates your organisation, its people or its domains and "
                             "uses the wording of phishing or fraud."),
            std::string::npos)
      << v.banner.en;
}

}  // namespace
}  // namespace vigie::verdict
