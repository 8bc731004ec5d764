// archives: members of every format become child objects that the other analyzers judge; encrypted
// archives, with and without their password in the body; bombs (flat, by ratio, nested, by entry
// count) ending within the limits; names that leave the extraction folder; the WinRAR
// CVE-2023-38831 shape; an OOXML package extracted by part and not reported; an ISO built by
// xorriso holding a shortcut. Every archive is built here with libarchive's writer (or xorriso).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unistd.h>

#include "analyzers/analyzer_harness.h"
#include "objects/archive/test_archives.h"
#include "vigie/engine.h"

namespace vigie::analyzers {
namespace {

using namespace std::string_literals;
using objects::archive::testing::built_by_tool;
using objects::archive::testing::have;
using objects::archive::testing::message_with_attachment;
using objects::archive::testing::TestFile;
using objects::archive::testing::write_archive;

std::string lnk_file() {
  return "L\0\0\0\x01\x14\x02\0\0\0\0\0\xC0\0\0\0\0\0\0\x46"s + std::string(200, '\x01');
}

const Object* child_named(const ObjectTree& tree, std::string_view name) {
  for (const Object& o : tree) {
    if (o.origin == ObjectOrigin::kArchiveMember && o.filename == name) return &o;
  }
  return nullptr;
}

std::vector<std::string> ids(const std::vector<Finding>& findings, std::string_view prefix = "") {
  std::vector<std::string> out;
  for (const Finding& f : findings) {
    if (f.id.starts_with(prefix)) out.push_back(f.id);
  }
  return out;
}

const Finding* find(const std::vector<Finding>& findings, std::string_view id) {
  return AnalyzerHarness::find(findings, id);
}

bool crossed(const std::vector<LimitCrossing>& crossings, std::string_view limit) {
  return std::any_of(crossings.begin(), crossings.end(), [&](const LimitCrossing& c) { return c.limit == limit; });
}

ScanResult scan(const Engine& engine, const std::string& raw) {
  return engine.scan(std::make_shared<const std::string>(raw), Envelope{});
}

long long milliseconds_since(std::chrono::steady_clock::time_point start) {
  return static_cast<long long>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start).count());
}

const std::vector<TestFile> kInvoice{TestFile{"invoice.pdf.lnk", lnk_file()}, TestFile{"docs/lisez-moi.txt", "bonjour"}};

TEST(ArchivesTest, MembersOfEveryFormatBecomeChildren) {
  const AnalyzerHarness harness("archives");
  struct Case {
    std::string format;
    std::string filter;
    std::string filename;
  };
  for (const Case& c : {Case{"zip", "", "invoice.zip"}, Case{"7zip", "", "invoice.7z"},
                        Case{"ustar", "gzip", "invoice.tar.gz"}, Case{"pax", "xz", "invoice.tar.xz"},
                        Case{"iso9660", "", "invoice.iso"}}) {
    const std::string archive = write_archive(c.format, kInvoice, {c.filter, "", ""});
    const auto run = harness.run(message_with_attachment("Voir pièce jointe.", c.filename, archive));
    const Object* lnk = child_named(run.objects, "invoice.pdf.lnk");
    ASSERT_NE(lnk, nullptr) << c.format;
    EXPECT_EQ(lnk->detected_type, "application/x-ms-shortcut") << c.format;
    EXPECT_EQ(lnk->bytes(), lnk_file());
    EXPECT_EQ(run.objects.path(lnk->id), "part 2 (" + c.filename + ") > invoice.pdf.lnk");
    const Object* text = child_named(run.objects, "docs/lisez-moi.txt");
    ASSERT_NE(text, nullptr) << c.format;
    EXPECT_EQ(text->bytes(), "bonjour");
    EXPECT_TRUE(run.findings.empty()) << c.format << ": " << run.findings.front().id;
    EXPECT_TRUE(run.limits_reached.empty()) << c.format;
  }
}

TEST(ArchivesTest, ACompressedFileIsItsOwnMember) {
  const AnalyzerHarness harness("archives");
  const std::string gz = write_archive("raw", {TestFile{"x", lnk_file()}}, {"gzip", "", ""});
  const auto run = harness.run(message_with_attachment("ci-joint", "facture.pdf.lnk.gz", gz));
  const Object* inner = child_named(run.objects, "facture.pdf.lnk");
  ASSERT_NE(inner, nullptr);
  EXPECT_EQ(inner->detected_type, "application/x-ms-shortcut");
}

