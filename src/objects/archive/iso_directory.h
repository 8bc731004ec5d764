// A bounded walk of an ISO 9660 image's directory trees (the primary one and Joliet's), for what
// libarchive 3.6 reads there and drops: the directory record's "existence" flag (ECMA-119
// 9.1.6, bit 0), which Windows shows as the hidden attribute when it mounts the image. An ISO
// holding a visible shortcut beside a hidden DLL is how the shortcut's target stays out of sight.
// Also tells a UDF-only image (no ISO 9660 tree for libarchive to read) from a damaged one.
// Bounds: at most `max_records` directory records and kMaxIsoDepth levels are read, each
// directory extent once (a loop of directories ends) and at most twice the image's size of
// directory extents over both trees (directories that overlap), every offset checked.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vigie::objects::archive {

inline constexpr std::size_t kMaxIsoDepth = 32;

struct IsoHiddenFile {
  std::string path;  // in UTF-8, from the root, without ";1": "bin/VERSION.DLL", Joliet's "bin/version.dll"
  bool directory = false;
};

struct IsoDirectory {
  bool iso9660 = false;           // a primary volume descriptor was found
  bool joliet = false;            // and a Joliet supplementary one
  bool udf = false;               // a UDF volume recognition sequence (NSR02/NSR03) was found
  std::vector<IsoHiddenFile> hidden;  // records flagged hidden, from both trees (a name may appear twice)
  std::uint64_t records = 0;      // directory records read
  bool more_records = false;      // stopped at max_records
  std::string error;              // why a walk stopped early ("" when it did not)
};

IsoDirectory read_iso_directory(std::string_view bytes, std::uint64_t max_records);

// Whether `bytes` hold a UDF volume (its recognition sequence from sector 16 on): Windows shows
// an image's UDF tree before its ISO 9660 one, and libarchive 3.6 reads no UDF.
bool has_udf_volume(std::string_view bytes);

}  // namespace vigie::objects::archive
