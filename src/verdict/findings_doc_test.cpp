// docs/findings.md shows the finding catalog as a table; this test renders the table from the
// catalog and the analyzer registries and fails when the document says something else, so the two
// cannot drift. VIGIE_UPDATE_DOCS=1 makes it rewrite the table in place instead (then review the
// diff and commit it).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <string_view>
#include <vector>

#include "analyzers/analyzer.h"
#include "verdict/catalog.h"

namespace vigie::verdict {
namespace {

constexpr std::string_view kBegin =
    "<!-- Generated from src/verdict/catalog.def by src/verdict/findings_doc_test.cpp: do not edit this "
    "table by hand (VIGIE_UPDATE_DOCS=1 rewrites it). -->\n";
constexpr std::string_view kEnd = "<!-- End of the generated table. -->\n";

// Findings no analyzer declares because the engine itself reports them, for any analyzer or
// message: a limit crossed anywhere, an analyzer that threw.
const std::set<std::string_view> kEngineFindings = {"ANALYSIS_INCOMPLETE", "ANALYZER_ERROR"};

// Finding id → the analyzers that declare they may emit it, in registry order.
std::map<std::string_view, std::vector<std::string_view>> reporters() {
  std::map<std::string_view, std::vector<std::string_view>> by_id;
  for (const analyzers::AnalyzerDescriptor* d : analyzers::registry()) {
    for (const FindingId id : d->emits) by_id[catalog_entry(id).name].push_back(d->name);
  }
  for (const analyzers::ObjectAnalyzerDescriptor* d : analyzers::object_registry()) {
    for (const FindingId id : d->emits) by_id[catalog_entry(id).name].push_back(d->name);
  }
  return by_id;
}

std::string render_table() {
  const auto by_id = reporters();
  std::ostringstream out;
  out << kBegin;
  out << "| Finding | Score | Group | ATT&CK | Reported by | Explanation | Explication |\n";
  out << "| --- | ---: | --- | --- | --- | --- | --- |\n";
  for (const CatalogEntry& e : catalog()) {
    std::string attack(e.attack);
    for (std::size_t comma = attack.find(','); comma != std::string::npos; comma = attack.find(',', comma + 2)) {
      attack.replace(comma, 1, ", ");
    }
    std::string reported_by;
    if (kEngineFindings.count(e.name) != 0) {
      reported_by = "the engine";
    } else if (const auto it = by_id.find(e.name); it != by_id.end()) {
      for (const std::string_view name : it->second) {
        reported_by += (reported_by.empty() ? "`" : ", `") + std::string(name) + "`";
      }
    }
    out << "| `" << e.name << "` | " << e.default_score << " | `" << group_entry(e.group).name << "` | " << attack
        << " | " << reported_by << " | "
        << e.en << " | " << e.fr << " |\n";
  }
  out << kEnd;
  return out.str();
}

TEST(FindingsDocTest, EveryFindingHasSomeoneToReportIt) {
  const auto by_id = reporters();
  for (const CatalogEntry& e : catalog()) {
    const bool engine = kEngineFindings.count(e.name) != 0;
    EXPECT_NE(engine, by_id.count(e.name) != 0)
        << e.name << (engine ? " is the engine's, yet an analyzer declares it" : " is declared by no analyzer");
    // The table's cells are the catalog's text: a '|' would split one.
    EXPECT_EQ(e.en.find('|'), std::string_view::npos) << e.name;
    EXPECT_EQ(e.fr.find('|'), std::string_view::npos) << e.name;
  }
}

TEST(FindingsDocTest, DocumentShowsTheCatalog) {
  const std::filesystem::path path = std::filesystem::path(VIGIE_SOURCE_DIR) / "docs" / "findings.md";
  std::ifstream in(path);
  ASSERT_TRUE(in) << "cannot read " << path;
  const std::string document((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  const std::size_t begin = document.find(kBegin);
  const std::size_t end = document.find(kEnd);
  ASSERT_NE(begin, std::string::npos) << path << " lacks the line that opens the generated table:\n" << kBegin;
  ASSERT_NE(end, std::string::npos) << path << " lacks the line that closes the generated table:\n" << kEnd;
  ASSERT_LT(begin, end);
  const std::string shown = document.substr(begin, end + kEnd.size() - begin);
  const std::string expected = render_table();
  if (shown == expected) return;
  if (const char* update = std::getenv("VIGIE_UPDATE_DOCS"); update != nullptr && std::string_view(update) == "1") {
    std::ofstream(path, std::ios::trunc) << document.substr(0, begin) << expected << document.substr(end + kEnd.size());
    GTEST_SKIP() << "rewrote the table of " << path << ": review and commit it";
  }
  // The first line that differs, rather than two tables of a hundred lines each.
  std::istringstream a(shown);
  std::istringstream b(expected);
  std::string line_a;
  std::string line_b;
  int line = 0;
  while (true) {
    const bool more_a = static_cast<bool>(std::getline(a, line_a));
    const bool more_b = static_cast<bool>(std::getline(b, line_b));
    ++line;
    if (!more_a && !more_b) break;
    if (!more_a || !more_b || line_a != line_b) {
      ADD_FAILURE() << path << " does not show the catalog (line " << line << " of the table)\n  document: "
                    << (more_a ? line_a : "(ends)") << "\n  catalog:  " << (more_b ? line_b : "(ends)")
                    << "\nRun VIGIE_UPDATE_DOCS=1 build/vigie_unit_tests --gtest_filter='FindingsDocTest.*' to "
                       "rewrite the table, then review the diff.";
      return;
    }
  }
}

}  // namespace
}  // namespace vigie::verdict