// The foundation of issue 13: a shortcut in a zip is judged where it is, by attachment_type.
TEST(ArchivesTest, AShortcutInAZipIsJudgedAtTheMember) {
  const Engine engine{Config{}};
  const ScanResult r = scan(engine, message_with_attachment("Voir pièce jointe.", "invoice.zip", write_archive("zip", kInvoice)));
  const Object* lnk = child_named(r.objects, "invoice.pdf.lnk");
  ASSERT_NE(lnk, nullptr);
  for (std::string_view id : {"ATTACHMENT_DANGEROUS_TYPE", "ATTACHMENT_DOUBLE_EXTENSION"}) {
    const Finding* f = find(r.findings, id);
    ASSERT_NE(f, nullptr) << id;
    EXPECT_EQ(f->evidence.at(0).object, lnk->id) << id;
  }
  EXPECT_TRUE(ids(r.findings, "ARCHIVE_").empty());
  EXPECT_TRUE(r.verdict.complete);
}

TEST(ArchivesTest, AnEncryptedZipWithoutItsPasswordIsReportedAndNotExamined) {
  const Engine engine{Config{}};
  const std::string zip = write_archive("zip", kInvoice, {"", "zip:encryption=zipcrypt", "2025"});
  const ScanResult r = scan(engine, message_with_attachment("Voir pièce jointe.", "invoice.zip", zip));
  const Finding* encrypted = find(r.findings, "ARCHIVE_ENCRYPTED");
  ASSERT_NE(encrypted, nullptr);
  EXPECT_EQ(find(r.findings, "ARCHIVE_PASSWORD_IN_MESSAGE"), nullptr);
  const Object& archive = r.objects.at(encrypted->evidence.at(0).object);
  EXPECT_EQ(archive.filename, "invoice.zip");
  EXPECT_TRUE(archive.flags & kObjectEncrypted);
  EXPECT_TRUE(crossed(r.limits_reached, "encrypted_content"));
  EXPECT_FALSE(r.verdict.complete);
  // The names are in clear: the shortcut is still seen by its name.
  const Object* lnk = child_named(r.objects, "invoice.pdf.lnk");
  ASSERT_NE(lnk, nullptr);
  EXPECT_TRUE(lnk->flags & kObjectEncrypted);
  EXPECT_EQ(lnk->size(), 0u);
  EXPECT_NE(find(r.findings, "ATTACHMENT_DOUBLE_EXTENSION"), nullptr);
}

TEST(ArchivesTest, ThePasswordInTheBodyOpensTheArchive) {
  const Engine engine{Config{}};
  for (const char* encryption : {"zip:encryption=zipcrypt", "zip:encryption=aes256"}) {
    const std::string zip = write_archive("zip", kInvoice, {"", encryption, "Fact-2025!"});
    const ScanResult r = scan(engine, message_with_attachment(
                                          "Bonjour,\n\nVeuillez trouver la facture ci-jointe.\n"
                                          "Le mot de passe de l'archive : Fact-2025!\n\nCordialement",
                                          "facture.zip", zip));
    const Finding* given = find(r.findings, "ARCHIVE_PASSWORD_IN_MESSAGE");
    ASSERT_NE(given, nullptr) << encryption;
    EXPECT_EQ(given->confidence, 1);
    EXPECT_EQ(given->evidence.at(0).field, "password");
    EXPECT_EQ(given->evidence.at(0).value, "\"Fact-2025!\"");
    EXPECT_EQ(find(r.findings, "ARCHIVE_ENCRYPTED"), nullptr);
    const Object* lnk = child_named(r.objects, "invoice.pdf.lnk");
    ASSERT_NE(lnk, nullptr);
    EXPECT_EQ(lnk->bytes(), lnk_file());
    EXPECT_EQ(lnk->detected_type, "application/x-ms-shortcut");
    const Finding* dangerous = find(r.findings, "ATTACHMENT_DANGEROUS_TYPE");
    ASSERT_NE(dangerous, nullptr);
    EXPECT_EQ(dangerous->evidence.at(0).object, lnk->id);
    EXPECT_TRUE(r.verdict.complete);
  }
}

