// A bounded reader of archives over libarchive (Debian libarchive-dev), from memory only: zip (and
// the packages built on it: OOXML, ODF, JAR, MSIX), 7z, RAR 4 and 5, tar, cabinet, ISO 9660, and
// single gzip/bzip2/xz/lzip/zstd streams. We do not own these formats: libarchive has read them
// for twenty years, and a reader of our own would repeat its bugs without its fixes. What this
// wrapper owns is the bounds around it, since libarchive will decompress whatever it is asked to:
//   - at most `max_entries` headers are iterated (an archive of a million empty entries stops there);
//   - a member's content is read in 64 KiB chunks and never past the smallest of the member cap, the
//     bytes left over all members, and `max_expansion_ratio` × the archive's size (above 1 MiB), so
//     a bomb costs at most one chunk beyond the cap, never its declared size; a member whose header
//     declares a size past the ratio or the bytes left is not decompressed beyond its first 64 KiB;
//   - only the formats and filters above are enabled, each checked to be built in: libarchive
//     would otherwise run an external program (lrzip, lzop...) for some filters;
//   - a zip whose end record declares more entries than `max_entries` is read by its local headers
//     (libarchive's streaming reader) instead of its central directory, which libarchive would load
//     whole before the first header;
//   - names are returned as UTF-8: libarchive gives them in the current locale, so each read runs in
//     a thread-local C.UTF-8 locale, and names stored in an OEM code page (zip, RAR, cabinet without
//     the UTF-8 flag) are read as CP850, the Western European one (CP437 for its letters).
//   - Windows' hidden and system attributes, which libarchive 3.6 drops for zip, RAR 4, cabinet
//     and ISO 9660, are read by our own bounded readers of the zip central directory, the RAR 4
//     headers, the cabinet's file entries and the ISO 9660 trees (zip_directory.h,
//     rar_directory.h, cab_directory.h, iso_directory.h) and matched to the members by name.
// Nothing is written to disk and nothing is run. Thread-safe: each call owns its libarchive handle.
#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "objects/archive/zip_directory.h"

namespace vigie::objects::archive {

struct ReadBounds {
  std::uint32_t max_entries = 10000;           // headers iterated
  std::uint64_t max_member_bytes = 32u << 20;  // content kept per member (the rest is cut)
  std::uint64_t max_total_bytes = 128u << 20;  // content kept over all members
  std::uint32_t max_expansion_ratio = 100;     // a member larger than this × the archive (and 1 MiB) is a bomb
  std::uint64_t max_members_read = UINT64_MAX; // members whose content is read; later ones: headers only
};

enum class MemberKind : std::uint8_t { kFile, kDirectory, kSymlink, kHardlink, kOther };

// Why a member's content is not all there.
enum class ContentStop : std::uint8_t {
  kComplete,     // read to its end
  kMemberLimit,  // cut at max_member_bytes: `content` holds that many bytes
  kTotalLimit,   // the bytes left over all members ran out: no content
  kExpansion,    // it expands (or declares it does) past max_expansion_ratio × the archive: a bomb,
                 // or a program padded to slip past scanners; `content` keeps its first 64 KiB
  kNotRead,      // beyond max_members_read, or not a file: no content
  kEncrypted,    // no passphrase (or a wrong one) decrypts it: no content
  kError,        // libarchive failed reading it (`error` says why): no content, or what came before
};

struct Member {
  std::string name;               // the path as stored, in UTF-8 ("word/_rels/document.xml.rels")
  bool name_recoded = false;      // the stored name was not UTF-8 (read as CP850 or detected)
  MemberKind kind = MemberKind::kFile;
  std::string link_target;        // symbolic and hard links: where they point, in UTF-8
  std::optional<std::uint64_t> declared_size;  // as the header says (a bomb's is huge)
  bool encrypted = false;
  // Windows' hidden and system bits (kAttributeHidden, kAttributeSystem), where the format keeps
  // them and they are read: zip (its central directory), RAR 4 (its file headers), cabinet (its
  // file entries), ISO 9660 (the hidden flag of its directory records) and RAR 5 (libarchive's
  // file flags). Not for 7z: libarchive 3.6 drops them and its headers are compressed.
  std::uint32_t windows_attributes = 0;
  std::shared_ptr<const std::string> content;  // files only; nullptr when not read (see stop)
  std::uint64_t produced = 0;     // bytes libarchive produced for it (≥ content's size at a stop)
  ContentStop stop = ContentStop::kNotRead;
  std::string error;              // libarchive's message when reading failed
};

struct Listing {
  bool recognised = false;        // libarchive knew the format (else `error` says why)
  std::string format;             // libarchive's name: "ZIP 2.0 (deflation)", "7-Zip", "raw"...
  std::string filter;             // the outer compression: "gzip", "none"...
  bool single_stream = false;     // a compressed file without an archive inside (one member)
  std::vector<Member> members;    // in archive order, at most max_entries
  std::uint64_t headers = 0;      // members listed
  bool more_entries = false;      // stopped at max_entries with headers left
  std::optional<std::uint64_t> declared_entries;  // a zip's end record, when read
  std::uint64_t declared_bytes = 0;  // sum of the members' declared sizes
  std::uint64_t content_bytes = 0;   // sum of the contents kept
  std::uint64_t produced_bytes = 0;  // sum of what libarchive produced (what the bounds cost)
  bool encrypted = false;         // a member or the headers are encrypted
  bool udf = false;               // a disc image with a UDF file system, which libarchive 3.6 does not
                                  // read: members come from its ISO 9660 tree, if it has one
  std::string error;              // why the archive was not read to its end ("" when it was)
};

// Lists `bytes` as an archive and reads its members' contents within `bounds`. `passphrase`, when
// given, is offered to libarchive for encrypted zip members (traditional and AES; libarchive 3.6
// decrypts no 7z or RAR).
Listing read_archive(std::string_view bytes, const ReadBounds& bounds, const std::string* passphrase = nullptr);

// Whether `passphrase` decrypts the first encrypted member of `bytes`: reads at most 64 KiB of it
// (a zip's traditional encryption accepts one wrong key in 256 at its check byte, so the probe
// reads on until the data is seen to decompress).
bool opens_with(std::string_view bytes, const std::string& passphrase);

// The zip end-of-central-directory record's count of entries (ZIP64 included), when `bytes` end with one.
std::optional<std::uint64_t> zip_declared_entries(std::string_view bytes);

}  // namespace vigie::objects::archive
