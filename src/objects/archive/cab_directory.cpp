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

}  // namespace vigie::objects::archive