TEST(ArchivesTest, AWrongPasswordInTheBodyIsTriedAndSaid) {
  const Engine engine{Config{}};
  const std::string zip = write_archive("zip", kInvoice, {"", "zip:encryption=zipcrypt", "2025"});
  const ScanResult r = scan(engine, message_with_attachment("password: 1999", "invoice.zip", zip));
  const Finding* encrypted = find(r.findings, "ARCHIVE_ENCRYPTED");
  ASSERT_NE(encrypted, nullptr);
  EXPECT_EQ(encrypted->evidence.back().field, "passwords_tried");
  const Finding* given = find(r.findings, "ARCHIVE_PASSWORD_IN_MESSAGE");
  ASSERT_NE(given, nullptr);
  EXPECT_LT(given->confidence, 1);
}

TEST(ArchivesTest, AFlatBombEndsWithinTheLimits) {
  // 1000 members of 10 MiB of zeros: about 10 MB, 10 GB once expanded.
  const std::string bomb = objects::archive::testing::repeated_zip(std::string(10u << 20, '\0'), 1000);
  const Engine engine{Config{}};
  const auto start = std::chrono::steady_clock::now();
  const ScanResult r = scan(engine, message_with_attachment("ci-joint", "archive.zip", bomb));
  const long long elapsed = milliseconds_since(start);
  const Finding* found = find(r.findings, "ARCHIVE_BOMB");
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->confidence, 1);
  EXPECT_EQ(found->evidence.at(0).field, "declared_size");
  EXPECT_TRUE(crossed(r.limits_reached, "max_extracted_bytes"));
  EXPECT_FALSE(r.verdict.complete);
  std::uint64_t extracted = 0;
  for (const Object& o : r.objects) extracted += o.origin == ObjectOrigin::kArchiveMember ? o.size() : 0;
  EXPECT_LE(extracted, Limits{}.max_extracted_bytes);
  std::printf("flat bomb (%zu bytes) scanned in %lld ms, %llu bytes extracted\n", bomb.size(), elapsed,
              static_cast<unsigned long long>(extracted));
}

TEST(ArchivesTest, AMemberExpandingTooFarIsABomb) {
  const std::string bomb = objects::archive::testing::repeated_zip(std::string(64u << 20, '\0'), 1);
  const AnalyzerHarness harness("archives");
  const auto run = harness.run(message_with_attachment("ci-joint", "zeros.zip", bomb));
  const Finding* found = find(run.findings, "ARCHIVE_BOMB");
  ASSERT_NE(found, nullptr);
  EXPECT_TRUE(crossed(run.limits_reached, "max_expansion_ratio"));
  // Kept only to identify it: its first 64 KiB, flagged truncated.
  const Object* zeros = child_named(run.objects, "z0");
  ASSERT_NE(zeros, nullptr);
  EXPECT_EQ(zeros->size(), 64u << 10);
  EXPECT_TRUE(zeros->flags & kObjectTruncated);
}

TEST(ArchivesTest, ANestedBombEndsWithinTheLimits) {
  // Six levels of 16 zips each, the innermost holding 10 MiB of zeros: 10 TiB in about 40 KB.
  const std::string bomb = objects::archive::testing::nested_zip(std::string(10u << 20, '\0'), 6, 16);
  const Engine engine{Config{}};
  const auto start = std::chrono::steady_clock::now();
  const ScanResult r = scan(engine, message_with_attachment("ci-joint", "nested.zip", bomb));
  const long long elapsed = milliseconds_since(start);
  std::size_t members = 0;
  std::uint64_t extracted = 0;
  for (const Object& o : r.objects) {
    if (o.origin != ObjectOrigin::kArchiveMember) continue;
    ++members;
    extracted += o.size();
  }
  EXPECT_LE(members, Limits{}.max_extracted_objects);
  EXPECT_LE(extracted, Limits{}.max_extracted_bytes);
  EXPECT_NE(find(r.findings, "ARCHIVE_BOMB"), nullptr);
  EXPECT_FALSE(r.verdict.complete);
  std::printf("nested bomb (%zu bytes) scanned in %lld ms: %zu members, %llu bytes extracted\n", bomb.size(), elapsed,
              members, static_cast<unsigned long long>(extracted));
}

