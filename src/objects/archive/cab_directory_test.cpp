// The cabinet file entries on cabinets written by the test (gcab sets no attributes) and by gcab.
#include "objects/archive/cab_directory.h"

#include <gtest/gtest.h>

#include "objects/archive/archive_reader.h"
#include "objects/archive/test_archives.h"

namespace vigie::objects::archive {
namespace {

const std::vector<testing::AttributedMember>& kLure = testing::hidden_payload_lure();

TEST(CabDirectory, ReadsTheAttributesOfEachFile) {
  const CabDirectory directory = read_cab_directory(testing::cab_archive(kLure), 100);
  EXPECT_TRUE(directory.error.empty()) << directory.error;
  ASSERT_EQ(directory.files.size(), 3u);
  EXPECT_EQ(directory.files[1].raw_name, "files\\update.dll");
  EXPECT_EQ(directory.files[1].windows_attributes(), 0x20 | kAttributeHidden);
  EXPECT_EQ(read_cab_directory(testing::cab_archive(kLure), 2).files.size(), 2u);
  EXPECT_TRUE(read_cab_directory(testing::cab_archive(kLure), 2).more_entries);
}

TEST(CabDirectory, SaysWhenTheEntriesLie) {
  EXPECT_EQ(read_cab_directory("MSCF", 100).error, "no cabinet header");
  std::string cab = testing::cab_archive(kLure);
  cab[28] = 9;  // nine files declared
  EXPECT_EQ(read_cab_directory(cab.substr(0, 36 + 8 + 20), 100).error, "file name without its end");
  cab.replace(16, 4, std::string("\xF0\xFF\xFF\x00", 4));  // coffFiles past the end
  EXPECT_EQ(read_cab_directory(cab, 100).error, "file entry past the end of the cabinet");
}

// libarchive 3.6.2 dereferences a null pointer on a cabinet whose files lie past their folder's
// data (fuzz_archive, seed cab-null-cfdata-regression): such a cabinet is refused before it.
TEST(CabDirectory, AnInconsistentCabinetIsNotHandedToLibarchive) {
  const std::string cab = testing::cab_archive(kLure);
  EXPECT_EQ(cab_inconsistency(cab), "");
  std::string lying = cab;
  lying.replace(44, 4, std::string("\xFF\xFF\x00\x00", 4));  // the first file grows past its folder's data
  EXPECT_EQ(cab_inconsistency(lying), "file data past its folder's data");
  const Listing listing = read_archive(lying, ReadBounds{});
  EXPECT_FALSE(listing.recognised);
  EXPECT_EQ(listing.error, "malformed cabinet (file data past its folder's data): not read");
  EXPECT_EQ(cab_inconsistency(cab.substr(0, cab.size() - 1)), "shorter than its header says");
  // A stored data block claiming more bytes than it holds (seed cab-stored-block-size-regression).
  std::string oversized = cab;
  const std::size_t block = static_cast<unsigned char>(cab[36]) | static_cast<unsigned char>(cab[37]) << 8;
  oversized[block + 7] = '\x25';  // cbUncomp 0x25xx
  EXPECT_EQ(cab_inconsistency(oversized), "data block of an impossible size");
  EXPECT_FALSE(read_archive(oversized, ReadBounds{}).recognised);
}

TEST(CabDirectory, LibarchiveReadsTheCabinetAndTheMembersGetTheirAttributes) {
  const Listing listing = read_archive(testing::cab_archive(kLure), ReadBounds{});
  ASSERT_TRUE(listing.recognised) << listing.error;
  ASSERT_EQ(listing.members.size(), 3u);
  EXPECT_EQ(listing.members[1].name, "files/update.dll");
  ASSERT_TRUE(listing.members[1].content);
  EXPECT_EQ(*listing.members[1].content, "MZ payload");
  EXPECT_EQ(listing.members[0].windows_attributes, 0u);
  EXPECT_EQ(listing.members[1].windows_attributes, kAttributeHidden);
  EXPECT_EQ(listing.members[2].windows_attributes, kAttributeHidden | kAttributeSystem);
}

TEST(CabDirectory, ReadsACabinetBuiltByGcab) {
  if (!testing::have("gcab")) GTEST_SKIP() << "gcab not installed (scripts/install-deps.sh installs it with the test packages)";
  const std::string cab =
      testing::built_by_tool({testing::TestFile{"a.txt", "un"}, testing::TestFile{"b.txt", "deux"}}, "gcab -c -z {out} a.txt b.txt");
  const CabDirectory directory = read_cab_directory(cab, 100);
  EXPECT_TRUE(directory.error.empty()) << directory.error;
  ASSERT_EQ(directory.files.size(), 2u);
  EXPECT_EQ(directory.files[1].raw_name, "b.txt");
  EXPECT_EQ(directory.files[1].windows_attributes() & (kAttributeHidden | kAttributeSystem), 0u);
}

}  // namespace
}  // namespace vigie::objects::archive
