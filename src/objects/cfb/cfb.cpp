// The compound file reader (see cfb.h). Offsets and sizes are [MS-CFB] 2.2 (header), 2.3-2.5
// (FAT, DIFAT, MiniFAT) and 2.6 (directory entries).
#include "objects/cfb/cfb.h"

#include <unicode/utf8.h>

#include <algorithm>
#include <cstring>

#include "common/ascii.h"
#include "common/byte_reader.h"

namespace vigie::objects::cfb {
namespace {

using bytes::le16;
using bytes::le32;
using bytes::le64;

constexpr std::uint32_t kMaxRegularSector = 0xFFFFFFFA;
constexpr std::uint32_t kEndOfChain = 0xFFFFFFFE;
constexpr std::uint32_t kNoStream = 0xFFFFFFFF;
constexpr std::size_t kHeaderSize = 512;
constexpr std::size_t kEntrySize = 128;
constexpr std::size_t kHeaderDifatEntries = 109;

Error malformed(std::string what) { return Error::invalid_argument("compound file: " + std::move(what)); }

}  // namespace

std::string utf16le_to_utf8(std::string_view bytes) {
  std::string out;
  out.reserve(bytes.size() / 2);
  for (std::size_t i = 0; i + 1 < bytes.size(); i += 2) {
    UChar32 c = le16(bytes, i);
    if (c == 0) break;
    if (U16_IS_LEAD(c)) {
      if (i + 3 < bytes.size() && U16_IS_TRAIL(le16(bytes, i + 2))) {
        c = U16_GET_SUPPLEMENTARY(c, le16(bytes, i + 2));
        i += 2;
      } else {
        c = 0xFFFD;
      }
    } else if (U16_IS_TRAIL(c)) {
      c = 0xFFFD;
    }
    char buffer[U8_MAX_LENGTH];
    std::int32_t length = 0;
    UBool error = false;
    U8_APPEND(buffer, length, U8_MAX_LENGTH, c, error);
    if (!error) out.append(buffer, static_cast<std::size_t>(length));
  }
  return out;
}

Result<CompoundFile> CompoundFile::open(std::string_view bytes, const Limits& limits) {
  if (bytes.size() < kHeaderSize || !has_signature(bytes)) return fail(malformed("no compound file header"));
  CompoundFile file;
  file.bytes_ = bytes;
  file.major_version_ = le16(bytes, 0x1A);
  if (le16(bytes, 0x1C) != 0xFFFE) return fail(malformed("byte order mark is not little-endian"));
  const std::uint16_t sector_shift = le16(bytes, 0x1E);
  const std::uint16_t mini_shift = le16(bytes, 0x20);
  // Version 3 files use 512-byte sectors and version 4 files 4096-byte ones; writers that mix them
  // exist, so either size is read whatever the version says, and nothing else is.
  if (sector_shift != 9 && sector_shift != 12) {
    return fail(malformed("sector shift " + std::to_string(sector_shift) + " (9 or 12 expected)"));
  }
  if (mini_shift != 6) return fail(malformed("mini sector shift " + std::to_string(mini_shift) + " (6 expected)"));
  file.sector_size_ = 1u << sector_shift;
  file.mini_sector_size_ = 1u << mini_shift;
  file.fat_sector_count_ = le32(bytes, 0x2C);
  file.first_directory_sector_ = le32(bytes, 0x30);
  file.mini_cutoff_ = le32(bytes, 0x38);
  if (file.mini_cutoff_ != 4096) return fail(malformed("mini stream cutoff is not 4096"));
  file.first_mini_fat_sector_ = le32(bytes, 0x3C);
  file.mini_fat_sector_count_ = le32(bytes, 0x40);
  file.first_difat_sector_ = le32(bytes, 0x44);
  file.difat_sector_count_ = le32(bytes, 0x48);
  // The header occupies the first sector's place (512 bytes, padded to 4096 in version 4).
  if (bytes.size() < file.sector_size_) return fail(malformed("shorter than one sector"));
  file.sector_count_ = (bytes.size() - file.sector_size_ + file.sector_size_ - 1) / file.sector_size_;

  if (auto fat = file.read_fat(); !fat) return fail(fat.error());
  if (auto directory = file.read_directory(limits); !directory) return fail(directory.error());
  file.assign_paths();

  // The mini stream lives in regular sectors from the root entry; the MiniFAT chains through it.
  const Entry& root = file.entries_.front();
  if (root.size > 0 && root.start_sector <= kMaxRegularSector) {
    auto mini = file.read_regular(root.start_sector, std::min<std::uint64_t>(root.size, bytes.size()));
    if (mini) file.mini_stream_ = std::move(*mini);
  }
  if (file.first_mini_fat_sector_ <= kMaxRegularSector && file.mini_fat_sector_count_ > 0) {
    const std::uint64_t length =
        std::min<std::uint64_t>(std::uint64_t{file.mini_fat_sector_count_} * file.sector_size_, bytes.size());
    // A broken MiniFAT leaves the small streams unreadable (each read then says so), not the file.
    if (auto table = file.read_regular(file.first_mini_fat_sector_, length)) {
      file.mini_fat_.resize(table->size() / 4);
      for (std::size_t i = 0; i < file.mini_fat_.size(); ++i) file.mini_fat_[i] = le32(*table, i * 4);
    }
  }
  return file;
}

Result<void> CompoundFile::read_fat() {
  // The DIFAT lists the FAT's sectors: 109 in the header, then a chain of DIFAT sectors each
  // ending with the next one's number. Bounded by the sectors the file has, and loop-checked.
  std::vector<std::uint32_t> fat_sectors;
  const auto add = [&](std::uint32_t sector) {
    if (sector <= kMaxRegularSector && fat_sectors.size() < sector_count_) fat_sectors.push_back(sector);
  };
  for (std::size_t i = 0; i < kHeaderDifatEntries; ++i) add(le32(bytes_, 0x4C + 4 * i));
  std::vector<bool> seen(sector_count_, false);
  std::uint32_t difat = first_difat_sector_;
  for (std::uint32_t n = 0; n < difat_sector_count_ && difat <= kMaxRegularSector; ++n) {
    if (difat >= sector_count_ || seen[difat]) return fail(malformed("DIFAT chain leaves the file or loops"));
    seen[difat] = true;
    const std::uint64_t at = (std::uint64_t{difat} + 1) * sector_size_;
    if (at + sector_size_ > bytes_.size()) return fail(malformed("DIFAT sector beyond the end of the file"));
    const std::size_t per_sector = sector_size_ / 4 - 1;
    for (std::size_t i = 0; i < per_sector; ++i) add(le32(bytes_, static_cast<std::size_t>(at) + 4 * i));
    difat = le32(bytes_, static_cast<std::size_t>(at) + 4 * per_sector);
  }
  if (fat_sectors.empty()) return fail(malformed("no FAT sector"));
  fat_.reserve(fat_sectors.size() * (sector_size_ / 4));
  for (std::uint32_t sector : fat_sectors) {
    const std::uint64_t at = (std::uint64_t{sector} + 1) * sector_size_;
    if (at + sector_size_ > bytes_.size()) return fail(malformed("FAT sector beyond the end of the file"));
    for (std::size_t i = 0; i < sector_size_ / 4; ++i) fat_.push_back(le32(bytes_, static_cast<std::size_t>(at) + 4 * i));
  }
  return {};
}

Result<std::vector<std::uint32_t>> CompoundFile::chain(std::uint32_t start, const std::vector<std::uint32_t>& table,
                                                       std::uint64_t max_links, std::uint64_t address_count) const {
  std::vector<std::uint32_t> links;
  std::vector<bool> visited(static_cast<std::size_t>(std::min<std::uint64_t>(address_count, table.size())), false);
  std::uint32_t sector = start;
  while (links.size() < max_links) {
    if (sector == kEndOfChain) break;
    if (sector >= visited.size()) return fail(malformed("sector chain leaves the allocation table"));
    if (visited[sector]) return fail(malformed("sector chain loops"));
    visited[sector] = true;
    links.push_back(sector);
    sector = table[sector];
  }
  return links;
}

Result<std::string> CompoundFile::read_regular(std::uint32_t start, std::uint64_t length) const {
  length = std::min<std::uint64_t>(length, bytes_.size());
  const std::uint64_t needed = (length + sector_size_ - 1) / sector_size_;
  auto sectors = chain(start, fat_, needed, sector_count_);
  if (!sectors) return fail(sectors.error());
  std::string out;
  out.reserve(static_cast<std::size_t>(length));
  for (std::uint32_t sector : *sectors) {
    const std::uint64_t at = (std::uint64_t{sector} + 1) * sector_size_;
    const std::uint64_t take = std::min<std::uint64_t>(sector_size_, length - out.size());
    // The last sector of a file may be cut short by its writer; the bytes that are there count.
    if (at >= bytes_.size()) return fail(malformed("sector beyond the end of the file"));
    const std::uint64_t available = std::min<std::uint64_t>(take, bytes_.size() - at);
    out.append(bytes_.substr(static_cast<std::size_t>(at), static_cast<std::size_t>(available)));
    if (available < take) break;
  }
  if (out.size() < length) return fail(malformed("stream ends before its declared size"));
  return out;
}

Result<void> CompoundFile::read_directory(const Limits& limits) {
  if (first_directory_sector_ > kMaxRegularSector) return fail(malformed("no directory"));
  const std::uint64_t max_bytes = std::uint64_t{limits.max_directory_entries} * kEntrySize;
  // The directory has no declared size in version 3: its chain's length is its size.
  auto sectors = chain(first_directory_sector_, fat_, sector_count_, sector_count_);
  if (!sectors) return fail(sectors.error());
  const std::uint64_t total = std::uint64_t{sectors->size()} * sector_size_;
  if (total > max_bytes) directory_truncated_ = true;
  auto directory = read_regular(first_directory_sector_, std::min(total, max_bytes));
  if (!directory) return fail(directory.error());
  const std::string_view d = *directory;
  for (std::size_t at = 0; at + kEntrySize <= d.size(); at += kEntrySize) {
    Entry e;
    e.index = static_cast<std::uint32_t>(at / kEntrySize);
    const std::uint8_t type = static_cast<std::uint8_t>(d[at + 66]);
    e.type = type == 1 || type == 2 || type == 5 ? static_cast<EntryType>(type) : EntryType::kUnused;
    const std::uint16_t name_bytes = std::min<std::uint16_t>(le16(d, at + 64), 64);
    e.name = utf16le_to_utf8(d.substr(at, name_bytes));
    e.clsid = std::string(d.substr(at + 80, 16));
    e.start_sector = le32(d, at + 116);
    e.size = le64(d, at + 120);
    if (major_version_ == 3) e.size &= 0xFFFFFFFF;  // the high half is undefined in version 3
    entries_.push_back(std::move(e));
  }
  if (entries_.empty() || entries_.front().type != EntryType::kRoot) return fail(malformed("no root entry"));
  // Siblings and children are read again in assign_paths; keep them beside the entries.
  links_.resize(entries_.size());
  for (std::size_t i = 0; i < entries_.size(); ++i) {
    const std::size_t at = i * kEntrySize;
    links_[i] = {le32(d, at + 68), le32(d, at + 72), le32(d, at + 76)};
  }
  return {};
}

void CompoundFile::assign_paths() {
  // Depth-first over the tree: a storage's child is the root of a binary tree of its members,
  // linked by left and right siblings. Each entry is placed once (the visited flags), so a
  // directory that links an entry twice or in a cycle costs one pass.
  std::vector<bool> placed(entries_.size(), false);
  std::vector<std::uint32_t> storages{0};
  placed[0] = true;
  while (!storages.empty()) {
    const std::uint32_t storage = storages.back();
    storages.pop_back();
    std::vector<std::uint32_t> pending{links_[storage].child};
    while (!pending.empty()) {
      const std::uint32_t i = pending.back();
      pending.pop_back();
      if (i == kNoStream || i >= entries_.size() || placed[i]) continue;
      placed[i] = true;
      Entry& e = entries_[i];
      e.parent = storage;
      e.path = storage == 0 ? e.name : entries_[storage].path + "/" + e.name;
      pending.push_back(links_[i].left);
      pending.push_back(links_[i].right);
      if (e.type == EntryType::kStorage) storages.push_back(i);
    }
  }
  for (std::size_t i = 1; i < entries_.size(); ++i) {
    if (!placed[i]) entries_[i].path = entries_[i].name;
  }
  links_.clear();
  links_.shrink_to_fit();
}

const Entry* CompoundFile::find(std::string_view path) const {
  for (const Entry& e : entries_) {
    if (e.type != EntryType::kUnused && e.index != 0 && ascii::iequals(e.path, path)) return &e;
  }
  return nullptr;
}

std::vector<const Entry*> CompoundFile::children(const Entry& storage) const {
  std::vector<const Entry*> out;
  for (const Entry& e : entries_) {
    if (e.parent == storage.index && e.index != storage.index) out.push_back(&e);
  }
  return out;
}

Result<std::string> CompoundFile::read(const Entry& stream, std::uint64_t max_bytes) const {
  if (stream.type != EntryType::kStream && stream.type != EntryType::kRoot) {
    return fail(malformed("'" + stream.path + "' is not a stream"));
  }
  if (stream.size > bytes_.size()) return fail(malformed("'" + stream.path + "' is larger than the file"));
  const std::uint64_t length = std::min(stream.size, max_bytes);
  if (length == 0) return std::string{};
  if (stream.size >= mini_cutoff_ || stream.type == EntryType::kRoot) return read_regular(stream.start_sector, length);

  const std::uint64_t needed = (length + mini_sector_size_ - 1) / mini_sector_size_;
  auto sectors = chain(stream.start_sector, mini_fat_, needed, mini_stream_.size() / mini_sector_size_);
  if (!sectors) return fail(sectors.error());
  std::string out;
  out.reserve(static_cast<std::size_t>(length));
  for (std::uint32_t sector : *sectors) {
    const std::size_t at = std::size_t{sector} * mini_sector_size_;
    const std::size_t take = static_cast<std::size_t>(std::min<std::uint64_t>(mini_sector_size_, length - out.size()));
    out.append(std::string_view(mini_stream_).substr(at, take));
  }
  if (out.size() < length) return fail(malformed("'" + stream.path + "' ends before its declared size"));
  return out;
}

}  // namespace vigie::objects::cfb
