// office_macros on the documents of tests/data/office/: an auto-exec macro that downloads and
// runs, a benign macro, a stomped project, a module whose source was removed, a vbaProject.bin,
// an Excel 4.0 macro sheet, and the limits.
#include <gtest/gtest.h>

#include "analyzers/analyzer_harness.h"
#include "analyzers/office_test_support.h"

namespace vigie::analyzers {
namespace {

using office_test::data_file;
using office_test::evidence;
using office_test::message_with;

AnalyzerHarness::Run scan(std::string_view file, Config config = {}) {
  const AnalyzerHarness harness("office_macros", config);
  return harness.run(message_with(file, data_file(file), "application/msword"));
}

TEST(OfficeMacrosTest, AutoExecMacroThatDownloadsAndRuns) {
  const auto run = scan("vba_autoopen.doc");
  const Finding* macro = AnalyzerHarness::find(run.findings, "VBA_MACRO");
  ASSERT_NE(macro, nullptr);
  EXPECT_EQ(evidence(*macro, "project"), "Macros");
  EXPECT_EQ(evidence(*macro, "modules"), "ThisDocument, Module1");
  const Finding* dropper = AnalyzerHarness::find(run.findings, "VBA_AUTO_EXEC_DOWNLOAD_OR_RUN");
  ASSERT_NE(dropper, nullptr);
  EXPECT_EQ(dropper->group, "active_content");
  EXPECT_DOUBLE_EQ(dropper->score, 12.0);
  EXPECT_EQ(evidence(*dropper, "entry_point"), "Module1: AutoOpen");
  EXPECT_EQ(evidence(*dropper, "calls"), "Shell, URLDownloadToFile, Environ, Declare … Lib (Windows API)");
  EXPECT_EQ(evidence(*dropper, "module"), "Module1");
  EXPECT_TRUE(evidence(*dropper, "excerpt").starts_with("    URLDownloadToFile 0, \"http://update-check"))
      << evidence(*dropper, "excerpt");
  EXPECT_LE(evidence(*dropper, "excerpt").size(), 400u);
  EXPECT_EQ(dropper->evidence.front().object, 2u);  // the attachment
  // The combined finding replaces the two partial ones, and the source matches the p-code.
  EXPECT_EQ(AnalyzerHarness::find(run.findings, "VBA_AUTO_EXEC"), nullptr);
  EXPECT_EQ(AnalyzerHarness::find(run.findings, "VBA_SUSPICIOUS_CALLS"), nullptr);
  EXPECT_EQ(AnalyzerHarness::find(run.findings, "VBA_STOMPING"), nullptr);
  EXPECT_TRUE(run.limits_reached.empty());
  // The download address joins the message's links.
  ASSERT_EQ(run.objects.urls().size(), 1u);
  EXPECT_EQ(run.objects.urls()[0].host_ascii(), "update-check.example.net");
  EXPECT_EQ(run.objects.urls()[0].source, UrlSource::kSrc);
}

TEST(OfficeMacrosTest, TheVbaProjectOfAnOoxmlPackage) {
  const auto run = scan("vbaProject_autoopen.bin");
  const Finding* macro = AnalyzerHarness::find(run.findings, "VBA_MACRO");
  ASSERT_NE(macro, nullptr);
  EXPECT_EQ(evidence(*macro, "project"), "(root)");
  EXPECT_NE(AnalyzerHarness::find(run.findings, "VBA_AUTO_EXEC_DOWNLOAD_OR_RUN"), nullptr);
}

TEST(OfficeMacrosTest, ABenignMacroIsOnlyAMacro) {
  const auto run = scan("vba_benign.doc");
  ASSERT_EQ(run.findings.size(), 1u);
  EXPECT_EQ(run.findings[0].id, "VBA_MACRO");
  EXPECT_DOUBLE_EQ(run.findings[0].score, 2.0);
}

TEST(OfficeMacrosTest, StompedProjectCompiledCodeMissingFromTheSource) {
  const auto run = scan("vba_stomped.doc");
  const Finding* stomping = AnalyzerHarness::find(run.findings, "VBA_STOMPING");
  ASSERT_NE(stomping, nullptr);
  EXPECT_DOUBLE_EQ(stomping->confidence, 1.0);
  EXPECT_EQ(evidence(*stomping, "compiled_not_in_source"),
            "autoopen, shell, powershell, http://cdn-static.example.org/a.ps1|iex");
  // The decoy source does nothing suspicious: only the mismatch tells.
  EXPECT_EQ(AnalyzerHarness::find(run.findings, "VBA_AUTO_EXEC_DOWNLOAD_OR_RUN"), nullptr);
  EXPECT_EQ(AnalyzerHarness::find(run.findings, "VBA_AUTO_EXEC"), nullptr);
}

TEST(OfficeMacrosTest, ModuleWhoseSourceWasRemoved) {
  const auto run = scan("vba_source_removed.doc");
  const Finding* stomping = AnalyzerHarness::find(run.findings, "VBA_STOMPING");
  ASSERT_NE(stomping, nullptr);
  EXPECT_NE(evidence(*stomping, "compiled_not_in_source").find("autoopen"), std::string::npos);
  const Object& doc = run.objects.at(2);
  ASSERT_FALSE(doc.notes.empty());
  EXPECT_EQ(doc.notes[0], "VBA module Module1: the source offset lies beyond the module stream: no source");
}

TEST(OfficeMacrosTest, Excel4MacroSheetWithAutoOpen) {
  const auto run = scan("excel4_macro.xls");
  const Finding* sheet = AnalyzerHarness::find(run.findings, "EXCEL4_MACRO_SHEET");
  ASSERT_NE(sheet, nullptr);
  EXPECT_EQ(evidence(*sheet, "macro_sheets"), "Macro1 (very hidden)");
  const Finding* auto_open = AnalyzerHarness::find(run.findings, "EXCEL4_AUTO_OPEN");
  ASSERT_NE(auto_open, nullptr);
  EXPECT_EQ(evidence(*auto_open, "name"), "Auto_Open (built-in name)");
  EXPECT_EQ(AnalyzerHarness::find(run.findings, "VBA_MACRO"), nullptr);
}

TEST(OfficeMacrosTest, DecompressedSourceIsBounded) {
  Config config;
  config.limits.max_vba_source_bytes = 64;
  const auto run = scan("vba_autoopen.doc", config);
  ASSERT_FALSE(run.limits_reached.empty());
  EXPECT_EQ(run.limits_reached[0].limit, "max_vba_source_bytes");
  EXPECT_EQ(run.limits_reached[0].object, 2u);
  EXPECT_NE(AnalyzerHarness::find(run.findings, "VBA_MACRO"), nullptr);
  EXPECT_EQ(AnalyzerHarness::find(run.findings, "VBA_STOMPING"), nullptr);
}

TEST(OfficeMacrosTest, CodeKeptPerFileIsBounded) {
  Config config;
  config.limits.max_vba_total_bytes = 100;
  const auto run = scan("vba_autoopen.doc", config);
  ASSERT_EQ(run.limits_reached.size(), 1u);
  EXPECT_EQ(run.limits_reached[0].limit, "max_vba_total_bytes");
  EXPECT_NE(AnalyzerHarness::find(run.findings, "VBA_MACRO"), nullptr);
  // Module1's source was not read: its calls are not seen, and nothing is made up (the compiled
  // names missing from an unread source are no stomping).
  EXPECT_EQ(AnalyzerHarness::find(run.findings, "VBA_AUTO_EXEC_DOWNLOAD_OR_RUN"), nullptr);
  EXPECT_EQ(AnalyzerHarness::find(run.findings, "VBA_STOMPING"), nullptr);
}

TEST(OfficeMacrosTest, AnUnreadableOleFileIsANote) {
  std::string broken = data_file("directory_loop.cfb");
  const AnalyzerHarness harness("office_macros");
  const auto run = harness.run(message_with("x.doc", broken));
  EXPECT_TRUE(run.findings.empty());
  ASSERT_EQ(run.objects.at(2).notes.size(), 1u);
  EXPECT_EQ(run.objects.at(2).notes[0], "compound file: sector chain loops");
}

}  // namespace
}  // namespace vigie::analyzers
