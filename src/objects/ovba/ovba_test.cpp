// MS-OVBA: the specification's compression examples (3.2), the decompressor's bounds, the dir
// stream's records, and VBA projects read out of the sample documents.
#include "objects/ovba/ovba.h"

#include <gtest/gtest.h>

#include "analyzers/office_test_support.h"

namespace vigie::objects::ovba {
namespace {

std::string hex(std::string_view h) {
  std::string out;
  for (std::size_t i = 0; i + 1 < h.size(); i += 2) out.push_back(static_cast<char>(std::stoi(std::string(h.substr(i, 2)), nullptr, 16)));
  return out;
}

TEST(OvbaTest, SpecificationExamples) {
  // 3.2.1 no compression, 3.2.2 normal compression, 3.2.3 maximum compression.
  EXPECT_EQ(decompress(hex("0119B000616263646566676800696A6B6C6D6E6F70007172737475762E"), 4096).bytes,
            "abcdefghijklmnopqrstuv.");
  const Decompressed normal = decompress(
      hex("012FB000236161616263646582660070616768696A013808616B6C00306D6E6F700671027004107273747576107778797A003C"),
      4096);
  EXPECT_EQ(normal.bytes, "#aaabcdefaaaaghijaaaaaklaaamnopqaaaaaaaaaaaarstuvwxyzaaa");
  EXPECT_TRUE(normal.error.empty()) << normal.error;
  EXPECT_EQ(decompress(hex("0103B002614500"), 4096).bytes, std::string(73, 'a'));
}

TEST(OvbaTest, OutputIsBounded) {
  // Maximum compression: 7 bytes that would give 73; a budget of 10 stops there.
  const Decompressed d = decompress(hex("0103B002614500"), 10);
  EXPECT_EQ(d.bytes, std::string(10, 'a'));
  EXPECT_TRUE(d.cut);
  const Decompressed none = decompress(hex("0103B002614500"), 0);
  EXPECT_EQ(none.bytes, "");
  EXPECT_TRUE(none.cut);
}

TEST(OvbaTest, MalformedContainersStopWithAReason) {
  EXPECT_EQ(decompress("", 100).error, "no compressed container signature");
  EXPECT_EQ(decompress(hex("02"), 100).error, "no compressed container signature");
  // A copy token as the chunk's first token reaches before the chunk.
  EXPECT_EQ(decompress(hex("0103B0010070"), 100).error, "copy token reaches before its chunk at byte 4");
  EXPECT_EQ(decompress(hex("0103"), 100).error, "chunk header cut off");
  const Decompressed bad_signature = decompress(hex("010300"), 100);
  EXPECT_EQ(bad_signature.error, "bad chunk signature at byte 1");
}

std::string record(std::uint16_t id, std::string_view data) {
  std::string r{static_cast<char>(id & 0xFF), static_cast<char>(id >> 8)};
  const auto n = static_cast<std::uint32_t>(data.size());
  for (int i = 0; i < 4; ++i) r.push_back(static_cast<char>((n >> (8 * i)) & 0xFF));
  return r + std::string(data);
}

TEST(OvbaTest, DirRecordsGiveModulesInTheCodePage) {
  std::string dir = record(0x0003, std::string("\xE3\x04", 2));  // code page 1251
  dir += std::string("\x09\x00\x04\x00\x00\x00", 6) + std::string(6, '\0');  // PROJECTVERSION: 6 bytes
  dir += record(0x000F, std::string("\x02\x00", 2));
  dir += record(0x0019, "\xCC\xEE\xE4\xF3\xEB\xFC");  // "Модуль" in windows-1251
  dir += record(0x001A, "Stream1") + record(0x0031, std::string("\x10\x02\x00\x00", 4)) + record(0x0021, "");
  dir += record(0x002B, "");
  dir += record(0x0019, "Doc") + record(0x0047, std::string("D\0o\0c\0\xE9\0", 8)) + record(0x001A, "Doc");
  dir += record(0x0022, "") + record(0x002B, "") + record(0x0010, "");
  const DirInfo info = parse_dir(dir, 10);
  EXPECT_TRUE(info.error.empty()) << info.error;
  EXPECT_EQ(info.code_page, 1251);
  ASSERT_EQ(info.modules.size(), 2u);
  EXPECT_EQ(info.modules[0].name, "Модуль");
  EXPECT_EQ(info.modules[0].stream_name, "Stream1");
  EXPECT_EQ(info.modules[0].text_offset, 0x210u);
  EXPECT_FALSE(info.modules[0].document_module);
  EXPECT_EQ(info.modules[1].name, "Docé");  // the Unicode record wins
  EXPECT_TRUE(info.modules[1].document_module);

  const DirInfo bounded = parse_dir(dir, 1);
  EXPECT_EQ(bounded.modules.size(), 1u);
  EXPECT_TRUE(bounded.modules_cut);

  const DirInfo cut = parse_dir(dir.substr(0, 37), 10);
  EXPECT_FALSE(cut.error.empty());
}

TEST(OvbaTest, ReadsTheProjectOfADocument) {
  const std::string bytes = office_test::data_file("vba_autoopen.doc");
  auto file = cfb::CompoundFile::open(bytes);
  ASSERT_TRUE(file);
  const auto storages = find_vba_storages(*file);
  ASSERT_EQ(storages.size(), 1u);
  const Project project = read_project(*file, *storages[0], {});
  EXPECT_EQ(project.storage_path, "Macros");
  EXPECT_TRUE(project.error.empty());
  ASSERT_EQ(project.modules.size(), 2u);
  const Module& module = project.modules[1];
  EXPECT_EQ(module.record.name, "Module1");
  EXPECT_TRUE(module.error.empty()) << module.error;
  EXPECT_NE(module.source.find("Sub AutoOpen()\r\n"), std::string::npos);
  EXPECT_NE(module.compiled.find("http://update-check.example.net/upd.exe"), std::string::npos);
  EXPECT_NE(project.vba_project.find("URLDownloadToFile"), std::string::npos);
}

TEST(OvbaTest, AModuleWithoutSourceSaysSo) {
  const std::string bytes = office_test::data_file("vba_source_removed.doc");
  auto file = cfb::CompoundFile::open(bytes);
  ASSERT_TRUE(file);
  const Project project = read_project(*file, *find_vba_storages(*file).at(0), {});
  ASSERT_EQ(project.modules.size(), 2u);
  EXPECT_TRUE(project.modules[1].source.empty());
  EXPECT_EQ(project.modules[1].error, "the source offset lies beyond the module stream: no source");
}

TEST(OvbaTest, SourceIsConvertedFromTheProjectCodePage) {
  const std::string bytes = office_test::data_file("vba_benign.doc");
  auto file = cfb::CompoundFile::open(bytes);
  ASSERT_TRUE(file);
  const Project project = read_project(*file, *find_vba_storages(*file).at(0), {});
  ASSERT_EQ(project.modules.size(), 2u);
  EXPECT_EQ(project.dir.code_page, 1252);
  EXPECT_NE(project.modules[1].source.find("hors taxes majoré de 20 %"), std::string::npos);  // 0xE9 in cp1252
}

TEST(OvbaTest, CodePageNames) {
  EXPECT_EQ(code_page_charset(1252), "windows-1252");
  EXPECT_EQ(code_page_charset(65001), "UTF-8");
  EXPECT_EQ(code_page_charset(932), "cp932");
}

}  // namespace
}  // namespace vigie::objects::ovba
