// paste_and_run: Win+R then Ctrl+V in any spelling is the finding, surer with a command beside it
// (also in hidden text); a shortcut named alone, or ordinary IT instructions, are not.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "analyzers/analyzer_harness.h"

namespace vigie {
namespace {

const analyzers::AnalyzerHarness& harness() {
  static const analyzers::AnalyzerHarness instance("paste_and_run");
  return instance;
}

std::string html_mail(const std::string& body) {
  return "From: a@example.org\nTo: b@interieur.gouv.fr\nSubject: x\nMIME-Version: 1.0\n"
         "Content-Type: text/html; charset=utf-8\n\n<html><body>" +
         body + "</body></html>\n";
}

const Finding* paste_and_run(const std::string& raw) {
  static std::vector<Finding> findings;
  findings = harness().analyze(raw);
  return analyzers::AnalyzerHarness::find(findings, "PASTE_AND_RUN_INSTRUCTIONS");
}

TEST(PasteAndRunTest, KeystrokesWithAHiddenPowerShellCommandAreSure) {
  const Finding* f = paste_and_run(html_mail(
      "<p>Vérifiez que vous n'êtes pas un robot : appuyez sur Win+R, puis Ctrl+V et Entrée.</p>"
      "<p style=\"display:none\">powershell -w hidden -enc JABjAD0AbgBlAHcA</p>"));
  ASSERT_NE(f, nullptr);
  EXPECT_DOUBLE_EQ(f->confidence, 1.0);
  ASSERT_EQ(f->evidence.size(), 2u);
  EXPECT_NE(f->evidence[0].value.find("Ctrl+V"), std::string::npos) << f->evidence[0].value;
  EXPECT_EQ(f->evidence[1].field, "hidden text");
  EXPECT_NE(f->evidence[1].value.find("powershell -w hidden"), std::string::npos) << f->evidence[1].value;
  EXPECT_EQ(f->attack, (std::vector<std::string>{"T1204.004", "T1059.001"}));
}

TEST(PasteAndRunTest, EverySpellingOfTheKeystrokesCountsAndAloneIsLessSure) {
  for (const char* text : {"Press Windows Key + R, then CTRL + V and Enter to verify.",
                           "Appuyez sur la touche Windows + R puis sur Control+V.",
                           "1. WIN + R  2. ctrl+v  3. Enter"}) {
    const Finding* f = paste_and_run("From: a@example.org\nSubject: x\n\n" + std::string(text) + "\n");
    ASSERT_NE(f, nullptr) << text;
    EXPECT_LT(f->confidence, 1.0) << text;
    EXPECT_EQ(f->evidence.size(), 1u) << text;
  }
}

TEST(PasteAndRunTest, OrdinaryInstructionsAreSilent) {
  for (const char* text :
       {"To copy the link, select it and press Ctrl+C, then Ctrl+V in your browser.",
        "Pour ouvrir le gestionnaire des tâches, appuyez sur Ctrl+Maj+Échap.",
        "Run PowerShell as administrator and type Get-Help. Press Win+R to open Run.",
        "Appelez le +33 1 23 45 67 89 ou le support au 0800 000 000."}) {
    EXPECT_EQ(paste_and_run("From: a@example.org\nSubject: x\n\n" + std::string(text) + "\n"), nullptr) << text;
  }
}

}  // namespace
}  // namespace vigie
