// Lure lists: the format's errors name file:line and the entry; folding makes accents, case,
// typography and invisible characters irrelevant; the shipped lists compile.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>

#include "analyzers/analyzer.h"
#include "analyzers/lure_language/lure_list.h"
#include "analyzers/lure_language/text_fold.h"
#include "config/section.h"
#include "vigie/engine.h"

namespace vigie::analyzers::lure_language {
namespace {

std::string parse_error(std::string_view text) {
  std::vector<LureEntry> entries;
  const Result<void> r = parse_lure_list(text, "x.tsv", entries);
  return r ? std::string() : r.error().message;
}

TEST(LureListTest, ParsesEntriesCommentsAndBlankLines) {
  std::vector<LureEntry> entries;
  ASSERT_TRUE(parse_lure_list("# comment\n\nvotre colis\tparcel_delivery\t2\tsrc\r\n"
                              "(?:a|b) c\tprize\t0.5\tsrc\n",
                              "x.tsv", entries));
  ASSERT_EQ(entries.size(), 2u);
  EXPECT_EQ(entries[0].pattern, "votre colis");
  EXPECT_EQ(entries[0].expression, "\\b(?:votre colis)\\b");
  EXPECT_EQ(entries[0].where(), "x.tsv:3");
  EXPECT_EQ(categories()[entries[0].category].name, "parcel_delivery");
  EXPECT_DOUBLE_EQ(entries[1].weight, 0.5);
  EXPECT_EQ(entries[1].expression, "\\b(?:(?:a|b) c)\\b");  // boundaries looked for through groups
}

TEST(LureListTest, WordBoundariesOnlyBesideWordCharacters) {
  std::vector<LureEntry> entries;
  ASSERT_TRUE(parse_lure_list("(?:final|last) notices?\tprize\t1\ts\n"
                              "felicitations[ ,!]{0,3}\tprize\t1\ts\n"
                              "(?:\\$|€) ?\\d\tprize\t1\ts\n",
                              "x.tsv", entries));
  EXPECT_EQ(entries[0].expression, "\\b(?:(?:final|last) notices?)\\b");
  EXPECT_EQ(entries[1].expression, "\\b(?:felicitations[ ,!]{0,3})");
  EXPECT_EQ(entries[2].expression, "(?:(?:\\$|€) ?\\d)");
}

TEST(LureListTest, PatternsAreFoldedLikeText) {
  std::vector<LureEntry> entries;
  ASSERT_TRUE(parse_lure_list("remboursement d’impôt\ttax_refund\t2\ts\n", "x.tsv", entries));
  EXPECT_EQ(entries[0].expression, "\\b(?:remboursement d'impot)\\b");
}

TEST(LureListTest, ErrorsNameFileLineAndEntry) {
  EXPECT_EQ(parse_error("\n\nvotre colis\tparcel_delivery\t2\n"),
            "x.tsv:3: expected 4 TAB-separated fields (pattern, category, weight, source), found 3 "
            "in entry \"votre colis\tparcel_delivery\t2\"");
  EXPECT_NE(parse_error("a\tno_such_category\t1\ts\n").find("x.tsv:1: unknown category \"no_such_category\""),
            std::string::npos);
  EXPECT_NE(parse_error("a\tprize\t9\ts\n").find("x.tsv:1: weight \"9\""), std::string::npos);
  EXPECT_NE(parse_error("a\tprize\tlots\ts\n").find("weight"), std::string::npos);
  EXPECT_NE(parse_error("a\tprize\t1\t\n").find("empty source"), std::string::npos);
  EXPECT_NE(parse_error("\tprize\t1\ts\n").find("empty pattern"), std::string::npos);
  EXPECT_NE(parse_error(std::string(kMaxPatternBytes + 1, 'a') + "\tprize\t1\ts\n").find("longer than"),
            std::string::npos);
}

TEST(LureListTest, RejectsUnboundedRepetition) {
  EXPECT_NE(parse_error("click.*here\tcall_to_action\t1\ts\n").find("x.tsv:1: unbounded repetition '*'"),
            std::string::npos);
  EXPECT_NE(parse_error("a+b\tprize\t1\ts\n").find("unbounded"), std::string::npos);
  EXPECT_NE(parse_error("a.{2,}b\tprize\t1\ts\n").find("unbounded"), std::string::npos);
  EXPECT_NE(parse_error("a.{0,500}b\tprize\t1\ts\n").find("above"), std::string::npos);
  // Escaped and bracketed quantifier characters are literals.
  EXPECT_EQ(parse_error("a\\+b [*+] c.{0,20}d\tprize\t1\ts\n"), "");
}

TEST(LureListTest, EntryCountIsCapped) {
  std::string text;
  for (std::size_t i = 0; i <= kMaxEntries; ++i) text += "word" + std::to_string(i) + "\tprize\t1\ts\n";
  EXPECT_NE(parse_error(text).find("x.tsv:" + std::to_string(kMaxEntries + 1) + ": more than"),
            std::string::npos);
}

TEST(TextFoldTest, AccentsCaseTypographyAndInvisibles) {
  const auto fold = [](std::string_view s) { return fold_for_matching(s, 1000, CaseFolding::kFold); };
  EXPECT_EQ(fold("Votre MOT DE PASSE a EXPIRÉ"), "votre mot de passe a expire");
  EXPECT_EQ(fold("Boîte  aux\n\tlettres   saturée"), "boite aux lettres saturee");
  EXPECT_EQ(fold("remboursement d’impôt — cœur"), "remboursement d'impot - coeur");
  EXPECT_EQ(fold("𝐘𝐎𝐔𝐑 ｐａｓｓｗｏｒｄ"), "your password");     // mathematical bold, full-width
  EXPECT_EQ(fold("pass\u200Bword ver\u00ADify"), "password verify");  // zero-width space, soft hyphen
  EXPECT_EQ(fold("a\u00A0b"), "a b");                                  // no-break space
  EXPECT_EQ(fold("\xFF" "abc\xC3"), "abc");                             // invalid UTF-8 → separators
  EXPECT_EQ(fold("  leading"), "leading");
}

TEST(TextFoldTest, StopsAtTheByteCapOnACharacterBoundary) {
  EXPECT_EQ(fold_for_matching("ééééé", 3, CaseFolding::kFold), "eee");
  EXPECT_EQ(fold_for_matching("ab€cd", 4, CaseFolding::kFold), "ab");  // € is 3 bytes
  EXPECT_EQ(fold_for_matching("Keep \\S", 100, CaseFolding::kKeep), "Keep \\S");
}

// --- prepare(): the shipped lists compile; a broken list stops the engine with file:line ---

std::string write_temp(const std::string& name, const std::string& text) {
  const std::string path = ::testing::TempDir() + name;
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

TEST(LurePrepareTest, ShippedListsCompile) {
  EXPECT_NO_THROW(Engine{Config{}});
}

TEST(LurePrepareTest, InvalidPatternNamesFileAndLine) {
  Config config;
  config.analyzers.sections["lure_language"] = config::section_from_toml(
      "lists = [\"" +
          write_temp("lures_bad_regex.tsv", "# ok\nvotre colis\tparcel_delivery\t1\ts\n(?:unclosed\tprize\t1\ts\n") +
          "\"]\n",
      "analyzers.lure_language");
  try {
    Engine engine{config};
    FAIL() << "a broken lure list must stop the engine";
  } catch (const EngineConfigError& e) {
    const std::string what = e.what();
    EXPECT_NE(what.find("lure_language"), std::string::npos) << what;
    EXPECT_NE(what.find("lures_bad_regex.tsv:3: invalid pattern \"(?:unclosed\""), std::string::npos) << what;
  }
}

TEST(LurePrepareTest, MissingExtraListFails) {
  Config config;
  config.analyzers.sections["lure_language"] = config::section_from_toml(
      "lists = [\"" + ::testing::TempDir() + "no-such-lures.tsv\"]\n", "analyzers.lure_language");
  EXPECT_THROW(Engine{config}, EngineConfigError);
}

TEST(LurePrepareTest, MissingShippedListsFail) {
  Config config;
  config.lists.data_dir = ::testing::TempDir() + "no-such-data-dir";
  try {
    const Engine engine{config};
    ADD_FAILURE() << "the engine started without its lists";
  } catch (const EngineConfigError& e) {
    // One cause, said once: not one "cannot read" per analyzer.
    EXPECT_EQ(std::string(e.what()), "lists.data_dir: '" + config.lists.data_dir +
                                         "' does not exist: the shipped lists are read from there; set [lists] "
                                         "data_dir or VIGIE_DATA_DIR");
  }
}

TEST(LurePrepareTest, DisabledAnalyzerDoesNotReadLists) {
  Config config;
  // A data directory holding only what the engine itself reads (the ATT&CK data, which names the
  // findings' techniques); no analyzer list.
  const std::filesystem::path data = std::filesystem::path(::testing::TempDir()) / "attack-only-data";
  std::filesystem::create_directories(data / "attack");
  std::filesystem::copy_file(data_dir(Config{}) + "/attack/enterprise-attack.json", data / "attack/enterprise-attack.json",
                             std::filesystem::copy_options::overwrite_existing);
  config.lists.data_dir = data.string();
  // Every analyzer that reads shipped lists is off, so none looks for its list there.
  for (const AnalyzerDescriptor* d : registry()) {
    if (d->prepare != nullptr) config.analyzers.disabled.emplace_back(d->name);
  }
  for (const ObjectAnalyzerDescriptor* d : object_registry()) {  // yara reads data/yara
    if (d->prepare != nullptr) config.analyzers.disabled.emplace_back(d->name);
  }
  EXPECT_NO_THROW(Engine{config});
}

}  // namespace
}  // namespace vigie::analyzers::lure_language
