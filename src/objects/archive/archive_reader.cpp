// The bounded libarchive reader (see archive_reader.h).
#include "objects/archive/archive_reader.h"

#include <archive.h>
#include <archive_entry.h>
#include <locale.h>

#include <algorithm>
#include <array>
#include <cwchar>
#include <map>
#include <memory>
#include <set>
#include <vector>

#include "common/ascii.h"
#include "objects/archive/cab_directory.h"
#include "objects/archive/iso_directory.h"
#include "objects/archive/rar_directory.h"
#include "objects/archive/zip_directory.h"
#include "parse/encoding/charset.h"

namespace vigie::objects::archive {
namespace {

constexpr std::size_t kChunk = 64u << 10;
// Below this a member may expand without limit: a few bytes of zeros are no bomb (the object
// queue's max_expansion_ratio uses the same floor).
constexpr std::uint64_t kExpansionFloor = 1u << 20;
// Longest member name kept (zip allows 64 KiB); longer ones are cut at a character boundary.
constexpr std::size_t kMaxNameBytes = 1024;
// What is kept of a member that expands past the ratio: enough for its type (signatures sit in
// the first bytes, ISO 9660's at 32 KiB) and its hashes' prefix; a program padded with zeros to
// escape scanners is still seen as a program.
constexpr std::uint64_t kIdentifyBytes = 64u << 10;
// What opens_with() reads of the member it tries.
constexpr std::uint64_t kProbeBytes = 64u << 10;
// Headers opens_with() passes before it finds an encrypted member.
constexpr std::uint32_t kProbeEntries = 1000;

// libarchive hands names out in the current locale's charset, and a process that never called
// setlocale() is in "C", where a UTF-8 name (zip's UTF-8 flag, 7z, RAR 5, Joliet) cannot be
// converted and comes back as NULL. Each read therefore runs in this thread's C.UTF-8 locale
// (glibc builds it in since 2.35), restored afterwards; the process's locale is never changed.
class Utf8LocaleScope {
 public:
  Utf8LocaleScope() {
    thread_local const Handle handle;
    if (handle.locale != static_cast<locale_t>(nullptr)) previous_ = uselocale(handle.locale);
  }
  ~Utf8LocaleScope() {
    if (previous_ != static_cast<locale_t>(nullptr)) uselocale(previous_);
  }
  Utf8LocaleScope(const Utf8LocaleScope&) = delete;
  Utf8LocaleScope& operator=(const Utf8LocaleScope&) = delete;

