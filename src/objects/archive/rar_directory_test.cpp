// The RAR 4 header walk on archives written by the test (no free tool writes RAR): attributes of
// Windows hosts only, a self-extractor's program before the marker, the bounds, lying sizes.
#include "objects/archive/rar_directory.h"

#include <gtest/gtest.h>

#include "objects/archive/test_archives.h"
#include "objects/archive/zip_directory.h"

namespace vigie::objects::archive {
namespace {

using testing::rar_archive;

const std::vector<testing::AttributedMember>& kLure = testing::hidden_payload_lure();
// The marker (7 bytes) and the archive header (13): the first file header's host byte follows at 15.
constexpr std::size_t kFirstHost = 7 + 13 + 15;

TEST(RarDirectory, ReadsTheAttributesOfWindowsHosts) {
  const RarDirectory directory = read_rar4_directory(rar_archive(4, kLure), 100);
  EXPECT_TRUE(directory.error.empty()) << directory.error;
  ASSERT_EQ(directory.files.size(), 3u);
  EXPECT_EQ(directory.files[1].raw_name, "files\\update.dll");
  EXPECT_EQ(directory.files[1].host, 2);
  EXPECT_EQ(directory.files[0].windows_attributes(), 0x20u);
  EXPECT_EQ(directory.files[1].windows_attributes(), 0x20 | kAttributeHidden);
  EXPECT_EQ(directory.files[2].windows_attributes(), 0x20 | kAttributeHidden | kAttributeSystem);
  // A Unix host's attribute word is a mode.
  std::string unix_rar = rar_archive(4, kLure);
  unix_rar[kFirstHost] = 3;
  EXPECT_EQ(read_rar4_directory(unix_rar, 100).files[0].windows_attributes(), 0u);
}

TEST(RarDirectory, FindsTheMarkerAfterASelfExtractor) {
  const std::string sfx = "MZ" + std::string(70000, '\0') + rar_archive(4, kLure);
  EXPECT_EQ(read_rar4_directory(sfx, 100).files.size(), 3u);
  EXPECT_EQ(read_rar4_directory("MZ no archive", 100).error, "no RAR 4 marker");
}

TEST(RarDirectory, StopsAtTheBoundsAndOnLyingSizes) {
  const RarDirectory two = read_rar4_directory(rar_archive(4, kLure), 2);
  EXPECT_EQ(two.files.size(), 2u);
  EXPECT_TRUE(two.more_entries);
  // The first file's packed size past the end of the archive.
  std::string lying = rar_archive(4, kLure);
  lying.replace(7 + 13 + 7, 4, "\xFF\xFF\xFF\x7F");
  const RarDirectory lied = read_rar4_directory(lying, 100);
  EXPECT_EQ(lied.files.size(), 1u);
  EXPECT_EQ(lied.error, "block data runs past the end of the archive");
  // Cut in the middle of a header.
  const std::string whole = rar_archive(4, kLure);
  EXPECT_EQ(read_rar4_directory(whole.substr(0, 7 + 13 + 10), 100).error, "block header runs past the end of the archive");
  // Encrypted headers hide everything.
  std::string encrypted = whole;
  encrypted[7 + 3] = static_cast<char>(encrypted[7 + 3] | 0x80);
  EXPECT_EQ(read_rar4_directory(encrypted, 100).error, "encrypted headers");
}

}  // namespace
}  // namespace vigie::objects::archive
