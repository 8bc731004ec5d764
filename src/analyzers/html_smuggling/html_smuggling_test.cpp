// html_smuggling: an HTML attachment rebuilding an ISO image (APT29's EnvyScout shape) is reported
// and the image extracted below it, where attachment_type judges it; the same in a body; and a
// newsletter with an inline picture and Blob-based analytics stays silent.
#include <gtest/gtest.h>

#include "common/test_base64.h"
#include "analyzers/analyzer_harness.h"
#include "vigie/engine.h"

namespace vigie::analyzers {
namespace {

std::string base64_of(std::string_view bytes, bool wrap = false) { return test_support::base64(bytes, wrap); }

// The first sectors of an ISO 9660 image: the "CD001" volume descriptor at 0x8001.
std::string iso_image() {
  std::string iso(0x8800, '\0');
  iso.replace(0x8000, 6, "\x01" "CD001");
  return iso;
}

std::string smuggling_page(const std::string& payload, std::string_view name) {
  return "<html><body><p>Chargement du document...</p><script>\nvar d = '" + base64_of(payload) +
         "';\nvar b = atob(d); var a = new Uint8Array(b.length);\n"
         "for (var i = 0; i < b.length; i++) a[i] = b.charCodeAt(i);\n"
         "var l = document.createElement('a'); l.href = URL.createObjectURL(new Blob([a]));\n"
         "l.download = '" + std::string(name) + "'; document.body.appendChild(l); l.click();\n</script></body></html>\n";
}

std::string with_html_attachment(const std::string& html, std::string_view name) {
  return "From: a@example.org\nTo: b@example.net\nSubject: note\nContent-Type: multipart/mixed; boundary=b\n\n"
         "--b\nContent-Type: text/plain\n\nVoir la note jointe.\n--b\nContent-Type: text/html\n"
         "Content-Transfer-Encoding: base64\nContent-Disposition: attachment; filename=\"" + std::string(name) +
         "\"\n\n" + base64_of(html, true) + "\n--b--\n";
}

std::string html_body(const std::string& html) {
  return "From: a@example.org\nTo: b@example.net\nSubject: note\nContent-Type: text/html\n"
         "Content-Transfer-Encoding: base64\n\n" + base64_of(html, true) + "\n";
}

const AnalyzerHarness& harness() {
  static const AnalyzerHarness h("html_smuggling");
  return h;
}

TEST(HtmlSmugglingTest, AnAttachmentRebuildingAnIsoIsReportedAndTheImageExtracted) {
  const AnalyzerHarness::Run run = harness().run(with_html_attachment(smuggling_page(iso_image(), "Note_2024.iso"), "note.html"));
  const Finding* f = AnalyzerHarness::find(run.findings, "HTML_SMUGGLING");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->confidence, 1.0);
  ASSERT_EQ(f->evidence.size(), 2u);
  EXPECT_NE(f->evidence[0].value.find("atob"), std::string::npos) << f->evidence[0].value;
  EXPECT_NE(f->evidence[0].value.find("URL.createObjectURL"), std::string::npos);
  EXPECT_NE(f->evidence[1].value.find("application/x-iso9660-image"), std::string::npos) << f->evidence[1].value;
  EXPECT_NE(f->evidence[1].value.find("\"Note_2024.iso\""), std::string::npos);
  const Object* iso = nullptr;
  for (const Object& o : run.objects) {
    if (o.origin == ObjectOrigin::kEmbedded) iso = &o;
  }
  ASSERT_NE(iso, nullptr);
  EXPECT_EQ(iso->filename, "Note_2024.iso");
  EXPECT_EQ(iso->detected_type, "application/x-iso9660-image");
  EXPECT_EQ(iso->bytes(), iso_image());
  EXPECT_EQ(run.objects.at(iso->parent).filename, "note.html");
}

TEST(HtmlSmugglingTest, ABodyRebuildingAZipIsReported) {
  std::string zip = "PK\x03\x04";
  zip += std::string(5000, 'z');
  const std::vector<Finding> findings = harness().analyze(html_body(smuggling_page(zip, "facture.zip")));
  const Finding* f = AnalyzerHarness::find(findings, "HTML_SMUGGLING");
  ASSERT_NE(f, nullptr);
  EXPECT_NE(f->evidence[1].value.find("application/zip"), std::string::npos) << f->evidence[1].value;
}

TEST(HtmlSmugglingTest, ANewsletterWithAPictureAndBlobAnalyticsIsSilent) {
  std::string png = "\x89PNG\r\n\x1A\n";
  png += std::string(9000, 'p');
  const std::string page = "<html><body><img src=\"data:image/png;base64," + base64_of(png) +
                           "\"><p>Téléchargez notre application (download) !</p><script>"
                           "var w = new Worker(URL.createObjectURL(new Blob(['self.onmessage=function(){}'])));"
                           "</script></body></html>";
  EXPECT_EQ(AnalyzerHarness::find(harness().analyze(html_body(page)), "HTML_SMUGGLING"), nullptr);
}

TEST(HtmlSmugglingTest, ThroughTheEngineTheSmuggledImageIsADangerousFile) {
  const Engine engine{Config{}};
  const ScanResult r = engine.scan(
      std::make_shared<const std::string>(with_html_attachment(smuggling_page(iso_image(), "Note_2024.iso"), "note.html")),
      Envelope{});
  bool smuggling = false;
  bool dangerous_child = false;
  for (const Finding& f : r.findings) {
    if (f.id == "HTML_SMUGGLING") smuggling = true;
    if (f.id == "ATTACHMENT_DANGEROUS_TYPE" && !f.evidence.empty() &&
        r.objects.at(f.evidence[0].object).filename == "Note_2024.iso") {
      dangerous_child = true;
    }
  }
  EXPECT_TRUE(smuggling);
  EXPECT_TRUE(dangerous_child);
}

}  // namespace
}  // namespace vigie::analyzers
