// The zip central directory reader on zips written by libarchive and marked as Windows writes
// them, on the ZIP64 end record, on data put before the zip, and on directories that lie.
#include "objects/archive/zip_directory.h"

#include <gtest/gtest.h>

#include "objects/archive/archive_reader.h"
#include "objects/archive/test_archives.h"

namespace vigie::objects::archive {
namespace {

using testing::set_dos_attributes;
using testing::TestFile;
using testing::write_archive;

const std::vector<TestFile> kLure{TestFile{"Rapport.lnk", "L"}, TestFile{"bin/version.dll", "MZ"},
                                  TestFile{"desktop.ini", "[.ShellClassInfo]"}};

std::string marked_lure() {
  std::string zip = write_archive("zip", kLure);
  set_dos_attributes(zip, "bin/version.dll", kAttributeHidden);
  set_dos_attributes(zip, "desktop.ini", kAttributeHidden | kAttributeSystem);
  return zip;
}

TEST(ZipDirectory, ReadsDosAttributesOfWindowsHostsOnly) {
  const ZipDirectory directory = read_zip_directory(marked_lure(), 100);
  ASSERT_EQ(directory.entries.size(), 3u);
  EXPECT_TRUE(directory.error.empty()) << directory.error;
  EXPECT_EQ(directory.entries[0].raw_name, "Rapport.lnk");
  EXPECT_EQ(directory.entries[0].host, 3);  // libarchive writes Unix modes
  EXPECT_EQ(directory.entries[0].windows_attributes(), 0u);
  EXPECT_EQ(directory.entries[1].host, 0);
  EXPECT_EQ(directory.entries[1].windows_attributes(), kAttributeHidden);
  EXPECT_EQ(directory.entries[2].windows_attributes(), kAttributeHidden | kAttributeSystem);
}

TEST(ZipDirectory, UnixHostBitsAreNotWindowsAttributes) {
  std::string zip = write_archive("zip", kLure);
  set_dos_attributes(zip, "Rapport.lnk", kAttributeHidden);
  zip[zip.find("PK\x01\x02") + 5] = 3;  // back to Unix: the low byte means nothing to Windows
  EXPECT_EQ(read_zip_directory(zip, 100).entries[0].windows_attributes(), 0u);
}

TEST(ZipDirectory, StopsAtMaxEntries) {
  const ZipDirectory directory = read_zip_directory(marked_lure(), 2);
  EXPECT_EQ(directory.entries.size(), 2u);
  EXPECT_TRUE(directory.more_entries);
}

TEST(ZipDirectory, FindsTheDirectoryBehindPrependedData) {
  const std::string zip = "MZ self-extractor stub" + std::string(5000, '\0') + marked_lure();
  const ZipDirectory directory = read_zip_directory(zip, 100);
  ASSERT_EQ(directory.entries.size(), 3u);
  EXPECT_EQ(directory.entries[1].windows_attributes(), kAttributeHidden);
}

TEST(ZipDirectory, ReadsTheZip64EndRecord) {
  testing::WriteOptions zip64;
  zip64.options = "zip:zip64";
  std::string zip = write_archive("zip", kLure, zip64);
  set_dos_attributes(zip, "bin/version.dll", kAttributeHidden);
  // libarchive also fills the classic end record: escape its fields as a >4 GiB zip would.
  const std::size_t end = zip.rfind("PK\x05\x06");
  zip.replace(end + 8, 4, "\xFF\xFF\xFF\xFF");
  zip.replace(end + 12, 8, "\xFF\xFF\xFF\xFF\xFF\xFF\xFF\xFF");
  const std::optional<ZipEndRecord> record = find_zip_end_record(zip);
  ASSERT_TRUE(record);
  EXPECT_TRUE(record->zip64);
  EXPECT_EQ(record->entries, 3u);
  const ZipDirectory directory = read_zip_directory(zip, 100);
  ASSERT_EQ(directory.entries.size(), 3u);
  EXPECT_EQ(directory.entries[1].windows_attributes(), kAttributeHidden);
  EXPECT_EQ(zip_declared_entries(zip), 3u);
}

TEST(ZipDirectory, SaysWhenTheDirectoryLies) {
  std::string zip = marked_lure();
  EXPECT_EQ(read_zip_directory(zip.substr(0, zip.size() - 10), 100).error, "no end of central directory record");
  // A count larger than the records present.
  const std::size_t end = zip.rfind("PK\x05\x06");
  zip[end + 10] = 9;
  EXPECT_NE(read_zip_directory(zip, 100).error.find("3 of the 9 entries"), std::string::npos);
  // A record whose name runs past the end of the file.
  std::string cut = marked_lure();
  const std::size_t last = cut.rfind("PK\x01\x02");
  cut.replace(last + 28, 2, "\xFF\xFF");
  const ZipDirectory directory = read_zip_directory(cut, 100);
  EXPECT_EQ(directory.entries.size(), 2u);
  EXPECT_EQ(directory.error, "central directory record runs past the end of the file");
  // An offset pointing nowhere and a size that does not lead back to a record either.
  std::string lost = marked_lure();
  const std::size_t lost_end = lost.rfind("PK\x05\x06");
  lost.replace(lost_end + 12, 8, std::string("\x01\x00\x00\x00\x02\x00\x00\x00", 8));
  EXPECT_EQ(read_zip_directory(lost, 100).error, "central directory not found where the end record puts it");
}

TEST(ArchiveReader, GivesZipMembersTheirWindowsAttributes) {
  const Listing listing = read_archive(marked_lure(), ReadBounds{});
  ASSERT_EQ(listing.members.size(), 3u);
  EXPECT_EQ(listing.members[0].windows_attributes, 0u);
  EXPECT_EQ(listing.members[1].name, "bin/version.dll");
  EXPECT_EQ(listing.members[1].windows_attributes, kAttributeHidden);
  EXPECT_EQ(listing.members[2].windows_attributes, kAttributeHidden | kAttributeSystem);
  // The member is still read as a file: MS-DOS attributes carry no Unix type.
  EXPECT_EQ(listing.members[1].kind, MemberKind::kFile);
  ASSERT_TRUE(listing.members[1].content);
  EXPECT_EQ(*listing.members[1].content, "MZ");
}

TEST(ArchiveReader, MatchesBackslashNamesOfDosZips) {
  std::string zip = write_archive("zip", {TestFile{"bin\\payload.dll", "MZ"}, TestFile{"a.lnk", "L"}});
  set_dos_attributes(zip, "bin\\payload.dll", kAttributeHidden);
  const Listing listing = read_archive(zip, ReadBounds{});
  ASSERT_EQ(listing.members.size(), 2u);
  EXPECT_EQ(listing.members[0].name, "bin/payload.dll");  // libarchive's normalisation
  EXPECT_EQ(listing.members[0].windows_attributes, kAttributeHidden);
}

}  // namespace
}  // namespace vigie::objects::archive
