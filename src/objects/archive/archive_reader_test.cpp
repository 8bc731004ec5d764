// The bounded libarchive reader on archives built here: every format we read, names in UTF-8
// whatever their storage, encrypted zips with and without their passphrase, and the bounds (a
// flat bomb, a member cut at its cap, a million entries) holding without reading past them.
#include "objects/archive/archive_reader.h"

#include <gtest/gtest.h>

#include <chrono>

#include "objects/archive/test_archives.h"

namespace vigie::objects::archive {
namespace {

using testing::TestFile;
using testing::write_archive;

const std::vector<TestFile> kTwoFiles{TestFile{"docs/lisez-moi.txt", "bonjour"},
                                      TestFile{"facture.pdf.lnk", std::string(3000, 'L')}};

void expect_two_files(const Listing& listing) {
  ASSERT_TRUE(listing.recognised) << listing.error;
  EXPECT_EQ(listing.error, "");
  std::vector<std::string> names;
  for (const Member& m : listing.members) {
    if (m.kind != MemberKind::kFile) continue;
    names.push_back(m.name);
    ASSERT_NE(m.content, nullptr) << m.name;
    EXPECT_EQ(m.stop, ContentStop::kComplete);
  }
  ASSERT_EQ(names, (std::vector<std::string>{"docs/lisez-moi.txt", "facture.pdf.lnk"})) << listing.format;
  const Member& last = listing.members.back();
  EXPECT_EQ(*last.content, std::string(3000, 'L'));
  EXPECT_FALSE(listing.encrypted);
}

TEST(ArchiveReaderTest, ReadsEveryFormatWeAccept) {
  expect_two_files(read_archive(write_archive("zip", kTwoFiles), {}));
  expect_two_files(read_archive(write_archive("7zip", kTwoFiles), {}));
  expect_two_files(read_archive(write_archive("ustar", kTwoFiles, {"gzip", "", ""}), {}));
  expect_two_files(read_archive(write_archive("pax", kTwoFiles, {"bzip2", "", ""}), {}));
  expect_two_files(read_archive(write_archive("ustar", kTwoFiles, {"xz", "", ""}), {}));
  const Listing iso = read_archive(write_archive("iso9660", kTwoFiles), {});
  expect_two_files(iso);
  EXPECT_NE(iso.format.find("ISO9660"), std::string::npos);
}

TEST(ArchiveReaderTest, ACompressedFileIsOneMember) {
  const Listing listing = read_archive(write_archive("raw", {TestFile{"ignored", "%PDF-1.4 hello"}}, {"gzip", "", ""}), {});
  ASSERT_TRUE(listing.recognised) << listing.error;
  EXPECT_TRUE(listing.single_stream);
  EXPECT_EQ(listing.filter, "gzip");
  ASSERT_EQ(listing.members.size(), 1u);
  ASSERT_NE(listing.members[0].content, nullptr);
  EXPECT_EQ(*listing.members[0].content, "%PDF-1.4 hello");
}

TEST(ArchiveReaderTest, TextIsNotAnArchive) {
  const Listing listing = read_archive("hello, this is plain text and no archive at all", {});
  EXPECT_FALSE(listing.recognised);
  EXPECT_TRUE(listing.members.empty());
  EXPECT_NE(listing.error, "");
  EXPECT_FALSE(read_archive("", {}).recognised);
}

TEST(ArchiveReaderTest, NamesComeOutAsUtf8) {
  // UTF-8 stored as such (7z stores UTF-16; the zip gets its UTF-8 flag), and a zip name stored in
  // the OEM code page (0x82 is é in CP437 and CP850), as Windows' own zip folder writes it.
  for (const char* format : {"zip", "7zip"}) {
    const Listing listing = read_archive(write_archive(format, {TestFile{"facture-\xC3\xA9t\xC3\xA9.pdf", "x"}}), {});
    ASSERT_EQ(listing.members.size(), 1u) << format << listing.error;
    EXPECT_EQ(listing.members[0].name, "facture-\xC3\xA9t\xC3\xA9.pdf") << format;
    EXPECT_FALSE(listing.members[0].name_recoded);
  }
  std::string zip = testing::repeated_zip("x", 1, "caf\x82-");
  const Listing oem = read_archive(zip, {});
  ASSERT_EQ(oem.members.size(), 1u) << oem.error;
  EXPECT_EQ(oem.members[0].name, "caf\xC3\xA9-0");
  EXPECT_TRUE(oem.members[0].name_recoded);
}

TEST(ArchiveReaderTest, EncryptedZipNeedsItsPassphrase) {
  for (const char* encryption : {"zip:encryption=zipcrypt", "zip:encryption=aes256"}) {
    const std::string zip = write_archive("zip", kTwoFiles, {"", encryption, "2025"});
    const Listing locked = read_archive(zip, {});
    ASSERT_TRUE(locked.recognised) << encryption;
    EXPECT_TRUE(locked.encrypted) << encryption;
    ASSERT_EQ(locked.members.size(), 2u);
    // The names of a zip are not encrypted: what it holds can still be judged by name.
    EXPECT_EQ(locked.members[1].name, "facture.pdf.lnk");
    EXPECT_TRUE(locked.members[1].encrypted);
    EXPECT_EQ(locked.members[1].stop, ContentStop::kEncrypted);
    EXPECT_EQ(locked.members[1].content, nullptr);

    EXPECT_FALSE(opens_with(zip, "2024")) << encryption;
    EXPECT_TRUE(opens_with(zip, "2025")) << encryption;
    const std::string right = "2025";
    const Listing opened = read_archive(zip, {}, &right);
    ASSERT_EQ(opened.members.size(), 2u);
    ASSERT_NE(opened.members[1].content, nullptr) << opened.members[1].error;
    EXPECT_EQ(*opened.members[1].content, std::string(3000, 'L'));
    const std::string wrong = "2024";
    EXPECT_EQ(read_archive(zip, {}, &wrong).members[1].stop, ContentStop::kEncrypted);
  }
  EXPECT_FALSE(opens_with(write_archive("zip", kTwoFiles), "2025"));  // nothing to open
}

TEST(ArchiveReaderTest, AMemberIsCutAtItsCap) {
  ReadBounds bounds;
  bounds.max_member_bytes = 1000;
  const Listing listing = read_archive(write_archive("zip", kTwoFiles), bounds);
  const Member& big = listing.members[1];
  EXPECT_EQ(big.stop, ContentStop::kMemberLimit);
  ASSERT_NE(big.content, nullptr);
  EXPECT_EQ(big.content->size(), 1000u);
  EXPECT_EQ(listing.content_bytes, 1000u + 7u);
}

TEST(ArchiveReaderTest, AFlatBombStopsAtTheTotalWithoutDecompressingTheRest) {
  // 1000 members of 10 MiB of zeros, about 10 MB: 10 GB declared.
  const std::string bomb = testing::repeated_zip(std::string(10u << 20, '\0'), 1000);
  const auto start = std::chrono::steady_clock::now();
  const Listing listing = read_archive(bomb, {});
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_EQ(listing.headers, 1000u);
  EXPECT_EQ(listing.declared_bytes, 1000ull * (10u << 20));
  EXPECT_LE(listing.content_bytes, 128u << 20);
  // Twelve whole members fit under 128 MiB; the thirteenth is read up to the total and dropped;
  // the rest are not decompressed at all.
  EXPECT_LE(listing.produced_bytes, (128u << 20) + (64u << 10));
  std::size_t refused = 0;
  for (const Member& m : listing.members) refused += m.stop == ContentStop::kTotalLimit ? 1 : 0;
  EXPECT_EQ(refused, 1000u - 12u);
  std::printf("flat bomb: %zu bytes, %llu decompressed, read in %lld ms\n", bomb.size(),
              static_cast<unsigned long long>(listing.produced_bytes),
              static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count()));
}

TEST(ArchiveReaderTest, AMemberExpandingPastTheRatioIsKeptOnlyToIdentifyIt) {
  // 50 MiB of zeros deflate to about 50 KB: 1000 times the archive.
  const std::string bomb = testing::repeated_zip(std::string(50u << 20, '\0'), 1);
  const Listing listing = read_archive(bomb, {});
  ASSERT_EQ(listing.members.size(), 1u);
  EXPECT_EQ(listing.members[0].stop, ContentStop::kExpansion);
  // Its header says so: only the first 64 KiB are decompressed, and kept to identify it.
  ASSERT_NE(listing.members[0].content, nullptr);
  EXPECT_EQ(listing.members[0].content->size(), 64u << 10);
  EXPECT_LE(listing.produced_bytes, 128u << 10);
}

TEST(ArchiveReaderTest, AMillionEntriesStopAtTheEntryLimit) {
  const std::string zip = testing::repeated_zip("", 1000000, "e");
  EXPECT_EQ(zip_declared_entries(zip), 0xFFFFu);
  const auto start = std::chrono::steady_clock::now();
  ReadBounds bounds;
  bounds.max_entries = 10000;
  const Listing listing = read_archive(zip, bounds);
  const auto elapsed = std::chrono::steady_clock::now() - start;
  EXPECT_TRUE(listing.recognised) << listing.error;
  EXPECT_EQ(listing.headers, 10000u);
  EXPECT_TRUE(listing.more_entries);
  std::printf("million entries: %zu bytes, listed %llu in %lld ms\n", zip.size(),
              static_cast<unsigned long long>(listing.headers),
              static_cast<long long>(std::chrono::duration_cast<std::chrono::milliseconds>(elapsed).count()));
}

TEST(ArchiveReaderTest, AZipLyingAboutItsEntryCountIsStillBounded) {
  std::string zip = testing::repeated_zip("", 20000, "e");
  const std::size_t end = zip.rfind("PK\x05\x06");
  zip[end + 8] = 5;  // entries on this disk, and in total: 5
  zip[end + 9] = 0;
  zip[end + 10] = 5;
  zip[end + 11] = 0;
  ASSERT_EQ(zip_declared_entries(zip), 5u);
  ReadBounds bounds;
  bounds.max_entries = 1000;
  const Listing listing = read_archive(zip, bounds);
  EXPECT_EQ(listing.headers, 1000u);
  EXPECT_TRUE(listing.more_entries);
}

TEST(ArchiveReaderTest, MembersBeyondTheReadCountAreListedOnly) {
  ReadBounds bounds;
  bounds.max_members_read = 1;
  const Listing listing = read_archive(write_archive("zip", kTwoFiles), bounds);
  ASSERT_EQ(listing.members.size(), 2u);
  EXPECT_NE(listing.members[0].content, nullptr);
  EXPECT_EQ(listing.members[1].stop, ContentStop::kNotRead);
  EXPECT_EQ(listing.members[1].content, nullptr);
}

TEST(ArchiveReaderTest, LinksAndDirectoriesKeepTheirKind) {
  const Listing listing = read_archive(
      write_archive("pax", {TestFile{"dir", "", TestFile::Kind::kDirectory},
                            TestFile{"dir/link", "", TestFile::Kind::kSymlink, "../../etc/passwd"}}),
      {});
  ASSERT_EQ(listing.members.size(), 2u) << listing.error;
  EXPECT_EQ(listing.members[0].kind, MemberKind::kDirectory);
  EXPECT_EQ(listing.members[1].kind, MemberKind::kSymlink);
  EXPECT_EQ(listing.members[1].link_target, "../../etc/passwd");
}

TEST(ArchiveReaderTest, ZipEndRecordCount) {
  EXPECT_EQ(zip_declared_entries(write_archive("zip", kTwoFiles)), 2u);
  EXPECT_EQ(zip_declared_entries("PK\x05\x06"), std::nullopt);
  EXPECT_EQ(zip_declared_entries("not a zip at all, but long enough to look"), std::nullopt);
}

}  // namespace
}  // namespace vigie::objects::archive

