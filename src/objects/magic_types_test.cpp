// libmagic behind MagicTypes, and detect_type's order: our signatures first, then libmagic.
#include "objects/magic_types.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <thread>

#include "objects/content_type.h"

namespace vigie::objects {
namespace {

using namespace std::string_literals;

// A minimal PE: MZ header whose e_lfanew (0x3C) points at "PE\0\0" and a COFF header.
std::string pe_file() {
  std::string pe(0x200, '\0');
  pe.replace(0, 2, "MZ");
  pe[0x3C] = '\x80';
  pe.replace(0x80, 4, "PE\0\0"s);
  pe.replace(0x84, 2, "\x4C\x01"s);  // i386
  return pe;
}

std::string elf_file() {
  std::string elf(64, '\0');
  elf.replace(0, 7, "\x7F" "ELF\x02\x01\x01"s);
  elf[16] = 2;     // ET_EXEC
  elf[18] = 0x3E;  // x86-64
  elf[20] = 1;     // EV_CURRENT
  return elf;
}

TEST(MagicTypesTest, DefaultDatabaseNamesCommonFormats) {
  const MagicTypes& magic = thread_magic();
  ASSERT_TRUE(magic.loaded()) << magic.error();
  EXPECT_TRUE(magic.error().empty());
  EXPECT_EQ(magic.mime_type("%PDF-1.4\n1 0 obj\n<<>>\nendobj\n"), "application/pdf");
  EXPECT_EQ(magic.mime_type("hello world, this is plain text\n"), "text/plain");
  EXPECT_EQ(magic.mime_type("PK\x03\x04\x14\0\0\0\0\0"s + std::string(40, '\0')), "application/zip");
  const std::string elf = magic.mime_type(elf_file());
  EXPECT_TRUE(elf.find("executable") != std::string::npos) << elf;
}

TEST(MagicTypesTest, EmptyAndGenericAnswersAreNoType) {
  const MagicTypes& magic = thread_magic();
  EXPECT_EQ(magic.mime_type(""), "");
  EXPECT_EQ(magic.mime_type("\x01\x02\x03\x04\xFE\xFD\x00\x80"s), "");  // octet-stream
}

TEST(MagicTypesTest, OnlyTheFirstMebibyteIsRead) {
  const MagicTypes& magic = thread_magic();
  // 3 MiB of text: libmagic sees the first MiB (still text) and answers at once.
  EXPECT_EQ(magic.mime_type(std::string(3 * MagicTypes::kMaxBytes, 'a') + "\n"), "text/plain");
  // A signature beyond the bound is not seen: a PDF header after 1 MiB of zeros.
  std::string late(MagicTypes::kMaxBytes, '\0');
  late += "%PDF-1.4\n";
  EXPECT_NE(magic.mime_type(late), "application/pdf");
}

TEST(MagicTypesTest, AMissingDatabaseIsReportedNotFatal) {
  const MagicTypes magic("/nonexistent/vigie-test.mgc");
  EXPECT_FALSE(magic.loaded());
  EXPECT_FALSE(magic.error().empty());
  EXPECT_EQ(magic.mime_type("%PDF-1.4\n"), "");
  EXPECT_TRUE(check_magic_database());  // the default one loads here
}

// A thread whose default database cannot be loaded ($MAGIC names a missing file when its handle
// opens): detection keeps our signatures, and nothing fails.
TEST(DetectTypeTest, WithoutTheDatabaseOurSignaturesAlone) {
  bool loaded = true;
  bool checked = true;
  std::string pe;
  std::string text = "?";
  std::thread([&] {
    ::setenv("MAGIC", "/nonexistent/vigie-test.mgc", 1);
    loaded = thread_magic().loaded();
    ::unsetenv("MAGIC");
    checked = check_magic_database();
    pe = detect_type(pe_file());
    text = detect_type("plain words in a file\n");
  }).join();
  EXPECT_FALSE(loaded);
  EXPECT_FALSE(checked);
  EXPECT_EQ(pe, "application/x-dosexec");
  EXPECT_EQ(text, "");
}

TEST(MagicTypesTest, ThreadsHaveTheirOwnHandle) {
  const MagicTypes* here = &thread_magic();
  const MagicTypes* there = nullptr;
  std::thread([&there] { there = &thread_magic(); }).join();
  EXPECT_NE(here, there);
}

TEST(DetectTypeTest, OurSignaturesFirstThenLibmagic) {
  EXPECT_EQ(detect_type(pe_file()), "application/x-dosexec");
  EXPECT_EQ(detect_type(elf_file()), "application/x-executable");
  EXPECT_EQ(detect_type("%PDF-1.7\n"), "application/pdf");
  EXPECT_EQ(detect_type("plain words in a file\n"), "text/plain");
  EXPECT_EQ(detect_type(""), "");
  EXPECT_EQ(signature_type("plain words in a file\n"), "");
  // A zip that libmagic cannot name more precisely stays a zip.
  EXPECT_EQ(detect_type("PK\x03\x04\x14\0\0\0\0\0"s + std::string(40, '\0')), "application/zip");
}

}  // namespace
}  // namespace vigie::objects
