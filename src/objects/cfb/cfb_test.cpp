// The compound file reader on files built by tests/data/office/make_office_samples.py: streams in
// regular sectors and in the mini stream, storage paths, and the hostile shapes (loops, a bad
// sector shift, a stream larger than the file, a truncated file, too many entries).
#include "objects/cfb/cfb.h"

#include <gtest/gtest.h>

#include "analyzers/office_test_support.h"

namespace vigie::objects::cfb {
namespace {

using office_test::data_file;

TEST(CfbTest, ReadsRegularAndMiniStreams) {
  const std::string bytes = data_file("big_stream.cfb");
  auto file = CompoundFile::open(bytes);
  ASSERT_TRUE(file) << file.error().message;
  const Entry* big = file->find("Big");
  const Entry* small = file->find("SMALL");  // names compare case-insensitively
  ASSERT_NE(big, nullptr);
  ASSERT_NE(small, nullptr);
  std::string expected;
  for (int i = 0; i < 40; ++i) {
    for (int c = 0; c < 256; ++c) expected.push_back(static_cast<char>(c));
  }
  auto content = file->read(*big, 1 << 20);
  ASSERT_TRUE(content) << content.error().message;
  EXPECT_EQ(*content, expected);
  EXPECT_EQ(*file->read(*small, 1 << 20), "hello");
  EXPECT_EQ(*file->read(*big, 100), expected.substr(0, 100));  // the caller's budget holds
  EXPECT_FALSE(file->directory_truncated());
}

TEST(CfbTest, GivesStoragePaths) {
  const std::string bytes = data_file("vba_autoopen.doc");
  auto file = CompoundFile::open(bytes);
  ASSERT_TRUE(file) << file.error().message;
  const Entry* dir = file->find("Macros/VBA/dir");
  ASSERT_NE(dir, nullptr);
  EXPECT_EQ(dir->type, EntryType::kStream);
  const Entry* vba = file->find("macros/vba");
  ASSERT_NE(vba, nullptr);
  EXPECT_EQ(vba->type, EntryType::kStorage);
  EXPECT_EQ(dir->parent, vba->index);
  std::vector<std::string> names;
  for (const Entry* e : file->children(*vba)) names.push_back(e->name);
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"Module1", "ThisDocument", "_VBA_PROJECT", "dir"}));
}

TEST(CfbTest, AStreamChainThatLoopsIsAnError) {
  const std::string bytes = data_file("loop.cfb");
  auto file = CompoundFile::open(bytes);
  ASSERT_TRUE(file) << file.error().message;  // the directory is fine; the stream is not
  auto content = file->read(*file->find("Big"), 1 << 20);
  ASSERT_FALSE(content);
  EXPECT_NE(content.error().message.find("loops"), std::string::npos) << content.error().message;
}

TEST(CfbTest, ADirectoryChainThatLoopsIsAnError) {
  auto file = CompoundFile::open(data_file("directory_loop.cfb"));
  ASSERT_FALSE(file);
  EXPECT_NE(file.error().message.find("loops"), std::string::npos) << file.error().message;
}

TEST(CfbTest, OnlyTheTwoSectorSizesAreRead) {
  auto file = CompoundFile::open(data_file("bad_shift.cfb"));
  ASSERT_FALSE(file);
  EXPECT_EQ(file.error().message, "compound file: sector shift 20 (9 or 12 expected)");
}

TEST(CfbTest, AStreamLargerThanTheFileIsRefused) {
  std::string bytes = data_file("big_stream.cfb");
  // The directory entry of "Big": its UTF-16 name, then its size at offset 120.
  const std::size_t entry = bytes.find(std::string("B\0i\0g\0\0\0", 8));
  ASSERT_NE(entry, std::string::npos);
  for (int i = 0; i < 4; ++i) bytes[entry + 120 + i] = '\x7F';
  auto file = CompoundFile::open(bytes);
  ASSERT_TRUE(file);
  auto content = file->read(*file->find("Big"), ~std::uint64_t{0});
  ASSERT_FALSE(content);
  EXPECT_EQ(content.error().message, "compound file: 'Big' is larger than the file");
}

TEST(CfbTest, TruncatedAndGarbageFilesAreErrorsNotCrashes) {
  const std::string bytes = data_file("vba_autoopen.doc");
  for (std::size_t cut : {0u, 8u, 511u, 512u, 700u, 1024u, 1600u, 3000u}) {
    auto file = CompoundFile::open(std::string_view(bytes).substr(0, cut));
    if (!file) continue;
    for (const Entry& e : file->entries()) (void)file->read(e, 1 << 20);
  }
  std::string garbage(4096, '\xFF');
  garbage.replace(0, kSignature.size(), kSignature);
  EXPECT_FALSE(CompoundFile::open(garbage));
}

TEST(CfbTest, TheDirectoryIsReadUpToItsLimit) {
  auto file = CompoundFile::open(data_file("vba_autoopen.doc"), Limits{3});
  ASSERT_TRUE(file);
  EXPECT_TRUE(file->directory_truncated());
  EXPECT_EQ(file->entries().size(), 3u);
}

TEST(CfbTest, Utf16NamesBecomeUtf8) {
  EXPECT_EQ(utf16le_to_utf8(std::string("\x01\0O\0l\0e\0", 8)), "\x01Ole");
  EXPECT_EQ(utf16le_to_utf8(std::string("\xE9\0\x3D\xD8\x00\xDE\0\0x\0", 10)), "é\xF0\x9F\x98\x80");
  EXPECT_EQ(utf16le_to_utf8(std::string("\x00\xD8", 2)), "\xEF\xBF\xBD");  // a lone surrogate
}

}  // namespace
}  // namespace vigie::objects::cfb