TEST(ArchivesTest, TooManyEntriesStopAtTheEntryLimit) {
  Config config;
  config.limits.max_archive_entries = 500;
  config.limits.max_extracted_objects = 100;
  const AnalyzerHarness harness("archives", config);
  const std::string zip = objects::archive::testing::repeated_zip("", 100000, "e");
  const auto run = harness.run(message_with_attachment("ci-joint", "many.zip", zip));
  EXPECT_TRUE(crossed(run.limits_reached, "max_archive_entries"));
  EXPECT_TRUE(crossed(run.limits_reached, "max_extracted_objects"));
  const Finding* found = find(run.findings, "ARCHIVE_BOMB");
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->confidence, 0.5);
  EXPECT_EQ(run.objects.size(), 3u + 100u);  // message, body, the zip, 100 members
}

TEST(ArchivesTest, MembersTooDeepAreListedNotExtracted) {
  Config config;
  config.limits.max_object_depth = 1;  // the zip is at depth 1: nothing below it
  const AnalyzerHarness harness("archives", config);
  const auto run = harness.run(message_with_attachment("ci-joint", "invoice.zip", write_archive("zip", kInvoice)));
  EXPECT_EQ(run.objects.size(), 3u);  // message, body, the zip
  EXPECT_TRUE(crossed(run.limits_reached, "max_object_depth"));
}

TEST(ArchivesTest, AMemberLargerThanItsCapIsCutAndKept) {
  Config config;
  config.limits.max_archive_member_bytes = 1000;
  const AnalyzerHarness harness("archives", config);
  std::string padded = "MZ" + std::string(5000, 'A');
  const auto run = harness.run(message_with_attachment("ci-joint", "big.zip", write_archive("zip", {TestFile{"setup.exe", padded}})));
  const Object* exe = child_named(run.objects, "setup.exe");
  ASSERT_NE(exe, nullptr);
  EXPECT_EQ(exe->size(), 1000u);
  EXPECT_TRUE(exe->flags & kObjectTruncated);
  EXPECT_TRUE(crossed(run.limits_reached, "max_archive_member_bytes"));
}

TEST(ArchivesTest, NamesThatLeaveTheExtractionFolder) {
  const AnalyzerHarness harness("archives");
  const auto run = harness.run(message_with_attachment(
      "ci-joint", "update.zip",
      write_archive("zip", {TestFile{"../../AppData/Roaming/Microsoft/Windows/Start Menu/Programs/Startup/update.bat", "@echo off"},
                            TestFile{"readme.txt", "x"}})));
  const Finding* found = find(run.findings, "ARCHIVE_PATH_TRAVERSAL");
  ASSERT_NE(found, nullptr);
  EXPECT_EQ(found->confidence, 1);
  ASSERT_EQ(found->evidence.size(), 1u);
  EXPECT_EQ(run.objects.at(found->evidence[0].object).origin, ObjectOrigin::kArchiveMember);

  const auto absolute = harness.run(message_with_attachment(
      "ci-joint", "etc.tar", write_archive("pax", {TestFile{"/etc/cron.d/job", "* * * * * root sh"}})));
  const Finding* abs = find(absolute.findings, "ARCHIVE_PATH_TRAVERSAL");
  ASSERT_NE(abs, nullptr);
  EXPECT_LT(abs->confidence, 1);

  const auto link = harness.run(message_with_attachment(
      "ci-joint", "link.tar",
      write_archive("pax", {TestFile{"notes", "", TestFile::Kind::kSymlink, "../../../home/user/.bashrc"}})));
  EXPECT_NE(find(link.findings, "ARCHIVE_PATH_TRAVERSAL"), nullptr);

  const auto clean = harness.run(message_with_attachment("ci-joint", "a.zip", write_archive("zip", {TestFile{"a..b/c..txt", "x"}})));
  EXPECT_EQ(find(clean.findings, "ARCHIVE_PATH_TRAVERSAL"), nullptr);
}

