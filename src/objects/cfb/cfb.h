// A reader of Compound File Binary files ([MS-CFB], "OLE2"): the container of .doc, .xls, .ppt,
// .msg, vbaProject.bin, embedded OLE objects and encrypted OOXML packages. It reads a byte view the
// caller keeps alive, and gives the directory entries with their storage paths ("Macros/VBA/dir")
// and the bytes of any stream. Every file is hostile until read: sector chains are followed with a
// visited bitmap (a loop or a shared sector is an error, so a chain is never longer than the file
// has sectors), the directory is read up to a maximum number of entries, a stream is never read
// beyond the file's size nor the caller's budget, and the sector sizes are the two the
// specification allows. Malformed input is an error value, never an exception.
//
// The directory's red-black tree is only used to learn which entry belongs to which storage; the
// colours and the ordering are ignored (producers get them wrong, and nothing here depends on
// them). Entries the tree does not reach are still listed, under their bare name.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "vigie/result.h"

namespace vigie::objects::cfb {

// The first bytes of every compound file.
inline constexpr std::string_view kSignature{"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8};
inline bool has_signature(std::string_view bytes) { return bytes.starts_with(kSignature); }

enum class EntryType : std::uint8_t { kUnused = 0, kStorage = 1, kStream = 2, kRoot = 5 };

struct Entry {
  std::uint32_t index = 0;      // in the directory
  EntryType type = EntryType::kUnused;
  std::string name;             // UTF-8 ("\x01Ole10Native" keeps its control character)
  std::string path;             // storage names and the entry's, '/'-separated, the root left out
  std::uint32_t parent = kNoParent;  // the storage holding it; kNoParent for the root and orphans
  std::uint32_t start_sector = 0;
  std::uint64_t size = 0;       // declared stream size (for a version 3 file, its low 32 bits)
  std::string clsid;            // the 16 bytes of a storage's class id, as stored
  static constexpr std::uint32_t kNoParent = 0xFFFFFFFF;
};

struct Limits {
  std::uint32_t max_directory_entries = 8192;  // entries read; the rest are not listed
};

// UTF-16LE text as UTF-8, stopping at the first NUL; unpaired surrogates become U+FFFD. Directory
// names, and the Unicode strings of the formats stored in compound files, are UTF-16LE.
std::string utf16le_to_utf8(std::string_view bytes);

class CompoundFile {
 public:
  // Reads the header, the allocation tables and the directory. `bytes` must outlive the object.
  [[nodiscard]] static Result<CompoundFile> open(std::string_view bytes, const Limits& limits = {});

  const std::vector<Entry>& entries() const { return entries_; }
  // True when the directory held more entries than Limits::max_directory_entries.
  bool directory_truncated() const { return directory_truncated_; }
  // The entry at `path` (ASCII case-insensitive, as [MS-CFB] compares names); nullptr when none.
  const Entry* find(std::string_view path) const;
  // The entries whose parent is `storage`.
  std::vector<const Entry*> children(const Entry& storage) const;

  // The first min(entry.size, max_bytes) bytes of a stream. An error when the stream's sectors
  // leave the file, loop, or end before that many bytes.
  [[nodiscard]] Result<std::string> read(const Entry& stream, std::uint64_t max_bytes) const;

 private:
  CompoundFile() = default;
  Result<std::vector<std::uint32_t>> chain(std::uint32_t start, const std::vector<std::uint32_t>& table,
                                           std::uint64_t max_links, std::uint64_t address_count) const;
  Result<std::string> read_regular(std::uint32_t start, std::uint64_t length) const;
  Result<void> read_fat();
  Result<void> read_directory(const Limits& limits);
  void assign_paths();

  std::string_view bytes_;
  std::uint32_t major_version_ = 3;
  std::uint32_t sector_size_ = 512;
  std::uint32_t mini_sector_size_ = 64;
  std::uint32_t mini_cutoff_ = 4096;
  std::uint64_t sector_count_ = 0;  // sectors the file holds after the header
  std::vector<std::uint32_t> fat_;
  std::vector<std::uint32_t> mini_fat_;
  std::string mini_stream_;
  std::vector<Entry> entries_;
  struct Links {
    std::uint32_t left = 0xFFFFFFFF;
    std::uint32_t right = 0xFFFFFFFF;
    std::uint32_t child = 0xFFFFFFFF;
  };
  std::vector<Links> links_;  // the directory tree, while open() places the entries
  bool directory_truncated_ = false;
  // Header fields kept for the later steps of open().
  std::uint32_t first_directory_sector_ = 0;
  std::uint32_t first_mini_fat_sector_ = 0;
  std::uint32_t mini_fat_sector_count_ = 0;
  std::uint32_t first_difat_sector_ = 0;
  std::uint32_t difat_sector_count_ = 0;
  std::uint32_t fat_sector_count_ = 0;
};

}  // namespace vigie::objects::cfb
