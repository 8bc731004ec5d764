// The RAR 4 block walk (see rar_directory.h).
#include "objects/archive/rar_directory.h"

#include <algorithm>

#include "common/byte_reader.h"

namespace vigie::objects::archive {
namespace {

using bytes::fits;
using bytes::le16;
using bytes::le32;

constexpr std::string_view kMarker{"Rar!\x1A\x07\x00", 7};
// How far a self-extracting archive's program may put the marker (libarchive looks as far).
constexpr std::size_t kMaxMarkerOffset = 1u << 20;
constexpr std::size_t kBlockHeader = 7;  // CRC, type, flags, size
constexpr std::uint8_t kMainHeader = 0x73;
constexpr std::uint8_t kFileHeader = 0x74;
constexpr std::uint8_t kEndOfArchive = 0x7B;
constexpr std::uint16_t kMainEncryptedHeaders = 0x0080;
constexpr std::uint16_t kLongBlock = 0x8000;
constexpr std::uint16_t kFileLargeSizes = 0x0100;
constexpr std::uint16_t kFileUnicodeName = 0x0200;
constexpr std::size_t kFileFixedFields = 32;  // up to and with the attributes
// Longest name kept, as the archive reader cuts them.
constexpr std::size_t kMaxNameBytes = 1024;

}  // namespace

std::uint32_t RarFileHeader::windows_attributes() const {
  return host == 0 || host == 2 ? attributes & 0xFF : 0;  // MS-DOS, Win32
}

RarDirectory read_rar4_directory(std::string_view bytes, std::uint32_t max_entries) {
  RarDirectory directory;
  const std::size_t marker = bytes.substr(0, kMaxMarkerOffset + kMarker.size()).find(kMarker);
  if (marker == std::string_view::npos) {
    directory.error = "no RAR 4 marker";
    return directory;
  }
  for (std::size_t at = marker + kMarker.size(); at < bytes.size();) {
    if (!fits(bytes, at, kBlockHeader)) {
      directory.error = "block header cut short";
      return directory;
    }
    const auto type = static_cast<std::uint8_t>(bytes[at + 2]);
    const std::uint16_t flags = le16(bytes, at + 3);
    const std::size_t header_size = le16(bytes, at + 5);
    if (header_size < kBlockHeader || !fits(bytes, at, header_size)) {
      directory.error = "block header runs past the end of the archive";
      return directory;
    }
    const std::string_view header = bytes.substr(at, header_size);
    std::uint64_t data_size = 0;
    if ((flags & kLongBlock) != 0) {
      if (header.size() < kBlockHeader + 4) {
        directory.error = "long block without its data size";
        return directory;
      }
      data_size = le32(header, kBlockHeader);
      if (type == kFileHeader && (flags & kFileLargeSizes) != 0) {
        data_size |= static_cast<std::uint64_t>(le32(header, kFileFixedFields)) << 32;
      }
    }
    if (type == kEndOfArchive) return directory;
    if (type == kMainHeader && (flags & kMainEncryptedHeaders) != 0) {
      directory.error = "encrypted headers";
      return directory;
    }
    if (type == kFileHeader) {
      const std::size_t name_at = kFileFixedFields + ((flags & kFileLargeSizes) != 0 ? 8 : 0);
      const std::size_t name_size = le16(header, 26);
      if (!fits(header, name_at, name_size)) {
        directory.error = "file name runs past its header";
        return directory;
      }
      if (directory.files.size() >= max_entries) {
        directory.more_entries = true;
        return directory;
      }
      RarFileHeader& file = directory.files.emplace_back();
      file.host = static_cast<std::uint8_t>(header[15]);
      file.attributes = le32(header, 28);
      std::string_view name = header.substr(name_at, name_size);
      // A Unicode name is the OEM name, a NUL, then the Unicode form in RAR's own encoding;
      // without the OEM part the name is UTF-8.
      if ((flags & kFileUnicodeName) != 0) {
        if (const std::size_t nul = name.find('\0'); nul != std::string_view::npos) name = name.substr(0, nul);
      }
      file.raw_name.assign(name.substr(0, kMaxNameBytes));
    }
    if (data_size > bytes.size() - at - header_size) {
      directory.error = "block data runs past the end of the archive";
      return directory;
    }
    at += header_size + static_cast<std::size_t>(data_size);
  }
  return directory;
}

}  // namespace vigie::objects::archive
