// Fuzz target for our readers of archive directories that libarchive reads and drops the Windows
// attributes of (src/objects/archive): the zip central directory (end record, ZIP64 record and
// locator, records), the RAR 4 block walk and the cabinet's file entries on the input as it is, and the ISO 9660 walk (volume descriptors,
// primary and Joliet trees, UDF recognition) on the input placed at sector 16, where an image's
// descriptors start, so that the fuzzer does not have to grow 32 KiB of system area first. It owns
// only the harness.
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "fuzz_support.h"
#include "objects/archive/cab_directory.h"
#include "objects/archive/iso_directory.h"
#include "objects/archive/rar_directory.h"
#include "objects/archive/zip_directory.h"

using vigie::fuzz::consume;
using vigie::fuzz::require;
namespace archive = vigie::objects::archive;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  for (const std::uint32_t max_entries : {64u, 2u}) {
    const archive::ZipDirectory zip = archive::read_zip_directory(bytes, max_entries);
    require(zip.entries.size() <= max_entries, "zip records bounded by max_entries");
    require(!zip.more_entries || zip.entries.size() == max_entries, "more_entries only at the bound");
    for (const archive::ZipDirectoryEntry& e : zip.entries) {
      require(e.raw_name.size() <= 1024 && e.raw_name.size() <= size, "zip names bounded");
      require((e.windows_attributes() & ~0xFFu) == 0, "DOS attributes are one byte");
      consume(e.raw_name);
    }
  }
  for (const std::uint32_t max_entries : {64u, 2u}) {
    const archive::RarDirectory rar = archive::read_rar4_directory(bytes, max_entries);
    require(rar.files.size() <= max_entries, "RAR records bounded by max_entries");
    for (const archive::RarFileHeader& f : rar.files) {
      require(f.raw_name.size() <= 1024, "RAR names bounded");
      consume(f.raw_name);
      consume(f.windows_attributes());
    }
  }
  for (const std::uint32_t max_entries : {64u, 2u}) {
    const archive::CabDirectory cab = archive::read_cab_directory(bytes, max_entries);
    require(cab.files.size() <= max_entries, "cabinet entries bounded by max_entries");
    for (const archive::CabFileEntry& f : cab.files) {
      require(f.raw_name.size() <= 256, "cabinet names bounded");
      consume(f.raw_name);
    }
  }
  if (const auto end = archive::find_zip_end_record(bytes)) {
    require(end->position + 22 <= size && end->directory_end <= end->position, "end record inside the input");
    consume(end->entries);
  }

  const std::string image = std::string(16 * 2048, '\0') + std::string(bytes);
  for (const std::uint64_t max_records : {256u, 3u}) {
    const archive::IsoDirectory iso = archive::read_iso_directory(image, max_records);
    require(iso.records <= max_records, "ISO records bounded by max_records");
    require(iso.hidden.size() <= iso.records, "hidden files are records read");
    for (const archive::IsoHiddenFile& f : iso.hidden) {
      require(vigie::fuzz::well_formed_utf8(f.path), "ISO paths are UTF-8");
      // 255-byte names, at most tripled by UTF-8, a separator per level.
      require(f.path.size() <= archive::kMaxIsoDepth * (3 * 255 + 1), "ISO paths bounded by the depth");
      consume(f.path);
    }
    require(archive::has_udf_volume(image) == iso.udf, "one descriptor scan");
  }
  return 0;
}
