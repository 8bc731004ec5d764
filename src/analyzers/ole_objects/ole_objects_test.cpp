// ole_objects: a file inside an OLE package becomes a child object that attachment_type judges;
// an encrypted OOXML package is reported, and decrypted with the password the message gives
// (tests/data/offcrypto: made by an independent encryptor, see its README) so that the engine's
// other analyzers judge the macros inside.
#include <gtest/gtest.h>

#include "analyzers/analyzer_harness.h"
#include "analyzers/office_test_support.h"
#include "vigie/engine.h"

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
  // The hand-made sample's descriptor holds no key encryptor: said, not guessed.
  EXPECT_TRUE(office_test::evidence(*encrypted, "content").starts_with("not examined: "));
  EXPECT_NE(run.objects.at(2).flags & kObjectEncrypted, 0u);
  ASSERT_EQ(run.objects.at(2).notes.size(), 1u);
  EXPECT_TRUE(run.objects.at(2).notes[0].starts_with("encrypted: content not examined")) << run.objects.at(2).notes[0];
}

std::string offcrypto_file(std::string_view name) {
  return office_test::data_file("../offcrypto/" + std::string(name));
}

// A message whose body says `body` and attaches `bytes` as facture.docm.
std::string lure(std::string_view body, std::string_view bytes) {
  return "From: a@example.net\nTo: b@example.org\nSubject: Facture\nMIME-Version: 1.0\n"
         "Content-Type: multipart/mixed; boundary=b\n\n--b\nContent-Type: text/plain; charset=utf-8\n\n" +
         std::string(body) +
         "\n--b\nContent-Type: application/vnd.ms-word.document.macroEnabled.12\n"
         "Content-Disposition: attachment; filename=\"facture.docm\"\nContent-Transfer-Encoding: base64\n\n" +
         office_test::base64(bytes) + "--b--\n";
}

const Object* decrypted_child(const ObjectTree& objects, ObjectId parent) {
  for (const Object& o : objects) {
    if (o.parent == parent && o.origin == ObjectOrigin::kEmbedded && o.id != parent) return &o;
  }
  return nullptr;
}

void expect_decrypted_macro(std::string_view fixture, std::string_view scheme) {
  const Engine engine{Config{}};
  const ScanResult r = engine.scan(
      std::make_shared<const std::string>(
          lure("Le document est prot\xC3\xA9g\xC3\xA9, mot de passe : 2025", offcrypto_file(fixture))),
      Envelope{});
  const Finding* encrypted = AnalyzerHarness::find(r.findings, "ENCRYPTED_DOCUMENT");
  ASSERT_NE(encrypted, nullptr);
  EXPECT_NE(office_test::evidence(*encrypted, "encryption").find(scheme), std::string::npos)
      << office_test::evidence(*encrypted, "encryption");
  EXPECT_EQ(office_test::evidence(*encrypted, "password"),
            "opened with the password \"2025\" given in the message: the encryption only hides the content from filters");
  EXPECT_EQ(office_test::evidence(*encrypted, "content"), "decrypted and examined as a child object");
  const Object* child = decrypted_child(r.objects, 2);
  ASSERT_NE(child, nullptr);
  EXPECT_EQ(child->filename, "facture.docm");
  EXPECT_EQ(child->bytes(), office_test::data_file("autoopen.docm"));
  EXPECT_EQ(r.objects.at(2).flags & kObjectEncrypted, 0u);
  // The macro is found in the decrypted package, below the encrypted attachment.
  const Finding* macro = AnalyzerHarness::find(r.findings, "VBA_AUTO_EXEC_DOWNLOAD_OR_RUN");
  if (macro == nullptr) macro = AnalyzerHarness::find(r.findings, "VBA_AUTO_EXEC");
  ASSERT_NE(macro, nullptr);
  bool below = false;
  for (ObjectId at = macro->evidence.front().object; at != kMessageObject && at != kNoObject; at = r.objects.at(at).parent) {
    if (at == child->id) below = true;
  }
  EXPECT_TRUE(below) << r.objects.path(macro->evidence.front().object);
}

TEST(OleObjectsTest, AgileDocumentOpenedWithThePasswordInTheBody) {
  expect_decrypted_macro("autoopen_agile_2025.docm", "agile encryption, AES-256-CBC, SHA-512, 100000 spins");
}

TEST(OleObjectsTest, StandardDocumentOpenedWithThePasswordInTheBody) {
  expect_decrypted_macro("autoopen_standard_2025.docm", "standard encryption, AES-128-ECB, SHA-1, 50000 spins");
}

