// A bounded reader of a zip's central directory, for what libarchive 3.6 reads there and drops:
// the Windows attributes of each member. libarchive keeps only the read-only and directory bits
// of a DOS "external attributes" field; the hidden (0x02) and system (0x04) bits, which Explorer
// honours when it shows the zip or extracts it, are read here. Also owns locating the end record
// (ZIP64 included), which the archive reader uses to choose how to read a zip.
// Bounds: at most `max_entries` records are read, names are cut at kMaxNameBytes, and every
// offset is checked against the buffer; a directory that lies (a record past the end, a count
// larger than what is there) ends the walk with `error` set and what was read so far.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vigie::objects::archive {

// Windows' FILE_ATTRIBUTE_* bits, as zip (DOS hosts), 7z, RAR and cabinet store them.
inline constexpr std::uint32_t kAttributeHidden = 0x02;
inline constexpr std::uint32_t kAttributeSystem = 0x04;

// Where the end record puts the central directory.
struct ZipEndRecord {
  std::size_t position = 0;          // of the end record ("PK\5\6")
  std::uint64_t entries = 0;         // the count it (or its ZIP64 record) declares
  std::uint64_t directory_size = 0;  // bytes of the central directory
  std::uint64_t directory_offset = 0;  // as declared, relative to the zip's first byte
  std::size_t directory_end = 0;     // where the directory should end in `bytes`: the end record, or the ZIP64 record
  bool zip64 = false;
};

// The last end record of `bytes` (searched in the final 64 KiB + 22 bytes, the longest comment).
std::optional<ZipEndRecord> find_zip_end_record(std::string_view bytes);

struct ZipDirectoryEntry {
  std::string raw_name;         // as stored (UTF-8 when `utf8_name`, else an OEM code page), cut at 1 KiB
  bool utf8_name = false;       // general purpose flag bit 11
  std::uint8_t host = 0;        // "version made by"'s high byte: 0 MS-DOS, 3 Unix, 10 NTFS, 14 VFAT...
  std::uint32_t external_attributes = 0;
  // The Windows attribute bits (kAttributeHidden...) when the host stores DOS attributes, else 0.
  std::uint32_t windows_attributes() const;
};

struct ZipDirectory {
  std::vector<ZipDirectoryEntry> entries;  // in directory order, at most max_entries
  bool more_entries = false;               // stopped at max_entries with records left
  std::string error;                       // why the walk stopped early ("" when it did not)
};

// Reads the central directory of `bytes`, at most `max_entries` records. No end record: empty
// directory, `error` set.
ZipDirectory read_zip_directory(std::string_view bytes, std::uint32_t max_entries);

}  // namespace vigie::objects::archive
