// attachment_type: dangerous types by content and by extension, double extensions, Unicode tricks
// in names and extensions that lie, each on a message built here; and the benign look-alikes
// (a real PDF, a .docx that is a zip, a photo) silent.
#include <gtest/gtest.h>

#include "common/test_base64.h"
#include "analyzers/analyzer_harness.h"
#include "vigie/engine.h"

namespace vigie::analyzers {
namespace {

using namespace std::string_literals;

std::string base64(std::string_view bytes) { return test_support::base64(bytes, true); }

// A message with one base64 attachment. `disposition_name` is the filename parameter as written
// (quoted, or RFC 2231 for non-ASCII names).
std::string with_attachment(const std::string& disposition_name, std::string_view content,
                            const std::string& type = "application/octet-stream") {
  return "From: a@example.org\nTo: b@example.net\nSubject: documents\n"
         "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nsee attached\n"
         "--b\nContent-Type: " + type + "\nContent-Transfer-Encoding: base64\n"
         "Content-Disposition: attachment; " + disposition_name + "\n\n" + base64(content) + "\n--b--\n";
}
std::string named(const std::string& name) { return "filename=\"" + name + "\""; }

std::string pe_file() {
  std::string pe(0x200, '\0');
  pe.replace(0, 2, "MZ");
  pe[0x3C] = '\x80';
  pe.replace(0x80, 4, "PE\0\0"s);
  pe.replace(0x84, 2, "\x4C\x01"s);
  return pe;
}
std::string zip_file() { return "PK\x03\x04\x14\0\0\0\0\0"s + std::string(40, '\0'); }
std::string pdf_file() { return "%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n%%EOF\n"; }
std::string jpeg_file() { return "\xFF\xD8\xFF\xE0\0\x10JFIF\0\x01\x01\0\0\x01\0\x01\0\0"s + std::string(64, '\x11'); }

std::vector<std::string> ids(const std::vector<Finding>& findings) {
  std::vector<std::string> out;
  for (const Finding& f : findings) out.push_back(f.id);
  return out;
}

TEST(AttachmentTypeTest, AProgramByItsContentAndItsExtension) {
  const AnalyzerHarness harness("attachment_type");
  const auto run = harness.run(with_attachment(named("setup.exe"), pe_file()));
  const Finding* f = AnalyzerHarness::find(run.findings, "ATTACHMENT_DANGEROUS_TYPE");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->analyzer, "attachment_type");
  ASSERT_EQ(f->evidence.size(), 2u);
  EXPECT_EQ(f->evidence[0].field, "content");
  EXPECT_EQ(f->evidence[0].value, "Windows executable (PE)");
  EXPECT_EQ(f->evidence[0].value_fr, "exécutable Windows (PE)");
  EXPECT_EQ(f->evidence[1].field, "filename");
  EXPECT_EQ(f->evidence[1].value, "Windows executable .exe");
  EXPECT_EQ(run.objects.at(f->evidence[0].object).filename, "setup.exe");
  EXPECT_EQ(ids(run.findings), std::vector<std::string>{"ATTACHMENT_DANGEROUS_TYPE"});
}

TEST(AttachmentTypeTest, AScriptIsTextToLibmagicButItsExtensionRunsIt) {
  const AnalyzerHarness harness("attachment_type");
  const auto findings = harness.analyze(with_attachment(named("Rapport.JS"), "var s = new ActiveXObject('WScript.Shell');\n"));
  const Finding* f = AnalyzerHarness::find(findings, "ATTACHMENT_DANGEROUS_TYPE");
  ASSERT_NE(f, nullptr);
  ASSERT_EQ(f->evidence.size(), 1u);
  EXPECT_EQ(f->evidence[0].field, "filename");
  EXPECT_EQ(f->evidence[0].value, "JScript file .js");
  EXPECT_EQ(f->evidence[0].value_fr, "fichier JScript .js");
}

TEST(AttachmentTypeTest, ShortcutsDiskImagesAndInstallersByExtension) {
  const AnalyzerHarness harness("attachment_type");
  for (const char* name : {"a.lnk", "a.url", "a.scf", "a.library-ms", "a.search-ms", "a.iso", "a.img", "a.vhdx",
                           "a.chm", "a.msi", "a.msix", "a.appx", "a.one", "a.jar", "a.xll", "a.hta", "a.vbe",
                           "a.wsf", "a.ps1", "a.cmd", "a.bat", "a.rdp"}) {
    EXPECT_NE(AnalyzerHarness::find(harness.analyze(with_attachment(named(name), "x\n")), "ATTACHMENT_DANGEROUS_TYPE"),
              nullptr)
        << name;
  }
}

TEST(AttachmentTypeTest, AnSvgWithScript) {
  const AnalyzerHarness harness("attachment_type");
  const auto findings = harness.analyze(with_attachment(
      named("logo.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"><script>location='https://x.example/'</script></svg>"));
  const Finding* f = AnalyzerHarness::find(findings, "ATTACHMENT_DANGEROUS_TYPE");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->evidence.at(0).value, "SVG image with script");
  EXPECT_TRUE(harness.analyze(with_attachment(named("logo.svg"), "<svg xmlns=\"http://www.w3.org/2000/svg\"><rect/></svg>"))
                  .empty());
}

TEST(AttachmentTypeTest, DoubleExtensionsWithAndWithoutPadding) {
  const AnalyzerHarness harness("attachment_type");
  const auto plain = harness.analyze(with_attachment(named("invoice.pdf.exe"), pe_file()));
  const Finding* f = AnalyzerHarness::find(plain, "ATTACHMENT_DOUBLE_EXTENSION");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->evidence.at(0).field, "filename");
  EXPECT_EQ(f->evidence.at(0).value, "\"invoice.pdf.exe\": looks like a .pdf, is a .exe file");
  EXPECT_EQ(f->evidence.at(0).value_fr, "« invoice.pdf.exe » : ressemble à un fichier .pdf, est un fichier .exe");

  const auto padded = harness.analyze(with_attachment(named("facture.docx      .js"), "WScript.Echo(1);\n"));
  f = AnalyzerHarness::find(padded, "ATTACHMENT_DOUBLE_EXTENSION");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->evidence.at(0).value,
            "\"facture.docx      .js\": looks like a .docx, is a .js file (padding hides the real extension)");
  // HeadLace: IMG-<digits>.jpg.exe; WinRAR CVE-2023-38831: "name.pdf .cmd".
  EXPECT_NE(AnalyzerHarness::find(harness.analyze(with_attachment(named("IMG-20240312.jpg.exe"), pe_file())),
                                  "ATTACHMENT_DOUBLE_EXTENSION"),
            nullptr);
  EXPECT_NE(AnalyzerHarness::find(harness.analyze(with_attachment(named("report.pdf .cmd"), "echo\n")),
                                  "ATTACHMENT_DOUBLE_EXTENSION"),
            nullptr);
  // Two harmless extensions, or a version number, are no double extension.
  EXPECT_EQ(AnalyzerHarness::find(harness.analyze(with_attachment(named("data.tar.gz"), "\x1F\x8B\x08\0"s)),
                                  "ATTACHMENT_DOUBLE_EXTENSION"),
            nullptr);
  EXPECT_EQ(AnalyzerHarness::find(harness.analyze(with_attachment(named("setup-1.2.exe"), pe_file())),
                                  "ATTACHMENT_DOUBLE_EXTENSION"),
            nullptr);
}

TEST(AttachmentTypeTest, RightToLeftOverrideIsShownAndMadeVisible) {
  const AnalyzerHarness harness("attachment_type");
  // RFC 2231: facture<U+202E>fdp.exe, which a reader sees as "factureexe.pdf".
  const auto run = harness.run(with_attachment("filename*=UTF-8''facture%E2%80%AEfdp.exe", pe_file()));
  const Finding* f = AnalyzerHarness::find(run.findings, "ATTACHMENT_NAME_UNICODE_TRICK");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->confidence, 1.0);
  EXPECT_EQ(f->evidence.at(0).field, "filename");
  EXPECT_EQ(f->evidence.at(0).value, "\"facture<U+202E>fdp.exe\", shown as \"factureexe.pdf\"");
  EXPECT_EQ(f->evidence.at(0).value_fr, "« facture<U+202E>fdp.exe », affiché « factureexe.pdf »");
  // What Windows acts on is the real extension.
  EXPECT_NE(AnalyzerHarness::find(run.findings, "ATTACHMENT_DANGEROUS_TYPE"), nullptr);
}

