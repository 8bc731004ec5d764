// ole_objects: a file inside an OLE package becomes a child object that attachment_type judges;
// an encrypted OOXML package is reported.
#include <gtest/gtest.h>

#include "analyzers/analyzer_harness.h"
#include "analyzers/office_test_support.h"

namespace vigie::analyzers {
namespace {

using office_test::data_file;
using office_test::message_with;

TEST(OleObjectsTest, PackageObjectBecomesAChild) {
  const AnalyzerHarness harness("ole_objects");
  const auto run = harness.run(message_with("oleObject1.bin", data_file("package_exe.bin")));
  ASSERT_EQ(run.objects.size(), 4u);  // message, text, the OLE file, the embedded program
  const Object& child = run.objects.at(3);
  EXPECT_EQ(child.origin, ObjectOrigin::kEmbedded);
  EXPECT_EQ(child.parent, 2u);
  EXPECT_EQ(child.filename, "facture.pdf.exe");
  EXPECT_TRUE(child.bytes().starts_with("MZ"));
  EXPECT_EQ(child.detected_type, "application/x-dosexec");
  ASSERT_EQ(child.notes.size(), 1u);
  EXPECT_EQ(child.notes[0], "OLE package; source path: C:\\Users\\a\\facture.pdf.exe");
  EXPECT_EQ(run.objects.path(child.id), "part 2 (oleObject1.bin) > facture.pdf.exe");
  EXPECT_TRUE(run.findings.empty());
}

TEST(OleObjectsTest, EncryptedOoxmlPackage) {
  const AnalyzerHarness harness("ole_objects");
  const auto run = harness.run(message_with("contrat.docx", data_file("encrypted.docx")));
  const Finding* encrypted = AnalyzerHarness::find(run.findings, "ENCRYPTED_DOCUMENT");
  ASSERT_NE(encrypted, nullptr);
  EXPECT_EQ(office_test::evidence(*encrypted, "encryption"), "Office Open XML package, agile encryption");
  EXPECT_EQ(encrypted->group, "evasion");
  ASSERT_EQ(run.objects.at(2).notes.size(), 1u);
  EXPECT_TRUE(run.objects.at(2).notes[0].starts_with("encrypted (Office Open XML package, agile encryption)"));
}

TEST(OleObjectsTest, EquationEditorObject) {
  const AnalyzerHarness harness("ole_objects");
  const auto run = harness.run(message_with("a.doc", data_file("equation.doc")));
  ASSERT_EQ(run.findings.size(), 1u);
  EXPECT_EQ(run.findings[0].id, "OLE_EQUATION_EDITOR_OBJECT");
  EXPECT_EQ(office_test::evidence(run.findings[0], "object"), "ObjectPool/_1234567890");
  EXPECT_DOUBLE_EQ(run.findings[0].score, 12.0);
}

TEST(OleObjectsTest, NothingToExtractFromAPlainDocument) {
  const AnalyzerHarness harness("ole_objects");
  const auto run = harness.run(message_with("a.doc", data_file("vba_benign.doc")));
  EXPECT_EQ(run.objects.size(), 3u);
  EXPECT_TRUE(run.findings.empty());
}

TEST(OleObjectsTest, TheExtractedBytesLimitHolds) {
  Config config;
  config.limits.max_extracted_bytes = 16;
  const AnalyzerHarness harness("ole_objects", config);
  const auto run = harness.run(message_with("oleObject1.bin", data_file("package_exe.bin")));
  EXPECT_EQ(run.objects.size(), 3u);
  ASSERT_EQ(run.limits_reached.size(), 1u);
  EXPECT_EQ(run.limits_reached[0].limit, "max_extracted_bytes");
}

TEST(OleObjectsTest, OutlookReminderPlayingAFileFromAShare) {
  const AnalyzerHarness harness("ole_objects");
  const auto run = harness.run(message_with("point.msg", data_file("reminder_unc.msg"), "application/vnd.ms-outlook"));
  const Finding* reminder = AnalyzerHarness::find(run.findings, "OUTLOOK_REMINDER_UNC");
  ASSERT_NE(reminder, nullptr);
  EXPECT_EQ(office_test::evidence(*reminder, "PidLidReminderFileParameter"),
            "\\\\203.0.113.9\\share\\ding.wav (file share on 203.0.113.9)");
  EXPECT_TRUE(office_test::evidence(*reminder, "cve").starts_with("CVE-2023-23397"));
  EXPECT_EQ(office_test::evidence(*reminder, "stream"), "__substg1.0_8005001F");
  EXPECT_EQ(reminder->group, "client_exploit");
  EXPECT_DOUBLE_EQ(reminder->score, 12.0);
}

TEST(OleObjectsTest, OutlookReminderPlayingALocalSoundIsNormal) {
  const AnalyzerHarness harness("ole_objects");
  const auto run = harness.run(message_with("point.msg", data_file("reminder_local.msg"), "application/vnd.ms-outlook"));
  EXPECT_TRUE(run.findings.empty());
  // Its attachment is extracted, for attachment_type to judge.
  ASSERT_EQ(run.objects.size(), 4u);
  EXPECT_EQ(run.objects.at(3).filename, "ordre_du_jour.pdf.lnk");
  EXPECT_EQ(run.objects.at(3).origin, ObjectOrigin::kEmbedded);
  EXPECT_EQ(run.objects.at(3).detected_type, "application/x-ms-shortcut");
}

}  // namespace
}  // namespace vigie::analyzers
