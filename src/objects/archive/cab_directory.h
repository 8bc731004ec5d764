// A bounded read of a cabinet's file entries (CFFILE), for what libarchive 3.6 reads there and
// drops: the Windows attributes of each file (it keeps the read-only bit only). Layout:
// [MS-CAB] 2.1 CFHEADER and 2.3 CFFILE.
// Bounds: at most `max_entries` entries (and the count the header declares); each name ends at
// its NUL within 256 bytes, every offset checked against the buffer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vigie::objects::archive {

struct CabFileEntry {
  std::string raw_name;  // as stored: the OEM code page, or UTF-8 with _A_NAME_IS_UTF
  std::uint16_t attributes = 0;
  // The Windows attribute bits (kAttributeHidden...).
  std::uint32_t windows_attributes() const { return attributes & 0x3F; }
};

struct CabDirectory {
  std::vector<CabFileEntry> files;  // in cabinet order, at most max_entries
  bool more_entries = false;
  std::string error;  // why the read stopped early ("" when it did not)
};

CabDirectory read_cab_directory(std::string_view bytes, std::uint32_t max_entries);

// Why a single cabinet is inconsistent, or "" when it holds together: a header or folder past the
// end, a set spanning several cabinets, a data block past the end or of an impossible size (over
// 32 KiB, or a stored block whose two sizes differ), or a file whose data lies past
// what its folder's data blocks hold. libarchive 3.6.2's cabinet reader dereferences a null
// pointer on such files (found by fuzz_archive), so the archive reader does not hand them to it.
std::string cab_inconsistency(std::string_view bytes);

}  // namespace vigie::objects::archive
