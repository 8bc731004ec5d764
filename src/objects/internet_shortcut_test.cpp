// Internet shortcut files: URL= and IconFile= read from their sections, in any case and line
// ending; web-only shortcuts told apart from those pointing at shares or handlers.
#include "objects/internet_shortcut.h"

#include <gtest/gtest.h>

namespace vigie::objects {
namespace {

TEST(InternetShortcutTest, ReadsTheTargets) {
  const InternetShortcut s = read_internet_shortcut(
      "\xEF\xBB\xBF[{000214A0-0000-0000-C000-000000000046}]\r\nProp3=19,11\r\n[InternetShortcut]\r\nIDList=\r\n"
      "url = https://example.org/doc\r\niconfile=\\\\203.0.113.7\\icons\\pdf.ico\r\nIconIndex=1\r\n");
  EXPECT_TRUE(s.found);
  EXPECT_EQ(s.url, "https://example.org/doc");
  EXPECT_EQ(s.icon_file, "\\\\203.0.113.7\\icons\\pdf.ico");
  EXPECT_FALSE(only_web_targets(s));
}

TEST(InternetShortcutTest, AWebBookmarkIsOnlyWeb) {
  const InternetShortcut s = read_internet_shortcut("[InternetShortcut]\nURL=https://www.service-public.fr/\n");
  EXPECT_TRUE(only_web_targets(s));
  EXPECT_FALSE(only_web_targets(read_internet_shortcut("[InternetShortcut]\nURL=file://203.0.113.7/s/x.exe\n")));
  EXPECT_FALSE(only_web_targets(read_internet_shortcut("[InternetShortcut]\nURL=search-ms:query=x\n")));
}

TEST(InternetShortcutTest, LinesOutsideTheSectionAreNotTargets) {
  const InternetShortcut s = read_internet_shortcut("URL=https://a.example/\n[Other]\nURL=file://x/y\n");
  EXPECT_FALSE(s.found);
  EXPECT_TRUE(s.url.empty());
}

TEST(InternetShortcutTest, ReadsTheLocationsOfALibrary) {
  const std::vector<std::string> urls = read_shell_locations(
      "<?xml version=\"1.0\"?><libraryDescription xmlns=\"http://schemas.microsoft.com/windows/2009/library\">"
      "<searchConnectorDescriptionList><searchConnectorDescription><simpleLocation>\n"
      "<URL> \\\\203.0.113.7@SSL\\DavWWWRoot\\docs </URL></simpleLocation></searchConnectorDescription>"
      "<searchConnectorDescription><simpleLocation><url>knownfolder:{FDD39AD0}</url>"
      "</simpleLocation></searchConnectorDescription></searchConnectorDescriptionList></libraryDescription>");
  EXPECT_EQ(urls, (std::vector<std::string>{"\\\\203.0.113.7@SSL\\DavWWWRoot\\docs", "knownfolder:{FDD39AD0}"}));
}

}  // namespace
}  // namespace vigie::objects
