// Our content signatures decide the detected type whatever the name or declared type says.
#include "objects/content_type.h"

#include <gtest/gtest.h>

namespace vigie::objects {
namespace {

using namespace std::string_literals;

TEST(ContentTypeTest, SignaturesAtTheirOffsets) {
  EXPECT_EQ(signature_type("MZ\x90\x00"s), "application/x-dosexec");
  EXPECT_EQ(signature_type("\x7F" "ELF\x02"s), "application/x-executable");
  EXPECT_EQ(signature_type("%PDF-1.7"), "application/pdf");
  EXPECT_EQ(signature_type("PK\x03\x04rest"s), "application/zip");
  EXPECT_EQ(signature_type("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"s), "application/x-ole-storage");
  EXPECT_EQ(signature_type("{\\rtf1\\ansi"), "text/rtf");
  EXPECT_EQ(signature_type("L\0\0\0\x01\x14\x02\0\0\0\0\0\xC0\0\0\0\0\0\0\x46..."s), "application/x-ms-shortcut");
  std::string iso(0x8010, '\0');
  iso.replace(0x8001, 5, "CD001");
  EXPECT_EQ(signature_type(iso), "application/x-iso9660-image");
}

TEST(ContentTypeTest, MarkupAfterWhitespaceAndByteOrderMark) {
  EXPECT_EQ(signature_type("\xEF\xBB\xBF  \n<!DOCTYPE html><html>"), "text/html");
  EXPECT_EQ(signature_type("<HTML><body>"), "text/html");
  EXPECT_EQ(signature_type("<?xml version=\"1.0\"?>\n<svg xmlns=\"http://www.w3.org/2000/svg\">"), "image/svg+xml");
}

TEST(ContentTypeTest, XmlDocumentsByTheirRootElement) {
  EXPECT_EQ(signature_type("<?xml version=\"1.0\"?><note/>"), "text/xml");
  EXPECT_EQ(signature_type("<?xml version=\"1.0\"?>\n<job><script language=\"VBScript\">"), "text/xml");
  // A doctype and a licence comment may push an SVG's root past the first few hundred bytes.
  const std::string comment = "<!-- " + std::string(2000, 'c') + " -->";
  EXPECT_EQ(signature_type("<?xml version=\"1.0\"?>" + comment + "<SVG xmlns=\"http://www.w3.org/2000/svg\">"),
            "image/svg+xml");
  EXPECT_EQ(signature_type("<?xml version=\"1.0\"?>\n<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0//EN\">\n<html>"),
            "text/html");
  // Past the prolog window, a root is no longer looked for: plain XML.
  EXPECT_EQ(signature_type("<?xml version=\"1.0\"?>" + std::string(5000, ' ') + "<svg>"), "text/xml");
}

TEST(ContentTypeTest, CalendarsByTheirFirstLine) {
  EXPECT_EQ(signature_type("BEGIN:VCALENDAR\r\nVERSION:2.0\r\n"), "text/calendar");
  EXPECT_EQ(signature_type("\xEF\xBB\xBF\r\nbegin:vcalendar\nVERSION:1.0\n"), "text/calendar");
  EXPECT_EQ(signature_type("BEGIN:VEVENT\r\n"), "");  // a bare component is no calendar file
  EXPECT_EQ(signature_type("BEGIN:VCARD\r\n"), "");
}

TEST(ContentTypeTest, UnknownAndShortInputs) {
  EXPECT_EQ(signature_type(""), "");
  EXPECT_EQ(signature_type("M"), "");
  EXPECT_EQ(signature_type("hello world"), "");
  EXPECT_EQ(signature_type(std::string(0x8003, 'x')), "");
}

}  // namespace
}  // namespace vigie::objects