TEST(ArchivesTest, WinRarCve2023_38831Shape) {
  const AnalyzerHarness harness("archives");
  const auto run = harness.run(message_with_attachment(
      "ci-joint", "rapport.zip",
      write_archive("zip", {TestFile{"rapport.pdf ", "%PDF-1.4 decoy"},
                            TestFile{"rapport.pdf /", "", TestFile::Kind::kDirectory},
                            TestFile{"rapport.pdf /rapport.pdf .cmd", "@echo off\r\nstart evil.exe"}})));
  const Finding* found = find(run.findings, "ARCHIVE_WINRAR_CVE_2023_38831");
  ASSERT_NE(found, nullptr);
  ASSERT_EQ(found->evidence.size(), 2u);
  EXPECT_EQ(run.objects.at(found->evidence[1].object).filename, "rapport.pdf /rapport.pdf .cmd");

  // A folder named like a file, without the trailing space, is ordinary.
  const auto plain = harness.run(message_with_attachment(
      "ci-joint", "ok.zip",
      write_archive("zip", {TestFile{"rapport.pdf", "%PDF-1.4"}, TestFile{"rapport/annexe.pdf", "%PDF-1.4"}})));
  EXPECT_EQ(find(plain.findings, "ARCHIVE_WINRAR_CVE_2023_38831"), nullptr);
}

// APT28's HeadLace chain: a renamed program beside WindowsCodecs.dll, which it loads first.
TEST(ArchivesTest, AProgramBesideAWindowsLibraryNameIsSideLoading) {
  const AnalyzerHarness harness("archives");
  const auto run = harness.run(message_with_attachment(
      "ci-joint", "IMG-20240412.zip",
      write_archive("zip", {TestFile{"IMG-20240412.jpg.exe", "MZ program"}, TestFile{"WindowsCodecs.dll", "MZ library"},
                            TestFile{"run.bat", "@echo off"}})));
  const Finding* found = find(run.findings, "ARCHIVE_DLL_SIDE_LOADING");
  ASSERT_NE(found, nullptr);
  ASSERT_EQ(found->evidence.size(), 2u);
  EXPECT_EQ(run.objects.at(found->evidence[0].object).filename, "IMG-20240412.jpg.exe");
  EXPECT_EQ(run.objects.at(found->evidence[1].object).filename, "WindowsCodecs.dll");

  // An application with its own libraries, or a system library's name in another folder, is not.
  const auto app = harness.run(message_with_attachment(
      "ci-joint", "outil.zip",
      write_archive("zip", {TestFile{"outil/outil.exe", "MZ"}, TestFile{"outil/vcruntime140.dll", "MZ"},
                            TestFile{"outil/libs/version.dll", "MZ"}})));
  EXPECT_EQ(find(app.findings, "ARCHIVE_DLL_SIDE_LOADING"), nullptr);
}