 private:
  struct Handle {
    locale_t locale = newlocale(LC_CTYPE_MASK, "C.UTF-8", static_cast<locale_t>(nullptr));
    Handle() = default;
    ~Handle() {
      if (locale != static_cast<locale_t>(nullptr)) freelocale(locale);
    }
    Handle(const Handle&) = delete;
    Handle& operator=(const Handle&) = delete;
  };
  locale_t previous_ = static_cast<locale_t>(nullptr);
};

struct ArchiveDeleter {
  void operator()(struct archive* a) const { archive_read_free(a); }
};
using ArchivePtr = std::unique_ptr<struct archive, ArchiveDeleter>;

// A handle that reads only the formats and filters we mean to read, all built into libarchive.
// Returns nullptr with `error` set when one of them would need an external program.
ArchivePtr new_reader(bool zip_by_local_headers, std::string& error) {
  ArchivePtr a(archive_read_new());
  if (!a) {
    error = "libarchive could not allocate a reader";
    return nullptr;
  }
  using Support = int (*)(struct archive*);
  // A filter that libarchive was built without falls back to running a program (ARCHIVE_WARN):
  // nothing may be run, so the read is refused instead. Debian's build has them all.
  // No lzma ("LZMA alone"): it has no signature, and libarchive's guess took a Windows shortcut
  // for an LZMA stream (its header reads as plausible LZMA properties); .lzma files are rare in mail.
  constexpr std::array<std::pair<const char*, Support>, 5> kFilters{{
      {"gzip", archive_read_support_filter_gzip},
      {"bzip2", archive_read_support_filter_bzip2},
      {"xz", archive_read_support_filter_xz},
      {"lzip", archive_read_support_filter_lzip},
      {"zstd", archive_read_support_filter_zstd},
  }};
  for (const auto& [name, support] : kFilters) {
    if (support(a.get()) != ARCHIVE_OK) {
      error = std::string("libarchive has no built-in ") + name + " decoder";
      return nullptr;
    }
  }
  const Support zip = zip_by_local_headers ? archive_read_support_format_zip_streamable
                                           : archive_read_support_format_zip;
  for (const Support support : {zip, archive_read_support_format_7zip, archive_read_support_format_rar,
                                archive_read_support_format_rar5, archive_read_support_format_tar,
                                archive_read_support_format_cab, archive_read_support_format_iso9660,
                                archive_read_support_format_raw}) {
    if (support(a.get()) != ARCHIVE_OK) {
      error = std::string("libarchive could not enable a format: ") + archive_error_string(a.get());
      return nullptr;
    }
  }
  return a;
}

std::string error_of(struct archive* a) {
  const char* text = archive_error_string(a);
  return text != nullptr ? text : "unknown libarchive error";
}

// Formats whose names, without the UTF-8 flag, are in the OEM code page of the Windows that made
// them.
bool oem_names(int format) {
  const int family = format & ARCHIVE_FORMAT_BASE_MASK;
  return family == ARCHIVE_FORMAT_ZIP || family == ARCHIVE_FORMAT_RAR || family == ARCHIVE_FORMAT_CAB;
}

void append_utf8(std::string& out, wchar_t c) {
  const auto u = static_cast<std::uint32_t>(c);
  if (u < 0x80) {
    out += static_cast<char>(u);
  } else if (u < 0x800) {
    out += static_cast<char>(0xC0 | (u >> 6));
    out += static_cast<char>(0x80 | (u & 0x3F));
  } else if (u < 0x10000 && (u < 0xD800 || u > 0xDFFF)) {
    out += static_cast<char>(0xE0 | (u >> 12));
    out += static_cast<char>(0x80 | ((u >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (u & 0x3F));
  } else if (u >= 0x10000 && u < 0x110000) {
    out += static_cast<char>(0xF0 | (u >> 18));
    out += static_cast<char>(0x80 | ((u >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((u >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (u & 0x3F));
  } else {
    out += "\xEF\xBF\xBD";
  }
}

// Cuts a UTF-8 string at kMaxNameBytes without splitting a character.
void cap_name(std::string& name) {
  if (name.size() <= kMaxNameBytes) return;
  std::size_t end = kMaxNameBytes;
  while (end > 0 && (static_cast<unsigned char>(name[end]) & 0xC0) == 0x80) --end;
  name.resize(end);
  name += "\xE2\x80\xA6";  // …
}

// A name as UTF-8: what libarchive gives under the UTF-8 locale, else its wide form; bytes that
// are not UTF-8 are an OEM code page (zip, RAR, cabinet) or left to charset detection.
std::string utf8_name(const char* narrow, const wchar_t* wide, int format, bool& recoded) {
  std::string out;
  if (narrow != nullptr) {
    const std::string_view raw(narrow);
    if (parse::is_valid_utf8(raw)) {
      out.assign(raw);
    } else {
      recoded = true;
      parse::convert_to_utf8(raw, oem_names(format) ? "ibm-850" : "", out);
    }
  } else if (wide != nullptr) {
    for (const wchar_t* p = wide; *p != L'\0' && out.size() <= kMaxNameBytes; ++p) append_utf8(out, *p);
  }
  cap_name(out);
  return out;
}

MemberKind kind_of(struct archive_entry* e) {
  if (archive_entry_hardlink(e) != nullptr) return MemberKind::kHardlink;
  switch (archive_entry_filetype(e)) {
    case AE_IFREG: return MemberKind::kFile;
    case AE_IFDIR: return MemberKind::kDirectory;
    case AE_IFLNK: return MemberKind::kSymlink;
    default: return MemberKind::kOther;
  }
}

std::uint64_t saturating_product(std::uint64_t a, std::uint64_t b) {
  if (a != 0 && b > UINT64_MAX / a) return UINT64_MAX;
  return a * b;
}

// Reads the current member's data into `member` within the caps (see ReadBounds).
void read_content(struct archive* a, Member& member, std::uint64_t member_cap, std::uint64_t total_cap,
                  std::uint64_t ratio_cap, std::vector<char>& chunk) {
  const std::uint64_t cap = std::min({member_cap, total_cap, ratio_cap});
  auto content = std::make_shared<std::string>();
  if (member.declared_size) content->reserve(static_cast<std::size_t>(std::min(*member.declared_size, cap)));
  member.stop = ContentStop::kComplete;
  for (;;) {
    const la_ssize_t n = archive_read_data(a, chunk.data(), chunk.size());
    if (n == 0) break;
    if (n < 0) {
      member.error = error_of(a);
      member.stop = member.encrypted ? ContentStop::kEncrypted : ContentStop::kError;
      break;
    }
    const auto got = static_cast<std::uint64_t>(n);
    member.produced += got;
    if (member.produced > cap) {
      if (ratio_cap == cap && ratio_cap < member_cap) {
        member.stop = ContentStop::kExpansion;
        content->resize(std::min<std::size_t>(content->size(), kIdentifyBytes));
      } else if (total_cap == cap && total_cap < member_cap) {
        member.stop = ContentStop::kTotalLimit;
      } else {
        member.stop = ContentStop::kMemberLimit;
        content->append(chunk.data(), static_cast<std::size_t>(got - (member.produced - cap)));
      }
      break;
    }
    content->append(chunk.data(), static_cast<std::size_t>(got));
  }
  if (member.stop == ContentStop::kComplete || member.stop == ContentStop::kMemberLimit ||
      member.stop == ContentStop::kExpansion || (member.stop == ContentStop::kError && !content->empty())) {
    member.content = std::move(content);
  }
}

// libarchive's zip reader loads the whole central directory before the first header (a million
// entries: 8.7 s and 370 MB measured), walking it to its end record whatever count that record
// gives. Past `max_entries`, by the end record or by the central directory signatures actually
// present (a lying count), the zip is read by its local headers instead, one at a time.
bool too_many_zip_entries(std::string_view bytes, std::uint64_t declared, std::uint32_t max_entries) {
  if (declared > max_entries) return true;
  std::uint64_t found = 0;
  for (std::size_t at = bytes.find("PK\x01\x02"); at != std::string_view::npos; at = bytes.find("PK\x01\x02", at + 4)) {
    if (++found > max_entries) return true;
  }
  return false;
}

bool mentions_encryption(const std::string& error) {
  return error.find("ncrypt") != std::string::npos || error.find("assphrase") != std::string::npos;
}

// The Windows attributes RAR 5 gives as libarchive's file flags text ("rdonly,hidden,system").
std::uint32_t attributes_of_flags(const char* text) {
  std::uint32_t attributes = 0;
  for (std::string_view rest = text != nullptr ? text : ""; !rest.empty();) {
    const std::size_t comma = rest.find(',');
    const std::string_view flag = rest.substr(0, comma);
    if (flag == "hidden") attributes |= kAttributeHidden;
    if (flag == "system") attributes |= kAttributeSystem;
    rest.remove_prefix(comma == std::string_view::npos ? rest.size() : comma + 1);
  }
  return attributes;
}

// Names compare with either separator: libarchive turns a DOS zip's backslashes into slashes.
std::string slash_name(std::string name) {
  std::replace(name.begin(), name.end(), '\\', '/');
  return name;
}

// libarchive 3.6 drops the hidden and system bits of zip, RAR 4 and cabinet members: they are
// read from the zip central directory, the RAR 4 file headers or the cabinet's file entries and
// matched to the members by name (converted as utf8_name converts them).
template <typename Entries>
void add_attributes_by_name(const Entries& entries, int format, std::vector<Member>& members) {
  std::map<std::string, std::uint32_t> attributes;
  for (const auto& entry : entries) {
    const std::uint32_t bits = entry.windows_attributes() & (kAttributeHidden | kAttributeSystem);
    if (bits == 0) continue;
    bool recoded = false;
    attributes[slash_name(utf8_name(entry.raw_name.c_str(), nullptr, format, recoded))] |= bits;
  }
  if (attributes.empty()) return;
  for (Member& member : members) {
    const auto it = attributes.find(slash_name(member.name));
    if (it != attributes.end()) member.windows_attributes |= it->second;
  }
}

// libarchive 3.6 reads an ISO 9660 directory record's flags for the directory bit only: the
// hidden bit is read by walking the trees again, and matched to the members by path, without
// case (libarchive names a member by its Rock Ridge or Joliet name, the primary tree in capitals).
void add_iso_attributes(std::string_view bytes, std::uint32_t max_entries, std::vector<Member>& members) {
  const IsoDirectory directory = read_iso_directory(bytes, max_entries);
  if (directory.hidden.empty()) return;
  std::set<std::string> hidden;
  for (const IsoHiddenFile& file : directory.hidden) hidden.insert(ascii::lowercase(file.path));
  for (Member& member : members) {
    std::string path = ascii::lowercase(member.name);
    if (path.ends_with('/')) path.pop_back();
    if (hidden.contains(path)) member.windows_attributes |= kAttributeHidden;
  }
}

}  // namespace

std::optional<std::uint64_t> zip_declared_entries(std::string_view bytes) {
  const std::optional<ZipEndRecord> end = find_zip_end_record(bytes);
  if (!end) return std::nullopt;
  return end->entries;
}

namespace {

// A cabinet libarchive must not see: its 3.6.2 reader dereferences a null pointer on an
// inconsistent one (cab_directory.h). "" for anything else.
std::string unsafe_cabinet(std::string_view bytes) {
  if (!bytes.starts_with("MSCF")) return "";
  const std::string why = cab_inconsistency(bytes);
  return why.empty() ? "" : "malformed cabinet (" + why + "): not read";
}

}  // namespace

Listing read_archive(std::string_view bytes, const ReadBounds& bounds, const std::string* passphrase) {
  Listing listing;
  const Utf8LocaleScope locale;
  listing.udf = has_udf_volume(bytes);
  listing.declared_entries = zip_declared_entries(bytes);
  const bool zip_by_local_headers = listing.declared_entries && too_many_zip_entries(bytes, *listing.declared_entries,
                                                                                     bounds.max_entries);
  ArchivePtr reader = new_reader(zip_by_local_headers, listing.error);
  if (!reader) return listing;
  struct archive* a = reader.get();
  if (passphrase != nullptr && archive_read_add_passphrase(a, passphrase->c_str()) != ARCHIVE_OK) {
    listing.error = error_of(a);
    return listing;
  }
  if (const std::string why = unsafe_cabinet(bytes); !why.empty()) {
    listing.error = why;
    return listing;
  }
  if (archive_read_open_memory(a, bytes.data(), bytes.size()) != ARCHIVE_OK) {
    listing.error = error_of(a);
    return listing;
  }

  // The object queue refuses a child of `ratio` × its parent's size or more: reading past that is waste.
  const std::uint64_t ratio_product = saturating_product(bounds.max_expansion_ratio, bytes.size());
  const std::uint64_t ratio_cap = std::max(kExpansionFloor, ratio_product == 0 ? 0 : ratio_product - 1);
  std::vector<char> chunk(kChunk);
  std::uint64_t members_read = 0;
  // Every call to next_header counts, RETRY included, so a reader that keeps asking again ends.
  for (std::uint64_t calls = 0;; ++calls) {
    if (listing.headers >= bounds.max_entries || calls >= 2ull * bounds.max_entries + 2) {
      struct archive_entry* next = nullptr;
      const int r = archive_read_next_header(a, &next);
      listing.more_entries = r == ARCHIVE_OK || r == ARCHIVE_WARN;
      break;
    }
    struct archive_entry* entry = nullptr;
    const int r = archive_read_next_header(a, &entry);
    if (r == ARCHIVE_EOF) break;
    if (r == ARCHIVE_RETRY) continue;
    if (r != ARCHIVE_OK && r != ARCHIVE_WARN) {
      listing.error = error_of(a);
      if (mentions_encryption(listing.error)) listing.encrypted = true;
      break;
    }
    const int format = archive_format(a);
    if (listing.headers == 0) {
      listing.format = archive_format_name(a) != nullptr ? archive_format_name(a) : "";
      listing.filter = archive_filter_name(a, 0) != nullptr ? archive_filter_name(a, 0) : "";
      if ((format & ARCHIVE_FORMAT_BASE_MASK) == ARCHIVE_FORMAT_RAW) {
        // The raw format takes anything: it is an archive only behind a compression filter.
        if (archive_filter_count(a) <= 1) {
          listing.error = "not an archive or a compressed file";
          return listing;
        }
        listing.single_stream = true;
      }
      listing.recognised = true;
    }
    ++listing.headers;
    Member& member = listing.members.emplace_back();
    member.name = utf8_name(archive_entry_pathname(entry), archive_entry_pathname_w(entry), format,
                            member.name_recoded);
    member.kind = listing.single_stream ? MemberKind::kFile : kind_of(entry);
    if (member.kind == MemberKind::kSymlink || member.kind == MemberKind::kHardlink) {
      bool recoded = false;
      member.link_target = member.kind == MemberKind::kSymlink
                               ? utf8_name(archive_entry_symlink(entry), archive_entry_symlink_w(entry), format, recoded)
                               : utf8_name(archive_entry_hardlink(entry), archive_entry_hardlink_w(entry), format, recoded);
    }
    if (archive_entry_size_is_set(entry) != 0 && archive_entry_size(entry) >= 0) {
      member.declared_size = static_cast<std::uint64_t>(archive_entry_size(entry));
      if (member.kind == MemberKind::kFile) {
        listing.declared_bytes = std::min(UINT64_MAX - *member.declared_size, listing.declared_bytes) +
                                 *member.declared_size;
      }
    }
    member.encrypted = archive_entry_is_encrypted(entry) != 0;
    member.windows_attributes = attributes_of_flags(archive_entry_fflags_text(entry));
    listing.encrypted = listing.encrypted || member.encrypted;

    if (member.kind != MemberKind::kFile) continue;
    if (member.encrypted && passphrase == nullptr) {
      member.stop = ContentStop::kEncrypted;
      continue;
    }
    if (members_read >= bounds.max_members_read) continue;
    const std::uint64_t total_left =
        bounds.max_total_bytes > listing.content_bytes ? bounds.max_total_bytes - listing.content_bytes : 0;
    // A member whose header already says it cannot be kept is not decompressed to learn it: a
    // bomb's thousandth member, or the ten nested ones below each of a hundred zips. A header that
    // understates is caught while reading.
    if ((total_left == 0 && member.declared_size.value_or(1) > 0) ||
        (member.declared_size && std::min(*member.declared_size, bounds.max_member_bytes) > total_left)) {
      member.stop = ContentStop::kTotalLimit;
      continue;
    }
    if (member.declared_size && *member.declared_size > ratio_cap && *member.declared_size > kExpansionFloor) {
      ++members_read;
      read_content(a, member, std::min({kIdentifyBytes, total_left, bounds.max_member_bytes}), UINT64_MAX, UINT64_MAX,
                   chunk);
      // Cut at the prefix: a bomb as declared. Read to its end: the header lied, the member is small.
      if (member.stop == ContentStop::kMemberLimit) member.stop = ContentStop::kExpansion;
      listing.produced_bytes += member.produced;
      if (member.content) listing.content_bytes += member.content->size();
      continue;
    }
    ++members_read;
    read_content(a, member, bounds.max_member_bytes, total_left, ratio_cap, chunk);
    listing.produced_bytes += member.produced;
    if (member.content) listing.content_bytes += member.content->size();
  }
  if (archive_read_has_encrypted_entries(a) > 0) listing.encrypted = true;
  if (listing.recognised) {
    switch (archive_format(a) & ARCHIVE_FORMAT_BASE_MASK) {
      case ARCHIVE_FORMAT_ZIP:
        add_attributes_by_name(read_zip_directory(bytes, bounds.max_entries).entries, ARCHIVE_FORMAT_ZIP, listing.members);
        break;
      case ARCHIVE_FORMAT_RAR:
        add_attributes_by_name(read_rar4_directory(bytes, bounds.max_entries).files, ARCHIVE_FORMAT_RAR, listing.members);
        break;
      case ARCHIVE_FORMAT_CAB:
        add_attributes_by_name(read_cab_directory(bytes, bounds.max_entries).files, ARCHIVE_FORMAT_CAB, listing.members);
        break;
      case ARCHIVE_FORMAT_ISO9660:
        add_iso_attributes(bytes, bounds.max_entries, listing.members);
        break;
      default:
        break;  // RAR 5's came with the headers; 7z keeps its own in compressed headers
    }
  }
  return listing;
}

bool opens_with(std::string_view bytes, const std::string& passphrase) {
  const Utf8LocaleScope locale;
  std::string error;
  const auto declared = zip_declared_entries(bytes);
  ArchivePtr reader = new_reader(declared && too_many_zip_entries(bytes, *declared, kProbeEntries), error);
  if (!reader) return false;
  struct archive* a = reader.get();
  if (archive_read_add_passphrase(a, passphrase.c_str()) != ARCHIVE_OK) return false;
  if (!unsafe_cabinet(bytes).empty()) return false;
  if (archive_read_open_memory(a, bytes.data(), bytes.size()) != ARCHIVE_OK) return false;
  std::vector<char> chunk(kChunk);
  for (std::uint32_t i = 0; i < kProbeEntries; ++i) {
    struct archive_entry* entry = nullptr;
    const int r = archive_read_next_header(a, &entry);
    if (r != ARCHIVE_OK && r != ARCHIVE_WARN) return false;
    if (archive_entry_is_data_encrypted(entry) == 0 || archive_entry_filetype(entry) != AE_IFREG) continue;
    std::uint64_t produced = 0;
    while (produced < kProbeBytes) {
      const la_ssize_t n = archive_read_data(a, chunk.data(), chunk.size());
      if (n < 0) return false;
      if (n == 0) break;
      produced += static_cast<std::uint64_t>(n);
    }
    return true;
  }
  return false;
}

}  // namespace vigie::objects::archive
