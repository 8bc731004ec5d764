// The ISO 9660 directory walk (see iso_directory.h). Layouts: ECMA-119 (8.4 primary volume
// descriptor, 9.1 directory record), Joliet (supplementary descriptor with the UCS-2 escape
// sequences), ECMA-167 2/9.1 (UDF's volume recognition sequence).
#include "objects/archive/iso_directory.h"

#include <deque>
#include <set>

#include "common/byte_reader.h"
#include "parse/encoding/charset.h"

namespace vigie::objects::archive {
namespace {

using bytes::fits;
using bytes::le16;
using bytes::le32;

constexpr std::size_t kSectorSize = 2048;
constexpr std::size_t kFirstDescriptor = 16 * kSectorSize;
// Volume descriptors read before giving up on a terminator (images carry a handful).
constexpr std::size_t kMaxDescriptors = 64;
constexpr std::size_t kRootRecordOffset = 156;
constexpr std::size_t kRecordHeader = 33;
constexpr std::uint8_t kFlagHidden = 0x01;
constexpr std::uint8_t kFlagDirectory = 0x02;

struct Tree {
  std::size_t root = 0;  // offset of the root directory record
  std::size_t block_size = kSectorSize;
  bool joliet = false;
};

std::string record_name(std::string_view raw, bool joliet) {
  // Joliet names are UCS-2; the primary tree's are ASCII d-characters, or UTF-8 from Rock
  // Ridge-era tools; other bytes go to charset detection.
  std::string name;
  parse::convert_to_utf8(raw, joliet ? "UTF-16BE" : "", name);
  // "NAME.EXT;1" → "NAME.EXT"; a name with no extension is stored "NAME.;1".
  if (const std::size_t semicolon = name.rfind(';'); semicolon != std::string::npos) name.resize(semicolon);
  if (!name.empty() && name.back() == '.') name.pop_back();
  return name;
}

class Walk {
 public:
  Walk(std::string_view bytes, std::uint64_t max_records, IsoDirectory& out)
      : bytes_(bytes), max_records_(max_records), budget_(2 * static_cast<std::uint64_t>(bytes.size())), out_(out) {}

  void tree(const Tree& tree) {
    struct Pending {
      std::uint64_t extent;
      std::uint64_t size;
      std::string path;
      std::size_t depth;
    };
    std::deque<Pending> pending;
    pending.push_back({le32(bytes_, tree.root + 2), le32(bytes_, tree.root + 10), "", 0});
    std::set<std::uint64_t> seen;
    while (!pending.empty() && !out_.more_records) {
      const Pending dir = std::move(pending.front());
      pending.pop_front();
      if (!seen.insert(dir.extent).second) continue;  // a directory that contains itself
      const std::uint64_t start = dir.extent * tree.block_size;
      if (start > bytes_.size() || dir.size > bytes_.size() - start) {
        out_.error = "a directory extent lies past the end of the image";
        continue;
      }
      // Directories that overlap (each spanning the whole image) would each be walked in full.
      if (dir.size > budget_) {
        out_.error = "directories larger than the image";
        return;
      }
      budget_ -= dir.size;
      const std::string_view extent = bytes_.substr(static_cast<std::size_t>(start), static_cast<std::size_t>(dir.size));
      for (std::size_t at = 0; at < extent.size();) {
        const std::size_t length = static_cast<unsigned char>(extent[at]);
        if (length == 0) {  // records do not cross sectors: the rest of this one is padding
          at = (at / kSectorSize + 1) * kSectorSize;
          continue;
        }
        if (length < kRecordHeader || !fits(extent, at, length)) {
          out_.error = "a directory record runs past its directory";
          break;
        }
        const std::string_view record = extent.substr(at, length);
        at += length;
        const std::size_t name_length = static_cast<unsigned char>(record[32]);
        if (!fits(record, kRecordHeader, name_length)) {
          out_.error = "a directory record's name runs past the record";
          break;
        }
        const std::string_view raw = record.substr(kRecordHeader, name_length);
        if (raw.size() == 1 && (raw[0] == '\0' || raw[0] == '\x01')) continue;  // "." and ".."
        if (out_.records >= max_records_) {
          out_.more_records = true;
          return;
        }
        ++out_.records;
        const auto flags = static_cast<std::uint8_t>(record[25]);
        const std::string path = dir.path + record_name(raw, tree.joliet);
        if ((flags & kFlagHidden) != 0) out_.hidden.push_back({path, (flags & kFlagDirectory) != 0});
        if ((flags & kFlagDirectory) != 0) {
          if (dir.depth + 1 >= kMaxIsoDepth) {
            out_.error = "directories nested deeper than " + std::to_string(kMaxIsoDepth) + " levels";
            continue;
          }
          pending.push_back({le32(record, 2), le32(record, 10), path + "/", dir.depth + 1});
        }
      }
    }
  }

 private:
  std::string_view bytes_;
  std::uint64_t max_records_;
  std::uint64_t budget_;  // directory bytes left to walk over both trees: twice the image
  IsoDirectory& out_;
};

}  // namespace

namespace {

// The volume descriptors from sector 16 on, up to the first sector that is none.
std::vector<Tree> scan_descriptors(std::string_view bytes, IsoDirectory& out) {
  std::vector<Tree> trees;
  for (std::size_t i = 0; i < kMaxDescriptors; ++i) {
    const std::size_t at = kFirstDescriptor + i * kSectorSize;
    if (!fits(bytes, at, kSectorSize)) break;
    const std::string_view descriptor = bytes.substr(at, kSectorSize);
    const std::string_view id = descriptor.substr(1, 5);
    // UDF's volume recognition sequence follows ISO 9660's descriptors, or stands alone.
    if (id == "NSR02" || id == "NSR03") out.udf = true;
    if (id == "BEA01" || id == "TEA01" || id == "BOOT2" || id == "CDW02" || id == "NSR02" || id == "NSR03") continue;
    if (id != "CD001") break;
    const auto type = static_cast<unsigned char>(descriptor[0]);
    const std::string_view escapes = descriptor.substr(88, 3);
    const bool joliet = type == 2 && (escapes == "%/@" || escapes == "%/C" || escapes == "%/E");
    if (type != 1 && !joliet) continue;  // boot record, terminator, other supplementary volumes
    const std::uint16_t block_size = le16(descriptor, 128);
    if (block_size != 512 && block_size != 1024 && block_size != 2048) continue;
    out.iso9660 = out.iso9660 || type == 1;
    out.joliet = out.joliet || joliet;
    trees.push_back({at + kRootRecordOffset, block_size, joliet});
  }
  return trees;
}

}  // namespace

bool has_udf_volume(std::string_view bytes) {
  IsoDirectory out;
  scan_descriptors(bytes, out);
  return out.udf;
}

IsoDirectory read_iso_directory(std::string_view bytes, std::uint64_t max_records) {
  IsoDirectory out;
  const std::vector<Tree> trees = scan_descriptors(bytes, out);
  Walk walk(bytes, max_records, out);
  for (const Tree& tree : trees) walk.tree(tree);
  return out;
}

}  // namespace vigie::objects::archive