TEST(OleObjectsTest, WrongOrAbsentPasswordLeavesItEncrypted) {
  const Engine engine{Config{}};
  for (const auto& [body, content] :
       {std::pair<std::string_view, std::string_view>{"mot de passe : 2024",
                                                     "not examined: passwords tried: 1 read in the message (\"2024\"), none opens it"},
        {"Voir pi\xC3\xA8" "ce jointe.", "not examined: password not found in the message"}}) {
    const ScanResult r =
        engine.scan(std::make_shared<const std::string>(lure(body, offcrypto_file("autoopen_agile_2025.docm"))), Envelope{});
    const Finding* encrypted = AnalyzerHarness::find(r.findings, "ENCRYPTED_DOCUMENT");
    ASSERT_NE(encrypted, nullptr);
    EXPECT_EQ(office_test::evidence(*encrypted, "content"), content);
    EXPECT_EQ(decrypted_child(r.objects, 2), nullptr);
    EXPECT_NE(r.objects.at(2).flags & kObjectEncrypted, 0u);
    for (const Finding& f : r.findings) EXPECT_FALSE(f.id.starts_with("VBA_")) << f.id;
  }
}

TEST(OleObjectsTest, PasswordsTriedPerDocumentAreBounded) {
  std::string body;
  for (int i = 0; i < 8; ++i) body += "mot de passe : essai" + std::to_string(i) + "\n";
  const AnalyzerHarness harness("ole_objects");
  const auto run = harness.run(lure(body, offcrypto_file("autoopen_agile_2025.docm")));
  const Finding* encrypted = AnalyzerHarness::find(run.findings, "ENCRYPTED_DOCUMENT");
  ASSERT_NE(encrypted, nullptr);
  EXPECT_NE(office_test::evidence(*encrypted, "content").find("passwords tried: 4 "), std::string::npos);
  EXPECT_NE(office_test::evidence(*encrypted, "content").find("; 4 more not tried"), std::string::npos);
}

// A clock already past the analysis deadline: no password is tried, and the evidence says so.
class LateClock : public Clock {
 public:
  std::chrono::system_clock::time_point now() const override { return {}; }
  std::chrono::steady_clock::time_point steady_now() const override {
    return std::chrono::steady_clock::time_point{} + std::chrono::hours(1);
  }
};

TEST(OleObjectsTest, NoPasswordIsTriedPastTheDeadline) {
  office_test::RecordingContext context({}, "From: a@example.net\n\nmot de passe : 2025\n");
  const LateClock clock;
  context.set_deadline(Deadline{&clock, std::chrono::steady_clock::time_point{}});
  const Object& document = context.add(ObjectOrigin::kMimePart, "facture.docm", offcrypto_file("autoopen_agile_2025.docm"));
  const std::vector<Finding> findings = context.run("ole_objects", document);
  const Finding* encrypted = office_test::find(findings, "ENCRYPTED_DOCUMENT");
  ASSERT_NE(encrypted, nullptr);
  EXPECT_EQ(office_test::evidence(*encrypted, "content"),
            "not examined: the analysis deadline passed before any of the 1 password(s) read in the message was tried");
  EXPECT_EQ(context.objects().size(), 2u);  // the message and the document: nothing decrypted

  // The same context before its deadline opens it.
  office_test::RecordingContext in_time({}, "From: a@example.net\n\nmot de passe : 2025\n");
  const Object& again = in_time.add(ObjectOrigin::kMimePart, "facture.docm", offcrypto_file("autoopen_agile_2025.docm"));
  in_time.run("ole_objects", again);
  EXPECT_EQ(in_time.objects().size(), 3u);
}

TEST(OleObjectsTest, DecryptedPackageWithinTheExtractionLimits) {
  Config config;
  config.limits.max_archive_member_bytes = 1000;  // the package is 2408 bytes
  const AnalyzerHarness harness("ole_objects", config);
  const auto run = harness.run(lure("mot de passe : 2025", offcrypto_file("autoopen_standard_2025.docm")));
  const Finding* encrypted = AnalyzerHarness::find(run.findings, "ENCRYPTED_DOCUMENT");
  ASSERT_NE(encrypted, nullptr);
  EXPECT_NE(office_test::evidence(*encrypted, "content").find("larger than max_archive_member_bytes"), std::string::npos);
  ASSERT_EQ(run.limits_reached.size(), 1u);
  EXPECT_EQ(run.limits_reached[0].limit, "max_archive_member_bytes");
  EXPECT_EQ(run.objects.size(), 3u);  // message, text, attachment: nothing decrypted
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
