// archives: ARCHIVE_HIDDEN_MEMBER on zips and ISO images whose payload is hidden beside a visible
// lure, marked as Windows tools mark them (no Debian writer sets the attributes); what Windows
// writes hidden itself stays quiet; UDF-only images and cabinets (built at test time by Debian's
// mkudffs and gcab when installed) are said, or read.
#include <gtest/gtest.h>

#include <algorithm>

#include "analyzers/analyzer_harness.h"
#include "objects/archive/test_archives.h"
#include "objects/archive/zip_directory.h"
#include "vigie/engine.h"

namespace vigie::analyzers {
namespace {

using namespace std::string_literals;
using objects::archive::kAttributeHidden;
using objects::archive::kAttributeSystem;
using objects::archive::testing::built_by_tool;
using objects::archive::testing::have;
using objects::archive::testing::message_with_attachment;
using objects::archive::testing::set_dos_attributes;
using objects::archive::testing::set_iso_hidden;
using objects::archive::testing::TestFile;
using objects::archive::testing::write_archive;

std::string lnk_file() { return "L\0\0\0\x01\x14\x02\0\0\0\0\0\xC0\0\0\0\0\0\0\x46"s + std::string(200, '\x01'); }
std::string dll_file() { return "MZ\x90\0"s + std::string(300, '\0'); }

const std::vector<TestFile> kLure{TestFile{"Convocation.pdf.lnk", lnk_file()}, TestFile{"bin/version.dll", dll_file()},
                                  TestFile{"Convocation.pdf", "%PDF-1.4 leurre"}};

const Object* child_named(const ObjectTree& tree, std::string_view name) {
  for (const Object& o : tree) {
    if (o.origin == ObjectOrigin::kArchiveMember && o.filename == name) return &o;
  }
  return nullptr;
}

std::vector<std::string> values(const Finding& f, std::string_view field) {
  std::vector<std::string> out;
  for (const Evidence& e : f.evidence) {
    if (e.field == field) out.push_back(e.value);
  }
  return out;
}

ScanResult scan(const std::string& raw) {
  static const Engine engine{Config{}};
  return engine.scan(std::make_shared<const std::string>(raw), Envelope{});
}

TEST(ArchiveHiddenMembersTest, AHiddenDllAndDecoyBesideAVisibleShortcutIsTheAttack) {
  std::string zip = write_archive("zip", kLure);
  set_dos_attributes(zip, "bin/version.dll", kAttributeHidden);
  set_dos_attributes(zip, "Convocation.pdf", kAttributeHidden | kAttributeSystem);
  const AnalyzerHarness harness("archives");
  const auto run = harness.run(message_with_attachment("Voir la convocation.", "Convocation.zip", zip));
  const Finding* f = AnalyzerHarness::find(run.findings, "ARCHIVE_HIDDEN_MEMBER");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(f->confidence, 1);
  EXPECT_EQ(values(*f, "member"), (std::vector<std::string>{"\"bin/version.dll\": hidden, Windows library (DLL)",
                                                             "\"Convocation.pdf\": hidden and system"}));
  EXPECT_EQ(values(*f, "lure"),
            std::vector<std::string>{"\"Convocation.pdf.lnk\": Windows shortcut, left in sight"});
  // Each piece of evidence points at the member's own object.
  const Object* dll = child_named(run.objects, "bin/version.dll");
  ASSERT_NE(dll, nullptr);
  EXPECT_EQ(f->evidence.at(0).object, dll->id);
  EXPECT_EQ(f->evidence.back().object, child_named(run.objects, "Convocation.pdf.lnk")->id);

  // With every analyzer, the lure and its hidden payload reach quarantine; the same zip with
  // nothing hidden stays at the shortcut's warning.
  const ScanResult hidden = scan(message_with_attachment("Voir la convocation.", "Convocation.zip", zip));
  EXPECT_EQ(hidden.verdict.action, Action::kQuarantine) << hidden.verdict.score;
  const ScanResult plain = scan(message_with_attachment("Voir la convocation.", "Convocation.zip", write_archive("zip", kLure)));
  EXPECT_LT(plain.verdict.action, Action::kQuarantine) << plain.verdict.score;
  EXPECT_EQ(AnalyzerHarness::find(plain.findings, "ARCHIVE_HIDDEN_MEMBER"), nullptr);
}

// Every other format whose attributes are read: ISO 9660 (its records' hidden flag), RAR 4 (its
// file headers), cabinet (its file entries) and RAR 5 (through libarchive).
TEST(ArchiveHiddenMembersTest, AHiddenDllBesideAShortcutInAnIsoARarOrACabinet) {
  std::string iso = write_archive("iso9660", kLure);
  set_iso_hidden(iso, "version.dll");
  // RAR 4 keeps DOS separators (libarchive turns them into slashes), RAR 5 stores slashes.
  const std::vector<objects::archive::testing::AttributedMember> rar4_lure{
      {"Convocation.pdf.lnk", lnk_file(), 0x20}, {"bin\\version.dll", dll_file(), 0x20 | kAttributeHidden}};
  const std::vector<objects::archive::testing::AttributedMember> rar5_lure{
      {"Convocation.pdf.lnk", lnk_file(), 0x20}, {"bin/version.dll", dll_file(), 0x20 | kAttributeHidden}};
  const AnalyzerHarness harness("archives");
  for (const auto& [filename, archive] : {std::pair{"Convocation.iso", iso},
                                          std::pair{"Convocation.rar", objects::archive::testing::rar_archive(4, rar4_lure)},
                                          std::pair{"Convocation5.rar", objects::archive::testing::rar_archive(5, rar5_lure)},
                                          std::pair{"Convocation.cab", objects::archive::testing::cab_archive(rar4_lure)}}) {
    const auto run = harness.run(message_with_attachment("Voir la pièce jointe.", filename, archive));
    const Finding* f = AnalyzerHarness::find(run.findings, "ARCHIVE_HIDDEN_MEMBER");
    ASSERT_NE(f, nullptr) << filename;
    EXPECT_EQ(f->confidence, 1) << filename;
    EXPECT_EQ(values(*f, "member"), std::vector<std::string>{"\"bin/version.dll\": hidden, Windows library (DLL)"})
        << filename;
  }
}

TEST(ArchiveHiddenMembersTest, FilesInAHiddenFolderAreHidden) {
  std::vector<TestFile> files = kLure;
  files.insert(files.begin() + 1, TestFile{"bin", "", TestFile::Kind::kDirectory});
  std::string zip = write_archive("zip", files);
  set_dos_attributes(zip, "bin/", kAttributeHidden | 0x10);
  const AnalyzerHarness harness("archives");
  const auto run = harness.run(message_with_attachment("x", "Convocation.zip", zip));
  const Finding* f = AnalyzerHarness::find(run.findings, "ARCHIVE_HIDDEN_MEMBER");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(values(*f, "member"),
            std::vector<std::string>{"\"bin/version.dll\": in the hidden folder \"bin/\", Windows library (DLL)"});
}

TEST(ArchiveHiddenMembersTest, WhatWindowsHidesItselfStaysQuiet) {
  std::string zip = write_archive("zip", {TestFile{"photos/Thumbs.db", "x"}, TestFile{"photos/desktop.ini", "[.ShellClassInfo]"},
                                          TestFile{"photos/plage.jpg", "\xFF\xD8\xFF photo"}});
  set_dos_attributes(zip, "photos/Thumbs.db", kAttributeHidden | kAttributeSystem);
  set_dos_attributes(zip, "photos/desktop.ini", kAttributeHidden | kAttributeSystem);
  const AnalyzerHarness harness("archives");
  const auto run = harness.run(message_with_attachment("Les photos.", "photos.zip", zip));
  EXPECT_EQ(AnalyzerHarness::find(run.findings, "ARCHIVE_HIDDEN_MEMBER"), nullptr);
  const Object& archive = run.objects.at(2);
  EXPECT_TRUE(std::any_of(archive.notes.begin(), archive.notes.end(), [](const std::string& n) {
    return n == "hidden files Windows writes itself: photos/Thumbs.db, photos/desktop.ini";
  }));
}

TEST(ArchiveHiddenMembersTest, HiddenFilesAloneWeighLess) {
  std::string zip = write_archive("zip", {TestFile{"rapport.pdf", "%PDF-1.4"}, TestFile{"notes.txt", "x"},
                                          TestFile{"outil.dll", dll_file()}});
  set_dos_attributes(zip, "notes.txt", kAttributeHidden);
  const AnalyzerHarness harness("archives");
  const auto alone_run = harness.run(message_with_attachment("x", "r.zip", zip));
  const Finding* alone = AnalyzerHarness::find(alone_run.findings, "ARCHIVE_HIDDEN_MEMBER");
  ASSERT_NE(alone, nullptr);
  EXPECT_DOUBLE_EQ(alone->confidence, 0.25);
  // A hidden program with documents in sight: more, not all (a library is no lure: opening it runs nothing).
  set_dos_attributes(zip, "outil.dll", kAttributeHidden);
  const auto run = harness.run(message_with_attachment("x", "r.zip", zip));
  const Finding* program = AnalyzerHarness::find(run.findings, "ARCHIVE_HIDDEN_MEMBER");
  ASSERT_NE(program, nullptr);
  EXPECT_DOUBLE_EQ(program->confidence, 0.6);
  EXPECT_TRUE(values(*program, "lure").empty());
}

TEST(ArchiveHiddenMembersTest, ManyHiddenMembersAreCounted) {
  std::vector<TestFile> files{TestFile{"ouvrir.lnk", lnk_file()}};
  for (int i = 0; i < 11; ++i) files.push_back(TestFile{"part" + std::to_string(i) + ".bin", "x"});
  std::string zip = write_archive("zip", files);
  for (int i = 0; i < 11; ++i) set_dos_attributes(zip, "part" + std::to_string(i) + ".bin", kAttributeHidden);
  const AnalyzerHarness harness("archives");
  const auto run = harness.run(message_with_attachment("x", "r.zip", zip));
  const Finding* f = AnalyzerHarness::find(run.findings, "ARCHIVE_HIDDEN_MEMBER");
  ASSERT_NE(f, nullptr);
  EXPECT_EQ(values(*f, "member").size(), 8u);
  EXPECT_EQ(values(*f, "more"), std::vector<std::string>{"3 more hidden member(s)"});
}

// libarchive 3.6 reads no UDF: an image with only that file system is said to be unread, by name.
TEST(ArchiveHiddenMembersTest, AUdfOnlyImageIsSaidNotRead) {
  if (!have("mkudffs")) GTEST_SKIP() << "mkudffs not installed (scripts/install-deps.sh installs udftools with the test packages)";
  const std::string udf = built_by_tool({}, "mkudffs --media-type=hd --blocksize=2048 {out} 300");
  const ScanResult r = scan(message_with_attachment("Voir l'image.", "Convocation.img", udf));
  EXPECT_EQ(r.objects.at(2).detected_type, "application/x-udf-image");
  const auto udf_limit = std::find_if(r.limits_reached.begin(), r.limits_reached.end(),
                                      [](const LimitCrossing& c) { return c.limit == "unreadable_archive"; });
  ASSERT_NE(udf_limit, r.limits_reached.end());
  EXPECT_NE(udf_limit->not_examined.find("UDF file system not read"), std::string::npos);
  EXPECT_FALSE(r.verdict.complete);
  EXPECT_NE(AnalyzerHarness::find(r.findings, "ATTACHMENT_DANGEROUS_TYPE"), nullptr);
}

// Cabinets had no test: gcab (Debian) writes one, and its members become children.
TEST(ArchiveHiddenMembersTest, ACabinetBuiltByGcabIsRead) {
  if (!have("gcab")) GTEST_SKIP() << "gcab not installed (scripts/install-deps.sh installs it with the test packages)";
  const std::string cab = built_by_tool({TestFile{"Convocation.pdf.lnk", lnk_file()}, TestFile{"lisez-moi.txt", "bonjour"}},
                                        "gcab -c -z {out} Convocation.pdf.lnk lisez-moi.txt");
  const AnalyzerHarness harness("archives");
  const auto run = harness.run(message_with_attachment("x", "Convocation.cab", cab));
  const Object* lnk = child_named(run.objects, "Convocation.pdf.lnk");
  ASSERT_NE(lnk, nullptr);
  EXPECT_EQ(lnk->bytes(), lnk_file());
  EXPECT_EQ(run.objects.at(lnk->parent).detected_type, "application/vnd.ms-cab-compressed");
  ASSERT_NE(child_named(run.objects, "lisez-moi.txt"), nullptr);
  EXPECT_TRUE(run.limits_reached.empty());
}

}  // namespace
}  // namespace vigie::analyzers
