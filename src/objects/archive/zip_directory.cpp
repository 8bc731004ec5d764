// The zip central directory reader (see zip_directory.h). Layouts: PKWARE APPNOTE 6.3.10,
// 4.3.12 (central directory header), 4.3.14-16 (ZIP64 end record and locator, end record).
#include "objects/archive/zip_directory.h"

#include <algorithm>

#include "common/byte_reader.h"

namespace vigie::objects::archive {
namespace {

using bytes::fits;
using bytes::le16;
using bytes::le32;
using bytes::le64;

constexpr std::string_view kEndSignature{"PK\x05\x06", 4};
constexpr std::string_view kZip64EndSignature{"PK\x06\x06", 4};
constexpr std::string_view kZip64LocatorSignature{"PK\x06\x07", 4};
constexpr std::string_view kEntrySignature{"PK\x01\x02", 4};
constexpr std::size_t kEndRecordSize = 22;
constexpr std::size_t kZip64LocatorSize = 20;
constexpr std::size_t kZip64EndSize = 56;
constexpr std::size_t kEntrySize = 46;
constexpr std::size_t kMaxComment = 0xFFFF;
// Longest name kept, as the archive reader cuts them (zip allows 64 KiB).
constexpr std::size_t kMaxNameBytes = 1024;

bool signature_at(std::string_view b, std::size_t at, std::string_view signature) {
  return fits(b, at, signature.size()) && b.substr(at, signature.size()) == signature;
}

// Hosts whose external attributes' low byte holds the DOS attributes (APPNOTE 4.4.2.2):
// MS-DOS and OS/2 FAT, OS/2 HPFS, Windows NTFS, VFAT. Windows' own zip and 7-Zip write 0.
bool dos_host(std::uint8_t host) { return host == 0 || host == 6 || host == 10 || host == 14; }

}  // namespace

std::uint32_t ZipDirectoryEntry::windows_attributes() const {
  return dos_host(host) ? external_attributes & 0xFF : 0;
}

std::optional<ZipEndRecord> find_zip_end_record(std::string_view bytes) {
  if (bytes.size() < kEndRecordSize) return std::nullopt;
  const std::size_t lowest =
      bytes.size() > kEndRecordSize + kMaxComment ? bytes.size() - kEndRecordSize - kMaxComment : 0;
  for (std::size_t at = bytes.size() - kEndRecordSize + 1; at-- > lowest;) {
    if (!signature_at(bytes, at, kEndSignature)) continue;
    ZipEndRecord end;
    end.position = at;
    end.directory_end = at;
    end.entries = le16(bytes, at + 10);
    end.directory_size = le32(bytes, at + 12);
    end.directory_offset = le32(bytes, at + 16);
    // ZIP64: a field at its maximum says the real value is in the ZIP64 record, which the
    // locator just before the end record points at.
    const bool escaped = end.entries == 0xFFFF || end.directory_size == 0xFFFFFFFF || end.directory_offset == 0xFFFFFFFF;
    if (escaped && at >= kZip64LocatorSize && signature_at(bytes, at - kZip64LocatorSize, kZip64LocatorSignature)) {
      const std::uint64_t record = le64(bytes, at - kZip64LocatorSize + 8);
      if (record <= bytes.size() && fits(bytes, static_cast<std::size_t>(record), kZip64EndSize) &&
          signature_at(bytes, static_cast<std::size_t>(record), kZip64EndSignature)) {
        const auto r = static_cast<std::size_t>(record);
        end.zip64 = true;
        end.entries = le64(bytes, r + 32);
        end.directory_size = le64(bytes, r + 40);
        end.directory_offset = le64(bytes, r + 48);
        end.directory_end = r;
      }
    }
    return end;
  }
  return std::nullopt;
}

ZipDirectory read_zip_directory(std::string_view bytes, std::uint32_t max_entries) {
  ZipDirectory directory;
  const std::optional<ZipEndRecord> end = find_zip_end_record(bytes);
  if (!end) {
    directory.error = "no end of central directory record";
    return directory;
  }
  // Offsets count from the zip's first byte: data put before it (a self-extractor's program, a
  // polyglot) shifts them, so the directory is also looked for right before the end record.
  std::size_t at = 0;
  if (end->directory_offset < end->directory_end &&
      signature_at(bytes, static_cast<std::size_t>(end->directory_offset), kEntrySignature)) {
    at = static_cast<std::size_t>(end->directory_offset);
  } else if (end->directory_size <= end->directory_end &&
             signature_at(bytes, end->directory_end - static_cast<std::size_t>(end->directory_size), kEntrySignature)) {
    at = end->directory_end - static_cast<std::size_t>(end->directory_size);
  } else {
    if (end->entries > 0) directory.error = "central directory not found where the end record puts it";
    return directory;
  }
  while (signature_at(bytes, at, kEntrySignature)) {
    if (directory.entries.size() >= max_entries) {
      directory.more_entries = true;
      return directory;
    }
    if (!fits(bytes, at, kEntrySize)) {
      directory.error = "central directory record cut short";
      return directory;
    }
    const std::size_t name_length = le16(bytes, at + 28);
    const std::size_t record_size = kEntrySize + name_length + le16(bytes, at + 30) + le16(bytes, at + 32);
    if (!fits(bytes, at, record_size)) {
      directory.error = "central directory record runs past the end of the file";
      return directory;
    }
    ZipDirectoryEntry& entry = directory.entries.emplace_back();
    entry.utf8_name = (le16(bytes, at + 8) & 0x0800) != 0;
    entry.host = static_cast<std::uint8_t>(le16(bytes, at + 4) >> 8);
    entry.external_attributes = le32(bytes, at + 38);
    entry.raw_name.assign(bytes.substr(at + kEntrySize, std::min(name_length, kMaxNameBytes)));
    at += record_size;
  }
  if (directory.entries.size() < end->entries) {
    directory.error = "central directory holds " + std::to_string(directory.entries.size()) + " of the " +
                      std::to_string(end->entries) + " entries its end record declares";
  }
  return directory;
}

}  // namespace vigie::objects::archive
