// The ISO 9660 directory walk on images written by libarchive and xorriso with the hidden flag
// set as Windows tools set it, on a UDF-only image from mkudffs, and on trees that loop or lie.
#include "objects/archive/iso_directory.h"

#include <gtest/gtest.h>

#include <algorithm>

#include "objects/archive/archive_reader.h"
#include "objects/archive/test_archives.h"

namespace vigie::objects::archive {
namespace {

using testing::built_by_tool;
using testing::have;
using testing::set_iso_hidden;
using testing::TestFile;
using testing::write_archive;

const std::vector<TestFile> kLure{TestFile{"Rapport.pdf.lnk", "L"}, TestFile{"bin/version.dll", "MZ"}};

const Member* member_named(const Listing& listing, std::string_view name) {
  for (const Member& m : listing.members) {
    if (m.name == name) return &m;
  }
  return nullptr;
}

bool hidden_path(const IsoDirectory& directory, std::string_view path) {
  return std::any_of(directory.hidden.begin(), directory.hidden.end(),
                     [&](const IsoHiddenFile& f) { return f.path == path; });
}

TEST(IsoDirectory, ReadsTheHiddenFlagInBothTrees) {
  std::string iso = write_archive("iso9660", kLure);
  set_iso_hidden(iso, "version.dll");
  const IsoDirectory directory = read_iso_directory(iso, 100);
  EXPECT_TRUE(directory.iso9660);
  EXPECT_TRUE(directory.joliet);
  EXPECT_FALSE(directory.udf);
  EXPECT_TRUE(directory.error.empty()) << directory.error;
  EXPECT_TRUE(hidden_path(directory, "BIN/VERSION.DLL"));
  EXPECT_TRUE(hidden_path(directory, "bin/version.dll"));
  EXPECT_EQ(directory.hidden.size(), 2u);

  const Listing listing = read_archive(iso, ReadBounds{});
  ASSERT_NE(member_named(listing, "bin/version.dll"), nullptr);
  EXPECT_EQ(member_named(listing, "bin/version.dll")->windows_attributes, kAttributeHidden);
  ASSERT_NE(member_named(listing, "Rapport.pdf.lnk"), nullptr);
  EXPECT_EQ(member_named(listing, "Rapport.pdf.lnk")->windows_attributes, 0u);
}

TEST(IsoDirectory, AHiddenFolderIsHiddenItself) {
  std::string iso = write_archive("iso9660", kLure);
  set_iso_hidden(iso, "bin");
  const IsoDirectory directory = read_iso_directory(iso, 100);
  ASSERT_FALSE(directory.hidden.empty());
  EXPECT_TRUE(directory.hidden.front().directory);
  const Listing listing = read_archive(iso, ReadBounds{});
  const Member* folder = member_named(listing, "bin");  // libarchive also lists the root, "."
  ASSERT_NE(folder, nullptr);
  EXPECT_EQ(folder->kind, MemberKind::kDirectory);
  EXPECT_EQ(folder->windows_attributes, kAttributeHidden);
  EXPECT_EQ(member_named(listing, "bin/version.dll")->windows_attributes, 0u);
}

TEST(IsoDirectory, StopsAtMaxRecordsAndOnLoops) {
  std::string iso = write_archive("iso9660", kLure);
  const IsoDirectory few = read_iso_directory(iso, 1);
  EXPECT_TRUE(few.more_records);
  EXPECT_EQ(few.records, 1u);
  // The "bin" folder pointed back at the root: each extent is walked once.
  const IsoDirectory plain = read_iso_directory(iso, 100);
  std::string looped = iso;
  const std::size_t root_record = 16 * 2048 + 156;
  for (std::size_t at = looped.find("BIN"); at != std::string::npos; at = looped.find("BIN", at + 1)) {
    if (at >= 33 && static_cast<unsigned char>(looped[at - 1]) == 3) looped.replace(at - 33 + 2, 8, looped, root_record + 2, 8);
  }
  const IsoDirectory walked = read_iso_directory(looped, 1000);
  EXPECT_LE(walked.records, plain.records);
  EXPECT_FALSE(walked.more_records);
}

TEST(IsoDirectory, SaysWhatIsNotAnImage) {
  EXPECT_FALSE(read_iso_directory("not an image", 100).iso9660);
  std::string iso = write_archive("iso9660", kLure);
  // A root extent past the end of the image.
  iso.replace(16 * 2048 + 156 + 2, 4, "\xFF\xFF\xFF\x0F");
  EXPECT_EQ(read_iso_directory(iso, 100).error, "a directory extent lies past the end of the image");
}

TEST(IsoDirectory, ReadsAnImageBuiltByXorriso) {
  if (!have("xorriso")) GTEST_SKIP() << "xorriso not installed (scripts/install-deps.sh installs it with the test packages)";
  std::string iso = built_by_tool(kLure, "xorriso -as mkisofs -quiet -J -R -o {out} {in}");
  set_iso_hidden(iso, "version.dll");
  const Listing listing = read_archive(iso, ReadBounds{});
  ASSERT_NE(member_named(listing, "bin/version.dll"), nullptr);
  EXPECT_EQ(member_named(listing, "bin/version.dll")->windows_attributes, kAttributeHidden);
  EXPECT_FALSE(listing.udf);
}

// Windows reads UDF before ISO 9660; libarchive 3.6 reads no UDF: an image with only a UDF file
// system is seen as such, not as an unknown format.
TEST(IsoDirectory, ARecognisesAUdfOnlyImage) {
  if (!have("mkudffs")) GTEST_SKIP() << "mkudffs not installed (scripts/install-deps.sh installs udftools with the test packages)";
  const std::string udf = built_by_tool({}, "mkudffs --media-type=hd --blocksize=2048 {out} 300");
  EXPECT_TRUE(has_udf_volume(udf));
  const IsoDirectory directory = read_iso_directory(udf, 100);
  EXPECT_TRUE(directory.udf);
  EXPECT_FALSE(directory.iso9660);
  const Listing listing = read_archive(udf, ReadBounds{});
  EXPECT_FALSE(listing.recognised);
  EXPECT_TRUE(listing.udf);
  EXPECT_FALSE(has_udf_volume(write_archive("iso9660", kLure)));
}

}  // namespace
}  // namespace vigie::objects::archive