TEST(AttachmentTypeTest, ZeroWidthCharactersAndLookAlikeDots) {
  const AnalyzerHarness harness("attachment_type");
  const auto zero_width = harness.analyze(with_attachment("filename*=UTF-8''note%E2%80%8B.pdf", pdf_file()));
  const Finding* f = AnalyzerHarness::find(zero_width, "ATTACHMENT_NAME_UNICODE_TRICK");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->evidence.at(0).value, "\"note<U+200B>.pdf\": invisible control characters");
  EXPECT_EQ(f->confidence, 0.5);  // a harmless name otherwise
  // invoice<U+2024>pdf: a one-dot leader where the dot of ".pdf" seems to be.
  const auto leader = harness.analyze(with_attachment("filename*=UTF-8''invoice%E2%80%A4pdf.js", "x\n"));
  f = AnalyzerHarness::find(leader, "ATTACHMENT_NAME_UNICODE_TRICK");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->evidence.at(0).value, "\"invoice<U+2024>pdf.js\": a character that imitates the dot of an extension");
}

TEST(AttachmentTypeTest, AnExtensionThatLiesAboutTheContent) {
  const AnalyzerHarness harness("attachment_type");
  const auto pe = harness.analyze(with_attachment(named("scan.pdf"), pe_file(), "application/pdf"));
  const Finding* f = AnalyzerHarness::find(pe, "ATTACHMENT_EXTENSION_MISMATCH");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->evidence.at(0).field, "content");
  EXPECT_EQ(f->evidence.at(0).value, "\"scan.pdf\": named .pdf, content: Windows executable (PE)");
  EXPECT_EQ(f->evidence.at(0).value_fr, "« scan.pdf » : nommé .pdf, contenu : exécutable Windows (PE)");
  EXPECT_EQ(f->confidence, 1.0);
  EXPECT_NE(AnalyzerHarness::find(pe, "ATTACHMENT_DANGEROUS_TYPE"), nullptr);

  const auto zip = harness.analyze(with_attachment(named("photo.jpg"), zip_file()));
  f = AnalyzerHarness::find(zip, "ATTACHMENT_EXTENSION_MISMATCH");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->evidence.at(0).value, "\"photo.jpg\": named .jpg, content: zip archive");
  EXPECT_EQ(f->confidence, 0.8);
  EXPECT_EQ(AnalyzerHarness::find(zip, "ATTACHMENT_DANGEROUS_TYPE"), nullptr);  // an archive alone is not
}