// A Word document is a zip of parts: each part is a child named by its path, for the document
// analyzers; nothing about it is an archive finding.
TEST(ArchivesTest, AnOfficeDocumentIsExtractedByPart) {
  const std::string ole = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"s + std::string(504, '\0');
  const std::string png = "\x89PNG\r\n\x1A\n"s + std::string(64, '\x11');
  const std::string docm = write_archive(
      "zip",
      {TestFile{"[Content_Types].xml", "<?xml version=\"1.0\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"/>"},
       TestFile{"_rels/.rels", "<?xml version=\"1.0\"?><Relationships/>"},
       TestFile{"word/document.xml", "<?xml version=\"1.0\"?><w:document/>"},
       TestFile{"word/_rels/settings.xml.rels", "<?xml version=\"1.0\"?><Relationships/>"},
       TestFile{"word/vbaProject.bin", ole}, TestFile{"word/media/image1.png", png}});
  const Engine engine{Config{}};
  const ScanResult r = scan(engine, message_with_attachment("Le rapport.", "rapport.docm", docm,
                                                            "application/vnd.ms-word.document.macroEnabled.12"));
  for (std::string_view part : {"word/_rels/settings.xml.rels", "word/vbaProject.bin", "word/media/image1.png"}) {
    const Object* o = child_named(r.objects, part);
    ASSERT_NE(o, nullptr) << part;
    EXPECT_EQ(r.objects.at(o->parent).filename, "rapport.docm");
  }
  EXPECT_EQ(child_named(r.objects, "word/media/image1.png")->detected_type, "image/png");
  EXPECT_EQ(child_named(r.objects, "word/vbaProject.bin")->detected_type.rfind("application/", 0), 0u);
  EXPECT_TRUE(ids(r.findings, "ARCHIVE_").empty());
  EXPECT_TRUE(r.verdict.complete);
}

TEST(ArchivesTest, WhatIsNotAnArchiveIsLeftAlone) {
  const AnalyzerHarness harness("archives");
  EXPECT_EQ(harness.run(message_with_attachment("x", "r.pdf", "%PDF-1.4 hello")).objects.size(), 3u);
  // Named like an archive, but nothing libarchive can read: said, not silent.
  const auto broken = harness.run(message_with_attachment("x", "broken.zip", "\x01\x02\x03\x04\xF0\xF1\xF2\xF3 no archive"s));
  EXPECT_EQ(broken.objects.size(), 3u);
  EXPECT_TRUE(crossed(broken.limits_reached, "unreadable_archive"));
  EXPECT_TRUE(broken.objects.at(2).flags & kObjectNotExamined);
}

// 7-Zip's own encryption, of the data or of the names too: libarchive decrypts neither, so the
// archive is reported, and a password in the body is said to be there without being verified.
TEST(ArchivesTest, SevenZipEncryptionIsReportedAsUndecryptable) {
  if (!have("7z")) GTEST_SKIP() << "7z not installed (scripts/install-deps.sh installs p7zip-full with the test packages)";
  const Engine engine{Config{}};
  for (const char* options : {"", "-mhe=on"}) {
    const std::string archive = built_by_tool({TestFile{"facture.pdf.js", "WScript.Echo 1"}},
                                              "7z a -t7z -p2025 " + std::string(options) + " {out} {in}");
    const ScanResult r = scan(engine, message_with_attachment("mot de passe : 2025", "facture.7z", archive));
    const Finding* encrypted = find(r.findings, "ARCHIVE_ENCRYPTED");
    ASSERT_NE(encrypted, nullptr) << options;
    EXPECT_TRUE(std::any_of(encrypted->evidence.begin(), encrypted->evidence.end(),
                            [](const Evidence& e) { return e.field == "why"; }));
    const Finding* given = find(r.findings, "ARCHIVE_PASSWORD_IN_MESSAGE");
    ASSERT_NE(given, nullptr) << options;
    EXPECT_LT(given->confidence, 1);
    EXPECT_FALSE(r.verdict.complete);
    // Names in clear (without -mhe) are still judged.
    EXPECT_EQ(find(r.findings, "ATTACHMENT_DOUBLE_EXTENSION") != nullptr, std::string(options).empty()) << options;
  }
}

TEST(ArchivesTest, InfoZipTraditionalEncryptionOpensWithTheBodysPassword) {
  if (!have("zip")) GTEST_SKIP() << "zip not installed";
  const std::string archive = built_by_tool({TestFile{"facture.pdf.js", "WScript.Echo 1"}}, "zip -q -P 2025 {out} facture.pdf.js");
  const Engine engine{Config{}};
  const ScanResult r = scan(engine, message_with_attachment("Le mdp : 2025", "facture.zip", archive));
  ASSERT_NE(find(r.findings, "ARCHIVE_PASSWORD_IN_MESSAGE"), nullptr);
  const Object* js = child_named(r.objects, "facture.pdf.js");
  ASSERT_NE(js, nullptr);
  EXPECT_EQ(js->bytes(), "WScript.Echo 1");
}

// A disk image with a shortcut (APT28's and APT29's way past Mark-of-the-Web), built by Debian's
// xorriso as an attacker would.
TEST(ArchivesTest, AnIsoWithAShortcutBuiltByXorriso) {
  if (!have("xorriso")) {
    GTEST_SKIP() << "xorriso not installed (scripts/install-deps.sh installs it with the test packages)";
  }
  const std::string iso = built_by_tool({TestFile{"Document.pdf.lnk", lnk_file()}, TestFile{"notes.txt", "rien"}},
                                        "xorriso -as mkisofs -quiet -J -R -o {out} {in}");
  const Engine engine{Config{}};
  const ScanResult r = scan(engine, message_with_attachment("Voir l'image.", "Document.iso", iso));
  const Object* lnk = child_named(r.objects, "Document.pdf.lnk");
  ASSERT_NE(lnk, nullptr);
  EXPECT_EQ(lnk->detected_type, "application/x-ms-shortcut");
  EXPECT_EQ(r.objects.at(lnk->parent).detected_type, "application/x-iso9660-image");
  const Finding* dangerous = nullptr;
  for (const Finding& f : r.findings) {
    if (f.id == "ATTACHMENT_DANGEROUS_TYPE" && f.evidence.at(0).object == lnk->id) dangerous = &f;
  }
  EXPECT_NE(dangerous, nullptr);
}

}  // namespace
}  // namespace vigie::analyzers
