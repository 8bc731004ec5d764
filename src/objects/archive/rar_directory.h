// A bounded walk of a RAR 4 archive's block headers, for what libarchive 3.6 reads there and
// drops: the Windows attributes of each file (it keeps the directory bit only). RAR 5's reach us
// through libarchive's file flags. Layout: RARLAB's technote for RAR 2.9-4 (marker block, then
// blocks of CRC, type, flags, size, and a data area for long blocks).
// Bounds: at most `max_entries` file headers; each block advances by its declared sizes, checked
// against the buffer; encrypted headers (which hide the names too) end the walk.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vigie::objects::archive {

struct RarFileHeader {
  std::string raw_name;  // as stored: the OEM code page, or UTF-8 when the header says it is Unicode
  std::uint8_t host = 0;  // 0 MS-DOS, 2 Win32, 3 Unix...
  std::uint32_t attributes = 0;
  // The Windows attribute bits (kAttributeHidden...) when the host stores DOS attributes, else 0.
  std::uint32_t windows_attributes() const;
};

struct RarDirectory {
  std::vector<RarFileHeader> files;  // in archive order, at most max_entries
  bool more_entries = false;
  std::string error;  // why the walk stopped early ("" at the end of the archive)
};

// Walks `bytes` from the RAR 4 marker (after a self-extractor's program, within its first MiB).
RarDirectory read_rar4_directory(std::string_view bytes, std::uint32_t max_entries);

}  // namespace vigie::objects::archive