TEST(AttachmentTypeTest, ADeclaredTypeThatLiesAboutTheContent) {
  const AnalyzerHarness harness("attachment_type");
  const auto findings = harness.analyze(with_attachment(named("document"), pe_file(), "image/jpeg"));
  const Finding* f = AnalyzerHarness::find(findings, "ATTACHMENT_EXTENSION_MISMATCH");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->evidence.at(0).value, "\"document\": declared image/jpeg, content: Windows executable (PE)");
  EXPECT_EQ(f->evidence.at(0).value_fr, "« document » : déclaré image/jpeg, contenu : exécutable Windows (PE)");
  EXPECT_EQ(f->confidence, 0.8);
  // A zip declared as something else is common enough among mailers to say nothing.
  EXPECT_TRUE(harness.analyze(with_attachment(named("files"), zip_file(), "application/pdf")).empty());
}

TEST(AttachmentTypeTest, BenignLookAlikesAreSilent) {
  const AnalyzerHarness harness("attachment_type");
  EXPECT_TRUE(harness.analyze(with_attachment(named("rapport.pdf"), pdf_file(), "application/pdf")).empty());
  EXPECT_TRUE(harness.analyze(with_attachment(named("note.docx"), zip_file())).empty());
  EXPECT_TRUE(harness.analyze(with_attachment(named("budget.xlsx"), zip_file())).empty());
  EXPECT_TRUE(harness.analyze(with_attachment(named("photo.jpg"), jpeg_file(), "image/jpeg")).empty());
  EXPECT_TRUE(harness.analyze(with_attachment(named("archive.zip"), zip_file(), "application/zip")).empty());
  EXPECT_TRUE(harness.analyze(with_attachment(named("notes.txt"), "plain text\n", "text/plain")).empty());
  EXPECT_TRUE(harness.analyze(with_attachment(named("ancien.doc"), "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"s + std::string(600, '\0')))
                  .empty());
  EXPECT_TRUE(harness.analyze(with_attachment(named("setup.pdf"), pdf_file())).empty());
  // The message body itself is not a file.
  EXPECT_TRUE(harness.analyze("From: a@example.org\nSubject: x\n\nrun invoice.pdf.exe\n").empty());
}

// An extracted file is an object like an attachment: a program uuencoded in the text, under a
// double extension, is found with both object analyzers running as the engine runs them.
TEST(AttachmentTypeTest, AFileUuencodedInTheTextIsIdentified) {
  const Engine engine{Config{}};
  // "begin 644 invoice.pdf.exe" + the uuencoding of "MZ\x90\0 payload".
  const ScanResult r = engine.scan(std::make_shared<const std::string>("From: a@example.org\nSubject: x\n\nopen the file\n"
                                                                       "begin 644 invoice.pdf.exe\n"
                                                                       ",35J0 \"!P87EL;V%D\n`\nend\n"),
                                   Envelope{});
  std::vector<std::string> found;
  ObjectId object = kNoObject;
  for (const Finding& f : r.findings) {
    if (f.id.starts_with("ATTACHMENT_")) {
      found.push_back(f.id);
      object = f.evidence.at(0).object;
    }
  }
  EXPECT_EQ(found, (std::vector<std::string>{"ATTACHMENT_DANGEROUS_TYPE", "ATTACHMENT_DOUBLE_EXTENSION"}));
  ASSERT_NE(object, kNoObject);
  EXPECT_EQ(r.objects.at(object).origin, ObjectOrigin::kUuencoded);
  EXPECT_EQ(r.objects.at(object).detected_type, "application/x-dosexec");
}

}  // namespace
}  // namespace vigie::analyzers
