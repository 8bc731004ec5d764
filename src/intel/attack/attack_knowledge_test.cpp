// AttackKnowledge: the shipped data loads and links (techniques, sets by alias, campaigns,
// software), broken files are refused with the reason, every catalog technique resolves, and
// `vigie attack`'s descriptions say what the data holds.
#include "intel/attack/attack_knowledge.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <fstream>

#include "intel/attack/attack_report.h"
#include "verdict/catalog.h"
#include "vigie/config.h"

namespace vigie::intel::attack {
namespace {

const AttackKnowledge& shipped() {
  static const std::shared_ptr<const AttackKnowledge> knowledge = [] {
    Result<std::shared_ptr<const AttackKnowledge>> loaded = AttackKnowledge::load(AttackKnowledge::shipped_file(Config{}));
    if (!loaded) throw std::runtime_error(loaded.error().message);
    return *loaded;
  }();
  return *knowledge;
}

template <typename T>
bool has_id(const std::vector<const T*>& records, std::string_view id) {
  return std::any_of(records.begin(), records.end(), [&](const T* r) { return r->id == id; });
}

TEST(AttackKnowledgeTest, ShippedDataIsVersionedAndCarriesMitresCopyright) {
  const AttackKnowledge& k = shipped();
  EXPECT_EQ(k.version(), "18.1");
  EXPECT_EQ(k.domain(), "enterprise-attack");
  EXPECT_EQ(k.copyright(),
            "© 2025 The MITRE Corporation. This work is reproduced and distributed with the permission of The "
            "MITRE Corporation.");
  EXPECT_NE(k.marking().find("Copyright 2015-2025, The MITRE Corporation"), std::string::npos);
  // The counts of the v18.1 core bundle (../shared/attack/README.md).
  EXPECT_EQ(k.tactics().size(), 14u);
  EXPECT_EQ(k.techniques().size(), 691u);
  EXPECT_EQ(k.intrusion_sets().size(), 172u);
  EXPECT_EQ(k.campaigns().size(), 52u);
  EXPECT_EQ(k.software_list().size(), 693u + 91u);
}

TEST(AttackKnowledgeTest, TechniqueHasTacticsParentAndUsers) {
  const AttackKnowledge& k = shipped();
  const Technique* link = k.technique("t1566.002");
  ASSERT_NE(link, nullptr);
  EXPECT_EQ(link->name, "Spearphishing Link");
  ASSERT_EQ(link->tactics.size(), 1u);
  EXPECT_EQ(link->tactics[0]->shortname, "initial-access");
  EXPECT_EQ(link->tactics[0]->name, "Initial Access");
  ASSERT_NE(link->parent, nullptr);
  EXPECT_EQ(link->parent->id, "T1566");
  EXPECT_TRUE(has_id(link->parent->sub_techniques, "T1566.002"));
  EXPECT_TRUE(has_id(link->used_by_sets, "G0094"));  // Kimsuky
  EXPECT_GT(link->used_by_sets.size(), 30u);
  EXPECT_TRUE(std::is_sorted(link->used_by_sets.begin(), link->used_by_sets.end(),
                             [](auto* a, auto* b) { return a->id < b->id; }));
  EXPECT_EQ(k.technique("T9999"), nullptr);
  EXPECT_EQ(k.tactic("TA0001"), k.tactic("Initial-Access"));
}

TEST(AttackKnowledgeTest, IntrusionSetFoundByIdNameAndAlias) {
  const AttackKnowledge& k = shipped();
  const IntrusionSet* apt28 = k.intrusion_set("APT28");
  ASSERT_NE(apt28, nullptr);
  EXPECT_EQ(apt28->id, "G0007");
  EXPECT_EQ(k.intrusion_set("g0007"), apt28);
  EXPECT_EQ(k.intrusion_set("fancy  bear"), apt28);
  EXPECT_EQ(k.intrusion_set("Sofacy"), apt28);
  EXPECT_EQ(k.intrusion_set("forest-blizzard"), apt28);
  EXPECT_TRUE(has_id(apt28->techniques, "T1221"));
  EXPECT_TRUE(has_id(apt28->software, "S0023"));  // CHOPSTICK
  EXPECT_FALSE(apt28->campaigns.empty());
  // Its campaigns' techniques are part of what it uses.
  for (const Campaign* c : apt28->campaigns) {
    EXPECT_TRUE(has_id(c->attributed_to, "G0007"));
    for (const Technique* t : c->techniques) EXPECT_TRUE(has_id(apt28->all_techniques, t->id)) << t->id;
  }
  EXPECT_EQ(k.intrusion_set("Unknown Bear"), nullptr);
}

TEST(AttackKnowledgeTest, SoftwareAndCampaignLookups) {
  const AttackKnowledge& k = shipped();
  const Software* chopstick = k.software("CHOPSTICK");
  ASSERT_NE(chopstick, nullptr);
  EXPECT_EQ(chopstick->type, SoftwareType::kMalware);
  EXPECT_TRUE(has_id(chopstick->used_by_sets, "G0007"));
  const Software* mimikatz = k.software("mimikatz");
  ASSERT_NE(mimikatz, nullptr);
  EXPECT_EQ(mimikatz->type, SoftwareType::kTool);
  const Campaign* frankenstein = k.campaign("C0001");
  ASSERT_NE(frankenstein, nullptr);
  EXPECT_EQ(frankenstein->name, "Frankenstein");
}

// Every technique a finding can carry names a technique of ATT&CK v18.1: a typo or a technique
// revoked or deprecated in this release fails here, naming the finding.
TEST(AttackKnowledgeTest, EveryCatalogTechniqueResolves) {
  const AttackKnowledge& k = shipped();
  std::size_t checked = 0;
  for (const verdict::CatalogEntry& entry : verdict::catalog()) {
    const Finding finding = verdict::make_finding(entry.id, {});
    for (const std::string& id : finding.attack) {
      ++checked;
      EXPECT_NE(k.technique(id), nullptr) << entry.name << ": " << id << " is not in ATT&CK v" << k.version();
      EXPECT_EQ(k.technique(id) ? k.technique(id)->id : id, id) << entry.name << ": write ids as ATT&CK does";
    }
  }
  EXPECT_GT(checked, 100u);
}

TEST(AttackKnowledgeTest, SuggestsCloseNames) {
  for (const char* query : {"APT82", "APT 28x", "Fancy Baer"}) {
    const std::vector<std::string> close = shipped().suggestions(query);
    EXPECT_NE(std::find_if(close.begin(), close.end(), [](const std::string& s) { return s.find("G0007") != std::string::npos; }),
              close.end())
        << query;
  }
  EXPECT_TRUE(shipped().suggestions("zzzzzzzzzzzzzz").empty());
}

TEST(AttackKnowledgeTest, DescribesTechniquesAndSets) {
  const AttackKnowledge& k = shipped();
  Result<std::string> link = describe(k, "T1566.002", 3);
  ASSERT_TRUE(link) << link.error().message;
  EXPECT_NE(link->find("Technique T1566.002: Spearphishing Link"), std::string::npos) << *link;
  EXPECT_NE(link->find("Tactics: Initial Access (initial-access)"), std::string::npos) << *link;
  EXPECT_NE(link->find("Sub-technique of: T1566 Phishing"), std::string::npos) << *link;
  EXPECT_NE(link->find("Intrusion sets known to use it (" + std::to_string(k.technique("T1566.002")->used_by_sets.size()) + "):"),
            std::string::npos)
      << *link;
  EXPECT_NE(link->find("more\n"), std::string::npos) << *link;

  Result<std::string> by_alias = describe(k, "Fancy Bear");
  ASSERT_TRUE(by_alias) << by_alias.error().message;
  EXPECT_NE(by_alias->find("Intrusion set G0007: APT28"), std::string::npos);
  EXPECT_NE(by_alias->find("Sofacy"), std::string::npos);
  EXPECT_NE(by_alias->find("  Initial Access ("), std::string::npos);
  EXPECT_NE(by_alias->find("    T1566.001 Spearphishing Attachment"), std::string::npos);
  EXPECT_NE(by_alias->find("S0023 CHOPSTICK"), std::string::npos);

  Result<std::string> by_name = describe(k, "template injection");
  ASSERT_TRUE(by_name);
  EXPECT_NE(by_name->find("Technique T1221: Template Injection"), std::string::npos);

  Result<std::string> unknown = describe(k, "APT282");
  ASSERT_FALSE(unknown);
  EXPECT_NE(unknown.error().message.find("'APT282' is not a technique"), std::string::npos);
  EXPECT_NE(unknown.error().message.find("did you mean: APT28"), std::string::npos) << unknown.error().message;

  const std::string text = about(k, "data/attack/enterprise-attack.json");
  EXPECT_NE(text.find("MITRE ATT&CK v18.1"), std::string::npos);
  EXPECT_NE(text.find(k.copyright()), std::string::npos);
}

std::string broken(std::string_view text) {
  Result<std::shared_ptr<const AttackKnowledge>> r = AttackKnowledge::parse(text, "t.json");
  return r ? std::string("loaded") : r.error().message;
}

constexpr std::string_view kHeader =
    R"("format":1,"attack_version":"18.1","domain":"enterprise-attack","copyright":"c","marking":"m",)";

TEST(AttackKnowledgeTest, BrokenFilesAreRefusedWithTheReason) {
  EXPECT_NE(broken("not json").find("t.json: not an ATT&CK data file"), std::string::npos);
  EXPECT_NE(broken(R"({"format":2})").find("unknown ATT&CK data format"), std::string::npos);
  const std::string minimal = std::string("{") + std::string(kHeader) +
                              R"("tactics":[{"id":"TA0001","shortname":"initial-access","name":"Initial Access"}],)";
  EXPECT_EQ(broken(minimal + R"("techniques":[{"id":"T1","name":"x","tactics":["initial-access"]}],)"
                             R"("intrusion_sets":[],"campaigns":[],"software":[]})"),
            "loaded");
  EXPECT_NE(broken(minimal + R"("techniques":[{"id":"T1","name":"x","tactics":["nope"]}],)"
                             R"("intrusion_sets":[],"campaigns":[],"software":[]})")
                .find("techniques[0] (T1): tactic 'nope' is not in the file"),
            std::string::npos);
  EXPECT_NE(broken(minimal + R"("techniques":[],"intrusion_sets":[{"id":"G1","name":"A","techniques":["T9"]}],)"
                             R"("campaigns":[],"software":[]})")
                .find("intrusion_sets[0] (G1): technique 'T9' is not in the file"),
            std::string::npos);
  EXPECT_NE(broken(minimal + R"("techniques":[{"id":"T1","tactics":[]}],"intrusion_sets":[],"campaigns":[],"software":[]})")
                .find("'name' must be a non-empty string"),
            std::string::npos);
  EXPECT_NE(broken(minimal + R"("techniques":[],"intrusion_sets":[],"campaigns":[]})").find("'software' must be a list"),
            std::string::npos);
  const Result<std::shared_ptr<const AttackKnowledge>> missing = AttackKnowledge::load("/nonexistent/attack.json");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().message.find("/nonexistent/attack.json"), std::string::npos);
}

}  // namespace
}  // namespace vigie::intel::attack
