// The cabinet file entries (see cab_directory.h).
#include "objects/archive/cab_directory.h"

#include "common/byte_reader.h"

namespace vigie::objects::archive {
namespace {

using bytes::fits;
using bytes::le16;
using bytes::le32;

constexpr std::string_view kSignature{"MSCF\0\0\0\0", 8};
constexpr std::size_t kHeaderSize = 36;
constexpr std::size_t kEntryFixed = 16;  // up to and with the attributes
constexpr std::size_t kMaxName = 256;    // CB_MAX_FILENAME

}  // namespace

CabDirectory read_cab_directory(std::string_view bytes, std::uint32_t max_entries) {
  CabDirectory directory;
  if (!fits(bytes, 0, kHeaderSize) || bytes.substr(0, kSignature.size()) != kSignature) {
    directory.error = "no cabinet header";
    return directory;
  }
  // coffFiles is an absolute offset: the optional reserve areas move nothing here.
  std::size_t at = le32(bytes, 16);
  const std::uint16_t declared = le16(bytes, 28);  // cFiles
  for (std::uint16_t i = 0; i < declared; ++i) {
    if (directory.files.size() >= max_entries) {
      directory.more_entries = true;
      return directory;
    }
    if (!fits(bytes, at, kEntryFixed + 1)) {
      directory.error = "file entry past the end of the cabinet";
      return directory;
    }
    const std::string_view name_area = bytes.substr(at + kEntryFixed, kMaxName + 1);
    const std::size_t nul = name_area.find('\0');
    if (nul == std::string_view::npos) {
      directory.error = "file name without its end";
      return directory;
    }
    CabFileEntry& file = directory.files.emplace_back();
    file.attributes = le16(bytes, at + 14);
    file.raw_name.assign(name_area.substr(0, nul));
    at += kEntryFixed + nul + 1;
  }
  return directory;
}

std::string cab_inconsistency(std::string_view bytes) {
  if (!fits(bytes, 0, kHeaderSize) || bytes.substr(0, kSignature.size()) != kSignature) return "no cabinet header";
  if (le32(bytes, 8) > bytes.size()) return "shorter than its header says";
  const std::uint16_t folders = le16(bytes, 26);
  const std::uint16_t flags = le16(bytes, 30);
  if ((flags & 0x3) != 0) return "part of a set spanning several cabinets";
  std::size_t at = kHeaderSize;
  std::size_t folder_reserve = 0;
  std::size_t data_reserve = 0;
  if ((flags & 0x4) != 0) {  // cfhdrRESERVE_PRESENT
    if (!fits(bytes, at, 4)) return "reserve sizes past the end";
    const std::size_t header_reserve = le16(bytes, at);
    folder_reserve = static_cast<unsigned char>(bytes[at + 2]);
    data_reserve = static_cast<unsigned char>(bytes[at + 3]);
    at += 4 + header_reserve;
  }
  std::vector<std::uint64_t> folder_bytes;  // uncompressed bytes each folder's data blocks hold
  for (std::uint16_t f = 0; f < folders; ++f, at += 8 + folder_reserve) {
    if (!fits(bytes, at, 8)) return "folder entry past the end";
    std::size_t block = le32(bytes, at);
    const std::uint16_t blocks = le16(bytes, at + 4);
    const bool stored = (le16(bytes, at + 6) & 0xF) == 0;  // typeCompress NONE
    std::uint64_t total = 0;
    for (std::uint16_t b = 0; b < blocks; ++b) {
      if (!fits(bytes, block, 8 + data_reserve)) return "data block past the end";
      const std::size_t size = le16(bytes, block + 4);
      const std::size_t uncompressed = le16(bytes, block + 6);
      // No block holds more than 32 KiB, and a stored one holds its bytes as they are (MS-CAB
      // 2.4); libarchive reads past a stored block that claims more (fuzz_archive).
      if (uncompressed > 0x8000 || (stored && size != uncompressed)) return "data block of an impossible size";
      total += uncompressed;
      block += 8 + data_reserve + size;
      if (block > bytes.size()) return "data block past the end";
    }
    folder_bytes.push_back(total);
  }
  std::size_t entry = le32(bytes, 16);
  for (std::uint16_t i = 0, files = le16(bytes, 28); i < files; ++i) {
    if (!fits(bytes, entry, kEntryFixed + 1)) return "file entry past the end";
    const std::uint64_t size = le32(bytes, entry);
    const std::uint64_t offset = le32(bytes, entry + 4);
    const std::uint16_t folder = le16(bytes, entry + 8);
    if (folder >= folder_bytes.size() || offset + size > folder_bytes[folder]) return "file data past its folder's data";
    const std::size_t nul = bytes.substr(entry + kEntryFixed, kMaxName + 1).find('\0');
    if (nul == std::string_view::npos) return "file name without its end";
    entry += kEntryFixed + nul + 1;
  }
  return "";
}

}  // namespace vigie::objects::archive
