// Archives built in memory for the tests, with libarchive's writer (zip, zip encrypted with the
// traditional scheme or AES, 7z, tar with a compression filter, ISO 9660, a raw gzip stream), and
// shapes no writer produces on purpose: a zip repeating one compressed member many times (a flat
// bomb, or a million empty entries), a zip nested in itself level after level, Windows attributes
// set in a zip's central directory or an ISO's records, and RAR and cabinet archives written from
// their published formats; plus running a Debian tool (xorriso, 7z, gcab, mkudffs) on files.
// Test-only code: compiled into vigie_unit_tests, never into the engine.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace vigie::objects::archive::testing {

struct TestFile {
  std::string name;
  std::string content;
  enum class Kind { kFile, kDirectory, kSymlink } kind = Kind::kFile;
  std::string link_target = {};  // for kSymlink
};

struct WriteOptions {
  std::string filter;      // "gzip", "bzip2", "xz"... ("" for none)
  std::string options;     // libarchive write options: "zip:encryption=zipcrypt"
  std::string passphrase;  // for encryption
};

// `format`: a libarchive writer name ("zip", "7zip", "ustar", "pax", "iso9660", "raw"). Throws
// std::runtime_error with libarchive's message when the writer refuses.
std::string write_archive(std::string_view format, const std::vector<TestFile>& files, const WriteOptions& options = {});

// A zip of `count` members named "<prefix><n>", each holding `content` (deflated once, the
// compressed bytes repeated): 1000 × 10 MiB of zeros costs one compression and about 10 MB.
// With an empty content the members are stored, about 90 bytes each.
std::string repeated_zip(std::string_view content, std::size_t count, std::string_view prefix = "z");

// `levels` zips, each holding `fan_out` copies of the one below; the innermost holds `content`.
std::string nested_zip(std::string_view content, std::size_t levels, std::size_t fan_out);

// Marks `member` of a zip (as written here) made on MS-DOS with the DOS `attributes` byte (0x02
// hidden, 0x04 system) in its central directory, as Windows' own zip and 7-Zip store them:
// libarchive's writer stores Unix modes only. Throws when the zip has no such member.
void set_dos_attributes(std::string& zip, std::string_view member, std::uint8_t attributes);

// An ISO 9660 image (as written here or by xorriso) with the hidden ("existence") flag set on the
// directory records of `name` (a file or folder's own name, not its path), in the primary tree
// ("VERSION.DLL;1", any case) and the Joliet one: no Debian tool sets it. Throws when none is found.
void set_iso_hidden(std::string& iso, std::string_view name);

// A RAR archive of stored (uncompressed) members written here from RARLAB's published format
// descriptions (version 5: "RAR 5.0 archive format"; version 4: the technote of RAR 2.9-4), since
// no free tool writes RAR. Each member carries the Windows `attributes` (FILE_ATTRIBUTE_*; 0x20
// archive is a plain file) of a Windows host.
struct AttributedMember {
  std::string name;
  std::string content;
  std::uint32_t attributes = 0x20;
};
std::string rar_archive(int version, const std::vector<AttributedMember>& members);

// The lure the attribute tests share, as a Windows archiver stores it: a visible shortcut, a DLL
// hidden in a folder (DOS separator), and desktop.ini hidden and system.
const std::vector<AttributedMember>& hidden_payload_lure();

// A cabinet of uncompressed members ([MS-CAB]: one folder, one data block), each with its
// Windows `attributes`: gcab, Debian's writer, sets none.
std::string cab_archive(const std::vector<AttributedMember>& members);

// Whether a Debian tool is on the PATH (tests that need one skip without it).
bool have(const char* tool);

// Runs `command` (a Debian tool) in a private directory holding `files` under content/ (folders
// in their names are made); returns the file it writes, the directory removed. `{out}` and `{in}`
// in the command stand for the output path and the content folder. Throws std::runtime_error when
// the command fails.
std::string built_by_tool(const std::vector<TestFile>& files, std::string command);

// A message from outside with a text body (UTF-8, 8bit) and one base64 attachment.
std::string message_with_attachment(std::string_view body, std::string_view filename, std::string_view content,
                                    std::string_view type = "application/octet-stream");

}  // namespace vigie::objects::archive::testing
