// Every analyzer is registered once, and can only emit ids the catalog defines with both
// explanations present.
#include <gtest/gtest.h>

#include <nlohmann/json.hpp>

#include <filesystem>
#include <fstream>
#include <cstdlib>
#include <set>
#include <stdexcept>

#include "analyzers/analyzer.h"

namespace vigie::analyzers {
namespace {

TEST(RegistryTest, NamesAreUniqueAndDescribed) {
  std::set<std::string_view> names;
  for (const AnalyzerDescriptor* d : registry()) {
    EXPECT_TRUE(names.insert(d->name).second) << d->name;
    EXPECT_FALSE(d->description.empty()) << d->name;
    EXPECT_FALSE(d->emits.empty()) << d->name;
    EXPECT_NE(d->analyze, nullptr);
  }
  EXPECT_TRUE(names.count("parse_anomalies"));
}

TEST(RegistryTest, CatalogEntriesAreComplete) {
  std::set<std::string_view> ids;
  for (const verdict::CatalogEntry& e : verdict::catalog()) {
    EXPECT_TRUE(ids.insert(e.name).second) << e.name;
    EXPECT_FALSE(e.en.empty()) << e.name;
    EXPECT_FALSE(e.fr.empty()) << e.name;
    EXPECT_GE(e.default_score, 0) << e.name;
    EXPECT_EQ(verdict::catalog_entry(e.id).name, e.name);
  }
}

// Every finding belongs to a described group with a cap, and every group has findings: a group
// nobody emits, or a finding made without its group, would escape the caps and the banner.
TEST(RegistryTest, EveryFindingHasAGroupAndEveryGroupFindings) {
  std::set<std::string> names;
  std::set<std::string> used;
  for (const verdict::GroupEntry& g : verdict::groups()) {
    EXPECT_TRUE(names.emplace(g.name).second) << g.name;
    EXPECT_FALSE(g.en.empty()) << g.name;
    EXPECT_FALSE(g.fr.empty()) << g.name;
    EXPECT_GT(g.default_max_score, 0) << g.name;
    EXPECT_EQ(verdict::find_group(g.name), &verdict::group_entry(g.id));
  }
  for (const verdict::CatalogEntry& e : verdict::catalog()) {
    const Finding f = verdict::make_finding(e.id, {});
    EXPECT_EQ(f.group, verdict::group_entry(e.group).name) << e.name;
    used.insert(f.group);
  }
  EXPECT_EQ(used, names);
}

TEST(RegistryTest, MakeFindingCopiesCatalogAndSplitsTechniques) {
  const Finding f = verdict::make_finding(verdict::FindingId::ENCODED_WORD_ADDRESS_TRICK,
                                          {Evidence{"header:From", "x"}});
  EXPECT_EQ(f.id, "ENCODED_WORD_ADDRESS_TRICK");
  EXPECT_EQ(f.attack, (std::vector<std::string>{"T1566", "T1656", "T1036"}));
  EXPECT_FALSE(f.explanation.fr.empty());
  ASSERT_EQ(f.evidence.size(), 1u);
}

// Every technique the catalog cites exists, unrevoked, in the shipped ATT&CK release, so a typo
// or a retired id never reaches an analyst.
TEST(RegistryTest, CatalogTechniquesExistInAttack) {
  const std::filesystem::path bundle =
      std::filesystem::path(VIGIE_SOURCE_DIR) / "../shared/attack/enterprise-attack-core.json";
  if (!std::filesystem::exists(bundle)) GTEST_SKIP() << "no ATT&CK bundle at " << bundle;
  std::ifstream in(bundle);
  const nlohmann::json data = nlohmann::json::parse(in);
  std::set<std::string> live;
  for (const auto& object : data.at("objects")) {
    if (object.value("type", "") != "attack-pattern" || object.value("revoked", false) ||
        object.value("x_mitre_deprecated", false)) {
      continue;
    }
    for (const auto& ref : object.value("external_references", nlohmann::json::array())) {
      if (ref.value("source_name", "") == "mitre-attack") live.insert(ref.value("external_id", ""));
    }
  }
  ASSERT_GT(live.size(), 500u);
  for (const verdict::CatalogEntry& e : verdict::catalog()) {
    const Finding f = verdict::make_finding(e.id, {});
    for (const std::string& technique : f.attack) {
      EXPECT_TRUE(live.count(technique)) << e.name << " cites " << technique;
    }
  }
}

// Nothing of the context is read by an analyzer that throws at once.
class UnusedContext : public ObjectContext {
 public:
  const ParsedMessage& message() const override { std::abort(); }
  const ObjectTree& objects() const override { std::abort(); }
  ObjectId push_child(const Object&, Object, std::shared_ptr<const std::string>) override { std::abort(); }
  ExtractionBudget extraction_budget() const override { std::abort(); }
  void refuse_child(const Object&, ExtractionLimit, std::uint64_t) override { std::abort(); }
  void add_flags(const Object&, std::uint32_t) override { std::abort(); }
  void add_url(const Object&, Url) override { std::abort(); }
  void add_note(const Object&, std::string) override { std::abort(); }
};

// An analyzer that throws becomes ANALYZER_ERROR: its exception's text is a developer's diagnostic,
// kept as written; the French reader is told what that text is.
TEST(RegistryTest, AnalyzerErrorEvidenceIsIntroducedInFrench) {
  const ObjectAnalyzerDescriptor thrower{
      "thrower", "throws", {}, [](const Object&) { return true; }, nullptr,
      [](const Object&, ObjectContext&, const AnalyzerState*, FindingSink&) {
        throw std::runtime_error("database is locked");
      }};
  UnusedContext context;
  std::vector<Finding> findings;
  std::vector<LimitCrossing> crossings;
  run_object_analyzer(thrower, nullptr, Weighing{}, Object{}, context, findings, crossings);
  ASSERT_EQ(findings.size(), 1u);
  EXPECT_EQ(findings[0].id, "ANALYZER_ERROR");
  ASSERT_EQ(findings[0].evidence.size(), 1u);
  EXPECT_EQ(findings[0].evidence[0].field, "analyzer:thrower");
  EXPECT_EQ(findings[0].evidence[0].value, "database is locked");
  EXPECT_EQ(findings[0].evidence[0].value_fr, "erreur technique (en anglais) : database is locked");
}

}  // namespace
}  // namespace vigie::analyzers