namespace vigie::objects::archive {
namespace {

// RAR has no free writer: the archives are written by the test from the published formats.
const std::vector<testing::AttributedMember>& kRarLure = testing::hidden_payload_lure();

TEST(ArchiveReaderRar, ReadsRar5WithItsWindowsAttributes) {
  const Listing listing = read_archive(testing::rar_archive(5, kRarLure), ReadBounds{});
  ASSERT_TRUE(listing.recognised) << listing.error;
  EXPECT_EQ(listing.format, "RAR5");
  ASSERT_EQ(listing.members.size(), 3u);
  EXPECT_EQ(listing.members[0].name, "Convocation.pdf.lnk");
  EXPECT_EQ(listing.members[0].windows_attributes, 0u);
  ASSERT_TRUE(listing.members[1].content);
  EXPECT_EQ(*listing.members[1].content, "MZ payload");
  EXPECT_EQ(listing.members[1].windows_attributes, kAttributeHidden);
  EXPECT_EQ(listing.members[2].windows_attributes, kAttributeHidden | kAttributeSystem);
  EXPECT_TRUE(listing.error.empty()) << listing.error;
}

// libarchive 3.6 reads RAR 4's attribute word for the directory bit only: the hidden and system
// bits come from our walk of the file headers.
TEST(ArchiveReaderRar, ReadsRar4AndItsAttributes) {
  const Listing listing = read_archive(testing::rar_archive(4, kRarLure), ReadBounds{});
  ASSERT_TRUE(listing.recognised) << listing.error;
  EXPECT_EQ(listing.format, "RAR");
  ASSERT_EQ(listing.members.size(), 3u);
  EXPECT_EQ(listing.members[1].name, "files/update.dll");  // libarchive turns DOS separators into slashes
  ASSERT_TRUE(listing.members[1].content);
  EXPECT_EQ(*listing.members[1].content, "MZ payload");
  EXPECT_EQ(listing.members[0].windows_attributes, 0u);
  EXPECT_EQ(listing.members[1].windows_attributes, kAttributeHidden);
  EXPECT_EQ(listing.members[2].windows_attributes, kAttributeHidden | kAttributeSystem);
  EXPECT_TRUE(listing.error.empty()) << listing.error;
}

}  // namespace
}  // namespace vigie::objects::archive
